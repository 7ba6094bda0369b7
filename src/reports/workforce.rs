//! The year-end statistics of the quantity and quality of cadres and civil servants: who was
//! in a subtree on a day (counted as of 31 December), split as the paper form splits them —
//! women, ethnic minorities, believers, party members, civil-service rank held that day, the
//! highest level held that day in each dimension, age that day, every column counted in the
//! database.
//!
//! Each unit's own staff is counted once per day asked for and kept (`workforce_counts`),
//! with the unit's revision, which every write of the history that can change the unit's
//! figures raises in the same transaction (triggers on assignments, qualifications, ranks and
//! the personal fields of officials); a report sums the kept counts of the subtree's units,
//! counting again only those written since. The year-end statistics of a country are asked
//! for on the same day again and again; only the first asks for every unit to be counted.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{Datelike, Months, NaiveDate};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Text};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::qualifications::{groups_cte, Groups};
use super::titled_on_day;
use crate::db::schema::workforce_counts;
use crate::db::{insert_many, lock_named, snapshot, write_transaction, DbConn, NamedLock};
use crate::domain::{hex, Category, CivilServiceRank, Dimension, Ethnicity, Gender, Religion};
use crate::error::ApiError;
use crate::files::{column, Cell, Column, ColumnGroup, Table};
use crate::model::unit::{Subtree, Unit};

/// The days that bound the age groups on the report's day: born after `under_30` is under
/// 30 that day, and so on (ages in completed years).
struct Ages {
    under_30: NaiveDate,
    under_41: NaiveDate,
    under_51: NaiveDate,
    under_61: NaiveDate,
}

impl Ages {
    fn on(day: NaiveDate) -> Ages {
        let years_before = |years: u32| {
            day.checked_sub_months(Months::new(12 * years))
                .unwrap_or(NaiveDate::MIN)
        };
        Ages {
            under_30: years_before(30),
            under_41: years_before(41),
            under_51: years_before(51),
            under_61: years_before(61),
        }
    }
}

/// SQL: the person's highest level that day in `dimension` is `level`.
fn level_is(dimension: Dimension, level: &str) -> String {
    format!(
        "b.{} = {}",
        dimension.code(),
        dimension.order_of(level).map_or(-1, i32::from)
    )
}

/// SQL: the person's highest level that day in `dimension` is one of `levels`.
fn level_in(dimension: Dimension, levels: &[&str]) -> String {
    let orders: Vec<String> = levels
        .iter()
        .map(|level| dimension.order_of(level).map_or(-1, i32::from).to_string())
        .collect();
    format!("b.{} IN ({})", dimension.code(), orders.join(", "))
}

/// Declares the report's columns once: each one's key, group, Vietnamese header and the SQL
/// condition a person meets to be counted in it (over `b`, one row per person of a group).
macro_rules! workforce_columns {
    ($( $key:ident, $group:literal, $label:literal, |$ages:ident| $condition:expr; )+) => {
        /// The counts of a unit's own staff of one category, one column each, as the query
        /// answers them.
        #[derive(QueryableByName)]
        struct CountsRow {
            #[diesel(sql_type = BigInt)]
            unit_id: i64,
            #[diesel(sql_type = Text)]
            category: String,
            $(
                #[diesel(sql_type = BigInt)]
                $key: i64,
            )+
        }

        impl CountsRow {
            fn values(&self) -> Vec<i64> {
                vec![$(self.$key,)+]
            }
        }

        /// The columns: key, group heading, header.
        const COLUMNS: &[(&str, &str, &str)] = &[$((stringify!($key), $group, $label),)+];

        /// The query's select list: one count per column.
        fn counts(ages: &Ages) -> String {
            let mut parts: Vec<String> = Vec::new();
            $(
                let $ages = ages;
                parts.push(format!(
                    "CAST(SUM(CASE WHEN {} THEN 1 ELSE 0 END) AS BIGINT) AS {}",
                    $condition,
                    stringify!($key)
                ));
            )+
            parts.join(", ")
        }
    };
}

