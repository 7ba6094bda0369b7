//! One database layer over SQLite and PostgreSQL: the connection enum, the pool,
//! migrations, and the transaction seam. Dialect-specific code lives here only.

mod audit;
pub mod backup;
pub mod copy;
pub mod schema;

use std::time::Duration;

use actix_web::web;
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{ManageConnection, Pool};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::ApiError;
pub use audit::{Actor, Audit};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A connection to either backend; queries are written once against it.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Postgresql(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// Which backend a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

/// Where the database is, parsed from `DATABASE_URL`.
#[derive(Clone)]
pub struct DbUrl {
    backend: Backend,
    url: String,
}

impl DbUrl {
    /// `postgres://…` or `postgresql://…` is PostgreSQL; anything else is a SQLite
    /// file path, with or without a `sqlite://` prefix.
    pub fn parse(raw: &str) -> Self {
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            let url = if raw.contains("connect_timeout=") {
                raw.to_owned()
            } else if raw.contains('?') {
                format!("{raw}&connect_timeout=5")
            } else {
                format!("{raw}?connect_timeout=5")
            };
            DbUrl {
                backend: Backend::Postgres,
                url,
            }
        } else {
            let path = raw
                .strip_prefix("sqlite://")
                .or_else(|| raw.strip_prefix("sqlite:"))
                .unwrap_or(raw);
            DbUrl {
                backend: Backend::Sqlite,
                url: path.to_owned(),
            }
        }
    }
}

impl DbUrl {
    /// The SQLite file's path; `None` for PostgreSQL.
    pub fn sqlite_path(&self) -> Option<&str> {
        (self.backend == Backend::Sqlite).then_some(self.url.as_str())
    }
}

impl std::fmt::Debug for DbUrl {
    // A PostgreSQL URL may hold a password: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.backend {
            Backend::Sqlite => write!(f, "sqlite:{}", self.url),
            Backend::Postgres => match url::Url::parse(&self.url) {
                Ok(mut parsed) => {
                    if parsed.password().is_some() {
                        let _ = parsed.set_password(Some("***"));
                    }
                    write!(f, "{parsed}")
                }
                Err(_) => f.write_str("postgres://(unparsable)"),
            },
        }
    }
}

