//! Plan against actual: what a unit's subtree planned for a year (its plans' items and
//! needs) against what it did (the people it sent, what that cost, how far the needs were met).
//!
//! The plans counted are the unit's own plan for the year, whatever its status, and the
//! approved or closed plans of the units below it: a parent's report is the consolidation
//! of what it approved. What was done is read from the enrollments the subtree's units sent
//! (enrolled, completed or failed) to classes starting in the year, and from the classes
//! they organized that year.

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use serde::Serialize;
use utoipa::ToSchema;

use super::{counted_statuses, held_classes, subtree};
use crate::db::schema::plan_items;
use crate::db::DbConn;
use crate::domain::{CourseKind, Dimension, Fulfilment, PlanStatus};
use crate::error::ApiError;
use crate::files::{column, Cell, Column, Labelled, Table};
use crate::model::class::year_bounds;
use crate::model::plan::PlanItem;
use crate::model::unit::Unit;

/// What was planned and what was done, for one item or one kind of course at one level.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Figures {
    /// Seats planned.
    pub planned_seats: i64,
    /// Needs registered.
    pub needs: i64,
    /// Needs met.
    pub needs_met: i64,
    /// Needs in progress.
    pub needs_in_progress: i64,
    /// Needs still open.
    pub needs_open: i64,
    /// People sent: enrollments (enrolled, completed or failed) by units of the subtree in
    /// classes of the year that match.
    pub sent: i64,
    /// Cost planned, in đồng.
    pub planned_cost_vnd: i64,
    /// Cost incurred, in đồng: the matching enrollments' `cost_vnd`, and the `cost_vnd` of the
    /// matching classes the subtree organized that year.
    pub actual_cost_vnd: i64,
}

impl Figures {
    fn add(&mut self, other: &Figures) {
        self.planned_seats += other.planned_seats;
        self.needs += other.needs;
        self.needs_met += other.needs_met;
        self.needs_in_progress += other.needs_in_progress;
        self.needs_open += other.needs_open;
        self.sent += other.sent;
        self.planned_cost_vnd += other.planned_cost_vnd;
        self.actual_cost_vnd += other.actual_cost_vnd;
    }

    /// Counts `n` needs judged `fulfilment`.
    fn count(&mut self, fulfilment: Fulfilment, n: i64) {
        self.needs += n;
        match fulfilment {
            Fulfilment::Met => self.needs_met += n,
            Fulfilment::InProgress => self.needs_in_progress += n,
            Fulfilment::Open => self.needs_open += n,
        }
    }
}

/// One item of a plan counted, against what was done.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemRow {
    /// The item.
    pub item_id: i64,
    /// Its plan.
    pub plan_id: i64,
    /// The plan's unit.
    pub unit_id: i64,
    /// The course planned, if one is named: the people sent to it count.
    pub course_id: Option<i64>,
    /// The kind of course.
    pub kind: CourseKind,
    /// The dimension of the level it should confer.
    pub dimension: Option<Dimension>,
    /// The level: the people sent to courses of this kind conferring it count.
    #[schema(value_type = Option<crate::domain::Level>)]
    pub level: Option<String>,
    /// The quarter planned.
    pub quarter: Option<i32>,
    /// What it is for.
    pub purpose: Option<String>,
    /// Its figures: the needs registered for it, the people sent to what it plans.
    #[serde(flatten)]
    pub figures: Figures,
}

/// One kind of course at one level, over every plan counted.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LevelRow {
    /// The kind of course.
    pub kind: CourseKind,
    /// The dimension of the level; null for courses that confer none.
    pub dimension: Option<Dimension>,
    /// The level; null for courses that confer none.
    #[schema(value_type = Option<crate::domain::Level>)]
    pub level: Option<String>,
    /// Its figures: the items and needs of this kind and level, the people sent to courses of it.
    #[serde(flatten)]
    pub figures: Figures,
}

