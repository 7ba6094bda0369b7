//! Running the service: the health endpoints for load balancers and orchestrators.

use reqwest::{Method, StatusCode};

use crate::helpers::TestApp;

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
async fn ready_is_503_when_the_database_is_unreachable() {
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
