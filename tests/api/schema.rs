//! The two migration sets mean the same: the schema each backend reports, once its names are
//! put in common words, is one and the same text, committed in `tests/api/schema.txt`.

use diesel::{Connection, QueryableByName, RunQueryDsl};

use crate::helpers::TestApp;

const COMMITTED: &str = include_str!("schema.txt");

/// One fact of the schema, as text.
#[derive(QueryableByName)]
struct Fact {
    #[diesel(sql_type = diesel::sql_types::Text)]
    fact: String,
}

/// Column facts: `table.column type null|not null default [key]`.
const SQLITE_COLUMNS: &str = "\
    SELECT m.name || '.' || c.name || ' ' || lower(c.type) || ' ' || \
      CASE WHEN c.\"notnull\" = 1 OR c.pk > 0 THEN 'not null' ELSE 'null' END || ' ' || \
      coalesce(c.dflt_value, '-') || CASE WHEN c.pk > 0 THEN ' key' ELSE '' END AS fact \
    FROM sqlite_master m, pragma_table_info(m.name) c \
    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '__diesel_schema_migrations'";

const POSTGRES_COLUMNS: &str = "\
    SELECT c.table_name || '.' || c.column_name || ' ' || c.data_type || ' ' || \
      CASE WHEN c.is_nullable = 'NO' THEN 'not null' ELSE 'null' END || ' ' || \
      CASE WHEN c.column_default LIKE 'nextval(%' THEN '-' ELSE coalesce(c.column_default, '-') END || \
      CASE WHEN EXISTS (SELECT 1 FROM information_schema.table_constraints tc \
        JOIN information_schema.key_column_usage k ON k.constraint_name = tc.constraint_name \
          AND k.table_schema = tc.table_schema AND k.table_name = tc.table_name \
        WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = c.table_schema \
          AND tc.table_name = c.table_name AND k.column_name = c.column_name) THEN ' key' ELSE '' END AS fact \
    FROM information_schema.columns c \
    WHERE c.table_schema = current_schema() AND c.table_name <> '__diesel_schema_migrations' \
      AND c.table_name NOT IN (SELECT v.table_name FROM information_schema.views v WHERE v.table_schema = current_schema())";

/// Index facts: `index table(columns) unique?`, the primary keys left out; a column computed
/// by an expression is `expression`.
const SQLITE_INDEXES: &str = "\
    SELECT 'index ' || m.name || '(' || (SELECT group_concat(name, ', ') FROM \
      (SELECT coalesce(ii.name, 'expression') AS name FROM pragma_index_info(il.name) ii ORDER BY ii.seqno)) || ')' || \
      CASE WHEN il.\"unique\" = 1 THEN ' unique' ELSE '' END || \
      CASE WHEN il.partial = 1 THEN ' partial' ELSE '' END AS fact \
    FROM sqlite_master m, pragma_index_list(m.name) il \
    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '__diesel_schema_migrations' \
      AND il.origin <> 'pk'";

const POSTGRES_INDEXES: &str = "\
    SELECT 'index ' || t.relname || '(' || (SELECT string_agg(coalesce(a.attname, 'expression'), ', ' ORDER BY k.n) \
      FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, n) \
      LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) || ')' || \
      CASE WHEN ix.indisunique THEN ' unique' ELSE '' END || \
      CASE WHEN ix.indpred IS NOT NULL THEN ' partial' ELSE '' END AS fact \
    FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace s ON s.oid = t.relnamespace \
    WHERE s.nspname = current_schema() AND NOT ix.indisprimary AND t.relname <> '__diesel_schema_migrations'";

/// Trigger facts: `trigger table event [of columns]`.
const SQLITE_TRIGGERS: &str = "\
    SELECT 'trigger ' || tbl_name || ' ' || \
      CASE WHEN sql LIKE '%AFTER INSERT%' THEN 'insert' WHEN sql LIKE '%AFTER DELETE%' THEN 'delete' \
           WHEN sql LIKE '%AFTER UPDATE OF%' THEN 'update of some columns' ELSE 'update' END AS fact \
    FROM sqlite_master WHERE type = 'trigger'";

