//! Backups of a SQLite database taken while the service serves, and putting one back.
//! (PostgreSQL's are `pg_dump` and `pg_restore`'s: README, Operations.)

use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

/// What a check of a database file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The file's size in bytes.
    pub bytes: u64,
    /// The migrations applied to it.
    pub migrations: i64,
    /// The officials it holds.
    pub officials: i64,
}

/// Copies the SQLite database `database` into the new file `target` while others keep
/// reading and writing it: `VACUUM INTO` copies one snapshot (a read transaction, which WAL
/// lets writers go on beside) and compacts it. The copy is then checked ([`check`]); a
/// target that exists is refused, never overwritten.
pub fn backup(database: &str, target: &Path) -> Result<Checked, String> {
    if target.exists() {
        return Err(format!("{} exists: a backup never overwrites a file", target.display()));
    }
    let mut conn = open_existing(database)?;
    conn.batch_execute("PRAGMA busy_timeout = 5000;")
        .map_err(|e| e.to_string())?;
    diesel::sql_query("VACUUM INTO ?")
        .bind::<diesel::sql_types::Text, _>(path_text(target)?)
        .execute(&mut conn)
        .map_err(|e| format!("the backup failed: {e}"))?;
    check(target)
}

/// Puts the backup `source` in place of the SQLite database `database`. Refuses a source
/// that is not a sound database of this service ([`check`]), a database that any process
/// has open (a running service: stop it first), and, unless `force`, a database that
/// exists. The backup is copied beside the database, checked, then renamed over it: a
/// restore cut short leaves the database as it was.
pub fn restore(database: &str, source: &Path, force: bool) -> Result<Checked, String> {
    let checked = check(source)?;
    let target = Path::new(database);
    if target.exists() {
        if !force {
            return Err(format!(
                "{database} exists: restore --force replaces it (it is lost unless backed up)"
            ));
        }
        ensure_unused(database)?;
    }
    let partial = sibling(target, "-restoring");
    remove_if_there(&partial)?;
    let mut conn = open_existing(&path_text(source)?)?;
    diesel::sql_query("VACUUM INTO ?")
        .bind::<diesel::sql_types::Text, _>(path_text(&partial)?)
        .execute(&mut conn)
        .map_err(|e| format!("the restore failed: {e}"))?;
    drop(conn);
    check(&partial)?;
    // The database's own journal files belong to the database being replaced.
    for suffix in ["-wal", "-shm"] {
        remove_if_there(&sibling(target, suffix))?;
    }
    std::fs::rename(&partial, target).map_err(|e| format!("cannot put the backup in place: {e}"))?;
    Ok(checked)
}

/// Checks a database file: SQLite's `integrity_check` finds it sound, and it is this
/// service's (it has applied migrations, and officials can be counted).
pub fn check(path: &Path) -> Result<Checked, String> {
    #[derive(QueryableByName)]
    struct Line {
        #[diesel(sql_type = diesel::sql_types::Text)]
        integrity_check: String,
    }
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = open_existing(&path_text(path)?)?;
    let lines: Vec<Line> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut conn)
        .map_err(|e| format!("{} is not a SQLite database: {e}", path.display()))?;
    if lines.len() != 1 || lines[0].integrity_check != "ok" {
        let found: Vec<String> = lines.into_iter().take(5).map(|l| l.integrity_check).collect();
        return Err(format!("{} is damaged: {}", path.display(), found.join("; ")));
    }
    let mut count = |sql: &str| {
        diesel::sql_query(sql)
            .get_result::<Count>(&mut conn)
            .map(|c| c.n)
            .map_err(|e| format!("{} is not a cadre-records database: {e}", path.display()))
    };
    let migrations = count("SELECT count(*) AS n FROM __diesel_schema_migrations")?;
    let officials = count("SELECT count(*) AS n FROM officials")?;
    let bytes = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    Ok(Checked {
        bytes,
        migrations,
        officials,
    })
}

/// Fails when any process has the database open. A connection in exclusive locking mode
/// must lock the file before its first read, which it cannot while another connection has
/// the database open in WAL mode; it gives up at once rather than wait.
fn ensure_unused(database: &str) -> Result<(), String> {
    let mut conn = open_existing(database)?;
    conn.batch_execute("PRAGMA busy_timeout = 0; PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;")
        .map_err(|_| format!("{database} is in use (is the service running?): stop it before a restore"))
}

/// A connection to a SQLite file that exists (connecting would create a missing one).
fn open_existing(path: &str) -> Result<SqliteConnection, String> {
    if !Path::new(path).is_file() {
        return Err(format!("{path}: no such database file"));
    }
    SqliteConnection::establish(path).map_err(|e| format!("cannot open {path}: {e}"))
}

fn path_text(path: &Path) -> Result<String, String> {
    path.to_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("{} is not a UTF-8 path", path.display()))
}

/// `path` with `suffix` added to its file name (`cadre.db` → `cadre.db-wal`).
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_if_there(path: &Path) -> Result<(), String> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(format!("cannot remove {}: {e}", path.display())),
        _ => Ok(()),
    }
}