/// The plan-vs-actual report of a unit's subtree for a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanVsActual {
    /// The unit.
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// The year.
    pub year: i32,
    /// The plans counted: the unit's own (any status) and the approved or closed plans below it.
    pub plan_ids: Vec<i64>,
    /// Every figure, summed: `needs`, `needs_met`, `needs_in_progress`, `needs_open`,
    /// `planned_seats`, `sent`, `planned_cost_vnd`, `actual_cost_vnd`.
    pub summary: Figures,
    /// Per kind of course and level, kinds in order, levels highest first.
    pub by_level: Vec<LevelRow>,
    /// Per item of the plans counted, by plan, then quarter.
    pub items: Vec<ItemRow>,
    /// With `group_by=unit`: the same report for each direct child unit.
    #[schema(no_recursion)]
    pub groups: Vec<PlanVsActual>,
}

/// The key of a row: a kind of course and the level it confers.
type Key = (CourseKind, Option<Dimension>, Option<String>);

/// The kind of course that confers levels of `dimension`: a need without an item counts there.
fn kind_of(dimension: Dimension) -> CourseKind {
    match dimension {
        Dimension::Education => CourseKind::Degree,
        Dimension::PoliticalTheory => CourseKind::PoliticalTheory,
        Dimension::StateManagement => CourseKind::StateManagement,
        Dimension::It => CourseKind::It,
        Dimension::ForeignLanguage => CourseKind::ForeignLanguage,
    }
}

#[derive(QueryableByName)]
struct PlanRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    unit_id: i64,
}

#[derive(QueryableByName)]
struct NeedRow {
    #[diesel(sql_type = Nullable<BigInt>)]
    item_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    dimension: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    level: Option<String>,
    #[diesel(sql_type = Text)]
    fulfilment: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// What the subtree did with one course that year.
#[derive(QueryableByName)]
struct CourseRow {
    #[diesel(sql_type = BigInt)]
    course_id: i64,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Nullable<Text>)]
    dimension: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    level: Option<String>,
    #[diesel(sql_type = BigInt)]
    sent: i64,
    #[diesel(sql_type = BigInt)]
    cost: i64,
}

fn parse<T>(parsed: Option<T>, what: &str, code: &str) -> Result<T, ApiError> {
    parsed.ok_or_else(|| ApiError::internal(format!("unknown {what} {code:?} in the database")))
}

/// The report for the subtree of `unit` in `year`; with `by_child`, the same for each direct child.
pub fn report(conn: &mut DbConn, unit: &Unit, year: i32, by_child: bool) -> Result<PlanVsActual, ApiError> {
    let mut report = one(conn, unit, year)?;
    if by_child {
        for (child_id, _) in Unit::children(conn, unit.id)? {
            let child = Unit::find(conn, child_id)?;
            report.groups.push(one(conn, &child, year)?);
        }
    }
    Ok(report)
}

