use std::sync::atomic::{AtomicU32, Ordering};

use cadre_records::config::Config;
use cadre_records::db::{Db, DbUrl};
use cadre_records::startup::Application;
use cadre_records::synthetic::{seed, Plan};
use diesel::connection::SimpleConnection;
use diesel::Connection;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

pub const ADMIN_PASSWORD: &str = "admin-password-for-tests";
pub const JWT_SECRET: &str = "a-test-secret-that-is-long-enough-for-hs256";

/// A fresh database for one test, removed when the test ends.
enum TestDb {
    // Held so that the directory and its database live as long as the test.
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { admin_url, name } = self {
            if let Ok(mut conn) = cadre_records::db::establish_postgres(admin_url) {
                let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

/// A fresh database for one test: a copy of `template` (see [`template`]).
fn fresh_database(template: &Template) -> (String, TestDb) {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    match template {
        Template::Postgres {
            admin_url,
            name: template,
        } => {
            let name = format!(
                "cadre_test_{}_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::SeqCst),
                rand::random::<u32>()
            );
            let mut conn = cadre_records::db::establish_postgres(admin_url)
                .unwrap_or_else(|e| panic!("TEST_DATABASE_URL is set but PostgreSQL is unreachable: {e}"));
            conn.batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
                .expect("copy the template database");
            (
                database_url(admin_url, &name),
                TestDb::Postgres {
                    admin_url: admin_url.clone(),
                    name,
                },
            )
        }
        Template::Sqlite(template) => {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("cadre.db");
            std::fs::copy(template, &path).expect("copy the template database");
            (path.to_string_lossy().into_owned(), TestDb::Sqlite(dir))
        }
    }
}

/// An empty database (nothing migrated) on the backend the tests run on, and what removes it
/// when dropped.
pub fn empty_database() -> (String, impl Sized) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let name = format!("cadre_empty_{}_{}", std::process::id(), rand::random::<u32>());
            let mut conn = cadre_records::db::establish_postgres(&admin_url).expect("connect");
            conn.batch_execute(&format!("CREATE DATABASE {name}"))
                .expect("create a database");
            (database_url(&admin_url, &name), TestDb::Postgres { admin_url, name })
        }
        _ => {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("cadre.db");
            (path.to_string_lossy().into_owned(), TestDb::Sqlite(dir))
        }
    }
}

/// The records a SQLite database of a test is made with.
#[derive(Debug, Clone, Copy)]
pub enum DataSet {
    Demo,
    Synthetic,
}

/// A SQLite database prepared as the service prepares one (the admin's password is
/// [`ADMIN_PASSWORD`]) holding `set`, in a folder removed when the second value is dropped:
/// on either test run (a PostgreSQL run's copy from SQLite needs one).
pub fn sqlite_database(set: DataSet) -> (String, impl Sized) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cadre.db").to_string_lossy().into_owned();
    prepare(&path);
    match set {
        DataSet::Demo => load_demo(&path),
        DataSet::Synthetic => load_synthetic(&path),
    }
    (path, dir)
}

/// Runs the binary with `args` on the database at `url` (`DATABASE_URL`, no JWT secret):
/// whether it succeeded, and what it wrote.
pub fn command(url: &str, args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cadre-records"))
        .args(args)
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "info")
        .env_remove("CADRE_JWT_SECRET")
        .output()
        .expect("the binary runs");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), log)
}

/// A count read straight from the database at `url` (`SELECT count(*) …`, the same SQL on
/// both backends).
pub fn count_on(url: &str, sql: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let query = diesel::sql_query(format!("SELECT CAST(({sql}) AS BIGINT) AS n"));
    let row: Count = if url.starts_with("postgres") {
        let mut conn = cadre_records::db::establish_postgres(url).expect("connect");
        diesel::RunQueryDsl::get_result(query, &mut conn).expect("counted")
    } else {
        let mut conn = diesel::SqliteConnection::establish(url).expect("connect");
        diesel::RunQueryDsl::get_result(query, &mut conn).expect("counted")
    };
    row.n
}