/// Why a connection could not be made or set up.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("cannot connect: {0}")]
    Connect(#[from] diesel::ConnectionError),
    #[error("cannot set up the connection: {0}")]
    Setup(#[from] diesel::result::Error),
}

/// Opens a PostgreSQL connection. Every PostgreSQL connection of the process is opened here,
/// so that the OpenSSL libpq uses is first initialised without its clean-up at exit: the
/// pool's and the server's worker threads may still close TLS connections while the process
/// exits, and OpenSSL's `atexit` clean-up would free what they use under them (an intermittent
/// segfault at exit: diesel-rs/diesel#3441). The initialisation runs once.
pub fn establish_postgres(url: &str) -> ConnectionResult<diesel::PgConnection> {
    openssl_sys::init();
    diesel::PgConnection::establish(url)
}

/// Opens connections for r2d2, picking the backend from the URL so that the real
/// connection error reaches the log.
pub struct Manager {
    url: DbUrl,
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = ConnectError;

    fn connect(&self) -> Result<DbConn, ConnectError> {
        match self.url.backend {
            Backend::Postgres => {
                let mut conn = establish_postgres(&self.url.url)?;
                // No JIT compilation: the reports' plans are costed high enough to trigger it,
                // and compiling them took 0.35–0.45 s a report at 3,000,000 officials (a
                // province's training results 1.48 s with it, 1.05 s without; benches/RESULTS.md).
                conn.batch_execute("SET jit = off")?;
                Ok(DbConn::Postgresql(conn))
            }
            Backend::Sqlite => {
                let mut conn = diesel::SqliteConnection::establish(&self.url.url)?;
                // busy_timeout first, so that the pragmas below wait for a busy database too.
                conn.batch_execute("PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;")?;
                Ok(DbConn::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), ConnectError> {
        conn.batch_execute("SELECT 1").map_err(ConnectError::Setup)
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

/// The pool and the one gateway from async handlers to blocking database work.
#[derive(Clone)]
pub struct Db {
    pool: Pool<Manager>,
}

impl Db {
    /// Builds the pool without connecting: the service starts even while the
    /// database is down, and `/health` says so. A request waits up to 5 s for a connection.
    pub fn new(url: &DbUrl) -> Self {
        Db::with_connection_timeout(url, Duration::from_secs(5))
    }

    /// The same, waiting up to `timeout` for a connection before a request is refused (503).
    pub fn with_connection_timeout(url: &DbUrl, timeout: Duration) -> Self {
        Db::build(url, timeout, None)
    }

    /// [`Db::new`], telling `events` of every connection taken and every wait that ran out
    /// (the service's metrics).
    pub fn observed(url: &DbUrl, events: impl diesel::r2d2::HandleEvent + 'static) -> Self {
        Db::build(url, Duration::from_secs(5), Some(Box::new(events)))
    }

    fn build(url: &DbUrl, timeout: Duration, events: Option<Box<dyn diesel::r2d2::HandleEvent>>) -> Self {
        let size = match url.backend {
            Backend::Postgres => 10,
            Backend::Sqlite => 8,
        };
        // A SQLite file cannot drop a connection: checking each one out with a query only
        // doubles the queries of a request. A PostgreSQL connection can break, so it is tested.
        let pool = Pool::builder()
            .max_size(size)
            .min_idle(Some(0))
            .test_on_check_out(url.backend == Backend::Postgres)
            .connection_timeout(timeout);
        let pool = match events {
            Some(events) => pool.event_handler(events),
            None => pool,
        }
        .build_unchecked(Manager { url: url.clone() });
        Db { pool }
    }

    /// The connections the pool holds now, and how many of them are idle.
    pub fn pool_state(&self) -> (u32, u32) {
        let state = self.pool.state();
        (state.connections, state.idle_connections)
    }

    /// The most connections the pool opens.
    pub fn max_connections(&self) -> usize {
        self.pool.max_size() as usize
    }

    /// A connection for synchronous work (start-up, CLI commands).
    pub fn connection(&self) -> Result<diesel::r2d2::PooledConnection<Manager>, ApiError> {
        Ok(self.pool.get()?)
    }

    /// Runs read-only work on the blocking pool.
    pub async fn run<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
    {
        let pool = self.pool.clone();
        web::block(move || {
            let mut conn = pool.get()?;
            work(&mut conn)
        })
        .await?
    }

    /// Runs writes that belong together in one transaction on the blocking pool, audited in
    /// `actor`'s name ([`audited`]).
    pub async fn write<T, F>(&self, actor: Actor, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn, &mut Audit) -> Result<T, ApiError> + Send + 'static,
    {
        self.run(move |conn| audited(conn, actor, work)).await
    }

    /// Runs read-only work for `principal` on the blocking pool, after checking them on the
    /// same connection ([`Principal::check`]); the work gets what the check grants.
    pub async fn run_as<P, T, F>(&self, principal: &P, work: F) -> Result<T, ApiError>
    where
        P: Principal,
        T: Send + 'static,
        F: FnOnce(&mut DbConn, &P::Grant) -> Result<T, ApiError> + Send + 'static,
    {
        let principal = principal.clone();
        self.run(move |conn| {
            let grant = principal.check(conn)?;
            work(conn, &grant)
        })
        .await
    }

    /// Runs writes for `principal` in one audited transaction ([`audited`], in their name),
    /// after checking them inside it; the work gets what the check grants.
    pub async fn write_as<P, T, F>(&self, principal: &P, work: F) -> Result<T, ApiError>
    where
        P: Principal,
        T: Send + 'static,
        F: FnOnce(&mut DbConn, &mut Audit, &P::Grant) -> Result<T, ApiError> + Send + 'static,
    {
        let principal = principal.clone();
        self.write(principal.actor(), move |conn, audit| {
            let grant = principal.check(conn)?;
            work(conn, audit, &grant)
        })
        .await
    }
}

/// Whoever work runs for, checked on the work's own connection before it starts: the
/// database layer runs the check it is given and knows nothing of users or roles.
pub trait Principal: Clone + Send + 'static {
    /// What a passed check grants the work (where the caller's rights reach).
    type Grant;

    /// Checks the principal on `conn`; an error refuses the work.
    fn check(&self, conn: &mut DbConn) -> Result<Self::Grant, ApiError>;

    /// The principal as the audit log names them.
    fn actor(&self) -> Actor;
}

/// Runs `work` in one write transaction ([`write_transaction`]), with the audit entries it
/// records inserted in the same transaction; a write that records none fails. Every write
/// of the service, the API's and the start-up's and the seeders', goes through here.
pub fn audited<T, F>(conn: &mut DbConn, actor: Actor, work: F) -> Result<T, ApiError>
where
    F: FnOnce(&mut DbConn, &mut Audit) -> Result<T, ApiError>,
{
    write_transaction(conn, |conn| {
        let mut audit = Audit::new(actor);
        let outcome = work(conn, &mut audit)?;
        audit.commit(conn)?;
        Ok(outcome)
    })
}

/// One write transaction, and how writes stay correct when they run at once.
///
/// Every write reads something and then writes in the light of it (a version, an open
/// assignment, a path, the seats left). Two such writes must not both act on what they
/// read before the other's change, so each one **locks what it reads first**:
///
/// - On SQLite the transaction begins IMMEDIATE, which takes the database's single write
///   lock at `BEGIN`: writers run one at a time, and what one reads stays true until it
///   commits. (A deferred transaction that later upgrades to a write would also fail with
///   SQLITE_BUSY at once, ignoring busy_timeout.)
/// - On PostgreSQL writers run side by side at READ COMMITTED, so a write locks the rows it
///   is about to read with [`lock_row`] (`SELECT … FOR NO KEY UPDATE`) before reading them;
///   a second writer of the same row waits at its own lock, then reads the committed
///   result. Changes to the shape of the unit tree, which a move reads across many rows,
///   take one lock for the whole tree ([`lock_named`]). Locks are taken in one order
///   (the tree, then officials, then classes, then enrollments, then the rest) so that two
///   writers never wait for each other.
///
/// Updates also carry the version they expect (`WHERE version = $n`): an `If-Match` is
/// checked by the UPDATE itself.
pub fn write_transaction<T, E, F>(conn: &mut DbConn, work: F) -> Result<T, E>
where
    E: From<diesel::result::Error>,
    F: FnOnce(&mut DbConn) -> Result<T, E>,
{
    if let DbConn::Sqlite(sqlite) = conn {
        let _turn = SQLITE_WRITERS.enter(SQLITE_WRITER_WAIT);
        AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
        let outcome = work(conn);
        if let DbConn::Sqlite(sqlite) = conn {
            match &outcome {
                Ok(_) => AnsiTransactionManager::commit_transaction(sqlite)?,
                Err(_) => AnsiTransactionManager::rollback_transaction(sqlite)?,
            }
        }
        outcome
    } else {
        conn.transaction(work)
    }
}

/// How long a SQLite writer waits its turn in the process before it falls back on SQLite's
/// own waiting (`busy_timeout`): as long as that.
const SQLITE_WRITER_WAIT: Duration = Duration::from_secs(5);

/// The writers of this process take turns at SQLite's single write lock here, where a
/// finished writer wakes the next at once. Left to SQLite, a writer that finds the lock taken
/// sleeps in growing steps (up to 100 ms) and may be overtaken again and again: with eight
/// writers at once, the slowest waited close to a second (benches/RESULTS.md, the processing
/// log). Another process's writers still meet `busy_timeout`.
static SQLITE_WRITERS: WriterTurns = WriterTurns::new();

/// A lock with a bounded wait: see [`SQLITE_WRITERS`].
struct WriterTurns {
    taken: std::sync::Mutex<bool>,
    freed: std::sync::Condvar,
}

/// A writer's turn, given back when dropped; none when the wait ran out.
struct Turn(Option<&'static WriterTurns>);

impl WriterTurns {
    const fn new() -> Self {
        WriterTurns {
            taken: std::sync::Mutex::new(false),
            freed: std::sync::Condvar::new(),
        }
    }

    /// Waits up to `wait` for the turn.
    fn enter(&'static self, wait: Duration) -> Turn {
        let deadline = std::time::Instant::now() + wait;
        let mut taken = self.taken.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        while *taken {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return Turn(None);
            }
            taken = self
                .freed
                .wait_timeout(taken, left)
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0;
        }
        *taken = true;
        Turn(Some(self))
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        if let Some(turns) = self.0 {
            *turns.taken.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = false;
            turns.freed.notify_one();
        }
    }
}

/// The tables whose rows a write locks before it reads them ([`lock_row`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Classes,
    Courses,
    Enrollments,
    LoginThrottles,
    Officials,
    PlanItems,
    PlanNeeds,
    Plans,
    Positions,
    Units,
    Users,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Classes => "classes",
            Table::Courses => "courses",
            Table::Enrollments => "enrollments",
            Table::LoginThrottles => "login_throttles",
            Table::Officials => "officials",
            Table::PlanItems => "plan_items",
            Table::PlanNeeds => "plan_needs",
            Table::Plans => "plans",
            Table::Positions => "positions",
            Table::Units => "units",
            Table::Users => "users",
        }
    }
}

/// Locks the row `id` of `table` until the write transaction ends, so that what the write
/// reads of it next stays true until it commits (see [`write_transaction`]). Locking a row
/// that does not exist locks nothing; the read that follows reports it missing.
///
/// `FOR NO KEY UPDATE` is the lock PostgreSQL's own UPDATE takes: it excludes other writers
/// of the row but not the foreign-key checks of rows that refer to it. On SQLite the write
/// transaction already holds the database's write lock.
pub fn lock_row(conn: &mut DbConn, table: Table, id: i64) -> QueryResult<()> {
    if let DbConn::Postgresql(pg) = conn {
        diesel::sql_query(format!(
            "SELECT 1 FROM {} WHERE id = $1 FOR NO KEY UPDATE",
            table.name()
        ))
        .bind::<diesel::sql_types::BigInt, _>(id)
        .execute(pg)?;
    }
    Ok(())
}

/// Locks the rows `ids` of `table` as [`lock_row`] locks one, in the order of their ids (so
/// that two writers locking overlapping sets never wait for each other in a circle), a
/// statement per ten thousand.
pub fn lock_rows(conn: &mut DbConn, table: Table, ids: &[i64]) -> QueryResult<()> {
    if let DbConn::Postgresql(pg) = conn {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        for chunk in ids.chunks(10_000) {
            diesel::sql_query(format!(
                "SELECT 1 FROM {} WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE",
                table.name()
            ))
            .bind::<diesel::sql_types::Array<diesel::sql_types::BigInt>, _>(chunk)
            .execute(pg)?;
        }
    }
    Ok(())
}

/// A lock that stands for something bigger than a row: one row of `locks` each.
#[derive(Debug, Clone, Copy)]
pub enum NamedLock {
    /// The shape of the unit tree: creating, moving and deleting units read paths across the
    /// tree, and two moves that each read the other's old path could otherwise put two units
    /// under each other.
    UnitTree,
    /// The kept workforce counts (`workforce_counts`): the reports that fill them do it one
    /// at a time, so that two never write the same rows.
    WorkforceCounts,
}

/// Takes `lock` until the write transaction ends. On SQLite the write transaction already
/// holds the database's write lock.
pub fn lock_named(conn: &mut DbConn, lock: NamedLock) -> QueryResult<()> {
    if let DbConn::Postgresql(pg) = conn {
        let name = match lock {
            NamedLock::UnitTree => "unit_tree",
            NamedLock::WorkforceCounts => "workforce_counts",
        };
        diesel::sql_query("SELECT 1 FROM locks WHERE name = $1 FOR UPDATE")
            .bind::<diesel::sql_types::Text, _>(name)
            .execute(pg)?;
    }
    Ok(())
}

/// The key of PostgreSQL's advisory lock that migrations are applied under (the bytes of
/// "cadre-mg").
pub const MIGRATION_LOCK: i64 = 0x6361_6472_652d_6d67;

/// Applies the pending migrations of the backend in use; returns how many ran. Instances
/// started at once apply them one after the other — on PostgreSQL under an advisory lock, on
/// SQLite under a lock on the file `<database>-migrate.lock` beside it — so that the first
/// applies them and the others find none pending.
pub fn migrate(conn: &mut DbConn) -> Result<usize, String> {
    migrate_then(conn, |_| Ok(()))
}

/// [`migrate`], then `then` under the same lock: what only the first instance to start may do
/// (create the first admin).
pub fn migrate_then(conn: &mut DbConn, then: impl FnOnce(&mut DbConn) -> Result<(), String>) -> Result<usize, String> {
    let alone = |conn: &mut DbConn| {
        let applied = migrate_alone(conn)?;
        then(conn)?;
        Ok(applied)
    };
    match conn {
        DbConn::Postgresql(pg) => {
            pg.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))
                .map_err(|e| format!("cannot take the migrations' lock: {e}"))?;
            let migrated = alone(conn);
            // A session's advisory lock outlives its transactions: given back even on failure
            // (and by PostgreSQL when the connection closes).
            if let DbConn::Postgresql(pg) = conn {
                pg.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))
                    .map_err(|e| format!("cannot give the migrations' lock back: {e}"))?;
            }
            migrated
        }
        DbConn::Sqlite(sqlite) => {
            let _lock = match sqlite_file(sqlite).map_err(|e| e.to_string())? {
                // Not SQLite's own file: closing any handle on that file would drop the locks
                // SQLite holds on it in this process (POSIX locks are per process and file).
                Some(path) => Some(lock_file(&format!("{path}-migrate.lock"))?),
                None => None,
            };
            alone(conn)
        }
    }
}