fn one(conn: &mut DbConn, unit: &Unit, year: i32) -> Result<PlanVsActual, ApiError> {
    let (first, last) = year_bounds(year)?;
    let subtree = subtree();
    let decided = super::codes_in([PlanStatus::Approved, PlanStatus::Closed]);
    let plans: Vec<PlanRow> = diesel::sql_query(format!(
        "WITH {subtree} SELECT p.id AS id, p.unit_id AS unit_id FROM sub CROSS JOIN plans p \
         WHERE p.unit_id = sub.id AND p.year = $2 AND (p.unit_id = $3 OR p.status IN {decided}) ORDER BY p.id"
    ))
    .bind::<Text, _>(unit.path.clone())
    .bind::<Integer, _>(year)
    .bind::<BigInt, _>(unit.id)
    .load(conn)?;
    let plan_ids: Vec<i64> = plans.iter().map(|p| p.id).collect();
    let plan_units: BTreeMap<i64, i64> = plans.iter().map(|p| (p.id, p.unit_id)).collect();
    let items: Vec<PlanItem> = plan_items::table
        .filter(plan_items::plan_id.eq_any(&plan_ids))
        .order_by((
            plan_items::plan_id,
            plan_items::quarter.is_null(),
            plan_items::quarter,
            plan_items::id,
        ))
        .load(conn)?;
    let needs: Vec<NeedRow> = if plan_ids.is_empty() {
        Vec::new()
    } else {
        let ids: Vec<String> = plan_ids.iter().map(i64::to_string).collect();
        // Counted per item, level and fulfilment by the database: a province's plans hold
        // tens of thousands of needs, and only their counts are reported.
        diesel::sql_query(format!(
            "SELECT item_id, dimension, level, fulfilment, COUNT(*) AS n FROM plan_needs \
             WHERE plan_id IN ({}) GROUP BY item_id, dimension, level, fulfilment",
            ids.join(", ")
        ))
        .load(conn)?
    };
    // What the subtree did that year, per course: the people it sent and what they cost,
    // then the cost of the classes it organized.
    let (counted, held) = (counted_statuses(), held_classes());
    let sent: Vec<CourseRow> = diesel::sql_query(format!(
        "WITH {subtree} SELECT co.id AS course_id, co.kind AS kind, co.confers_dimension AS dimension, \
           co.confers_level AS level, COUNT(*) AS sent, CAST(COALESCE(SUM(e.cost_vnd), 0) AS BIGINT) AS cost \
         FROM sub CROSS JOIN enrollments e JOIN courses co ON co.id = e.course_id \
         WHERE e.sending_unit_id = sub.id AND e.starts_on >= $2 AND e.starts_on <= $3 AND e.status IN {counted} \
         GROUP BY co.id, co.kind, co.confers_dimension, co.confers_level"
    ))
    .bind::<Text, _>(unit.path.clone())
    .bind::<diesel::sql_types::Date, _>(first)
    .bind::<diesel::sql_types::Date, _>(last)
    .load(conn)?;
    let organized: Vec<CourseRow> = diesel::sql_query(format!(
        "WITH {subtree} SELECT co.id AS course_id, co.kind AS kind, co.confers_dimension AS dimension, \
           co.confers_level AS level, COUNT(*) AS sent, CAST(COALESCE(SUM(cl.cost_vnd), 0) AS BIGINT) AS cost \
         FROM sub CROSS JOIN classes cl JOIN courses co ON co.id = cl.course_id \
         WHERE cl.organizer_unit_id = sub.id AND cl.starts_on >= $2 AND cl.starts_on <= $3 AND cl.status IN {held} \
         GROUP BY co.id, co.kind, co.confers_dimension, co.confers_level"
    ))
    .bind::<Text, _>(unit.path.clone())
    .bind::<diesel::sql_types::Date, _>(first)
    .bind::<diesel::sql_types::Date, _>(last)
    .load(conn)?;

    // What each course did, under its kind and level.
    let mut done: Vec<(i64, Key, Figures)> = Vec::new();
    for (row, is_sent) in sent
        .iter()
        .map(|r| (r, true))
        .chain(organized.iter().map(|r| (r, false)))
    {
        let key: Key = (
            parse(CourseKind::parse(&row.kind), "course kind", &row.kind)?,
            row.dimension
                .as_deref()
                .map(|d| parse(Dimension::parse(d), "dimension", d))
                .transpose()?,
            row.level.clone(),
        );
        let figures = match done.iter_mut().find(|(course, _, _)| *course == row.course_id) {
            Some((_, _, figures)) => figures,
            None => {
                done.push((row.course_id, key, Figures::default()));
                &mut done
                    .last_mut()
                    .ok_or_else(|| ApiError::internal("a course row vanished"))?
                    .2
            }
        };
        if is_sent {
            figures.sent += row.sent;
        }
        figures.actual_cost_vnd += row.cost;
    }

    let item_key = |item: &PlanItem| -> Key { (item.kind, item.dimension, item.level.clone()) };
    let mut levels: BTreeMap<(usize, i32, Key), Figures> = BTreeMap::new();
    let order = |key: &Key| -> (usize, i32) {
        let kind = CourseKind::ALL.iter().position(|k| *k == key.0).unwrap_or(usize::MAX);
        let level = key
            .1
            .zip(key.2.as_deref())
            .and_then(|(dimension, level)| dimension.order_of(level))
            .map_or(1, |o| -i32::from(o));
        (kind, level)
    };
    let slot = |key: Key| -> (usize, i32, Key) {
        let (kind, level) = order(&key);
        (kind, level, key)
    };
    let mut rows: Vec<ItemRow> = Vec::with_capacity(items.len());
    for item in &items {
        let mut figures = Figures {
            planned_seats: i64::from(item.seats),
            planned_cost_vnd: item.cost_vnd,
            ..Figures::default()
        };
        for (course, key, did) in &done {
            let matches = match item.course_id {
                Some(named) => named == *course,
                None => *key == item_key(item),
            };
            if matches {
                figures.sent += did.sent;
                figures.actual_cost_vnd += did.actual_cost_vnd;
            }
        }
        let level = levels.entry(slot(item_key(item))).or_default();
        level.planned_seats += figures.planned_seats;
        level.planned_cost_vnd += figures.planned_cost_vnd;
        rows.push(ItemRow {
            item_id: item.id,
            plan_id: item.plan_id,
            unit_id: plan_units.get(&item.plan_id).copied().unwrap_or(unit.id),
            course_id: item.course_id,
            kind: item.kind,
            dimension: item.dimension,
            level: item.level.clone(),
            quarter: item.quarter,
            purpose: item.purpose.clone(),
            figures,
        });
    }
    // An item's place among `items` and `rows` (the same order).
    let place: HashMap<i64, usize> = items.iter().enumerate().map(|(at, item)| (item.id, at)).collect();
    for need in &needs {
        let judged = parse(Fulfilment::parse(&need.fulfilment), "fulfilment", &need.fulfilment)?;
        let at = need.item_id.and_then(|id| place.get(&id).copied());
        let key = match at {
            Some(at) => item_key(&items[at]),
            None => {
                let code = need.dimension.as_deref().unwrap_or_default();
                let dimension = parse(Dimension::parse(code), "dimension", code)?;
                (kind_of(dimension), Some(dimension), need.level.clone())
            }
        };
        levels.entry(slot(key)).or_default().count(judged, need.n);
        if let Some(row) = at.and_then(|at| rows.get_mut(at)) {
            row.figures.count(judged, need.n);
        }
    }
    // What was done counts under the rows the plans have: a kind and level nobody planned is not "actual".
    for (_, key, did) in &done {
        if let Some(figures) = levels.get_mut(&slot(key.clone())) {
            figures.sent += did.sent;
            figures.actual_cost_vnd += did.actual_cost_vnd;
        }
    }
    let mut summary = Figures::default();
    let by_level: Vec<LevelRow> = levels
        .into_iter()
        .map(|((_, _, (kind, dimension, level)), figures)| {
            summary.add(&figures);
            LevelRow {
                kind,
                dimension,
                level,
                figures,
            }
        })
        .collect();
    Ok(PlanVsActual {
        unit_id: unit.id,
        unit_name: unit.name.clone(),
        year,
        plan_ids,
        summary,
        by_level,
        items: rows,
        groups: Vec::new(),
    })
}

