//! Running the service: the health endpoints for load balancers and orchestrators.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{command, TestApp, Writers};

#[tokio::test]
async fn live_and_ready_answer_without_a_token() {
    let app = TestApp::spawn().await;
    let live = app.send(Method::GET, "/health/live", None, None).await;
    assert_eq!(live.status, StatusCode::OK);
    assert_eq!(live.body, serde_json::json!({"status": "ok"}));
    let ready = app.send(Method::GET, "/health/ready", None, None).await;
    assert_eq!(ready.status, StatusCode::OK);
    assert_eq!(
        ready.body,
        serde_json::json!({"status": "ready", "database": "ok", "migrations": "applied"})
    );
}

#[tokio::test]
async fn ready_is_503_while_a_migration_is_pending_and_live_stays_200() {
    let app = TestApp::spawn().await;
    // The database as an older build left it: the last migration not yet applied.
    let last = "(SELECT MAX(version) FROM __diesel_schema_migrations)";
    app.sql(
        &format!("DELETE FROM __diesel_schema_migrations WHERE version = {last}"),
        &format!("DELETE FROM __diesel_schema_migrations WHERE version = {last}"),
    );
    let ready = app.send(Method::GET, "/health/ready", None, None).await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        ready.body,
        serde_json::json!({"status": "not_ready", "database": "ok", "migrations": "pending"})
    );
    let live = app.send(Method::GET, "/health/live", None, None).await;
    assert_eq!(live.status, StatusCode::OK);
}

#[actix_web::test]
async fn health_and_ready_are_503_when_the_database_is_unreachable() {
    use actix_web::{test, web, App};
    use cadre_records::db::{Db, DbUrl};

    // Nothing listens on port 1: a request gives up after the pool's timeout, here short.
    let db = Db::with_connection_timeout(
        &DbUrl::parse("postgres://postgres@127.0.0.1:1/nothing"),
        std::time::Duration::from_millis(200),
    );
    let app = test::init_service(
        App::new()
            .app_data(web::Data::new(db))
            .service(cadre_records::api::health::health)
            .service(cadre_records::api::health::ready)
            .service(cadre_records::api::health::live),
    )
    .await;
    let response = test::call_service(&app, test::TestRequest::get().uri("/health/ready").to_request()).await;
    assert_eq!(response.status().as_u16(), 503);
    let body: serde_json::Value = test::read_body_json(response).await;
    assert_eq!(
        body,
        serde_json::json!({"status": "not_ready", "database": "unreachable", "migrations": "unknown"})
    );
    let response = test::call_service(&app, test::TestRequest::get().uri("/health").to_request()).await;
    assert_eq!(response.status().as_u16(), 503);
    let body: serde_json::Value = test::read_body_json(response).await;
    assert_eq!(body["database"], "unreachable");
    let response = test::call_service(&app, test::TestRequest::get().uri("/health/live").to_request()).await;
    assert_eq!(response.status().as_u16(), 200);
}

/// Instances started at once: both wait for whoever holds the migrations' lock, then one
/// applies every migration and the other finds none pending; neither fails.
#[test]
fn instances_started_at_once_migrate_one_after_the_other() {
    use std::process::{Command, Stdio};
    let (url, _db) = crate::helpers::empty_database();
    let postgres = url.starts_with("postgres");
    let held = MigrationLock::hold(&url);
    let start = || {
        Command::new(env!("CARGO_BIN_EXE_cadre-records"))
            .arg("migrate")
            .env("DATABASE_URL", &url)
            .env("RUST_LOG", "info")
            .env_remove("CADRE_JWT_SECRET")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs")
    };
    let (first, second) = (start(), start());
    held.release_when_waiting(2);
    let outputs = [first, second].map(|child| child.wait_with_output().expect("it ends"));
    let logs: Vec<String> = outputs
        .iter()
        .map(|out| {
            let log = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(out.status.success(), "{log}");
            log
        })
        .collect();
    let dir = if postgres {
        "migrations/postgres"
    } else {
        "migrations/sqlite"
    };
    let migrations = std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .expect("the migrations")
        .count();
    let applied: Vec<bool> = logs
        .iter()
        .map(|log| log.contains(&format!("applied={migrations}")))
        .collect();
    assert_eq!(applied.iter().filter(|a| **a).count(), 1, "{logs:?}");
    assert!(logs.iter().all(|log| !log.contains("migrations failed")), "{logs:?}");
}