/// The file a SQLite connection's main database lives in; `None` in memory.
fn sqlite_file(conn: &mut diesel::SqliteConnection) -> QueryResult<Option<String>> {
    #[derive(QueryableByName)]
    struct Database {
        #[diesel(sql_type = diesel::sql_types::Text)]
        file: String,
    }
    let main: Database =
        diesel::sql_query("SELECT file FROM pragma_database_list WHERE name = 'main'").get_result(conn)?;
    Ok(Some(main.file).filter(|file| !file.is_empty()))
}

/// An exclusive lock on the file at `path` (created if need be), held until dropped; waits
/// for another process holding it.
fn lock_file(path: &str) -> Result<std::fs::File, String> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| format!("cannot open the migrations' lock {path}: {e}"))?;
    file.lock()
        .map_err(|e| format!("cannot take the migrations' lock {path}: {e}"))?;
    Ok(file)
}

/// [`migrate`]'s work, once its lock is held.
fn migrate_alone(conn: &mut DbConn) -> Result<usize, String> {
    let applied = match conn {
        DbConn::Postgresql(pg) => pg.run_pending_migrations(POSTGRES_MIGRATIONS).map(|v| v.len()),
        DbConn::Sqlite(sqlite) => {
            // WAL is a property of the file: set once, it stays.
            sqlite
                .batch_execute("PRAGMA journal_mode = WAL;")
                .map_err(|e| e.to_string())?;
            sqlite.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len())
        }
    };
    let applied = applied.map_err(|e| e.to_string())?;
    let filled = fill_given_name_keys(conn).map_err(|e| e.to_string())?;
    if filled > 0 {
        tracing::info!(officials = filled, "people's name order filled in");
    }
    let words = fill_search_words(conn).map_err(|e| e.to_string())?;
    if words > 0 {
        tracing::info!(words, "search index filled in");
    }
    Ok(applied)
}