workforce_columns! {
    headcount, "", "Tổng số", |_a| "1 = 1".to_owned();
    women, "Trong đó", "Nữ", |_a| format!("b.gender = '{}'", Gender::Female);
    ethnic_minority, "Trong đó", "Dân tộc thiểu số", |_a| format!("b.ethnicity <> '{}'", Ethnicity::KINH);
    religious, "Trong đó", "Tôn giáo", |_a| format!("b.religion <> '{}'", Religion::NONE);
    party_member, "Trong đó", "Đảng viên", |_a| "b.party_joined_on <= $1".to_owned();
    rank_senior_specialist, "Ngạch công chức", "Chuyên viên cao cấp", |_a| format!("b.rank = '{}'", CivilServiceRank::SeniorSpecialist);
    rank_principal_specialist, "Ngạch công chức", "Chuyên viên chính", |_a| format!("b.rank = '{}'", CivilServiceRank::PrincipalSpecialist);
    rank_specialist, "Ngạch công chức", "Chuyên viên", |_a| format!("b.rank = '{}'", CivilServiceRank::Specialist);
    rank_clerk, "Ngạch công chức", "Cán sự", |_a| format!("b.rank = '{}'", CivilServiceRank::Clerk);
    rank_staff, "Ngạch công chức", "Nhân viên", |_a| format!("b.rank = '{}'", CivilServiceRank::Staff);
    education_doctorate, "Trình độ chuyên môn", "Tiến sĩ", |_a| level_is(Dimension::Education, "doctorate");
    education_master, "Trình độ chuyên môn", "Thạc sĩ", |_a| level_is(Dimension::Education, "master");
    education_university, "Trình độ chuyên môn", "Đại học", |_a| level_is(Dimension::Education, "university");
    education_college, "Trình độ chuyên môn", "Cao đẳng", |_a| level_is(Dimension::Education, "college");
    education_intermediate, "Trình độ chuyên môn", "Trung cấp", |_a| level_is(Dimension::Education, "intermediate");
    education_elementary, "Trình độ chuyên môn", "Sơ cấp", |_a| level_is(Dimension::Education, "elementary");
    political_theory_bachelor, "Lý luận chính trị", "Cử nhân", |_a| level_is(Dimension::PoliticalTheory, "bachelor");
    political_theory_advanced, "Lý luận chính trị", "Cao cấp", |_a| level_is(Dimension::PoliticalTheory, "advanced");
    political_theory_intermediate, "Lý luận chính trị", "Trung cấp", |_a| level_is(Dimension::PoliticalTheory, "intermediate");
    political_theory_elementary, "Lý luận chính trị", "Sơ cấp", |_a| level_is(Dimension::PoliticalTheory, "elementary");
    state_management_senior_specialist, "Quản lý nhà nước", "Chuyên viên cao cấp", |_a| level_is(Dimension::StateManagement, "senior_specialist");
    state_management_principal_specialist, "Quản lý nhà nước", "Chuyên viên chính", |_a| level_is(Dimension::StateManagement, "principal_specialist");
    state_management_specialist, "Quản lý nhà nước", "Chuyên viên", |_a| level_is(Dimension::StateManagement, "specialist");
    state_management_clerk, "Quản lý nhà nước", "Cán sự", |_a| level_is(Dimension::StateManagement, "clerk");
    it_advanced, "Tin học", "Nâng cao", |_a| level_is(Dimension::It, "advanced");
    it_basic, "Tin học", "Cơ bản", |_a| level_is(Dimension::It, "basic");
    foreign_language_level_4_up, "Ngoại ngữ", "Bậc 4 trở lên", |_a| level_in(Dimension::ForeignLanguage, &["level_4", "level_5", "level_6"]);
    foreign_language_level_1_3, "Ngoại ngữ", "Bậc 1 – 3", |_a| level_in(Dimension::ForeignLanguage, &["level_1", "level_2", "level_3"]);
    age_under_30, "Độ tuổi", "Dưới 30", |a| format!("b.date_of_birth > '{}'", a.under_30);
    age_30_40, "Độ tuổi", "Từ 30 đến 40", |a| format!("b.date_of_birth > '{}' AND b.date_of_birth <= '{}'", a.under_41, a.under_30);
    age_41_50, "Độ tuổi", "Từ 41 đến 50", |a| format!("b.date_of_birth > '{}' AND b.date_of_birth <= '{}'", a.under_51, a.under_41);
    age_51_60, "Độ tuổi", "Từ 51 đến 60", |a| format!("b.date_of_birth > '{}' AND b.date_of_birth <= '{}'", a.under_61, a.under_51);
    age_over_60, "Độ tuổi", "Trên 60", |a| format!("b.date_of_birth <= '{}'", a.under_61);
}