const POSTGRES_TRIGGERS: &str = "\
    SELECT 'trigger ' || t.event_object_table || ' ' || lower(t.event_manipulation) || \
      CASE WHEN EXISTS (SELECT 1 FROM information_schema.triggered_update_columns u \
        WHERE u.trigger_name = t.trigger_name) THEN ' of some columns' ELSE '' END AS fact \
    FROM information_schema.triggers t WHERE t.trigger_schema = current_schema()";

/// View facts: `view name` (their columns are what their queries give, typed on PostgreSQL only).
const SQLITE_VIEWS: &str = "SELECT 'view ' || name AS fact FROM sqlite_master WHERE type = 'view'";

const POSTGRES_VIEWS: &str =
    "SELECT 'view ' || table_name AS fact FROM information_schema.views WHERE table_schema = current_schema()";

/// A column's type, default and index in words both backends share.
fn common_words(fact: &str) -> String {
    let mut fact = fact.to_owned();
    for (backend, common) in [
        (" timestamp without time zone ", " timestamp "),
        (" double precision ", " float "),
        (" character varying ", " text "),
        (" bigint ", " integer "),
        (" boolean ", " bool "),
        (" real ", " float "),
    ] {
        fact = fact.replace(backend, common);
    }
    // PostgreSQL writes a default with its type: 'nominated'::text.
    if let Some(at) = fact.find("::") {
        fact.truncate(at);
    }
    fact.replace("false", "0").replace("true", "1")
}

/// The schema of the database at `url`, one fact a line, in common words.
fn facts(url: &str, postgres: bool) -> String {
    let queries = if postgres {
        [POSTGRES_COLUMNS, POSTGRES_INDEXES, POSTGRES_TRIGGERS, POSTGRES_VIEWS]
    } else {
        [SQLITE_COLUMNS, SQLITE_INDEXES, SQLITE_TRIGGERS, SQLITE_VIEWS]
    };
    let mut all: Vec<String> = Vec::new();
    for query in queries {
        let rows: Vec<Fact> = if postgres {
            let mut conn = cadre_records::db::establish_postgres(url).expect("connect");
            diesel::sql_query(query).load(&mut conn).expect("the catalogue")
        } else {
            let mut conn = diesel::SqliteConnection::establish(url).expect("connect");
            diesel::sql_query(query).load(&mut conn).expect("the catalogue")
        };
        all.extend(rows.into_iter().map(|row| common_words(&row.fact)));
    }
    all.sort();
    all.dedup();
    all.join("\n")
}

/// Both backends report the committed schema: tables, columns with their types, nullability
/// and defaults, indexes with their columns, uniqueness and partiality, which events fire
/// triggers (and whether on some columns only), and the views. Indexes are named by their table and columns:
/// the names the databases give the indexes of unique constraints differ.
/// `CADRE_WRITE_SCHEMA=1 cargo test schema` writes the file anew, from SQLite.
#[tokio::test]
async fn both_backends_have_one_schema() {
    let app = TestApp::spawn().await;
    let (url, postgres) = (app.database_url.clone(), app.on_postgres());
    let reported = actix_web::web::block(move || facts(&url, postgres)).await.unwrap();
    if std::env::var_os("CADRE_WRITE_SCHEMA").is_some() {
        std::fs::write(
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/api/schema.txt"),
            format!("{reported}\n"),
        )
        .expect("write the schema");
        return;
    }
    if reported.trim() != COMMITTED.trim() {
        let diff = similar::TextDiff::from_lines(COMMITTED.trim(), reported.trim())
            .unified_diff()
            .header("tests/api/schema.txt (committed)", "as the database reports it")
            .to_string();
        panic!("the schema differs from tests/api/schema.txt:\n{diff}");
    }
}
