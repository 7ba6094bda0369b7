//! `copy --from <sqlite> --to <postgres>`: a SQLite database moved into an empty PostgreSQL
//! one, every table (users and the audit log included), checked row by row at the end.
//!
//! - Both databases are first migrated by this build, so that they have the same tables and
//!   columns; the tables and their columns, keys and foreign keys are read from PostgreSQL's
//!   catalogue (a table a later migration adds is copied without a change here), and SQLite
//!   must have each of them with the same columns.
//! - The source is read in one read transaction: a snapshot, even while a service writes to it.
//! - The target is written in one transaction, with its tables' own triggers off (the search
//!   index, the kept counts and the revisions they fill are copied as they stand) and their
//!   secondary indexes dropped, then built again once the rows are in (1.25× faster at
//!   300,000 officials: benches/RESULTS.md); parents before children, each table in the
//!   order of its key. A table that refers to itself (the units' tree) goes in one statement,
//!   so that a parent with a larger id than its child is checked at the statement's end. Its
//!   id sequences then start past every id the source ever gave (SQLite's AUTOINCREMENT
//!   record, so that a deleted record's id never comes back).
//! - Every value is put into one canonical form on the way (integers, booleans, reals, text,
//!   dates, timestamps to the microsecond): a SHA-256 of each table's rows in that form, in key
//!   order, is taken from the source as it is read and from the target read back before the
//!   commit; a table whose count or checksum differs undoes the whole copy.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use diesel::connection::{DefaultLoadingMode, SimpleConnection};
use diesel::pg::PgRowByRowLoadingMode;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::DbConn;

/// Tables whose rows the migrations write on both backends (the named locks): checked equal,
/// not copied.
const SET_BY_MIGRATIONS: &[&str] = &["locks"];

/// Rows one INSERT carries (as one JSON parameter).
const ROWS_PER_STATEMENT: usize = 5_000;

/// How often a large table reports progress.
const PROGRESS_EVERY: u64 = 100_000;

/// One table as copied and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSum {
    pub table: String,
    pub rows: u64,
    /// SHA-256 of the rows in canonical form, in key order (hex).
    pub checksum: String,
}

/// What a copy did.
#[derive(Debug)]
pub struct Copied {
    /// Every table, in the order copied, with its rows and checksum (equal on both sides).
    pub tables: Vec<TableSum>,
    pub seconds: f64,
}

/// The kinds of value a column holds, each with one canonical form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Integer,
    Boolean,
    Real,
    Text,
    Date,
    Timestamp,
}

impl Kind {
    /// The kind of a PostgreSQL column type (`information_schema.columns.data_type`).
    fn of(data_type: &str) -> Option<Kind> {
        Some(match data_type {
            "smallint" | "integer" | "bigint" => Kind::Integer,
            "boolean" => Kind::Boolean,
            "double precision" | "real" => Kind::Real,
            "text" | "character varying" => Kind::Text,
            "date" => Kind::Date,
            "timestamp without time zone" => Kind::Timestamp,
            _ => return None,
        })
    }

    /// `value` (as either backend's JSON renders it) in canonical form.
    fn canonical(self, value: Value) -> Result<Value, String> {
        let wrong = |value: &Value| format!("{value} is not a {self:?} value");
        Ok(match (self, value) {
            (_, Value::Null) => Value::Null,
            (Kind::Integer, Value::Number(n)) if n.is_i64() => Value::Number(n),
            (Kind::Boolean, Value::Bool(b)) => Value::Bool(b),
            // SQLite keeps booleans as 0 and 1.
            (Kind::Boolean, Value::Number(n)) if n.as_i64() == Some(0) || n.as_i64() == Some(1) => {
                Value::Bool(n.as_i64() == Some(1))
            }
            (Kind::Real, Value::Number(n)) => {
                let real = n.as_f64().ok_or_else(|| wrong(&Value::Number(n.clone())))?;
                serde_json::Number::from_f64(real).map_or(Value::Null, Value::Number)
            }
            (Kind::Text, Value::String(s)) => Value::String(s),
            (Kind::Date, Value::String(s)) => {
                let day = chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| wrong(&Value::String(s)))?;
                Value::String(day.format("%Y-%m-%d").to_string())
            }
            (Kind::Timestamp, Value::String(s)) => {
                // SQLite's text has a space where PostgreSQL's JSON has a `T`.
                let at = chrono::NaiveDateTime::parse_from_str(&s, "%Y-%m-%d %H:%M:%S%.f")
                    .or_else(|_| chrono::NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M:%S%.f"))
                    .map_err(|_| wrong(&Value::String(s.clone())))?;
                if chrono::Timelike::nanosecond(&at) % 1_000 != 0 {
                    return Err(format!("{s} is finer than the microsecond PostgreSQL keeps"));
                }
                Value::String(at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string())
            }
            (_, value) => return Err(wrong(&value)),
        })
    }
}