/// One column of the report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkforceColumn {
    /// Its key in `values` and `total`.
    pub key: &'static str,
    /// Its header.
    pub label: &'static str,
    /// The heading of the group it belongs to (empty for the headcount).
    pub group: &'static str,
}

/// Counts by column key, in the columns' order.
#[derive(Debug, Clone, Default)]
pub struct Counts(pub Vec<(&'static str, i64)>);

impl Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        super::serialize_entries(&self.0, serializer)
    }
}

/// One named count per column (every column is always there).
impl utoipa::__dev::ComposeSchema for Counts {
    fn compose(
        _: Vec<utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>>,
    ) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        let mut object = ObjectBuilder::new().description(Some(
            "For each column, how many active officials of the part counted in it that day.",
        ));
        for (key, group, label) in COLUMNS {
            let described = if group.is_empty() {
                (*label).to_owned()
            } else {
                format!("{group}: {label}")
            };
            object = object
                .property(
                    *key,
                    ObjectBuilder::new()
                        .schema_type(Type::Integer)
                        .format(Some(utoipa::openapi::schema::SchemaFormat::KnownFormat(
                            utoipa::openapi::schema::KnownFormat::Int64,
                        )))
                        .description(Some(described)),
                )
                .required(*key);
        }
        object.into()
    }
}

impl ToSchema for Counts {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("WorkforceCounts")
    }
}

/// One row of the report: a part of the subtree.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkforceRow {
    /// The unit: a child of the report's unit (its whole subtree), or the report's unit itself
    /// (its own staff, not its children's).
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// The counts.
    pub values: Counts,
}

/// The year-end statistics of the quantity and quality of one unit's subtree.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkforceReport {
    /// The unit.
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// The day counted.
    pub as_of: NaiveDate,
    /// The category filter, if any.
    pub category: Option<Category>,
    /// The columns, in the form's order.
    pub columns: Vec<WorkforceColumn>,
    /// One row per part: the unit's own staff (when it has any), then each child unit, by
    /// name; with `group_by=none`, the unit alone.
    pub rows: Vec<WorkforceRow>,
    /// The whole subtree: the sum of the rows.
    pub total: Counts,
}

fn counted(values: &[i64]) -> Counts {
    Counts(COLUMNS.iter().zip(values).map(|((key, _, _), n)| (*key, *n)).collect())
}

/// SQL: the counts of the own staff of each unit of `units` on `$1`, one row per unit and
/// category that has anyone: each person present that day (the assignment covering it) with
/// the rank held and the best level in each dimension that day, each looked up once.
fn unit_counts_sql(units: &[i64], ages: &Ages) -> String {
    let best = |dimension: Dimension| {
        format!(
            "(SELECT MAX(q.level_order) FROM qualifications q WHERE q.official_id = p.official_id \
               AND q.dimension = '{dimension}' AND q.awarded_on <= $1) AS {dimension}"
        )
    };
    let levels: Vec<String> = Dimension::ALL.iter().map(|d| best(*d)).collect();
    let listed: Vec<String> = units.iter().map(|id| format!("({id})")).collect();
    // The units drive one range of the assignments' covering index each; `b` is materialized
    // so that each person's rank and levels are looked up once, not once for every column
    // that reads them (inlined, PostgreSQL ran the rank's lookup five times).
    format!(
        "WITH listed(unit_id) AS (VALUES {}), \
         p AS MATERIALIZED (SELECT DISTINCT a.unit_id AS unit_id, a.category AS category, a.official_id AS official_id \
           FROM listed l CROSS JOIN assignments a WHERE a.unit_id = l.unit_id AND a.started_on <= $1 \
           AND (a.ended_on IS NULL OR a.ended_on > $1)), \
         b AS MATERIALIZED (SELECT p.unit_id AS unit_id, p.category AS category, o.gender AS gender, \
           o.ethnicity AS ethnicity, o.religion AS religion, o.party_joined_on AS party_joined_on, \
           o.date_of_birth AS date_of_birth, \
           (SELECT r.rank FROM official_ranks r WHERE r.official_id = p.official_id AND r.since <= $1 \
             ORDER BY r.since DESC LIMIT 1) AS rank, {} \
           FROM p JOIN officials o ON o.id = p.official_id) \
         SELECT b.unit_id AS unit_id, b.category AS category, {} FROM b GROUP BY b.unit_id, b.category",
        listed.join(", "),
        levels.join(", "),
        counts(ages)
    )
}

