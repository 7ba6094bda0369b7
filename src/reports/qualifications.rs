//! Qualification ratios: who was in a subtree on a day, and the levels they held then.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Integer, Text};
use serde::Serialize;
use utoipa::ToSchema;

pub use super::Evaluation;
use super::{share, titled_on_day};
use crate::db::DbConn;
use crate::domain::{Category, Dimension};
use crate::error::ApiError;
use crate::files::{column, Cell, Column, Table};
use crate::model::unit::{Subtree, Unit};

/// One level of one dimension in a qualification report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LevelCount {
    /// The level's code.
    #[schema(value_type = crate::domain::Level)]
    pub level: &'static str,
    /// Officials whose highest level that day is exactly this one.
    pub count: i64,
    /// Officials at this level or higher (equal ranks count together).
    pub at_least: i64,
    /// `"at_least/headcount"`.
    pub share: String,
}

/// The qualification report of one unit's subtree.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QualificationReport {
    /// The unit.
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// The day the report describes.
    pub as_of: NaiveDate,
    /// The category filter, if any.
    pub category: Option<Category>,
    /// Officials counted in the subtree that day.
    pub headcount: i64,
    /// For each dimension, every level, highest first, zeros included.
    pub dimensions: Dimensions,
    /// With `group_by=unit`: the same for each direct child unit.
    #[schema(no_recursion)]
    pub groups: Vec<QualificationReport>,
}

/// Dimension code → its levels, serialized as a JSON object in the specification's order.
#[derive(Debug, Clone, Default)]
pub struct Dimensions(pub Vec<(&'static str, Vec<LevelCount>)>);

/// One named property per dimension (every dimension is always there), each the list of its
/// levels: generated clients read `dimensions.education`, not a map entry.
impl utoipa::__dev::ComposeSchema for Dimensions {
    fn compose(
        _: Vec<utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>>,
    ) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder};
        use utoipa::openapi::Ref;
        let mut object =
            ObjectBuilder::new().description(Some("For each dimension, every level, highest first, zeros included."));
        for dimension in Dimension::ALL {
            object = object
                .property(
                    dimension.code(),
                    ArrayBuilder::new()
                        .items(Ref::from_schema_name(LevelCount::name()))
                        .description(Some(format!("The levels of {}.", dimension.code()))),
                )
                .required(dimension.code());
        }
        object.into()
    }
}

impl ToSchema for Dimensions {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("Dimensions")
    }

    fn schemas(schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>) {
        schemas.push((
            LevelCount::name().into_owned(),
            <LevelCount as utoipa::PartialSchema>::schema(),
        ));
        LevelCount::schemas(schemas);
    }
}

impl Serialize for Dimensions {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        super::serialize_entries(&self.0, serializer)
    }
}