/// The migrations' lock of a database, held by the test.
enum MigrationLock {
    // The connection holding the lock, kept open until released.
    Postgres(#[allow(dead_code)] diesel::PgConnection, String),
    Sqlite(std::fs::File),
}

impl MigrationLock {
    fn hold(url: &str) -> MigrationLock {
        use diesel::connection::SimpleConnection;
        let key = cadre_records::db::MIGRATION_LOCK;
        if url.starts_with("postgres") {
            let mut conn = cadre_records::db::establish_postgres(url).expect("connect");
            conn.batch_execute(&format!("SELECT pg_advisory_lock({key})"))
                .expect("locked");
            MigrationLock::Postgres(conn, url.to_owned())
        } else {
            let file = std::fs::File::create(format!("{url}-migrate.lock")).expect("the lock's file");
            file.lock().expect("locked");
            MigrationLock::Sqlite(file)
        }
    }

    /// Lets go once `waiting` others wait for the lock (PostgreSQL's `pg_locks`, or the
    /// kernel's `/proc/locks`, which lists each blocked `flock` with `->`).
    fn release_when_waiting(self, waiting: usize) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let now = match &self {
                MigrationLock::Postgres(_, url) => {
                    let mut conn = cadre_records::db::establish_postgres(url).expect("connect");
                    #[derive(diesel::QueryableByName)]
                    struct Count {
                        #[diesel(sql_type = diesel::sql_types::BigInt)]
                        n: i64,
                    }
                    let count: Count = diesel::RunQueryDsl::get_result(
                        diesel::sql_query(
                            "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted \
                             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                        ),
                        &mut conn,
                    )
                    .expect("pg_locks");
                    usize::try_from(count.n).unwrap_or(0)
                }
                MigrationLock::Sqlite(file) => {
                    use std::os::unix::fs::MetadataExt;
                    let inode = format!(":{} ", file.metadata().expect("metadata").ino());
                    std::fs::read_to_string("/proc/locks")
                        .expect("/proc/locks")
                        .lines()
                        .filter(|line| line.contains("->") && line.contains(&inode))
                        .count()
                }
            };
            if now >= waiting {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{now} of {waiting} waited for the migrations' lock"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}

/// A backup taken while two clients keep writing opens, passes `integrity_check` and holds
/// every write acknowledged before it began; the service goes on writing during and after
/// it. Restoring it makes a database the service starts on; a restore over the running
/// service's database is refused, with or without `--force`. On PostgreSQL the command
/// says to use `pg_dump`.
#[tokio::test]
async fn a_backup_taken_during_writes_holds_every_write_acknowledged_before_it_began() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.db");
    let file_text = file.to_str().unwrap().to_owned();
    if app.on_postgres() {
        let (done, log) = command(&app.database_url, &["backup", &file_text]);
        assert!(!done && log.contains("pg_dump"), "{log}");
        return;
    }
    let unit = app.unit("W", "Phường W", "ward", None).await;
    let writers = Writers::start(&app, unit, "W");
    writers.wait_for(20).await;
    let before = writers.acknowledged();
    let url = app.database_url.clone();
    let args = ["backup".to_owned(), file_text.clone()];
    let (done, log) = tokio::task::spawn_blocking(move || command(&url, &[&args[0], &args[1]]))
        .await
        .unwrap();
    assert!(done, "{log}");
    assert!(log.contains("backup taken and checked"), "{log}");
    // Writes go on after it.
    writers.wait_for(writers.count() + 10).await;
    let written = writers.stop().await;

    let checked = cadre_records::db::backup::check(&file).expect("the backup is sound");
    let saved = stored_codes(file.to_str().unwrap());
    let missing: Vec<&String> = before
        .iter()
        .filter(|code| saved.binary_search(code).is_err())
        .collect();
    assert!(
        missing.is_empty(),
        "acknowledged before the backup, missing from it: {missing:?}"
    );
    assert_eq!(checked.officials, i64::try_from(saved.len()).unwrap());
    // A backup never overwrites a file.
    let (done, log) = command(&app.database_url, &["backup", &file_text]);
    assert!(!done && log.contains("exists"), "{log}");

    // Restored into a new place, it is the backup; the service starts on it.
    let restored = dir.path().join("restored.db");
    let restored_text = restored.to_str().unwrap();
    let (done, log) = command(restored_text, &["restore", &file_text]);
    assert!(done, "{log}");
    assert_eq!(stored_codes(restored_text), saved);
    let (done, log) = command(restored_text, &["migrate"]);
    assert!(done, "{log}");
    // Over a database that exists: only with --force.
    let (done, log) = command(restored_text, &["restore", &file_text]);
    assert!(!done && log.contains("--force"), "{log}");
    let (done, log) = command(restored_text, &["restore", &file_text, "--force"]);
    assert!(done, "{log}");
    // Over the running service's database: never.
    for args in [vec!["restore", &file_text], vec!["restore", &file_text, "--force"]] {
        let (done, log) = command(&app.database_url, &args);
        assert!(!done, "{log}");
    }
    let (done, log) = command(&app.database_url, &["restore", &file_text, "--force"]);
    assert!(!done && log.contains("in use"), "{log}");
    let reply = app.get("/api/v1/officials?count=true&limit=1").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["total"], json!(written));
}

/// The service run as a process of its own, as it is deployed.
struct Process {
    child: std::process::Child,
    address: String,
    log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Process {
    /// Starts `cadre-records serve` on the database at `url`, on a free port, and waits until
    /// it listens.
    fn serve(url: &str, extra: &[(&str, &str)]) -> Process {
        use std::io::BufRead;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cadre-records"))
            .arg("serve")
            .env("DATABASE_URL", url)
            .env("CADRE_BIND", "127.0.0.1:0")
            .env("CADRE_JWT_SECRET", crate::helpers::JWT_SECRET)
            .env("CADRE_ADMIN_PASSWORD", crate::helpers::ADMIN_PASSWORD)
            .env("RUST_LOG", "info")
            .envs(extra.iter().copied())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let (port_tx, port_rx) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().expect("its output");
        let kept = log.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
                // `listening port=…`, or in JSON `{"message":"listening","port":…}`.
                let json = serde_json::from_str::<serde_json::Value>(&line).ok();
                let port = match &json {
                    Some(json) if json["message"] == "listening" => json["port"].as_u64().map(|p| p.to_string()),
                    Some(_) => None,
                    None => line
                        .split("port=")
                        .nth(1)
                        .filter(|_| line.contains("listening"))
                        .and_then(|port| port.split_whitespace().next())
                        .map(str::to_owned),
                };
                if let Some(port) = port {
                    let _ = port_tx.send(port);
                }
                kept.lock().unwrap().push_str(&(line + "\n"));
            }
        });
        let Ok(port) = port_rx.recv_timeout(std::time::Duration::from_secs(60)) else {
            let _ = child.kill();
            panic!("the service did not start: {}", log.lock().unwrap());
        };
        Process {
            child,
            address: format!("http://127.0.0.1:{port}"),
            log,
        }
    }

