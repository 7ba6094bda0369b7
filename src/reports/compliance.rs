//! Standards compliance: whether each official counted on a day met the standards of
//! the position they held that day.

use chrono::NaiveDate;
use diesel::sql_types::{BigInt, Date, Integer, Nullable, Text};
use serde::Serialize;
use utoipa::ToSchema;

use super::{share, subtree, titled_on_day, Evaluation};
use crate::db::DbConn;
use crate::domain::Dimension;
use crate::error::ApiError;
use crate::files::{column, Cell, Column, Labelled, Table};
use crate::model::unit::Unit;

/// How many met their standards.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComplianceSummary {
    /// Officials who met every standard of their position (or held one without standards).
    pub meets: i64,
    /// Officials counted in the subtree that day.
    pub headcount: i64,
    /// `"meets/headcount"`.
    pub share: String,
}

/// One standard not met.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Gap {
    /// The dimension.
    pub dimension: Dimension,
    /// The level the position requires.
    #[schema(value_type = crate::domain::Level)]
    pub required: String,
    /// The highest level the official held that day.
    #[schema(value_type = crate::domain::Level)]
    pub held: String,
}

/// An official who fell short, and where.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Shortfall {
    /// The official.
    pub official_id: i64,
    /// Their full name.
    pub full_name: String,
    /// The unit where they worked that day.
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// The position they held that day.
    pub position_id: Option<i64>,
    /// Its title.
    pub position_title: Option<String>,
    /// The standards not met.
    pub gaps: Vec<Gap>,
}

/// The compliance report of one unit's subtree on a day.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComplianceReport {
    /// The unit.
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// The day the report describes.
    pub as_of: NaiveDate,
    /// How many met their standards.
    pub summary: ComplianceSummary,
    /// How many fell short in all (the list below is one page of them).
    pub shortfall_count: i64,
    /// Those who fell short, by name.
    pub shortfalls: Vec<Shortfall>,
}

/// The officials counted in the subtree (`sub`, from the path `$1`) on `$2` with the post
/// they held, and the ranks (and list positions) of their best levels by then, from the
/// history.
const HELD_FROM_HISTORY: &str = ", \
     pop AS MATERIALIZED ( \
       SELECT DISTINCT a.official_id AS official_id, a.unit_id AS unit_id, a.position_id AS position_id \
       FROM sub CROSS JOIN assignments a \
       WHERE a.unit_id = sub.id AND a.started_on <= $2 AND (a.ended_on IS NULL OR a.ended_on > $2) \
     ), best AS ( \
       SELECT q.official_id AS official_id, q.dimension AS dimension, \
              MAX(q.level_order) AS best_order, MAX(q.level_rank) AS best_rank \
       FROM pop CROSS JOIN qualifications q \
       WHERE q.official_id = pop.official_id AND q.awarded_on <= $2 AND q.dimension IN ('education', 'political_theory', 'state_management') \
       GROUP BY q.official_id, q.dimension \
     ), held AS ( \
       SELECT pop.official_id AS official_id, pop.unit_id AS unit_id, pop.position_id AS position_id, \
              be.best_order AS held_education, bp.best_order AS held_political_theory, bs.best_order AS held_state_management, \
              COALESCE(be.best_rank, 0) AS rank_education, COALESCE(bp.best_rank, 0) AS rank_political_theory, \
              COALESCE(bs.best_rank, 0) AS rank_state_management \
       FROM pop \
       LEFT JOIN best be ON be.official_id = pop.official_id AND be.dimension = 'education' \
       LEFT JOIN best bp ON bp.official_id = pop.official_id AND bp.dimension = 'political_theory' \
       LEFT JOIN best bs ON bs.official_id = pop.official_id AND bs.dimension = 'state_management' \
     )";

/// The same for today, from the levels and the post kept on each active official (the
/// index-range read of the qualification report, not a join of the history). The test on
/// `$2` never excludes an active official; it keeps the parameters in the order both
/// backends number them.
fn held_today() -> String {
    let mut columns = Vec::new();
    for dimension in JUDGED_DIMENSIONS {
        let code = dimension.code();
        columns.push(format!("{} AS held_{code}", level_case(dimension, |order, _| order)));
        columns.push(format!(
            "{} AS rank_{code}",
            level_case(dimension, |_, rank| usize::from(rank))
        ));
    }
    format!(
        ", held AS ( \
           SELECT o.id AS official_id, o.unit_id AS unit_id, o.position_id AS position_id, {} \
           FROM sub CROSS JOIN officials o \
           WHERE o.unit_id = sub.id AND o.status = '{}' AND (o.separated_on IS NULL OR o.separated_on > $2))",
        columns.join(", "),
        crate::domain::OfficialStatus::Active
    )
}

/// The dimensions positions set standards in.
const JUDGED_DIMENSIONS: [Dimension; 3] = [
    Dimension::Education,
    Dimension::PoliticalTheory,
    Dimension::StateManagement,
];