/// How many of this build's migrations the database has not applied (one read of diesel's
/// record of them): 0 once this or a newer build migrated it.
pub fn pending_migrations(conn: &mut DbConn) -> Result<usize, ApiError> {
    let pending = match conn {
        DbConn::Postgresql(pg) => pg.pending_migrations(POSTGRES_MIGRATIONS).map(|v| v.len()),
        DbConn::Sqlite(sqlite) => sqlite.pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
    };
    pending.map_err(ApiError::Internal)
}

/// Fills the name order ([`crate::domain::given_name_key`]) of the people written before the
/// service computed it (migration 27 leaves it ''), ten thousand at a time; returns how many.
/// Nothing to do is one look into the index.
fn fill_given_name_keys(conn: &mut DbConn) -> QueryResult<usize> {
    use schema::officials;
    let mut filled = 0;
    loop {
        let batch: Vec<(i64, String)> = officials::table
            .filter(officials::given_name_key.eq(""))
            .select((officials::id, officials::full_name))
            .order_by(officials::id)
            .limit(10_000)
            .load(conn)?;
        if batch.is_empty() {
            return Ok(filled);
        }
        let (ids, keys): (Vec<i64>, Vec<String>) = batch
            .iter()
            .map(|(id, name)| (*id, crate::domain::given_name_key(name)))
            .unzip();
        match conn {
            // One statement a batch: the officials' statement triggers run once.
            DbConn::Postgresql(pg) => {
                diesel::sql_query(
                    "UPDATE officials o SET given_name_key = v.k FROM unnest($1, $2) AS v(id, k) WHERE o.id = v.id",
                )
                .bind::<diesel::sql_types::Array<diesel::sql_types::BigInt>, _>(&ids)
                .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(&keys)
                .execute(pg)?;
            }
            DbConn::Sqlite(sqlite) => sqlite.transaction(|sqlite| {
                for (id, key) in ids.iter().zip(&keys) {
                    diesel::update(officials::table.find(id))
                        .set(officials::given_name_key.eq(key))
                        .execute(sqlite)?;
                }
                QueryResult::Ok(())
            })?,
        }
        filled += batch.len();
    }
}