    /// Logs in as the first admin and returns the access token.
    async fn admin_token(&self, client: &reqwest::Client) -> String {
        let login: serde_json::Value = client
            .post(format!("{}/api/v1/auth/login", self.address))
            .json(&json!({"username": "admin", "password": crate::helpers::ADMIN_PASSWORD}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        login["access_token"].as_str().expect("a token").to_owned()
    }

    /// Sends SIGTERM.
    fn terminate(&self) {
        let sent = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success());
    }

    /// Waits for the process to end and returns whether it ended well, and its log.
    fn wait(mut self) -> (bool, String) {
        let status = self.child.wait().expect("it ends");
        // The reader thread ends with the output.
        std::thread::sleep(std::time::Duration::from_millis(50));
        let log = self.log.lock().unwrap().clone();
        (status.success(), log)
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// SIGTERM in the middle of writes: the writes in flight (held at the database by a lock
/// taken from a second connection) are answered and committed before the process ends, new
/// connections are refused at once, and every write is either acknowledged and stored with
/// its audit entry, or neither.
#[tokio::test]
async fn sigterm_lets_the_writes_in_flight_finish_and_loses_none() {
    let (url, _db) = crate::helpers::empty_database();
    let service = Process::serve(&url, &[("CADRE_SHUTDOWN_GRACE_SECONDS", "30")]);
    let client = reqwest::Client::new();
    let v1 = format!("{}/api/v1", service.address);
    let token = service.admin_token(&client).await;
    let unit: serde_json::Value = client
        .post(format!("{v1}/units"))
        .bearer_auth(&token)
        .json(&json!({"code": "W", "name": "Phường W", "kind": "ward"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let unit = unit["id"].as_i64().expect("a unit");
    let write = |code: String| {
        let (client, v1, token) = (client.clone(), v1.clone(), token.clone());
        tokio::spawn(async move {
            let sent = client
                .post(format!("{v1}/officials"))
                .bearer_auth(&token)
                .json(&json!({"code": code, "full_name": "Trần Văn Bình", "gender": "male",
                              "unit_id": unit, "category": "cadre"}))
                .send()
                .await;
            (code, sent.map(|response| response.status()))
        })
    };

    // Eight writes wait for the lock when the signal comes.
    let mut held = crate::helpers::hold_on(&url, "LOCK TABLE officials IN EXCLUSIVE MODE", "");
    let in_flight: Vec<_> = (0..8).map(|n| write(format!("F{n}"))).collect();
    held.wait_for(8).await;
    service.terminate();
    // New connections are refused once the signal is taken; the writes still wait.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while reqwest::Client::new()
        .get(format!("{}/health/live", service.address))
        .send()
        .await
        .is_ok()
    {
        assert!(std::time::Instant::now() < deadline, "still accepting connections");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    // Writes sent now are refused, never half-done.
    let late: Vec<_> = (0..8).map(|n| write(format!("L{n}"))).collect();
    // Past the first of the server's shutdown checks (each second): without a grace period
    // the writes in flight would be cut off there.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    held.release();

    let mut answered = Vec::new();
    for task in in_flight {
        let (code, status) = task.await.unwrap();
        assert_eq!(status.ok(), Some(StatusCode::CREATED), "{code} in flight at SIGTERM");
        answered.push(code);
    }
    for task in late {
        let (code, status) = task.await.unwrap();
        match status {
            Ok(status) if status == StatusCode::CREATED => answered.push(code),
            Ok(status) => panic!("{code}: {status}"),
            Err(_) => {}
        }
    }
    let (ended_well, log) = service.wait();
    assert!(ended_well, "{log}");
    assert!(log.contains("stopped"), "{log}");

    // What is stored is exactly what was acknowledged, each with its audit entry.
    let stored = stored_codes(&url);
    answered.sort();
    assert_eq!(stored, answered);
    let audited = crate::helpers::count_on(
        &url,
        "SELECT count(*) FROM audit_log WHERE entity = 'official' AND action = 'create'",
    );
    assert_eq!(audited, i64::try_from(answered.len()).unwrap());
}

/// The officials' codes in the database at `url`, sorted.
fn stored_codes(url: &str) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct Code {
        #[diesel(sql_type = diesel::sql_types::Text)]
        code: String,
    }
    let query = diesel::sql_query("SELECT code FROM officials ORDER BY code");
    let codes: Vec<Code> = if url.starts_with("postgres") {
        let mut conn = cadre_records::db::establish_postgres(url).expect("connect");
        diesel::RunQueryDsl::load(query, &mut conn).expect("codes")
    } else {
        use diesel::Connection;
        let mut conn = diesel::SqliteConnection::establish(url).expect("connect");
        diesel::RunQueryDsl::load(query, &mut conn).expect("codes")
    };
    codes.into_iter().map(|c| c.code).collect()
}

/// Two instances on one database, started at once, as behind a load balancer: a token from
/// one is taken by the other (the secret is shared), a login throttled at one is throttled
/// at the other, and a change of a user made at one revokes their tokens at the other.
#[tokio::test]
async fn two_instances_share_tokens_throttling_and_revocation() {
    let (url, _db) = crate::helpers::empty_database();
    let (first, second) = {
        let (a, b) = (url.clone(), url.clone());
        let a = std::thread::spawn(move || Process::serve(&a, &[]));
        let b = std::thread::spawn(move || Process::serve(&b, &[]));
        (a.join().unwrap(), b.join().unwrap())
    };
    let client = reqwest::Client::new();
    let call = |process: &Process, method: Method, path: &str, token: Option<&str>, body: Option<serde_json::Value>| {
        let mut request = client.request(method, format!("{}/api/v1{path}", process.address));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        async move {
            let response = request.send().await.expect("answered");
            let status = response.status();
            let body: serde_json::Value = response.json().await.unwrap_or(serde_json::Value::Null);
            (status, body)
        }
    };
    let login = |process: &Process, username: &str, password: &str| {
        call(
            process,
            Method::POST,
            "/auth/login",
            None,
            Some(json!({"username": username, "password": password})),
        )
    };

    // A token from the first is taken by the second.
    let (status, body) = login(&first, "admin", crate::helpers::ADMIN_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let admin = body["access_token"].as_str().unwrap().to_owned();
    let (status, me) = call(&second, Method::GET, "/auth/me", Some(&admin), None).await;
    assert_eq!((status, me["username"].as_str()), (StatusCode::OK, Some("admin")));

    // Failed logins counted at both lock the account at both.
    let (status, clerk) = call(
        &second,
        Method::POST,
        "/users",
        Some(&admin),
        Some(json!({"username": "clerk", "password": "a-long-password", "role": "auditor"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{clerk}");
    let (status, body) = login(&second, "clerk", "a-long-password").await;
    assert_eq!(status, StatusCode::OK);
    let clerk_token = body["access_token"].as_str().unwrap().to_owned();
    for attempt in 0..5 {
        let at = if attempt % 2 == 0 { &first } else { &second };
        let (status, _) = login(at, "clerk", "not-the-password").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    for at in [&first, &second] {
        let (status, body) = login(at, "clerk", "a-long-password").await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    }

    // The admin disables the clerk at the first: the clerk's token is refused at the second.
    let (status, _) = call(&second, Method::GET, "/auth/me", Some(&clerk_token), None).await;
    assert_eq!(status, StatusCode::OK);
    let id = clerk["id"].as_i64().unwrap();
    let (status, body) = call(
        &first,
        Method::PATCH,
        &format!("/users/{id}"),
        Some(&admin),
        Some(json!({"disabled": true})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = call(&second, Method::GET, "/auth/me", Some(&clerk_token), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// Every response carries its request's id: one made here (a UUID), or the one a trusted
/// proxy sent; anybody else's is replaced, as is one too long or not plain ASCII.
#[tokio::test]
async fn every_response_names_its_request_and_only_a_trusted_proxy_names_it_first() {
    let direct = TestApp::spawn().await;
    let behind = TestApp::spawn_with(&[("CADRE_TRUSTED_PROXIES", "127.0.0.1")]).await;
    let id_of = |reply: &crate::helpers::Reply| reply.header("x-request-id").expect("an X-Request-Id");
    let is_uuid =
        |id: &str| id.len() == 36 && id.chars().filter(|c| *c == '-').count() == 4 && id.chars().nth(14) == Some('4');
    let mut seen = std::collections::HashSet::new();
    for path in ["/health", "/api/v1/units", "/api/v1/units/999999", "/nowhere"] {
        let reply = direct.get(path).await;
        let id = id_of(&reply);
        assert!(is_uuid(&id), "{path}: {id}");
        assert!(seen.insert(id), "ids are not reused");
    }
    let proxy_id = "edge-7f3a/42";
    for (app, sent, echoed) in [
        (&direct, proxy_id.to_owned(), false),
        (&behind, proxy_id.to_owned(), true),
        (&behind, "x".repeat(129), false),
        (&behind, String::new(), false),
    ] {
        let reply = app
            .send_with(Method::GET, "/health", None, None, &[("X-Request-Id", &sent)])
            .await;
        let id = id_of(&reply);
        assert_eq!(id == sent, echoed, "sent {sent:?}, answered {id:?}");
        if !echoed {
            assert!(is_uuid(&id), "{id}");
        }
    }
}

/// `CADRE_LOG_FORMAT=json`: every line of the log is a JSON object, and each request ends
/// with one that has the time, the level, the request's id (the response's `X-Request-Id`),
/// the route's template, the status, the duration and the user; a search's words are not
/// logged.
#[tokio::test]
async fn json_logs_say_who_asked_what_and_how_it_was_answered() {
    let (url, _db) = crate::helpers::empty_database();
    let service = Process::serve(&url, &[("CADRE_LOG_FORMAT", "json")]);
    let client = reqwest::Client::new();
    let token = &service.admin_token(&client).await;
    let response = client
        .get(format!("{}/api/v1/units/424242", service.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    let searched = client
        .get(format!("{}/api/v1/officials?q=079123456789", service.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(searched.status(), StatusCode::OK);
    service.terminate();
    let (_, log) = service.wait();

    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect();
    let answered: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|line| line["message"] == "answered" && line["span"]["request_id"] == id.as_str())
        .collect();
    assert_eq!(answered.len(), 1, "{log}");
    let line = answered[0];
    let span = &line["span"];
    assert_eq!(line["level"], "INFO");
    assert!(
        line["timestamp"].as_str().is_some_and(|t| t.starts_with("20")),
        "{line}"
    );
    assert_eq!(span["route"], "/api/v1/units/{id}");
    assert_eq!(span["method"], "GET");
    assert_eq!(span["status"], 404);
    assert!(span["duration_ms"].as_f64().is_some_and(|ms| ms >= 0.0), "{line}");
    assert_eq!(span["user"], "admin");
    assert!(span["user_id"].as_i64().is_some_and(|id| id > 0), "{line}");
    assert!(!log.contains("079123456789"), "a search's words reached the log");
}

/// What `/metrics` exposes, as a Prometheus text-format parser reads it.
type Exposition =
    openmetrics_parser::MetricsExposition<openmetrics_parser::PrometheusType, openmetrics_parser::PrometheusValue>;

/// A scrape of `/metrics`, read by a parser of the Prometheus text format.
async fn scrape(app: &TestApp) -> Exposition {
    let address = app.metrics_address.as_ref().expect("metrics are served");
    let response = app
        .client
        .get(format!("{address}/metrics"))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::OK);
    let kind = response.headers()[reqwest::header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    let text = response.text().await.unwrap();
    openmetrics_parser::prometheus::parse_prometheus(&text).unwrap_or_else(|e| panic!("{e:?} in {text}"))
}

/// The value of the one sample of `family` with `labels` — a histogram's count — or 0 when
/// there is none.
fn sample(scrape: &Exposition, family: &str, labels: &[(&str, &str)]) -> f64 {
    use openmetrics_parser::PrometheusValue;
    let Some(family) = scrape.families.get(family) else {
        return 0.0;
    };
    let found: Vec<f64> = family
        .iter_samples()
        .filter(|s| {
            let set = s.get_labelset().expect("labels");
            labels.iter().all(|(k, v)| set.get_label_value(k) == Some(*v))
        })
        .map(|s| match &s.value {
            PrometheusValue::Unknown(n) | PrometheusValue::Gauge(n) => n.as_f64(),
            PrometheusValue::Counter(c) => c.value.as_f64(),
            PrometheusValue::Histogram(h) => h.count.unwrap_or(0) as f64,
            other => panic!("{other:?}"),
        })
        .collect();
    assert!(found.len() <= 1, "{labels:?}: {found:?}");
    found.first().copied().unwrap_or(0.0)
}

/// `/metrics`, on its own address only: requests by route template (never the path's ids)
/// and status with their latency, the pool's connections and waits, logins by outcome
/// (failed, the failure that locks, refused while locked, succeeded), rows imported and
/// files refused, report durations. Nothing of it on the API's address, and nothing else
/// on its own; without `CADRE_METRICS_BIND` nothing is served.
#[tokio::test]
async fn metrics_count_what_the_service_does_on_an_address_of_their_own() {
    let plain = TestApp::spawn().await;
    assert!(plain.metrics_address.is_none());
    assert_eq!(plain.get("/metrics").await.status, StatusCode::NOT_FOUND);

    let app = TestApp::spawn_with(&[("CADRE_METRICS_BIND", "127.0.0.1:0")]).await;
    assert_eq!(
        app.get("/metrics").await.status,
        StatusCode::NOT_FOUND,
        "not on the API's address"
    );
    let elsewhere = app
        .client
        .get(format!("{}/api/v1/units", app.metrics_address.as_ref().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        elsewhere.status(),
        StatusCode::NOT_FOUND,
        "only /metrics on its address"
    );

    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/officials/987654").await.status, StatusCode::NOT_FOUND);
    }
    let tree = app.tree().await;
    let report = format!("/api/v1/reports/qualifications?unit_id={}", tree.province);
    assert_eq!(app.get(&report).await.status, StatusCode::OK);
    let imported = app
        .import_csv(
            "positions",
            "code,title,category\nM-1,Chuyên viên,civil_servant\nM-2,Văn thư,civil_servant\n",
        )
        .await;
    assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.body);
    let refused = app
        .import_csv("positions", "code,title,category\nM-3,,civil_servant\n")
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let wrong = json!({"username": "admin", "password": "not the password"});
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let reply = app
            .send(Method::POST, "/api/v1/auth/login", None, Some(wrong.clone()))
            .await;
        statuses.push(reply.status.as_u16());
    }
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429]);

    for made_up in ["FROB", "FROB2", "BREW"] {
        let method = Method::from_bytes(made_up.as_bytes()).unwrap();
        let reply = app.send(method, "/api/v1/units", None, None).await;
        assert!(reply.status.is_client_error(), "{made_up}: {}", reply.status);
    }

    let scrape = scrape(&app).await;
    let requests = |route: &str, method: &str, status: &str| {
        sample(
            &scrape,
            "cadre_http_requests_total",
            &[("route", route), ("method", method), ("status", status)],
        )
    };
    assert_eq!(requests("/api/v1/officials/{id}", "GET", "404"), 3.0);
    let made_up: f64 = ["401", "404", "405"]
        .iter()
        .map(|status| requests("/api/v1/units", "other", status) + requests("unmatched", "other", status))
        .sum();
    assert_eq!(made_up, 3.0, "made-up methods share one label");
    assert_eq!(requests("/api/v1/reports/qualifications", "GET", "200"), 1.0);
    assert_eq!(requests("/api/v1/units", "POST", "201"), 4.0);
    assert_eq!(requests("/api/v1/auth/login", "POST", "401"), 5.0);
    assert_eq!(
        requests("unmatched", "GET", "404"),
        1.0,
        "the API's 404 for /metrics, under one label"
    );
    let routes: Vec<String> = scrape
        .families
        .values()
        .flat_map(|family| family.iter_samples())
        .filter_map(|s| s.get_labelset().ok()?.get_label_value("route").map(str::to_owned))
        .collect();
    assert!(routes.contains(&"/api/v1/officials/{id}".to_owned()), "{routes:?}");
    assert!(
        routes.iter().all(|route| !route.contains("987654")),
        "no path is a label: {routes:?}"
    );
    assert_eq!(
        sample(
            &scrape,
            "cadre_http_request_duration_seconds",
            &[("route", "/api/v1/officials/{id}"), ("method", "GET")]
        ),
        3.0
    );
    let logins = |outcome: &str| sample(&scrape, "cadre_logins_total", &[("outcome", outcome)]);
    assert_eq!(logins("succeeded"), 1.0, "the test's own login");
    assert_eq!(logins("failed"), 4.0);
    assert_eq!(logins("locked"), 1.0, "the fifth failure locks");
    assert_eq!(logins("refused"), 1.0);
    let rows = |result: &str| {
        sample(
            &scrape,
            "cadre_import_rows_total",
            &[("kind", "positions"), ("result", result)],
        )
    };
    assert_eq!(rows("created"), 2.0);
    assert_eq!(rows("updated"), 0.0);
    let files = |outcome: &str| {
        sample(
            &scrape,
            "cadre_imports_total",
            &[("kind", "positions"), ("outcome", outcome)],
        )
    };
    assert_eq!((files("imported"), files("refused")), (1.0, 1.0));
    assert_eq!(
        sample(
            &scrape,
            "cadre_report_duration_seconds",
            &[("report", "qualifications")]
        ),
        1.0
    );
    let pool = |state: &str| sample(&scrape, "cadre_db_pool_connections", &[("state", state)]);
    let max = if app.on_postgres() { 10.0 } else { 8.0 };
    assert_eq!(pool("max"), max);
    assert!(pool("in_use") + pool("idle") >= 1.0 && pool("in_use") + pool("idle") <= max);
    let waits = sample(&scrape, "cadre_db_pool_wait_seconds", &[]);
    assert!(waits >= 20.0, "every request took a connection: {waits}");
    assert_eq!(sample(&scrape, "cadre_db_pool_timeouts_total", &[]), 0.0);
    for documented in [
        "cadre_http_requests_total",
        "cadre_http_request_duration_seconds",
        "cadre_db_pool_connections",
        "cadre_db_pool_wait_seconds",
        "cadre_logins_total",
        "cadre_import_rows_total",
        "cadre_report_duration_seconds",
    ] {
        let family = scrape.families.get(documented).expect(documented);
        assert!(!family.help.is_empty(), "{documented} has its HELP line");
    }
}