/// The summary lines that end the report's file (label in the first column, figure in the second).
#[derive(Debug, Clone, Copy)]
enum SummaryLine {
    Needs,
    Met,
    InProgress,
    Open,
    Seats,
    Sent,
    PlannedCost,
    ActualCost,
}

impl Labelled for SummaryLine {
    fn code(self) -> &'static str {
        match self {
            SummaryLine::Needs => "needs",
            SummaryLine::Met => "needs_met",
            SummaryLine::InProgress => "needs_in_progress",
            SummaryLine::Open => "needs_open",
            SummaryLine::Seats => "planned_seats",
            SummaryLine::Sent => "sent",
            SummaryLine::PlannedCost => "planned_cost_vnd",
            SummaryLine::ActualCost => "actual_cost_vnd",
        }
    }

    fn label(self) -> &'static str {
        match self {
            SummaryLine::Needs => "Tổng số nhu cầu đã đăng ký",
            SummaryLine::Met => "Số nhu cầu đã đáp ứng",
            SummaryLine::InProgress => "Số nhu cầu đang học",
            SummaryLine::Open => "Số nhu cầu chưa đáp ứng",
            SummaryLine::Seats => "Tổng số lượt người theo kế hoạch",
            SummaryLine::Sent => "Tổng số lượt người đã cử đi học",
            SummaryLine::PlannedCost => "Kinh phí theo kế hoạch (đồng)",
            SummaryLine::ActualCost => "Kinh phí thực hiện (đồng)",
        }
    }
}