/// The database every test starts from, prepared once by the service's own start-up
/// (`prepare_database`: migrations, then the first admin), instead of once per test.
pub enum Template {
    /// A SQLite file, copied for each test.
    Sqlite(std::path::PathBuf),
    /// A PostgreSQL database, copied with `CREATE DATABASE … TEMPLATE`.
    Postgres { admin_url: String, name: String },
}

fn template() -> &'static Template {
    static TEMPLATE: std::sync::OnceLock<Template> = std::sync::OnceLock::new();
    TEMPLATE.get_or_init(|| match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => postgres_template(admin_url),
        _ => sqlite_template(),
    })
}

/// The synthetic country the synthetic tests read and write on.
pub const SYNTHETIC: Plan = Plan {
    officials: 600,
    years: 3,
    seed: 5,
};

/// The template with [`SYNTHETIC`] loaded into it by the generator.
pub fn synthetic_template() -> &'static Template {
    static TEMPLATE: std::sync::OnceLock<Template> = std::sync::OnceLock::new();
    TEMPLATE.get_or_init(|| derived_template("synthetic", load_synthetic))
}

/// The template with the demo data set loaded into it.
pub fn demo_template() -> &'static Template {
    static TEMPLATE: std::sync::OnceLock<Template> = std::sync::OnceLock::new();
    TEMPLATE.get_or_init(|| derived_template("demo", load_demo))
}