#[derive(QueryableByName)]
struct HeadcountRow {
    #[diesel(sql_type = BigInt)]
    group_id: i64,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct LevelRow {
    #[diesel(sql_type = BigInt)]
    group_id: i64,
    #[diesel(sql_type = Text)]
    dimension: String,
    #[diesel(sql_type = Integer)]
    best: i32,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Which units the figures are grouped by: the unit itself, its direct children, or both
/// parts of the subtree — the staff of the unit itself (group: the unit) and each child's.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Groups {
    Unit,
    Children,
    Parts,
}

/// `grp(unit_id, group_id)`: every unit of the subtree of each group unit (a range of the
/// byte-ordered `units_path` index per group, as in [`super::subtree`]).
pub(crate) fn groups_cte(groups: Groups) -> String {
    let (column, own) = match groups {
        Groups::Unit => ("c.id", ""),
        Groups::Children => ("c.parent_id", ""),
        Groups::Parts => (
            "c.parent_id",
            " UNION ALL SELECT id AS unit_id, id AS group_id FROM units WHERE id = $1",
        ),
    };
    format!(
        "grp AS (SELECT u.id AS unit_id, c.id AS group_id FROM units c \
         JOIN units u ON {} WHERE {column} = $1{own})",
        Subtree::sql("u.path", "c.path")
    )
}

#[derive(QueryableByName)]
struct CounterRow {
    #[diesel(sql_type = BigInt)]
    group_id: i64,
    #[diesel(sql_type = Text)]
    dimension: String,
    #[diesel(sql_type = Text)]
    level: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Today's figures, from the counters of active officials per unit, category and current
/// level (`unit_level_counts`, kept in step with officials by triggers in the same
/// statement). An active official's open assignment began by today (moves are never dated
/// ahead) and every qualification was awarded by today, so this equals the historical path.
fn current(
    conn: &mut DbConn,
    groups: Groups,
    unit_id: i64,
    category: Option<Category>,
) -> Result<(HashMap<i64, i64>, Vec<LevelRow>), ApiError> {
    let sql = format!(
        "WITH {} SELECT g.group_id AS group_id, c.dimension AS dimension, c.level AS level, \
           CAST(SUM(c.n) AS BIGINT) AS n \
         FROM grp g CROSS JOIN unit_level_counts c \
         WHERE c.unit_id = g.unit_id{} \
         GROUP BY g.group_id, c.dimension, c.level",
        groups_cte(groups),
        if category.is_some() { " AND c.category = $2" } else { "" }
    );
    let query = diesel::sql_query(sql).bind::<BigInt, _>(unit_id);
    let rows: Vec<CounterRow> = match category {
        Some(category) => query.bind::<Text, _>(category.code()).load(conn)?,
        None => query.load(conn)?,
    };
    let mut heads: HashMap<i64, i64> = HashMap::new();
    let mut levels = Vec::with_capacity(rows.len());
    for row in rows {
        let dimension = Dimension::parse(&row.dimension)
            .ok_or_else(|| ApiError::internal(format!("unknown dimension {:?} in unit_level_counts", row.dimension)))?;
        if dimension == Dimension::Education {
            // Every active official is counted once in each dimension.
            *heads.entry(row.group_id).or_default() += row.n;
        }
        levels.push(LevelRow {
            group_id: row.group_id,
            best: dimension.order_of(&row.level).map_or(0, i32::from),
            dimension: row.dimension,
            n: row.n,
        });
    }
    Ok((heads, levels))
}

/// Officials counted in each group on day `$2`: an assignment in the subtree that started
/// on or before that day and had not ended by it. Materialised, so that both backends
/// start from the units and not from the big tables.
pub(crate) fn population(groups: Groups, category: bool) -> String {
    // The subtree's units by their paths drive one range of the assignments' index each (its
    // size is estimated well, so that PostgreSQL reads those ranges rather than the whole
    // index in unit order); each unit's group is then a lookup in `grp`.
    format!(
        "WITH {}, sub AS MATERIALIZED (SELECT d.id AS id FROM units r JOIN units d ON {} WHERE r.id = $1), \
         pop AS MATERIALIZED (SELECT DISTINCT g.group_id AS group_id, a.official_id AS official_id \
         FROM sub CROSS JOIN assignments a JOIN grp g ON g.unit_id = a.unit_id \
         WHERE a.unit_id = sub.id AND a.started_on <= $2 AND (a.ended_on IS NULL OR a.ended_on > $2){})",
        groups_cte(groups),
        Subtree::sql("d.path", "r.path"),
        if category { " AND a.category = $3" } else { "" }
    )
}

/// The figures of any day, from the assignment history and the qualification records.
fn historical(
    conn: &mut DbConn,
    groups: Groups,
    unit_id: i64,
    as_of: NaiveDate,
    category: Option<Category>,
) -> Result<(HashMap<i64, i64>, Vec<LevelRow>), ApiError> {
    let pop = population(groups, category.is_some());
    let heads_sql = format!("{pop} SELECT group_id, COUNT(*) AS n FROM pop GROUP BY group_id");
    let levels_sql = format!(
        "{pop} SELECT t.group_id AS group_id, t.dimension AS dimension, t.best AS best, COUNT(*) AS n FROM ( \
           SELECT p.group_id AS group_id, q.official_id AS official_id, q.dimension AS dimension, \
                  MAX(q.level_order) AS best \
           FROM pop p CROSS JOIN qualifications q \
           WHERE q.official_id = p.official_id AND q.awarded_on <= $2 \
           GROUP BY p.group_id, q.official_id, q.dimension \
         ) t GROUP BY t.group_id, t.dimension, t.best"
    );
    let heads_query = diesel::sql_query(heads_sql)
        .bind::<BigInt, _>(unit_id)
        .bind::<Date, _>(as_of);
    let levels_query = diesel::sql_query(levels_sql)
        .bind::<BigInt, _>(unit_id)
        .bind::<Date, _>(as_of);
    let (heads, levels): (Vec<HeadcountRow>, Vec<LevelRow>) = match category {
        Some(category) => (
            heads_query.bind::<Text, _>(category.code()).load(conn)?,
            levels_query.bind::<Text, _>(category.code()).load(conn)?,
        ),
        None => (heads_query.load(conn)?, levels_query.load(conn)?),
    };
    Ok((heads.into_iter().map(|r| (r.group_id, r.n)).collect(), levels))
}

fn figures(
    conn: &mut DbConn,
    groups: Groups,
    unit_id: i64,
    as_of: NaiveDate,
    category: Option<Category>,
    evaluation: Evaluation,
) -> Result<(HashMap<i64, i64>, Vec<LevelRow>), ApiError> {
    if evaluation.reads_current_levels(as_of) {
        current(conn, groups, unit_id, category)
    } else {
        historical(conn, groups, unit_id, as_of, category)
    }
}

/// The report for `unit`, from the grouped counts.
fn assemble(
    unit: (i64, String),
    as_of: NaiveDate,
    category: Option<Category>,
    headcount: i64,
    rows: &[&LevelRow],
) -> QualificationReport {
    let mut dimensions = Vec::new();
    for dimension in Dimension::ALL {
        let levels = dimension.levels();
        let mut counts = vec![0i64; levels.len()];
        for row in rows.iter().filter(|r| r.dimension == dimension.code()) {
            if let Some(slot) = usize::try_from(row.best).ok().and_then(|i| counts.get_mut(i)) {
                *slot += row.n;
            }
        }
        // Those with no record in this dimension by that day hold none.
        let recorded: i64 = counts.iter().skip(1).sum();
        counts[0] = headcount - recorded;
        let mut listed = Vec::with_capacity(levels.len());
        for (index, level) in levels.iter().enumerate().rev() {
            let rank = level.rank.unwrap_or(0);
            let at_least: i64 = levels
                .iter()
                .zip(&counts)
                .filter(|(other, _)| other.rank.unwrap_or(0) >= rank)
                .map(|(_, n)| *n)
                .sum();
            listed.push(LevelCount {
                level: level.code,
                count: counts[index],
                at_least,
                share: share(at_least, headcount),
            });
        }
        dimensions.push((dimension.code(), listed));
    }
    QualificationReport {
        unit_id: unit.0,
        unit_name: unit.1,
        as_of,
        category,
        headcount,
        dimensions: Dimensions(dimensions),
        groups: Vec::new(),
    }
}

/// The qualification report for the subtree of `unit` on `as_of`, optionally by child unit.
pub fn report(
    conn: &mut DbConn,
    unit: &Unit,
    as_of: NaiveDate,
    category: Option<Category>,
    by_child: bool,
) -> Result<QualificationReport, ApiError> {
    report_by(conn, unit, as_of, category, by_child, Evaluation::PreferCurrentLevels)
}

/// The same, evaluated as asked (tests compare the two ways).
pub fn report_by(
    conn: &mut DbConn,
    unit: &Unit,
    as_of: NaiveDate,
    category: Option<Category>,
    by_child: bool,
    evaluation: Evaluation,
) -> Result<QualificationReport, ApiError> {
    let (heads, rows) = figures(conn, Groups::Unit, unit.id, as_of, category, evaluation)?;
    let mut report = assemble(
        (unit.id, unit.name.clone()),
        as_of,
        category,
        heads.get(&unit.id).copied().unwrap_or(0),
        &rows.iter().collect::<Vec<_>>(),
    );
    if by_child {
        let children = Unit::children(conn, unit.id)?;
        let (heads, rows) = figures(conn, Groups::Children, unit.id, as_of, category, evaluation)?;
        for child in children {
            let id = child.0;
            let mine: Vec<&LevelRow> = rows.iter().filter(|r| r.group_id == id).collect();
            report.groups.push(assemble(
                child,
                as_of,
                category,
                heads.get(&id).copied().unwrap_or(0),
                &mine,
            ));
        }
    }
    Ok(report)
}

/// The report as a table: one row per level of each dimension, for the unit and then each
/// group, with the count, the number at that level or higher, the headcount and the share.
pub fn to_table(report: &QualificationReport, name: String) -> Table {
    let mut table = titled_on_day(
        Table::new(name, &COLUMNS),
        "Báo cáo trình độ cán bộ, công chức, viên chức",
        &report.unit_name,
        report.as_of,
        report.category,
    );
    for part in std::iter::once(report).chain(report.groups.iter()) {
        for (code, levels) in &part.dimensions.0 {
            let Some(dimension) = Dimension::parse(code) else {
                continue;
            };
            for level in levels {
                table.row(vec![
                    part.unit_id.into(),
                    part.unit_name.as_str().into(),
                    part.as_of.into(),
                    part.category.into(),
                    dimension.into(),
                    Cell::level(dimension, level.level),
                    level.count.into(),
                    level.at_least.into(),
                    part.headcount.into(),
                    Cell::share(level.at_least, part.headcount),
                ]);
            }
        }
    }
    table
}

/// The columns of the qualification report's file.
const COLUMNS: [Column; 10] = [
    column("unit_id", "Mã hệ thống đơn vị"),
    column("unit_name", "Đơn vị"),
    column("as_of", "Tại ngày"),
    column("category", "Đối tượng"),
    column("dimension", "Lĩnh vực"),
    column("level", "Trình độ"),
    column("count", "Số người có trình độ này"),
    column("at_least", "Số người từ trình độ này trở lên"),
    column("headcount", "Tổng số người"),
    column("percent", "Tỷ lệ từ trình độ này trở lên (%)"),
];