/// The columns of the report's file.
const COLUMNS: [Column; 15] = [
    column("row", "Dòng"),
    column("unit_id", "Mã hệ thống đơn vị"),
    column("item_id", "Mã hệ thống nội dung kế hoạch"),
    column("kind", "Loại chương trình"),
    column("dimension", "Lĩnh vực trình độ"),
    column("level", "Trình độ"),
    column("quarter", "Quý"),
    column("planned_seats", "Số lượt người theo kế hoạch"),
    column("needs", "Số nhu cầu đăng ký"),
    column("needs_met", "Đã đáp ứng"),
    column("needs_in_progress", "Đang học"),
    column("needs_open", "Chưa đáp ứng"),
    column("sent", "Số lượt người đã cử đi học"),
    column("planned_cost_vnd", "Kinh phí theo kế hoạch (đồng)"),
    column("actual_cost_vnd", "Kinh phí thực hiện (đồng)"),
];

/// Which block a row of the file belongs to.
#[derive(Debug, Clone, Copy)]
enum Block {
    Level,
    Item,
}

impl Labelled for Block {
    fn code(self) -> &'static str {
        match self {
            Block::Level => "by_level",
            Block::Item => "item",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Block::Level => "Theo loại, trình độ",
            Block::Item => "Theo nội dung kế hoạch",
        }
    }
}

fn figure_cells(f: &Figures) -> [Cell; 8] {
    [
        f.planned_seats.into(),
        f.needs.into(),
        f.needs_met.into(),
        f.needs_in_progress.into(),
        f.needs_open.into(),
        f.sent.into(),
        Cell::Amount(f.planned_cost_vnd),
        Cell::Amount(f.actual_cost_vnd),
    ]
}

/// A level as a cell: its label for people, its code for programs (as given when it is not
/// one of the dimension's).
pub(crate) fn level_cell(dimension: Option<Dimension>, level: Option<&str>) -> Cell {
    match (dimension, level) {
        (Some(dimension), Some(level)) => Cell::level(dimension, level),
        (_, level) => level.into(),
    }
}

/// The report as a table: a row per kind and level, a row per item, then the summary.
pub fn to_table(report: &PlanVsActual, name: String) -> Table {
    let mut table = Table::new(name, &COLUMNS)
        .title("Báo cáo kết quả thực hiện kế hoạch đào tạo, bồi dưỡng")
        .title(format!("Đơn vị: {} — năm {}", report.unit_name, report.year));
    for row in &report.by_level {
        let mut cells = vec![
            Block::Level.into(),
            report.unit_id.into(),
            Cell::Empty,
            row.kind.into(),
            row.dimension.into(),
            level_cell(row.dimension, row.level.as_deref()),
            Cell::Empty,
        ];
        cells.extend(figure_cells(&row.figures));
        table.row(cells);
    }
    for row in &report.items {
        let mut cells = vec![
            Block::Item.into(),
            row.unit_id.into(),
            row.item_id.into(),
            row.kind.into(),
            row.dimension.into(),
            level_cell(row.dimension, row.level.as_deref()),
            row.quarter.into(),
        ];
        cells.extend(figure_cells(&row.figures));
        table.row(cells);
    }
    let s = &report.summary;
    for (line, value) in [
        (SummaryLine::Needs, s.needs.into()),
        (SummaryLine::Met, s.needs_met.into()),
        (SummaryLine::InProgress, s.needs_in_progress.into()),
        (SummaryLine::Open, s.needs_open.into()),
        (SummaryLine::Seats, s.planned_seats.into()),
        (SummaryLine::Sent, s.sent.into()),
        (SummaryLine::PlannedCost, Cell::Amount(s.planned_cost_vnd)),
        (SummaryLine::ActualCost, Cell::Amount(s.actual_cost_vnd)),
    ] {
        table.row(vec![line.into(), value]);
    }
    table
}