/// A copy of the first template with `load` run on it, made once per test run (and kept on
/// a PostgreSQL server for the next run of the same build, like the first) instead of once
/// per test that needs those records.
fn derived_template(suffix: &str, load: fn(&str)) -> Template {
    match template() {
        Template::Sqlite(base) => {
            let path = base.with_file_name(format!("{suffix}.db"));
            let _ = std::fs::remove_file(&path);
            std::fs::copy(base, &path).expect("copy the template database");
            load(&path.to_string_lossy());
            checkpoint(&path);
            Template::Sqlite(path)
        }
        Template::Postgres { admin_url, name } => {
            let derived = format!("{name}_{suffix}");
            under_template_lock(admin_url, |conn, existing| {
                if !existing.contains(&derived) {
                    let building = format!("{derived}_building");
                    conn.batch_execute(&format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
                        .expect("drop a half-made copy");
                    conn.batch_execute(&format!("CREATE DATABASE {building} TEMPLATE {name}"))
                        .expect("copy the template");
                    load(&database_url(admin_url, &building));
                    conn.batch_execute(&format!("ALTER DATABASE {building} RENAME TO {derived}"))
                        .expect("the derived template is ready");
                }
            });
            Template::Postgres {
                admin_url: admin_url.clone(),
                name: derived,
            }
        }
    }
}

/// Loads the demo data set into the database at `url`.
fn load_demo(url: &str) {
    let db = Db::new(&DbUrl::parse(url));
    let outcome = cadre_records::demo::seed(&db, false).expect("the demo loads");
    assert_eq!(outcome, cadre_records::demo::Seeded::Loaded);
}

/// Loads [`SYNTHETIC`] into the database at `url` (its pool is closed when it returns).
fn load_synthetic(url: &str) {
    let db = Db::new(&DbUrl::parse(url));
    seed(&db, SYNTHETIC, &mut |_| {}).expect("the synthetic country loads");
}

/// Moves everything written from SQLite's write-ahead log into the file, which is then
/// copied alone.
fn checkpoint(path: &std::path::Path) {
    let mut conn = diesel::SqliteConnection::establish(&path.to_string_lossy()).expect("open the template");
    conn.batch_execute("PRAGMA wal_checkpoint(TRUNCATE);")
        .expect("checkpoint the template");
}

/// Prepares a database the way the service does on its first start.
fn prepare(database_url: &str) {
    let url = database_url.to_owned();
    let config = Config::from_lookup(move |key| match key {
        "DATABASE_URL" => Some(url.clone()),
        "CADRE_JWT_SECRET" => Some(JWT_SECRET.to_owned()),
        "CADRE_ADMIN_PASSWORD" => Some(ADMIN_PASSWORD.to_owned()),
        _ => None,
    })
    .expect("template config");
    // The pool is dropped at once, closing its connections: the template is copied next.
    drop(cadre_records::startup::prepare_database(&config).expect("the template database is prepared"));
}

/// A template file of this test binary's own, under cargo's scratch folder for tests; those
/// of earlier runs are removed.
fn sqlite_template() -> Template {
    let scratch = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let dir = scratch.join(format!("template-{}", std::process::id()));
    if let Ok(entries) = std::fs::read_dir(scratch) {
        for entry in entries.flatten() {
            let stale = entry.file_name().to_string_lossy().starts_with("template-")
                && entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|at| at.elapsed().unwrap_or_default() > std::time::Duration::from_secs(3600));
            if stale {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let path = dir.join("cadre.db");
    let _ = std::fs::remove_file(&path);
    prepare(&path.to_string_lossy());
    checkpoint(&path);
    Template::Sqlite(path)
}

/// A template database named after this test binary (its size and modification time), so that
/// a run reuses the one an earlier run of the same build made, and a new build makes its own.
/// The name ends with when it was made: another build's templates are dropped once they are
/// three hours old, not before, since another build's tests may be copying them right now (a
/// second checkout tested on the same server). Built under a new name and renamed when
/// complete, under an advisory lock, so that concurrent test processes never copy a half-made one.
fn postgres_template(admin_url: String) -> Template {
    use std::hash::{Hash, Hasher};
    let mut key = std::collections::hash_map::DefaultHasher::new();
    if let Some(meta) = std::env::current_exe().ok().and_then(|exe| exe.metadata().ok()) {
        meta.len().hash(&mut key);
        meta.modified().ok().hash(&mut key);
    }
    let build = format!("cadre_template_{:016x}_", key.finish());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let made_at = |name: &str| -> Option<u64> {
        let rest = name.strip_prefix("cadre_template_")?;
        rest.get(17..)?.split('_').next()?.parse().ok()
    };
    let mut name = format!("{build}{now}");
    under_template_lock(&admin_url, |conn, existing| {
        if let Some(mine) = existing.iter().find(|other| {
            other.starts_with(&build)
                && !other.ends_with("_building")
                && made_at(other).is_some()
                && other.matches('_').count() == 3
        }) {
            name.clone_from(mine);
        } else {
            for old in existing {
                if made_at(old).is_none_or(|at| now.saturating_sub(at) > 3 * 3600) {
                    let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {old} WITH (FORCE)"));
                }
            }
            let building = format!("{name}_building");
            conn.batch_execute(&format!("CREATE DATABASE {building}"))
                .expect("create the template");
            prepare(&database_url(&admin_url, &building));
            conn.batch_execute(&format!("ALTER DATABASE {building} RENAME TO {name}"))
                .expect("the template is ready");
        }
    });
    Template::Postgres { admin_url, name }
}

/// Runs `work` on the server of `admin_url` under an advisory lock, so that concurrent test
/// processes never copy a half-made template; `work` gets the names of the templates there.
fn under_template_lock(admin_url: &str, work: impl FnOnce(&mut diesel::PgConnection, &[String])) {
    let mut conn = cadre_records::db::establish_postgres(admin_url)
        .unwrap_or_else(|e| panic!("TEST_DATABASE_URL is set but PostgreSQL is unreachable: {e}"));
    conn.batch_execute("SELECT pg_advisory_lock(20261127)")
        .expect("lock the templates");
    #[derive(diesel::QueryableByName)]
    struct Database {
        #[diesel(sql_type = diesel::sql_types::Text)]
        datname: String,
    }
    let existing: Vec<Database> = diesel::RunQueryDsl::load(
        diesel::sql_query("SELECT datname::text AS datname FROM pg_database WHERE datname LIKE 'cadre\\_template\\_%'"),
        &mut conn,
    )
    .expect("list the templates");
    let existing: Vec<String> = existing.into_iter().map(|db| db.datname).collect();
    work(&mut conn, &existing);
    conn.batch_execute("SELECT pg_advisory_unlock(20261127)")
        .expect("unlock the templates");
}

/// The URL of database `name` on the server of `admin_url`.
fn database_url(admin_url: &str, name: &str) -> String {
    let mut url = url::Url::parse(admin_url).expect("TEST_DATABASE_URL is a URL");
    url.set_path(name);
    url.to_string()
}

/// The running service, an HTTP client and an admin token.
pub struct TestApp {
    pub address: String,
    pub database_url: String,
    pub client: reqwest::Client,
    pub admin_token: String,
    /// Where `/metrics` is served, when `CADRE_METRICS_BIND` asked for it.
    pub metrics_address: Option<String>,
    /// The database, removed when the test ends; none where the test holds it.
    _db: Option<TestDb>,
}

/// A response's status, headers and JSON body (`Null` when there is none).
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    /// The body's `id`.
    pub fn id(&self) -> i64 {
        self.body["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("no id in {} {}", self.status, self.body))
    }

    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
    }

    /// Asserts a problem-details body with this status, and returns its `errors`.
    pub fn assert_problem(&self, status: u16) -> &Value {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.body);
        assert_eq!(
            self.header("content-type").as_deref(),
            Some("application/problem+json"),
            "{}",
            self.body
        );
        assert_eq!(self.body["status"], status);
        assert!(self.body["title"].is_string() && self.body["detail"].is_string() && self.body["type"].is_string());
        &self.body["errors"]
    }

    /// Asserts a problem-details body with this status, and returns the whole body.
    pub fn problem_body(&self, status: u16) -> &Value {
        self.assert_problem(status);
        &self.body
    }

    /// Asserts a problem-details body with this status and this `code`.
    pub fn assert_code(&self, status: u16, code: &str) {
        self.assert_problem(status);
        assert_eq!(self.body["code"], code, "body: {}", self.body);
    }

    /// Asserts a 422 whose `errors` names exactly these fields.
    pub fn assert_fields(&self, fields: &[&str]) {
        let errors = self.assert_problem(422);
        let mut named: Vec<&str> = errors
            .as_object()
            .expect("errors object")
            .keys()
            .map(String::as_str)
            .collect();
        named.sort_unstable();
        let mut expected = fields.to_vec();
        expected.sort_unstable();
        assert_eq!(named, expected, "body: {}", self.body);
    }
}

impl TestApp {
    /// Starts the service on a fresh database and logs in as the first admin.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(&[]).await
    }

    /// Starts the service on a copy of the synthetic country ([`SYNTHETIC`]).
    pub async fn spawn_synthetic() -> TestApp {
        Self::spawn_on(synthetic_template(), &[]).await
    }

    /// Starts the service on a copy of the demo data set.
    pub async fn spawn_demo() -> TestApp {
        Self::spawn_on(demo_template(), &[]).await
    }

    /// The same as [`TestApp::spawn`], with extra configuration variables.
    pub async fn spawn_with(extra: &[(&str, &str)]) -> TestApp {
        Self::spawn_on(template(), extra).await
    }

    /// Starts the service on a copy of `template`, with extra configuration variables.
    async fn spawn_on(template: &Template, extra: &[(&str, &str)]) -> TestApp {
        let extra: Vec<(String, String)> = extra.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        if std::env::var_os("TEST_LOG").is_some() {
            cadre_records::telemetry::init().expect("a log format");
        }
        let (database_url, guard) = fresh_database(template);
        Self::start(database_url, Some(guard), extra).await
    }

    /// Starts the service on the database at `database_url`, which the caller keeps (and
    /// removes), logged in as the admin whose password is [`ADMIN_PASSWORD`].
    pub async fn spawn_at(database_url: &str) -> TestApp {
        Self::start(database_url.to_owned(), None, Vec::new()).await
    }

    async fn start(database_url: String, guard: Option<TestDb>, extra: Vec<(String, String)>) -> TestApp {
        let url = database_url.clone();
        let config = Config::from_lookup(move |key| match key {
            "DATABASE_URL" => Some(url.clone()),
            "CADRE_BIND" => Some("127.0.0.1:0".to_owned()),
            "CADRE_JWT_SECRET" => Some(JWT_SECRET.to_owned()),
            "CADRE_ADMIN_PASSWORD" => Some(ADMIN_PASSWORD.to_owned()),
            other => extra.iter().find(|(k, _)| k == other).map(|(_, v)| v.clone()),
        })
        .expect("test config");
        let app = Application::build(&config).expect("the service starts");
        let address = format!("http://127.0.0.1:{}", app.port());
        let metrics_address = app.metrics_port().map(|port| format!("http://127.0.0.1:{port}"));
        tokio::spawn(app.run());
        let mut test = TestApp {
            address,
            database_url,
            // Idle connections are dropped before the service's keep-alive (5 s) closes them:
            // a request sent on a connection the service is closing that moment is never
            // answered (seen after a synthetic load of several seconds on PostgreSQL).
            client: reqwest::Client::builder()
                .pool_idle_timeout(std::time::Duration::from_secs(2))
                .build()
                .expect("an HTTP client"),
            admin_token: String::new(),
            metrics_address,
            _db: guard,
        };
        test.admin_token = test.login("admin", ADMIN_PASSWORD).await;
        test
    }

    /// Runs SQL straight on the test database, behind the service's back: for faults.
    /// `sqlite` and `postgres` are the same statement in each dialect.
    pub fn sql(&self, sqlite: &str, postgres: &str) {
        if self.database_url.starts_with("postgres") {
            let mut conn = cadre_records::db::establish_postgres(&self.database_url).expect("connect");
            conn.batch_execute(postgres).expect("SQL runs");
        } else {
            let mut conn = diesel::SqliteConnection::establish(&self.database_url).expect("connect");
            conn.batch_execute(sqlite).expect("SQL runs");
        }
    }

    /// A count read straight from the test database (`SELECT count(*) …`, the same SQL on
    /// both backends).
    pub fn count(&self, sql: &str) -> i64 {
        count_on(&self.database_url, sql)
    }

    /// Logs in and returns the access token.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let reply = self
            .send(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({"username": username, "password": password})),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "login failed: {}", reply.body);
        reply.body["access_token"].as_str().expect("a token").to_owned()
    }

    /// Creates a user with this role (and home unit) and returns their token.
    pub async fn token_for(&self, role: &str, unit_id: Option<i64>) -> String {
        self.user_with_token(role, unit_id).await.1
    }

    /// Creates a user with this role (and home unit) and returns their id and token.
    pub async fn user_with_token(&self, role: &str, unit_id: Option<i64>) -> (i64, String) {
        let username = format!("{role}-{}", rand::random::<u32>());
        let reply = self
            .post(
                "/api/v1/users",
                json!({"username": username, "password": "a-long-password", "role": role, "unit_id": unit_id}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        (reply.id(), self.login(&username, "a-long-password").await)
    }

    /// Sends a request with an optional token and JSON body.
    pub async fn send(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        self.send_with(method, path, token, body, &[]).await
    }

    /// Sends a request with extra headers.
    pub async fn send_with(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = self.client.request(method, format!("{}{}", self.address, path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("the request is answered");
        reply(response).await
    }

    /// Posts a file to an import (`path` after `/api/v1/imports/`) with `token`.
    pub async fn import_as(&self, path: &str, token: Option<&str>, content_type: &str, body: Vec<u8>) -> Reply {
        let mut request = self
            .client
            .post(format!("{}/api/v1/imports/{path}", self.address))
            .header("content-type", content_type)
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        reply(request.send().await.expect("the request is answered")).await
    }

    /// Posts a CSV file to an import as the admin.
    pub async fn import_csv(&self, path: &str, csv: &str) -> Reply {
        self.import_as(path, Some(&self.admin_token), "text/csv", csv.as_bytes().to_vec())
            .await
    }

    /// Sends raw bytes with a content type.
    pub async fn send_raw(&self, method: Method, path: &str, content_type: &str, body: Vec<u8>) -> Reply {
        let response = self
            .client
            .request(method, format!("{}{}", self.address, path))
            .bearer_auth(&self.admin_token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("the request is answered");
        reply(response).await
    }

    /// Downloads the file at `path` as the admin; the answer must be a 200.
    pub async fn download(&self, path: &str) -> File {
        self.download_as(path, &self.admin_token, None).await
    }

    /// Downloads the file at `path` with `token`, sending `accept` if given.
    pub async fn download_as(&self, path: &str, token: &str, accept: Option<&str>) -> File {
        let mut request = self.client.get(format!("{}{path}", self.address)).bearer_auth(token);
        if let Some(accept) = accept {
            request = request.header("Accept", accept);
        }
        let response = request.send().await.expect("the request is answered");
        let status = response.status();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default()
        };
        let (content_type, disposition) = (header("content-type"), header("content-disposition"));
        let bytes = response.bytes().await.unwrap().to_vec();
        assert_eq!(status, StatusCode::OK, "{path}: {}", String::from_utf8_lossy(&bytes));
        File {
            content_type,
            disposition,
            bytes,
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, Some(&self.admin_token), None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(Method::POST, path, Some(&self.admin_token), Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.send(Method::PATCH, path, Some(&self.admin_token), Some(body))
            .await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(Method::DELETE, path, Some(&self.admin_token), None).await
    }

    /// The id of the unit with this code (of the first 500).
    pub async fn unit_id(&self, code: &str) -> i64 {
        let units = self.get("/api/v1/units?limit=500").await.body;
        units["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["code"] == code)
            .unwrap_or_else(|| panic!("no unit {code}"))["id"]
            .as_i64()
            .unwrap()
    }

    /// Creates a unit and returns its id.
    pub async fn unit(&self, code: &str, name: &str, kind: &str, parent_id: Option<i64>) -> i64 {
        let reply = self
            .post(
                "/api/v1/units",
                json!({"code": code, "name": name, "kind": kind, "parent_id": parent_id}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.id()
    }

    /// Creates a position and returns its id.
    pub async fn position(&self, code: &str, title: &str, category: &str) -> i64 {
        let reply = self
            .post(
                "/api/v1/positions",
                json!({"code": code, "title": title, "category": category}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.id()
    }

    /// Creates an official from a JSON body and returns the created record.
    pub async fn official(&self, body: Value) -> Value {
        let reply = self.post("/api/v1/officials", body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.body
    }

    /// Records a qualification for an official.
    pub async fn qualify(&self, official_id: i64, dimension: &str, level: &str, awarded_on: &str) -> Reply {
        self.post(
            &format!("/api/v1/officials/{official_id}/qualifications"),
            json!({"dimension": dimension, "level": level, "awarded_on": awarded_on}),
        )
        .await
    }
}

async fn reply(response: reqwest::Response) -> Reply {
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("a body");
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    Reply { status, headers, body }
}

/// A small tree: province → city → two wards.
pub struct Tree {
    pub province: i64,
    pub city: i64,
    pub ward_a: i64,
    pub ward_b: i64,
}

impl TestApp {
    pub async fn tree(&self) -> Tree {
        let province = self.unit("VP", "Tỉnh Vĩnh Phúc", "province", None).await;
        let city = self.unit("VP-PY", "Thành phố Phúc Yên", "city", Some(province)).await;
        let ward_a = self.unit("VP-PY-PT", "Phường Phúc Thắng", "ward", Some(city)).await;
        let ward_b = self.unit("VP-PY-XH", "Phường Xuân Hòa", "ward", Some(city)).await;
        Tree {
            province,
            city,
            ward_a,
            ward_b,
        }
    }
}

/// A lock held from a second connection, as another writer holds it: on PostgreSQL a row
/// locked `FOR UPDATE` in an open transaction (as `psql` would hold it); on SQLite the
/// database's write lock (`BEGIN IMMEDIATE`), the only lock SQLite has.
pub enum HeldLock {
    Postgres(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

impl TestApp {
    /// Whether the service runs on PostgreSQL.
    pub fn on_postgres(&self) -> bool {
        self.database_url.starts_with("postgres")
    }

    /// Holds the lock of the row `id` of `table` (of the whole database on SQLite) until released.
    pub fn hold_row(&self, table: &str, id: i64) -> HeldLock {
        self.hold(&format!("SELECT 1 FROM {table} WHERE id = {id} FOR UPDATE"))
    }

    /// Holds the lock that every change of the unit tree's shape takes.
    pub fn hold_unit_tree(&self) -> HeldLock {
        self.hold_named("unit_tree")
    }

    /// Holds the named lock `name` (a row of `locks`).
    pub fn hold_named(&self, name: &str) -> HeldLock {
        self.hold(&format!("SELECT 1 FROM locks WHERE name = '{name}' FOR UPDATE"))
    }

    /// Holds every write of `table`: on PostgreSQL a lock on the table that inserts wait for,
    /// on SQLite the database's write lock.
    pub fn hold_table(&self, table: &str) -> HeldLock {
        self.hold(&format!("LOCK TABLE {table} IN EXCLUSIVE MODE"))
    }

    /// Holds a transaction that has written with `sql` (the same on both backends),
    /// uncommitted until released: what another program's write holds while it runs.
    pub fn hold_writing(&self, sql: &str) -> HeldLock {
        self.hold_after(sql, sql)
    }

    fn hold(&self, postgres_lock: &str) -> HeldLock {
        self.hold_after(postgres_lock, "")
    }

    /// A transaction begun on a second connection, then `postgres` or `sqlite` run in it.
    fn hold_after(&self, postgres: &str, sqlite: &str) -> HeldLock {
        hold_on(&self.database_url, postgres, sqlite)
    }
}

/// A transaction begun on a connection to the database at `url`, then `postgres` or `sqlite`
/// run in it, until released.
pub fn hold_on(url: &str, postgres: &str, sqlite: &str) -> HeldLock {
    if url.starts_with("postgres") {
        let mut conn = cadre_records::db::establish_postgres(url).expect("connect");
        conn.batch_execute(&format!("BEGIN; {postgres};")).expect("lock taken");
        HeldLock::Postgres(conn)
    } else {
        let mut conn = diesel::SqliteConnection::establish(url).expect("connect");
        conn.batch_execute(&format!("PRAGMA busy_timeout = 5000; BEGIN IMMEDIATE; {sqlite}"))
            .expect("write lock taken");
        HeldLock::Sqlite(conn)
    }
}

impl HeldLock {
    /// Releases the lock once `waiting` requests wait for a lock ([`HeldLock::wait_for`]).
    pub async fn release_when_waiting(mut self, waiting: i64) {
        self.wait_for(waiting).await;
        self.release();
    }

    /// Returns once `waiting` requests wait for a lock: on PostgreSQL, when the server shows
    /// that many sessions waiting (or after 10 s, for the assertions to report); SQLite shows
    /// no waiters, so after a pause that lets requests reach their `BEGIN IMMEDIATE` (which
    /// waits up to the service's busy_timeout).
    pub async fn wait_for(&mut self, waiting: i64) {
        match self {
            HeldLock::Postgres(conn) => {
                #[derive(diesel::QueryableByName)]
                struct Waiting {
                    #[diesel(sql_type = diesel::sql_types::BigInt)]
                    n: i64,
                }
                for _ in 0..500 {
                    let now: Waiting = diesel::RunQueryDsl::get_result(
                        diesel::sql_query(
                            "SELECT count(*)::bigint AS n FROM pg_stat_activity \
                             WHERE datname = current_database() AND wait_event_type = 'Lock'",
                        ),
                        conn,
                    )
                    .expect("count waiters");
                    if now.n >= waiting {
                        break;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                }
            }
            HeldLock::Sqlite(_) => tokio::time::sleep(std::time::Duration::from_millis(300)).await,
        }
    }

    /// Releases the lock.
    pub fn release(self) {
        match self {
            HeldLock::Postgres(mut conn) => conn.batch_execute("COMMIT").expect("released"),
            HeldLock::Sqlite(mut conn) => conn.batch_execute("COMMIT").expect("released"),
        }
    }
}

/// The media type of an XLSX workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A downloaded file.
pub struct File {
    pub content_type: String,
    pub disposition: String,
    pub bytes: Vec<u8>,
}

impl File {
    /// The rows of a CSV file, read back by the `csv` crate (it must be UTF-8 with a BOM).
    pub fn csv(&self) -> Vec<Vec<String>> {
        assert_eq!(self.content_type, "text/csv; charset=utf-8");
        assert!(self.bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with a BOM");
        parse_csv(std::str::from_utf8(&self.bytes[3..]).expect("UTF-8"))
    }

    /// The cells of the first sheet of an XLSX file, read back by calamine.
    pub fn xlsx(&self) -> Vec<Vec<calamine::Data>> {
        use calamine::Reader;
        assert_eq!(self.content_type, XLSX);
        let mut workbook: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(self.bytes.clone())).expect("an XLSX workbook");
        let range = workbook
            .worksheet_range_at(0)
            .expect("a first sheet")
            .expect("readable");
        range.rows().map(<[calamine::Data]>::to_vec).collect()
    }
}

/// Reads CSV text back with the `csv` crate, a row of fields each.
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|record| record.expect("a CSV record").iter().map(str::to_owned).collect())
        .collect()
}

/// Two clients that each create officials in `unit`, one after another, until stopped,
/// keeping the codes (`{prefix}{writer}-{n}`) of those answered 201: what a database copied
/// or backed up meanwhile must hold.
pub struct Writers {
    acknowledged: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    handles: Vec<tokio::task::JoinHandle<()>>,
}

impl Writers {
    pub fn start(app: &TestApp, unit: i64, prefix: &str) -> Writers {
        let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let handles = (0..2)
            .map(|writer| {
                let (client, address, token) = (app.client.clone(), app.address.clone(), app.admin_token.clone());
                let (acknowledged, stop, prefix) = (acknowledged.clone(), stop.clone(), prefix.to_owned());
                tokio::spawn(async move {
                    let mut n = 0;
                    while !stop.load(Ordering::SeqCst) {
                        let code = format!("{prefix}{writer}-{n:04}");
                        let response = client
                            .post(format!("{address}/api/v1/officials"))
                            .bearer_auth(&token)
                            .json(&json!({"code": code, "full_name": "Nguyễn Văn An", "gender": "male",
                                          "unit_id": unit, "category": "cadre"}))
                            .send()
                            .await
                            .expect("answered");
                        assert_eq!(response.status(), StatusCode::CREATED);
                        acknowledged.lock().unwrap().push(code);
                        n += 1;
                    }
                })
            })
            .collect();
        Writers {
            acknowledged,
            stop,
            handles,
        }
    }

    /// How many writes were acknowledged so far.
    pub fn count(&self) -> usize {
        self.acknowledged.lock().unwrap().len()
    }

    /// The codes acknowledged so far.
    pub fn acknowledged(&self) -> Vec<String> {
        self.acknowledged.lock().unwrap().clone()
    }

    /// Waits until `n` writes were acknowledged.
    pub async fn wait_for(&self, n: usize) {
        while self.count() < n {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }

    /// Stops the clients after their write in flight; returns how many were acknowledged.
    pub async fn stop(self) -> usize {
        self.stop.store(true, Ordering::SeqCst);
        let written = std::sync::Arc::clone(&self.acknowledged);
        for handle in self.handles {
            handle.await.expect("a writer panicked");
        }
        let count = written.lock().unwrap().len();
        count
    }
}