/// Fills the index of words search reads (`search_words`, migration 28) when it is empty
/// and there are records to index: after the migration, for the records written before it.
/// Nothing to do is two looks into indexes.
fn fill_search_words(conn: &mut DbConn) -> QueryResult<usize> {
    use schema::{search_words, units};
    let indexed =
        diesel::select(diesel::dsl::exists(search_words::table.select(search_words::kind))).get_result::<bool>(conn)?;
    if indexed || !diesel::select(diesel::dsl::exists(units::table.select(units::id))).get_result::<bool>(conn)? {
        return Ok(0);
    }
    index_search_words(conn)
}

/// The region of the unit whose path (`/1/52/301/`) is the SQL expression `path`, in
/// SQLite's functions: the path's second id, if it has one (PostgreSQL's `unit_region`,
/// migration 31, whose SQLite triggers write out the same).
fn sqlite_unit_region(path: &str) -> String {
    let ids = format!("substr({path}, 2)");
    let rest = format!("substr({ids}, instr({ids}, '/') + 1)");
    format!(
        "CASE WHEN instr({rest}, '/') > 0 THEN CAST(substr({ids}, instr({ids}, '/') + 1, instr({rest}, '/') - 1) AS INTEGER) END"
    )
}

/// Writes the index of words search reads afresh, from every record: after a bulk load that
/// ran without its triggers. One statement, the words split as the triggers split them;
/// returns how many words it wrote.
pub fn index_search_words(conn: &mut DbConn) -> QueryResult<usize> {
    diesel::delete(schema::search_words::table).execute(conn)?;
    let sql = match conn {
        DbConn::Postgresql(_) => "\
            INSERT INTO search_words (kind, record_id, word, unit_id, sort_key, region_id) \
            SELECT 1, o.id, w, o.unit_id, o.given_name_key, unit_region(u.path) \
                FROM officials o JOIN units u ON u.id = o.unit_id, search_words_of(o.search_name, o.code) AS w \
            UNION ALL SELECT 2, o.id, o.national_id, o.unit_id, o.given_name_key, unit_region(u.path) \
                FROM officials o JOIN units u ON u.id = o.unit_id WHERE coalesce(o.national_id, '') <> '' \
            UNION ALL SELECT 3, r.id, w, NULL, NULL, NULL FROM units r, search_words_of(r.search_name, r.code) AS w \
            UNION ALL SELECT 4, r.id, w, NULL, NULL, NULL FROM positions r, search_words_of(r.search_title, r.code) AS w \
            UNION ALL SELECT 5, r.id, w, NULL, NULL, NULL FROM courses r, search_words_of(r.search_title, r.code) AS w \
            UNION ALL SELECT 6, r.id, w, NULL, NULL, NULL FROM classes r, search_words_of(r.search_name, r.code) AS w"
            .to_owned(),
        DbConn::Sqlite(_) => {
            // The triggers' split (migrations 28, 30 and 31), over each table; an official's
            // words carry the region their unit's path names.
            let region = sqlite_unit_region("u.path");
            let words = |kind: i16, table: &str, name: &str, placed: bool| {
                let text = format!("r.{name} || ' ' || lower(r.code)");
                let array = format!(
                    "'[\"' || replace(replace(replace({text}, '\\', '\\\\'), '\"', '\\\"'), ' ', '\",\"') || '\"]'"
                );
                let (columns, unit) = if placed {
                    (format!("r.unit_id, r.given_name_key, {region}"), " JOIN units u ON u.id = r.unit_id")
                } else {
                    ("NULL, NULL, NULL".to_owned(), "")
                };
                format!(
                    "SELECT {kind}, r.id, j.value, {columns} FROM {table} r{unit}, \
                     json_each(CASE WHEN json_valid({array}) THEN {array} ELSE '[]' END) j WHERE j.value <> ''"
                )
            };
            format!(
                "INSERT OR IGNORE INTO search_words (kind, record_id, word, unit_id, sort_key, region_id) {} \
                 UNION ALL SELECT 2, o.id, o.national_id, o.unit_id, o.given_name_key, {region} \
                 FROM officials o JOIN units u ON u.id = o.unit_id WHERE coalesce(o.national_id, '') <> '' \
                 UNION ALL {} UNION ALL {} UNION ALL {} UNION ALL {}",
                words(1, "officials", "search_name", true),
                words(3, "units", "search_name", false),
                words(4, "positions", "search_title", false),
                words(5, "courses", "search_title", false),
                words(6, "classes", "search_name", false),
            )
        }
    };
    diesel::sql_query(sql).execute(conn)
}