/// A table as the catalogue describes it.
#[derive(Debug)]
struct Table {
    name: String,
    columns: Vec<(String, Kind)>,
    /// The key's columns (every column where there is no key), in the key's order.
    key: Vec<String>,
    refers_to_itself: bool,
}

impl Table {
    fn column_list(&self) -> String {
        self.columns
            .iter()
            .map(|(name, _)| name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `ORDER BY` of the key; on PostgreSQL text compares byte by byte, as SQLite's does.
    fn key_order(&self, postgres: bool) -> String {
        self.key
            .iter()
            .map(|column| {
                let text = self.columns.iter().any(|(c, kind)| c == column && *kind == Kind::Text);
                if postgres && text {
                    format!("{column} COLLATE \"C\"")
                } else {
                    column.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The query reading every row as a JSON array, in key order.
    fn read_sql(&self, postgres: bool) -> String {
        let array = if postgres { "json_build_array" } else { "json_array" };
        format!(
            "SELECT CAST({array}({}) AS TEXT) AS r FROM {} ORDER BY {}",
            self.column_list(),
            self.name,
            self.key_order(postgres)
        )
    }

    /// A row read as a JSON array, in canonical form.
    fn canonical_row(&self, json: &str) -> Result<Vec<Value>, String> {
        let values: Vec<Value> =
            serde_json::from_str(json).map_err(|e| format!("{}: a row did not read back: {e}", self.name))?;
        if values.len() != self.columns.len() {
            return Err(format!(
                "{}: a row has {} values, not {}",
                self.name,
                values.len(),
                self.columns.len()
            ));
        }
        values
            .into_iter()
            .zip(&self.columns)
            .map(|(value, (column, kind))| {
                kind.canonical(value)
                    .map_err(|e| format!("{}.{column}: {e}", self.name))
            })
            .collect()
    }
}

#[derive(QueryableByName)]
struct Json {
    #[diesel(sql_type = Text)]
    r: String,
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

/// The rows of one table, hashed as they pass in key order.
struct Sum {
    rows: u64,
    hash: Sha256,
}

impl Sum {
    fn new() -> Self {
        Sum {
            rows: 0,
            hash: Sha256::new(),
        }
    }

    fn add(&mut self, row: &[Value]) {
        self.rows += 1;
        self.hash
            .update(serde_json::to_string(row).unwrap_or_default().as_bytes());
        self.hash.update(b"\n");
    }

    fn finish(self, table: &str) -> TableSum {
        let digest = self.hash.finalize();
        TableSum {
            table: table.to_owned(),
            rows: self.rows,
            checksum: crate::domain::hex(&digest),
        }
    }
}

/// Copies the SQLite database at `from` into the empty PostgreSQL database at `to` (see the
/// module), telling `progress` how far it got.
pub fn copy(from: &str, to: &str, progress: &mut dyn FnMut(String)) -> Result<Copied, String> {
    let started = Instant::now();
    let (mut source, mut target) = open(from, to)?;
    let tables = tables(&mut target, &mut source)?;
    let filled: Vec<&str> = tables
        .iter()
        .filter(|t| !SET_BY_MIGRATIONS.contains(&t.name.as_str()))
        .filter_map(|t| match not_empty(&mut target, &t.name) {
            Ok(false) => None,
            Ok(true) => Some(Ok(t.name.as_str())),
            Err(e) => Some(Err(e)),
        })
        .collect::<Result<_, _>>()?;
    if !filled.is_empty() {
        return Err(format!(
            "the target is not empty ({} hold rows): copy only into a new database (createdb), which the copy migrates",
            filled.join(", ")
        ));
    }
    // The source's snapshot: SQLite's read transaction in WAL mode sees the database as it
    // stood at its first read, whatever is written meanwhile.
    source.batch_execute("BEGIN").map_err(|e| e.to_string())?;
    target.batch_execute("BEGIN").map_err(|e| e.to_string())?;
    let mut target = DbConn::Postgresql(target);
    let copied = copy_tables(&mut source, &mut target, &tables, progress);
    let ended = if copied.is_ok() { "COMMIT" } else { "ROLLBACK" };
    target
        .batch_execute(ended)
        .map_err(|e| format!("nothing was copied: the commit failed: {e}"))?;
    let _ = source.batch_execute("COMMIT");
    Ok(Copied {
        tables: copied?,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// The count and checksum of every table on each side (the source's, then the target's, in
/// the same order): what `copy` compares before it commits, for a comparison later.
pub fn compare(from: &str, to: &str) -> Result<(Vec<TableSum>, Vec<TableSum>), String> {
    let (mut source, mut target) = open(from, to)?;
    let tables = tables(&mut target, &mut source)?;
    let mut sources = Vec::new();
    let mut targets = Vec::new();
    source.batch_execute("BEGIN").map_err(|e| e.to_string())?;
    for table in &tables {
        sources.push(sum_of(&mut source, table)?);
        targets.push(sum_of(&mut target, table)?);
    }
    let _ = source.batch_execute("COMMIT");
    Ok((sources, targets))
}

/// Both connections, each database migrated by this build; refuses a source whose migrations
/// are not this build's.
fn open(from: &str, to: &str) -> Result<(diesel::SqliteConnection, diesel::PgConnection), String> {
    let url = super::DbUrl::parse(to);
    if url.backend != super::Backend::Postgres {
        return Err(format!("--to is a PostgreSQL URL (postgres://…), not {to:?}"));
    }
    let from_url = super::DbUrl::parse(from);
    let Some(path) = from_url.sqlite_path() else {
        return Err("--from is the SQLite database's file, not a PostgreSQL URL".to_owned());
    };
    if !std::path::Path::new(path).is_file() {
        return Err(format!("--from: no SQLite database at {path}"));
    }
    let sqlite = diesel::SqliteConnection::establish(path).map_err(|e| format!("--from: {e}"))?;
    let mut source = DbConn::Sqlite(sqlite);
    source
        .batch_execute("PRAGMA busy_timeout = 5000")
        .map_err(|e| e.to_string())?;
    super::migrate(&mut source).map_err(|e| format!("--from: migrating: {e}"))?;
    let pg = super::establish_postgres(&url.url).map_err(|e| format!("--to: {e}"))?;
    let mut target = DbConn::Postgresql(pg);
    super::migrate(&mut target).map_err(|e| format!("--to: migrating: {e}"))?;
    let (DbConn::Sqlite(mut source), DbConn::Postgresql(mut target)) = (source, target) else {
        return Err("the connections are not the backends opened".to_owned());
    };
    let versions = |names: Vec<Name>| names.into_iter().map(|n| n.name).collect::<BTreeSet<_>>();
    let read = "SELECT CAST(version AS TEXT) AS name FROM __diesel_schema_migrations";
    let at_source = versions(diesel::sql_query(read).load(&mut source).map_err(|e| e.to_string())?);
    let at_target = versions(diesel::sql_query(read).load(&mut target).map_err(|e| e.to_string())?);
    if at_source != at_target {
        let newer: Vec<&String> = at_source.difference(&at_target).collect();
        return Err(format!(
            "--from was migrated by a newer build (migrations {newer:?} are unknown to this one): copy with that build"
        ));
    }
    Ok((source, target))
}

/// The tables to copy, parents before children, read from PostgreSQL's catalogue and found
/// with the same columns in SQLite.
fn tables(target: &mut diesel::PgConnection, source: &mut diesel::SqliteConnection) -> Result<Vec<Table>, String> {
    #[derive(QueryableByName)]
    struct Column {
        #[diesel(sql_type = Text)]
        table_name: String,
        #[diesel(sql_type = Text)]
        column_name: String,
        #[diesel(sql_type = Text)]
        data_type: String,
    }
    #[derive(QueryableByName)]
    struct Key {
        #[diesel(sql_type = Text)]
        table_name: String,
        #[diesel(sql_type = Text)]
        column_name: String,
    }
    #[derive(QueryableByName)]
    struct Reference {
        #[diesel(sql_type = Text)]
        child: String,
        #[diesel(sql_type = Text)]
        parent: String,
    }
    let error = |e: diesel::result::Error| e.to_string();
    let columns: Vec<Column> = diesel::sql_query(
        "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name, c.data_type::text AS data_type \
         FROM information_schema.columns c JOIN information_schema.tables t \
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
           AND c.table_name <> '__diesel_schema_migrations' \
         ORDER BY c.table_name, c.ordinal_position",
    )
    .load(target)
    .map_err(error)?;
    let keys: Vec<Key> = diesel::sql_query(
        "SELECT c.relname::text AS table_name, a.attname::text AS column_name \
         FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid \
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) \
         WHERE i.indisprimary AND c.relnamespace = current_schema()::regnamespace \
         ORDER BY c.relname, array_position(i.indkey::int2[], a.attnum)",
    )
    .load(target)
    .map_err(error)?;
    let references: Vec<Reference> = diesel::sql_query(
        "SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent FROM pg_constraint \
         WHERE contype = 'f' AND connamespace = current_schema()::regnamespace",
    )
    .load(target)
    .map_err(error)?;
    let mut described: BTreeMap<String, Table> = BTreeMap::new();
    for column in columns {
        let kind = Kind::of(&column.data_type).ok_or_else(|| {
            format!(
                "{}.{} is of type {}, which copy does not know",
                column.table_name, column.column_name, column.data_type
            )
        })?;
        described
            .entry(column.table_name.clone())
            .or_insert_with(|| Table {
                name: column.table_name.clone(),
                columns: Vec::new(),
                key: Vec::new(),
                refers_to_itself: false,
            })
            .columns
            .push((column.column_name, kind));
    }
    for key in keys {
        if let Some(table) = described.get_mut(&key.table_name) {
            table.key.push(key.column_name);
        }
    }
    let mut parents: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for reference in references {
        if reference.child == reference.parent {
            if let Some(table) = described.get_mut(&reference.child) {
                table.refers_to_itself = true;
            }
        } else {
            parents.entry(reference.child).or_default().insert(reference.parent);
        }
    }
    // SQLite must have the same tables, each with the same columns.
    let in_sqlite: Vec<Name> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
         AND name <> '__diesel_schema_migrations'",
    )
    .load(source)
    .map_err(error)?;
    for name in in_sqlite.iter().map(|n| &n.name) {
        if !described.contains_key(name) {
            return Err(format!(
                "SQLite has a table {name} that PostgreSQL lacks: it would not be copied"
            ));
        }
    }
    for table in described.values_mut() {
        let theirs: Vec<Name> = diesel::sql_query("SELECT name FROM pragma_table_info(?)")
            .bind::<Text, _>(&table.name)
            .load(source)
            .map_err(error)?;
        let theirs: BTreeSet<String> = theirs.into_iter().map(|n| n.name).collect();
        let ours: BTreeSet<String> = table.columns.iter().map(|(c, _)| c.clone()).collect();
        if theirs != ours {
            return Err(format!(
                "{}: the columns differ between SQLite {theirs:?} and PostgreSQL {ours:?}",
                table.name
            ));
        }
        if table.key.is_empty() {
            table.key = table.columns.iter().map(|(c, _)| c.clone()).collect();
        }
    }
    // Parents first; among tables free to go, by name.
    let mut ordered = Vec::new();
    while !described.is_empty() {
        let ready: Vec<String> = described
            .keys()
            .filter(|name| {
                parents
                    .get(*name)
                    .is_none_or(|p| p.iter().all(|parent| !described.contains_key(parent)))
            })
            .cloned()
            .collect();
        if ready.is_empty() {
            let left: Vec<&String> = described.keys().collect();
            return Err(format!("the tables {left:?} refer to each other in a circle"));
        }
        for name in ready {
            if let Some(table) = described.remove(&name) {
                ordered.push(table);
            }
        }
    }
    Ok(ordered)
}

/// Whether the table holds a row.
fn not_empty(conn: &mut diesel::PgConnection, table: &str) -> Result<bool, String> {
    #[derive(QueryableByName)]
    struct Exists {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        e: bool,
    }
    let row: Exists = diesel::sql_query(format!("SELECT EXISTS (SELECT 1 FROM {table}) AS e"))
        .get_result(conn)
        .map_err(|e| e.to_string())?;
    Ok(row.e)
}

/// Copies every table inside the target's transaction; returns the checked sums.
fn copy_tables(
    source: &mut diesel::SqliteConnection,
    conn: &mut DbConn,
    tables: &[Table],
    progress: &mut dyn FnMut(String),
) -> Result<Vec<TableSum>, String> {
    let error = |e: diesel::result::Error| e.to_string();
    // Rows into tables without their secondary indexes, then one sorted build of each, as the
    // synthetic loader does (PostgreSQL's advice for populating a database).
    let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    let indexes = super::drop_secondary_indexes(conn, &names).map_err(error)?;
    let DbConn::Postgresql(target) = conn else {
        return Err("the target is not PostgreSQL".to_owned());
    };
    for table in tables {
        target
            .batch_execute(&format!("ALTER TABLE {} DISABLE TRIGGER USER", table.name))
            .map_err(|e| {
                format!(
                    "{}: cannot turn its triggers off (the copy runs as the tables' owner): {e}",
                    table.name
                )
            })?;
    }
    let mut sums = Vec::new();
    for table in tables {
        let sum = if SET_BY_MIGRATIONS.contains(&table.name.as_str()) {
            sum_of(source, table)?
        } else {
            copy_table(source, target, table, progress)?
        };
        sums.push(sum);
    }
    for table in tables {
        target
            .batch_execute(&format!("ALTER TABLE {} ENABLE TRIGGER USER", table.name))
            .map_err(error)?;
    }
    move_sequences(source, target, tables)?;
    progress(format!("indexes: building {}", indexes.len()));
    super::create_again(conn, &indexes).map_err(error)?;
    let DbConn::Postgresql(target) = conn else {
        return Err("the target is not PostgreSQL".to_owned());
    };
    progress("checking: every table read back from PostgreSQL".to_owned());
    let mut differ = Vec::new();
    for sum in &sums {
        let table = tables
            .iter()
            .find(|t| t.name == sum.table)
            .ok_or("a table went missing")?;
        let back = sum_of(target, table)?;
        if back != *sum {
            differ.push(format!(
                "{} ({} rows, sum {} read; {} rows, sum {} written)",
                sum.table,
                sum.rows,
                &sum.checksum[..12],
                back.rows,
                &back.checksum[..12]
            ));
        }
    }
    if !differ.is_empty() {
        return Err(format!(
            "nothing was copied: what PostgreSQL holds differs from SQLite in {}",
            differ.join("; ")
        ));
    }
    Ok(sums)
}

/// Copies one table in key order, in statements of [`ROWS_PER_STATEMENT`] rows (one for a
/// table that refers to itself); returns the sum of what it read.
fn copy_table(
    source: &mut diesel::SqliteConnection,
    target: &mut diesel::PgConnection,
    table: &Table,
    progress: &mut dyn FnMut(String),
) -> Result<TableSum, String> {
    let total = count(source, &table.name)?;
    let insert = format!(
        "INSERT INTO {name} ({columns}) SELECT {columns} FROM json_populate_recordset(NULL::{name}, CAST($1 AS json))",
        name = table.name,
        columns = table.column_list()
    );
    let flush = |target: &mut diesel::PgConnection, batch: &mut Vec<serde_json::Map<String, Value>>| {
        if batch.is_empty() {
            return Ok(());
        }
        let json = serde_json::to_string(batch).map_err(|e| e.to_string())?;
        batch.clear();
        diesel::sql_query(&insert)
            .bind::<Text, _>(json)
            .execute(target)
            .map(|_| ())
            .map_err(|e| format!("{}: {e}", table.name))
    };
    let mut sum = Sum::new();
    let mut batch = Vec::new();
    source.each_row(table, &mut |json| {
        let row = table.canonical_row(json)?;
        sum.add(&row);
        batch.push(
            table
                .columns
                .iter()
                .map(|(column, _)| column.clone())
                .zip(row)
                .collect::<serde_json::Map<_, _>>(),
        );
        if batch.len() >= ROWS_PER_STATEMENT && !table.refers_to_itself {
            flush(target, &mut batch)?;
        }
        if sum.rows.is_multiple_of(PROGRESS_EVERY) {
            progress(format!("{}: {} of {total} rows", table.name, sum.rows));
        }
        Ok(())
    })?;
    flush(target, &mut batch)?;
    progress(format!("{}: {} rows", table.name, sum.rows));
    Ok(sum.finish(&table.name))
}

/// The count and checksum of a table's rows on either side.
fn sum_of<C>(conn: &mut C, table: &Table) -> Result<TableSum, String>
where
    C: SumRows,
{
    let mut sum = Sum::new();
    conn.each_row(table, &mut |json| {
        sum.add(&table.canonical_row(json)?);
        Ok(())
    })?;
    Ok(sum.finish(&table.name))
}

/// Reading a table's rows as JSON, one at a time, on either backend.
trait SumRows {
    fn each_row(&mut self, table: &Table, each: &mut dyn FnMut(&str) -> Result<(), String>) -> Result<(), String>;
}

impl SumRows for diesel::SqliteConnection {
    fn each_row(&mut self, table: &Table, each: &mut dyn FnMut(&str) -> Result<(), String>) -> Result<(), String> {
        let rows = diesel::sql_query(table.read_sql(false))
            .load_iter::<Json, DefaultLoadingMode>(self)
            .map_err(|e| e.to_string())?;
        for row in rows {
            each(&row.map_err(|e| e.to_string())?.r)?;
        }
        Ok(())
    }
}

impl SumRows for diesel::PgConnection {
    fn each_row(&mut self, table: &Table, each: &mut dyn FnMut(&str) -> Result<(), String>) -> Result<(), String> {
        // Row by row: a large table is not held in memory whole.
        let rows = diesel::sql_query(table.read_sql(true))
            .load_iter::<Json, PgRowByRowLoadingMode>(self)
            .map_err(|e| e.to_string())?;
        for row in rows {
            each(&row.map_err(|e| e.to_string())?.r)?;
        }
        Ok(())
    }
}

/// How many rows a table holds.
fn count(conn: &mut diesel::SqliteConnection, table: &str) -> Result<i64, String> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let row: Count = diesel::sql_query(format!("SELECT count(*) AS n FROM {table}"))
        .get_result(conn)
        .map_err(|e| e.to_string())?;
    Ok(row.n)
}

/// Starts each id sequence of the target past the largest id its table holds and the largest
/// SQLite ever gave it (`sqlite_sequence`, which outlives deleted rows).
fn move_sequences(
    source: &mut diesel::SqliteConnection,
    target: &mut diesel::PgConnection,
    tables: &[Table],
) -> Result<(), String> {
    #[derive(QueryableByName)]
    struct Given {
        #[diesel(sql_type = Text)]
        name: String,
        #[diesel(sql_type = BigInt)]
        seq: i64,
    }
    let given: Vec<Given> = diesel::sql_query("SELECT name, CAST(seq AS BIGINT) AS seq FROM sqlite_sequence")
        .load(source)
        .map_err(|e| e.to_string())?;
    for table in tables.iter().filter(|t| t.columns.iter().any(|(c, _)| c == "id")) {
        let floor = given.iter().find(|g| g.name == table.name).map_or(0, |g| g.seq);
        super::move_id_sequence(target, &table.name, floor).map_err(|e| format!("{}: {e}", table.name))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::Kind;

    /// Each backend's rendering of a value comes to one form; what cannot be kept is refused.
    #[test]
    fn values_from_either_side_come_to_one_form() {
        let same = |kind: Kind, sqlite: serde_json::Value, postgres: serde_json::Value| {
            assert_eq!(kind.canonical(sqlite).unwrap(), kind.canonical(postgres).unwrap());
        };
        same(Kind::Boolean, json!(1), json!(true));
        same(Kind::Boolean, json!(0), json!(false));
        same(
            Kind::Timestamp,
            json!("2019-05-01 08:30:00.125"),
            json!("2019-05-01T08:30:00.125"),
        );
        same(
            Kind::Timestamp,
            json!("2019-05-01 08:30:00"),
            json!("2019-05-01T08:30:00"),
        );
        same(Kind::Real, json!(8.0), json!(8));
        same(Kind::Date, json!("2019-05-01"), json!("2019-05-01"));
        assert_ne!(
            Kind::Timestamp.canonical(json!("2019-05-01 08:30:00.125")).unwrap(),
            Kind::Timestamp.canonical(json!("2019-05-01 08:30:00.126")).unwrap()
        );
        assert!(Kind::Timestamp.canonical(json!("2019-05-01 08:30:00.1234567")).is_err());
        assert!(Kind::Boolean.canonical(json!(2)).is_err());
        assert!(Kind::Integer.canonical(json!("7")).is_err());
        assert!(Kind::Date.canonical(json!("2019-02-30")).is_err());
    }
}