/// `CASE o.<dimension> WHEN '<level>' THEN <n> … ELSE 0 END`, with `n` the level's list
/// position or rank, from the domain's tables.
fn level_case(dimension: Dimension, pick: fn(usize, u8) -> usize) -> String {
    let mut sql = format!("CASE o.{}", dimension.code());
    for (order, level) in dimension.levels().iter().enumerate() {
        sql.push_str(&format!(
            " WHEN '{}' THEN {}",
            level.code,
            pick(order, level.rank.unwrap_or(0))
        ));
    }
    sql.push_str(" ELSE 0 END");
    sql
}

/// Who fell short, from `held`: the standards of the post against the levels held.
const JUDGED: &str = ", judged AS ( \
       SELECT h.official_id AS official_id, h.unit_id AS unit_id, h.position_id AS position_id, p.title AS title, \
              p.min_education AS req_education, p.min_political_theory AS req_political_theory, \
              p.min_state_management AS req_state_management, \
              h.held_education AS held_education, h.held_political_theory AS held_political_theory, \
              h.held_state_management AS held_state_management, \
              CASE WHEN (p.min_education_rank IS NOT NULL AND h.rank_education < p.min_education_rank) \
                     OR (p.min_political_theory_rank IS NOT NULL AND h.rank_political_theory < p.min_political_theory_rank) \
                     OR (p.min_state_management_rank IS NOT NULL AND h.rank_state_management < p.min_state_management_rank) \
                   THEN 1 ELSE 0 END AS short, \
              CASE WHEN p.min_education_rank IS NOT NULL AND h.rank_education < p.min_education_rank THEN 1 ELSE 0 END AS short_education, \
              CASE WHEN p.min_political_theory_rank IS NOT NULL AND h.rank_political_theory < p.min_political_theory_rank THEN 1 ELSE 0 END AS short_political_theory, \
              CASE WHEN p.min_state_management_rank IS NOT NULL AND h.rank_state_management < p.min_state_management_rank THEN 1 ELSE 0 END AS short_state_management \
       FROM held h LEFT JOIN positions p ON p.id = h.position_id \
     ) ";

#[derive(diesel::QueryableByName)]
struct SummaryRow {
    #[diesel(sql_type = BigInt)]
    headcount: i64,
    #[diesel(sql_type = BigInt)]
    short: i64,
}

#[derive(diesel::QueryableByName)]
struct ShortRow {
    #[diesel(sql_type = BigInt)]
    official_id: i64,
    #[diesel(sql_type = Text)]
    full_name: String,
    #[diesel(sql_type = BigInt)]
    unit_id: i64,
    #[diesel(sql_type = Text)]
    unit_name: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    position_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    title: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    req_education: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    req_political_theory: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    req_state_management: Option<String>,
    #[diesel(sql_type = Nullable<Integer>)]
    held_education: Option<i32>,
    #[diesel(sql_type = Nullable<Integer>)]
    held_political_theory: Option<i32>,
    #[diesel(sql_type = Nullable<Integer>)]
    held_state_management: Option<i32>,
    #[diesel(sql_type = Integer)]
    short_education: i32,
    #[diesel(sql_type = Integer)]
    short_political_theory: i32,
    #[diesel(sql_type = Integer)]
    short_state_management: i32,
}

impl ShortRow {
    fn shortfall(self) -> Shortfall {
        let mut gaps = Vec::new();
        for (dimension, short, required, held) in [
            (
                Dimension::Education,
                self.short_education,
                self.req_education,
                self.held_education,
            ),
            (
                Dimension::PoliticalTheory,
                self.short_political_theory,
                self.req_political_theory,
                self.held_political_theory,
            ),
            (
                Dimension::StateManagement,
                self.short_state_management,
                self.req_state_management,
                self.held_state_management,
            ),
        ] {
            if short == 1 {
                let held = held.and_then(|order| dimension.level_at(order)).unwrap_or("none");
                gaps.push(Gap {
                    dimension,
                    required: required.unwrap_or_default(),
                    held: held.to_owned(),
                });
            }
        }
        Shortfall {
            official_id: self.official_id,
            full_name: self.full_name,
            unit_id: self.unit_id,
            unit_name: self.unit_name,
            position_id: self.position_id,
            position_title: self.title,
            gaps,
        }
    }
}

/// The compliance report for the subtree of `unit` on `as_of`; `limit`/`offset` page the shortfalls.
pub fn report(
    conn: &mut DbConn,
    unit: &Unit,
    as_of: NaiveDate,
    limit: i64,
    offset: i64,
) -> Result<ComplianceReport, ApiError> {
    report_by(conn, unit, as_of, limit, offset, Evaluation::PreferCurrentLevels)
}