/// Runs read-only `work` in one transaction that sees the database as it stood when it
/// began, whatever commits meanwhile: a download read page by page writes every record once.
/// PostgreSQL's transaction is a repeatable read; SQLite's read transaction in WAL mode is a
/// snapshot already.
pub fn snapshot<T>(conn: &mut DbConn, work: impl FnOnce(&mut DbConn) -> Result<T, ApiError>) -> Result<T, ApiError> {
    conn.transaction(|conn| {
        if matches!(conn, DbConn::Postgresql(_)) {
            diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(conn)?;
        }
        work(conn)
    })
}

/// Inserts `rows` (a slice of `Insertable` structs that set every column) into `table`,
/// [`ROWS_PER_INSERT`] rows a statement, on whichever backend the connection is:
/// `MultiConnection` cannot build a multi-row INSERT itself, each backend's connection can.
/// Full chunks go as arrays, whose statement diesel prepares once and keeps (a slice's is
/// parsed again each time: 9 % of an import of 90,000 officials); the rest as a slice.
macro_rules! insert_many {
    ($conn:expr, $table:ident, $rows:expr) => {{
        let (full, rest) = $rows.as_chunks::<{ $crate::db::ROWS_PER_INSERT }>();
        for chunk in full {
            match &mut *$conn {
                $crate::db::DbConn::Postgresql(pg) => diesel::insert_into($table::table).values(chunk).execute(pg)?,
                $crate::db::DbConn::Sqlite(sqlite) => {
                    diesel::insert_into($table::table).values(chunk).execute(sqlite)?
                }
            };
        }
        if !rest.is_empty() {
            match &mut *$conn {
                $crate::db::DbConn::Postgresql(pg) => diesel::insert_into($table::table).values(rest).execute(pg)?,
                $crate::db::DbConn::Sqlite(sqlite) => {
                    diesel::insert_into($table::table).values(rest).execute(sqlite)?
                }
            };
        }
    }};
}
pub(crate) use insert_many;