/// The fingerprint of how the counts are made (their columns and the SQL that counts them):
/// kept counts made another way are recomputed, not read.
fn layout() -> &'static str {
    static LAYOUT: OnceLock<String> = OnceLock::new();
    LAYOUT.get_or_init(|| {
        let reference = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
        let keys: Vec<&str> = COLUMNS.iter().map(|(key, _, _)| *key).collect();
        let made = format!("{}\n{}", keys.join(","), unit_counts_sql(&[0], &Ages::on(reference)));
        hex(&Sha256::digest(made.as_bytes()))[..16].to_owned()
    })
}

/// How many units one statement counts when the kept counts are filled: each batch is
/// written in a short transaction of its own, so that a whole country counted afresh never
/// holds SQLite's write lock for long and what was counted stays counted.
const UNITS_PER_FILL: usize = 500;

#[derive(QueryableByName)]
struct Stale {
    #[diesel(sql_type = BigInt)]
    unit_id: i64,
    #[diesel(sql_type = BigInt)]
    revision: i64,
}

#[derive(QueryableByName)]
struct Kept {
    #[diesel(sql_type = BigInt)]
    group_id: i64,
    #[diesel(sql_type = Text)]
    counts: String,
}

/// The units of the subtree of `unit_id` whose kept counts on `as_of` are missing or made
/// another way, or, when `stale` holds, older than the unit's revision: with the revisions
/// read.
fn uncounted(conn: &mut DbConn, unit_id: i64, as_of: NaiveDate, stale: bool) -> Result<Vec<Stale>, ApiError> {
    Ok(diesel::sql_query(format!(
        "SELECT d.id AS unit_id, COALESCE(r.revision, 0) AS revision \
         FROM units t JOIN units d ON {} LEFT JOIN unit_revisions r ON r.unit_id = d.id \
         WHERE t.id = $1 AND NOT EXISTS (SELECT 1 FROM workforce_counts w WHERE w.as_of = $2 \
           AND w.unit_id = d.id AND w.category = '' AND w.layout = $3{})",
        Subtree::sql("d.path", "t.path"),
        if stale {
            " AND w.revision = COALESCE(r.revision, 0)"
        } else {
            ""
        }
    ))
    .bind::<BigInt, _>(unit_id)
    .bind::<Date, _>(as_of)
    .bind::<Text, _>(layout())
    .load(conn)?)
}

/// Counts the units `stale` on `as_of` again and replaces their kept counts
/// (`workforce_counts`).
///
/// Their revisions were read before the history is: a write committed in between makes the
/// kept counts newer than the revision they carry, never older, so they are counted again
/// at the next report rather than served stale.
fn fill(conn: &mut DbConn, stale: &[Stale], as_of: NaiveDate) -> Result<(), ApiError> {
    let ages = Ages::on(as_of);
    for batch in stale.chunks(UNITS_PER_FILL) {
        let ids: Vec<i64> = batch.iter().map(|s| s.unit_id).collect();
        let found: Vec<CountsRow> = diesel::sql_query(unit_counts_sql(&ids, &ages))
            .bind::<Date, _>(as_of)
            .load(conn)?;
        let mut by_unit: HashMap<i64, Vec<&CountsRow>> = HashMap::new();
        for row in &found {
            by_unit.entry(row.unit_id).or_default().push(row);
        }
        let mut rows = Vec::with_capacity(batch.len() + found.len());
        for unit in batch {
            let mut all = vec![0; COLUMNS.len()];
            for row in by_unit.get(&unit.unit_id).into_iter().flatten() {
                let values = row.values();
                for (sum, n) in all.iter_mut().zip(&values) {
                    *sum += n;
                }
                rows.push(KeptCounts::new(as_of, unit, row.category.clone(), &values));
            }
            rows.push(KeptCounts::new(as_of, unit, String::new(), &all));
        }
        write_transaction(conn, |conn| {
            lock_named(conn, NamedLock::WorkforceCounts)?;
            diesel::delete(
                workforce_counts::table
                    .filter(workforce_counts::as_of.eq(as_of))
                    .filter(workforce_counts::unit_id.eq_any(&ids)),
            )
            .execute(conn)?;
            insert_many!(conn, workforce_counts, &rows);
            Ok::<_, ApiError>(())
        })?;
    }
    if !stale.is_empty() {
        forget_days(conn, as_of)?;
    }
    Ok(())
}