/// The same, evaluated as asked (the tests compare both ways).
pub fn report_by(
    conn: &mut DbConn,
    unit: &Unit,
    as_of: NaiveDate,
    limit: i64,
    offset: i64,
    evaluation: Evaluation,
) -> Result<ComplianceReport, ApiError> {
    use diesel::RunQueryDsl;
    let subtree = subtree();
    let held = if evaluation.reads_current_levels(as_of) {
        held_today()
    } else {
        HELD_FROM_HISTORY.to_owned()
    };
    let summary: SummaryRow = diesel::sql_query(format!(
        "WITH {subtree}{held}{JUDGED} SELECT COUNT(*) AS headcount, CAST(COALESCE(SUM(short), 0) AS BIGINT) AS short FROM judged"
    ))
    .bind::<Text, _>(unit.path.clone())
    .bind::<Date, _>(as_of)
    .get_result(conn)?;
    let rows: Vec<ShortRow> = diesel::sql_query(format!(
        "WITH {subtree}{held}{JUDGED} SELECT j.official_id AS official_id, o.full_name AS full_name, \
           j.unit_id AS unit_id, u.name AS unit_name, j.position_id AS position_id, \
           j.title AS title, j.req_education AS req_education, j.req_political_theory AS req_political_theory, \
           j.req_state_management AS req_state_management, j.held_education AS held_education, \
           j.held_political_theory AS held_political_theory, j.held_state_management AS held_state_management, \
           j.short_education AS short_education, j.short_political_theory AS short_political_theory, \
           j.short_state_management AS short_state_management \
         FROM judged j JOIN officials o ON o.id = j.official_id JOIN units u ON u.id = j.unit_id \
         WHERE j.short = 1 ORDER BY o.given_name_key, j.official_id LIMIT $3 OFFSET $4"
    ))
    .bind::<Text, _>(unit.path.clone())
    .bind::<Date, _>(as_of)
    .bind::<BigInt, _>(limit)
    .bind::<BigInt, _>(offset)
    .load(conn)?;
    let meets = summary.headcount - summary.short;
    Ok(ComplianceReport {
        unit_id: unit.id,
        unit_name: unit.name.clone(),
        as_of,
        summary: ComplianceSummary {
            meets,
            headcount: summary.headcount,
            share: share(meets, summary.headcount),
        },
        shortfall_count: summary.short,
        shortfalls: rows.into_iter().map(ShortRow::shortfall).collect(),
    })
}

/// The report as a table: one row per official who fell short (the unit where they worked,
/// their post, what each dimension required and what they held), then the summary: how
/// many met their standards, the headcount, and the share.
pub fn to_table(report: &ComplianceReport, name: String) -> Table {
    let mut table = titled_on_day(
        Table::new(name, &COLUMNS),
        "Báo cáo cán bộ, công chức, viên chức chưa đạt tiêu chuẩn chức danh",
        &report.unit_name,
        report.as_of,
        None,
    );
    for s in &report.shortfalls {
        let mut row: Vec<Cell> = vec![
            s.official_id.into(),
            s.full_name.as_str().into(),
            s.unit_id.into(),
            s.unit_name.as_str().into(),
            s.position_id.into(),
            s.position_title.as_deref().into(),
        ];
        for dimension in JUDGED_DIMENSIONS {
            match s.gaps.iter().find(|g| g.dimension == dimension) {
                Some(gap) => row.extend([Cell::level(dimension, &gap.required), Cell::level(dimension, &gap.held)]),
                None => row.extend([Cell::Empty, Cell::Empty]),
            }
        }
        table.row(row);
    }
    let summary = &report.summary;
    for (line, value) in [
        (SummaryLine::Meets, summary.meets.into()),
        (SummaryLine::Headcount, summary.headcount.into()),
        (SummaryLine::Percent, Cell::share(summary.meets, summary.headcount)),
    ] {
        table.row(vec![line.into(), value]);
    }
    table
}

/// The summary lines that end the compliance report's file (label in the first column,
/// figure in the second).
#[derive(Debug, Clone, Copy)]
enum SummaryLine {
    Meets,
    Headcount,
    Percent,
}

impl Labelled for SummaryLine {
    fn code(self) -> &'static str {
        match self {
            SummaryLine::Meets => "meets",
            SummaryLine::Headcount => "headcount",
            SummaryLine::Percent => "percent",
        }
    }

    fn label(self) -> &'static str {
        match self {
            SummaryLine::Meets => "Số người đạt tiêu chuẩn",
            SummaryLine::Headcount => "Tổng số người",
            SummaryLine::Percent => "Tỷ lệ đạt tiêu chuẩn (%)",
        }
    }
}

/// The columns of the compliance report's file.
const COLUMNS: [Column; 12] = [
    column("official_id", "Mã hệ thống cán bộ"),
    column("full_name", "Họ và tên"),
    column("unit_id", "Mã hệ thống đơn vị công tác"),
    column("unit_name", "Đơn vị công tác"),
    column("position_id", "Mã hệ thống chức danh"),
    column("position_title", "Chức danh"),
    column("education_required", "Trình độ chuyên môn: yêu cầu"),
    column("education_held", "Trình độ chuyên môn: hiện có"),
    column("political_theory_required", "Lý luận chính trị: yêu cầu"),
    column("political_theory_held", "Lý luận chính trị: hiện có"),
    column("state_management_required", "Quản lý nhà nước: yêu cầu"),
    column("state_management_held", "Quản lý nhà nước: hiện có"),
];