/// How many rows one multi-row INSERT carries: within both backends' limits on bound values
/// (SQLite 32,766, PostgreSQL 65,535) for rows of up to 32 columns.
pub const ROWS_PER_INSERT: usize = 1000;

/// Drops the secondary indexes of `tables` (not the primary keys, nor the indexes behind
/// unique constraints) and returns the statements that create them again, read from the
/// catalogue: a bulk load into empty tables, then one sorted build per index, is far cheaper
/// than keeping every index in step row by row (the PostgreSQL manual's advice for
/// populating a database). [`create_again`] puts them back.
pub fn drop_secondary_indexes(conn: &mut DbConn, tables: &[&str]) -> QueryResult<Vec<String>> {
    #[derive(QueryableByName)]
    struct Index {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        definition: String,
    }
    let names = tables.iter().map(|t| format!("'{t}'")).collect::<Vec<_>>().join(", ");
    let sql = match conn {
        DbConn::Postgresql(_) => format!(
            "SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i \
             WHERE i.schemaname = current_schema() AND i.tablename IN ({names}) \
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname) ORDER BY i.indexname"
        ),
        // Indexes SQLite made for constraints have no SQL.
        DbConn::Sqlite(_) => format!(
            "SELECT name, sql AS definition FROM sqlite_master \
             WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({names}) ORDER BY name"
        ),
    };
    let indexes: Vec<Index> = diesel::sql_query(sql).load(conn)?;
    for index in &indexes {
        conn.batch_execute(&format!("DROP INDEX {}", index.name))?;
    }
    Ok(indexes.into_iter().map(|i| i.definition).collect())
}

/// Drops the triggers that raise the units' revisions (`unit_revisions`, read by the kept
/// workforce counts) and returns the statements that create them again: during a bulk load
/// their lookups of each official's assignments would run without the indexes dropped for
/// it. The caller creates them again ([`create_again`]) and empties what they guard.
pub fn drop_revision_triggers(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    #[derive(QueryableByName)]
    struct Trigger {
        #[diesel(sql_type = diesel::sql_types::Text)]
        statement: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        definition: String,
    }
    let sql = match conn {
        DbConn::Postgresql(_) => {
            "SELECT 'DROP TRIGGER ' || t.tgname || ' ON ' || c.relname AS statement, pg_get_triggerdef(t.oid) AS definition \
             FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
             WHERE NOT t.tgisinternal AND t.tgname LIKE '%revise%' ORDER BY t.tgname"
        }
        DbConn::Sqlite(_) => {
            "SELECT 'DROP TRIGGER ' || name AS statement, sql AS definition FROM sqlite_master \
             WHERE type = 'trigger' AND name LIKE '%revise%' ORDER BY name"
        }
    };
    let triggers: Vec<Trigger> = diesel::sql_query(sql).load(conn)?;
    for trigger in &triggers {
        conn.batch_execute(&trigger.statement)?;
    }
    Ok(triggers.into_iter().map(|t| t.definition).collect())
}