/// How many days other than a 31 December keep their counts: the year-end statistics are
/// asked for again and again on the same days; another day asked for once should not keep a
/// country's worth of rows for ever.
const OTHER_DAYS_KEPT: usize = 12;

/// Forgets the counts of the days other than 31 December and `keep` (the day just counted)
/// beyond the [`OTHER_DAYS_KEPT`] latest.
fn forget_days(conn: &mut DbConn, keep: NaiveDate) -> Result<(), ApiError> {
    let days: Vec<NaiveDate> = workforce_counts::table
        .select(workforce_counts::as_of)
        .distinct()
        .order_by(workforce_counts::as_of.desc())
        .load(conn)?;
    let forgotten: Vec<NaiveDate> = days
        .into_iter()
        .filter(|day| *day != keep && !(day.month() == 12 && day.day() == 31))
        .skip(OTHER_DAYS_KEPT)
        .collect();
    if !forgotten.is_empty() {
        write_transaction(conn, |conn| {
            lock_named(conn, NamedLock::WorkforceCounts)?;
            diesel::delete(workforce_counts::table.filter(workforce_counts::as_of.eq_any(&forgotten))).execute(conn)?;
            Ok::<_, ApiError>(())
        })?;
    }
    Ok(())
}

/// A row of `workforce_counts`.
#[derive(Insertable)]
#[diesel(table_name = workforce_counts)]
struct KeptCounts {
    as_of: NaiveDate,
    unit_id: i64,
    category: String,
    revision: i64,
    layout: &'static str,
    counts: String,
}

impl KeptCounts {
    fn new(as_of: NaiveDate, unit: &Stale, category: String, values: &[i64]) -> KeptCounts {
        let counts: serde_json::Map<String, serde_json::Value> = COLUMNS
            .iter()
            .zip(values)
            .map(|((key, _, _), n)| ((*key).to_owned(), (*n).into()))
            .collect();
        KeptCounts {
            as_of,
            unit_id: unit.unit_id,
            category,
            revision: unit.revision,
            layout: layout(),
            counts: serde_json::Value::Object(counts).to_string(),
        }
    }
}

/// The counts of each group on `as_of`, summed from the kept counts of its units (filled
/// first where they are missing or stale).
fn figures(
    conn: &mut DbConn,
    groups: Groups,
    unit_id: i64,
    as_of: NaiveDate,
    category: Option<Category>,
) -> Result<HashMap<i64, Vec<i64>>, ApiError> {
    let stale = uncounted(conn, unit_id, as_of, true)?;
    fill(conn, &stale, as_of)?;
    // Summed in one snapshot that holds every unit's counts: another report may forget the
    // day between the fill and the sum ([`forget_days`]); then its units are counted again.
    let mut kept = None;
    for _ in 0..3 {
        let read = snapshot(conn, |conn| {
            let missing = uncounted(conn, unit_id, as_of, false)?;
            if !missing.is_empty() {
                return Ok(Err(missing));
            }
            let rows: Vec<Kept> = diesel::sql_query(format!(
                "WITH {} SELECT g.group_id AS group_id, w.counts AS counts FROM grp g \
                 JOIN workforce_counts w ON w.unit_id = g.unit_id WHERE w.as_of = $2 AND w.category = $3",
                groups_cte(groups)
            ))
            .bind::<BigInt, _>(unit_id)
            .bind::<Date, _>(as_of)
            .bind::<Text, _>(category.map_or("", Category::code))
            .load(conn)?;
            Ok(Ok(rows))
        })?;
        match read {
            Ok(rows) => {
                kept = Some(rows);
                break;
            }
            Err(missing) => fill(conn, &missing, as_of)?,
        }
    }
    let kept = kept.ok_or_else(|| ApiError::internal("the workforce counts were forgotten three times while read"))?;
    let mut sums: HashMap<i64, Vec<i64>> = HashMap::new();
    for row in kept {
        let counts: HashMap<String, i64> = serde_json::from_str(&row.counts).map_err(ApiError::internal)?;
        let sum = sums.entry(row.group_id).or_insert_with(|| vec![0; COLUMNS.len()]);
        for (slot, (key, _, _)) in sum.iter_mut().zip(COLUMNS) {
            *slot += counts
                .get(*key)
                .ok_or_else(|| ApiError::internal(format!("kept workforce counts without {key}")))?;
        }
    }
    Ok(sums)
}

/// The report for the subtree of `unit` on `as_of`: by part (the unit's own staff and each
/// child's subtree), or the unit alone.
pub fn report(
    conn: &mut DbConn,
    unit: &Unit,
    as_of: NaiveDate,
    category: Option<Category>,
    by_part: bool,
) -> Result<WorkforceReport, ApiError> {
    let groups = if by_part { Groups::Parts } else { Groups::Unit };
    let found = figures(conn, groups, unit.id, as_of, category)?;
    let values_of = |id: i64| found.get(&id).cloned().unwrap_or_else(|| vec![0; COLUMNS.len()]);
    let mut rows = Vec::new();
    let own = values_of(unit.id);
    if !by_part || own[0] > 0 {
        rows.push(WorkforceRow {
            unit_id: unit.id,
            unit_name: unit.name.clone(),
            values: counted(&own),
        });
    }
    if by_part {
        let children = Unit::children(conn, unit.id)?;
        for (id, name) in children {
            rows.push(WorkforceRow {
                unit_id: id,
                unit_name: name,
                values: counted(&values_of(id)),
            });
        }
    }
    let mut total = vec![0; COLUMNS.len()];
    for row in &rows {
        for (sum, (_, n)) in total.iter_mut().zip(&row.values.0) {
            *sum += n;
        }
    }
    Ok(WorkforceReport {
        unit_id: unit.id,
        unit_name: unit.name.clone(),
        as_of,
        category,
        columns: COLUMNS
            .iter()
            .map(|&(key, group, label)| WorkforceColumn { key, label, group })
            .collect(),
        rows,
        total: counted(&total),
    })
}

/// The report laid out as the paper form: a title, the unit and the day, two header rows
/// (each group's heading merged over its columns), a row numbering the columns, one row per
/// part, the total. CSV: one flat header, the group in each column's header.
pub fn to_table(report: &WorkforceReport, name: String) -> Table {
    let mut columns: Vec<Column> = vec![column("no", "STT"), column("unit_name", "Đơn vị")];
    for (key, _, label) in COLUMNS {
        columns.push(column(key, label));
    }
    let mut groups: Vec<ColumnGroup> = Vec::new();
    for (index, (_, group, _)) in COLUMNS.iter().enumerate() {
        if group.is_empty() {
            continue;
        }
        match groups.last_mut() {
            Some(last) if last.label == *group => last.span += 1,
            _ => groups.push(ColumnGroup {
                first: index + 2,
                span: 1,
                label: (*group).to_owned(),
            }),
        }
    }
    let mut table = titled_on_day(
        Table::new(name, &columns).grouped(groups).numbered(),
        "Thống kê số lượng, chất lượng cán bộ, công chức",
        &report.unit_name,
        report.as_of,
        report.category,
    );
    for (no, row) in (1i64..).zip(&report.rows) {
        let mut cells: Vec<Cell> = vec![no.into(), row.unit_name.as_str().into()];
        cells.extend(row.values.0.iter().map(|(_, n)| Cell::from(*n)));
        table.row(cells);
    }
    let mut cells: Vec<Cell> = vec![Cell::Empty, "Tổng cộng".into()];
    cells.extend(report.total.0.iter().map(|(_, n)| Cell::from(*n)));
    table.row(cells);
    table
}