/// Creates again the indexes [`drop_secondary_indexes`] or the triggers
/// [`drop_revision_triggers`] dropped.
pub fn create_again(conn: &mut DbConn, definitions: &[String]) -> QueryResult<()> {
    for definition in definitions {
        conn.batch_execute(definition)?;
    }
    Ok(())
}

/// After rows were inserted with explicit ids, moves PostgreSQL's id sequences past them
/// (SQLite's AUTOINCREMENT follows explicit ids by itself).
pub fn sync_id_sequences(conn: &mut DbConn, tables: &[&str]) -> QueryResult<()> {
    if let DbConn::Postgresql(pg) = conn {
        for table in tables {
            move_id_sequence(pg, table, 0)?;
        }
    }
    Ok(())
}

/// Moves the id sequence of `table` so that the next id is past both the largest id the table
/// holds and `given` (the largest ever given, deleted rows' included).
pub fn move_id_sequence(pg: &mut diesel::PgConnection, table: &str, given: i64) -> QueryResult<()> {
    diesel::sql_query(format!(
        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
         GREATEST(COALESCE((SELECT MAX(id) FROM {table}), 0), $1) + 1, false)"
    ))
    .bind::<diesel::sql_types::BigInt, _>(given)
    .execute(pg)
    .map(|_| ())
}

/// Ids for `n` rows about to be inserted into `table` with explicit ids (multi-row inserts
/// whose rows refer to each other), inside a write transaction. On PostgreSQL the table's
/// sequence hands them out, so that other writers keep taking their own; SQLite has one
/// writer at a time, and they follow the largest id the table has ever given
/// (AUTOINCREMENT's record, so that not even a deleted record's id comes back).
pub fn reserve_ids(conn: &mut DbConn, table: &str, n: usize) -> QueryResult<Vec<i64>> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    if n == 0 {
        return Ok(Vec::new());
    }
    let count = i64::try_from(n).unwrap_or(i64::MAX);
    match conn {
        DbConn::Postgresql(pg) => {
            let ids: Vec<Id> = diesel::sql_query(format!(
                "SELECT nextval(pg_get_serial_sequence('{table}', 'id')) AS n FROM generate_series(1, $1)"
            ))
            .bind::<diesel::sql_types::BigInt, _>(count)
            .load(pg)?;
            Ok(ids.into_iter().map(|id| id.n).collect())
        }
        DbConn::Sqlite(sqlite) => {
            let last: Id = diesel::sql_query(format!(
                "SELECT CAST(MAX(COALESCE((SELECT MAX(id) FROM {table}), 0), \
                 COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0)) AS BIGINT) AS n"
            ))
            .get_result(sqlite)?;
            Ok((1..=count).map(|i| last.n + i).collect())
        }
    }
}

/// The largest id in a table, 0 when it is empty.
pub fn max_id(conn: &mut DbConn, table: &str) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct Max {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let row: Max =
        diesel::sql_query(format!("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) AS n FROM {table}")).get_result(conn)?;
    Ok(row.n)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::WriterTurns;

    /// One writer at a time: a second waits, gets the turn when the first gives it back, and
    /// one whose wait runs out goes on without it (SQLite's own waiting takes over).
    #[test]
    fn writers_take_turns_and_a_wait_that_runs_out_goes_on() {
        static TURNS: WriterTurns = WriterTurns::new();
        let first = TURNS.enter(Duration::from_secs(5));
        assert!(first.0.is_some());
        assert!(TURNS.enter(Duration::from_millis(1)).0.is_none(), "the turn is taken");
        let waiting = std::thread::spawn(|| TURNS.enter(Duration::from_secs(60)).0.is_some());
        drop(first);
        assert!(waiting.join().unwrap(), "the waiting writer got the turn given back");
        assert!(
            TURNS.enter(Duration::from_millis(1)).0.is_some(),
            "and gave it back in turn"
        );
    }
}
