//! Training needs: who a plan registers for what, and whether it was met. A need's
//! fulfilment is computed from the official's enrollments, never typed.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use serde::Serialize;
use utoipa::ToSchema;

use super::UtcTime;
use crate::db::schema::{officials, plan_needs, units};
use crate::db::{lock_row, DbConn, Table};
use crate::domain::{Dimension, EnrollmentStatus, Fulfilment, NeedReason};
use crate::error::ApiError;

/// One official registered in a plan for an item of it, or for a level without an item yet.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = plan_needs)]
pub struct PlanNeed {
    /// The need's id.
    pub id: i64,
    /// The plan that registers it.
    pub plan_id: i64,
    /// The official who needs the training.
    pub official_id: i64,
    /// The plan's item they are registered for, if any.
    pub item_id: Option<i64>,
    /// The plan's year.
    pub year: i32,
    /// The dimension of the level needed (the item's, when it names one).
    pub dimension: Option<Dimension>,
    /// The level needed: a course conferring it or a higher one meets the need.
    #[schema(value_type = Option<crate::domain::Level>)]
    pub level: Option<String>,
    /// The level's rank, for matching courses that confer it or more.
    #[serde(skip)]
    pub level_rank: Option<i32>,
    /// Why: `standard` (to meet their post's standard), `succession`, `job` or `other`.
    pub reason: NeedReason,
    /// A free-text note.
    pub note: Option<String>,
    /// When the record was created (UTC).
    pub created_at: UtcTime,
    /// When the record last changed (UTC).
    pub updated_at: UtcTime,
    /// Version for optimistic concurrency: send it back in `If-Match`.
    pub version: i32,
}

/// A need with the official's names and how far it has been met.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NeedView {
    #[serde(flatten)]
    pub need: PlanNeed,
    /// The official's staff code.
    pub official_code: String,
    /// The official's full name.
    pub full_name: String,
    /// The official's current unit.
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// `met` (a completed enrollment of the plan's year in the course, or in one conferring
    /// the level or more), `in_progress` (nominated or enrolled in one), else `open`.
    pub fulfilment: Fulfilment,
}

/// A new need, complete.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = plan_needs)]
pub struct NewNeed {
    pub plan_id: i64,
    pub official_id: i64,
    pub item_id: Option<i64>,
    pub year: i32,
    pub dimension: Option<Dimension>,
    pub level: Option<String>,
    pub level_rank: Option<i32>,
    pub reason: NeedReason,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The fields a PATCH of a need may change.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = plan_needs)]
pub struct NeedChanges {
    pub reason: Option<NeedReason>,
    pub note: Option<Option<String>>,
}

// A need is written under its plan's lock (`Plan::lock`), as the plan's items are.
super::record_reads!(PlanNeed, plan_needs, "plan need", Table::PlanNeeds);
super::record_writes!(PlanNeed, plan_needs, "plan need", NewNeed, NeedChanges);

/// SQL: the rank of the level the course `co` confers, from the domain's tables (NULL when
/// it confers none).
fn course_rank() -> String {
    let mut sql = "CASE".to_owned();
    for dimension in Dimension::ALL {
        for level in dimension.levels() {
            sql.push_str(&format!(
                " WHEN co.confers_dimension = '{}' AND co.confers_level = '{}' THEN {}",
                dimension.code(),
                level.code,
                level.rank.unwrap_or(0)
            ));
        }
    }
    sql.push_str(" END");
    sql
}

/// SQL: the fulfilment (`met`, `in_progress`, `open`) of the need `n`, whose item is `i` (left
/// joined), in the year `year`. An enrollment of the official meets it when its course is the
/// item's course or confers the need's dimension at its level or above: completed, of a class
/// that started in the year or completed in it, it is met; nominated or enrolled in a class
/// that started by the year's end, in progress.
pub(crate) fn fulfilment(year: i32) -> String {
    let (first, last) = (format!("'{year:04}-01-01'"), format!("'{year:04}-12-31'"));
    let matches = format!(
        "(e.course_id = i.course_id OR (n.dimension IS NOT NULL AND co.confers_dimension = n.dimension AND ({}) >= n.level_rank))",
        course_rank()
    );
    let enrollment =
        "SELECT 1 FROM enrollments e JOIN courses co ON co.id = e.course_id WHERE e.official_id = n.official_id";
    let pending = crate::reports::codes_in([EnrollmentStatus::Nominated, EnrollmentStatus::Enrolled]);
    format!(
        "CASE WHEN EXISTS ({enrollment} AND e.status = '{completed}' AND ((e.starts_on >= {first} AND e.starts_on <= {last}) \
            OR (e.completed_on >= {first} AND e.completed_on <= {last})) AND {matches}) THEN '{met}' \
         WHEN EXISTS ({enrollment} AND e.status IN {pending} AND e.starts_on <= {last} AND {matches}) THEN '{in_progress}' \
         ELSE '{open}' END",
        completed = EnrollmentStatus::Completed,
        met = Fulfilment::Met,
        in_progress = Fulfilment::InProgress,
        open = Fulfilment::Open,
    )
}

#[derive(QueryableByName)]
struct Judged {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    fulfilment: String,
}

#[derive(QueryableByName)]
struct Counted {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

impl PlanNeed {
    /// Registers a need.
    pub fn create(conn: &mut DbConn, new: &NewNeed) -> Result<PlanNeed, ApiError> {
        PlanNeed::insert(conn, new)
    }

    /// Writes `changes` if the need is still at version `expected`.
    pub fn update(conn: &mut DbConn, id: i64, changes: &NeedChanges, expected: i32) -> Result<PlanNeed, ApiError> {
        PlanNeed::write(conn, id, changes, expected)
    }

    /// Deletes the need at version `expected`.
    pub fn delete(conn: &mut DbConn, id: i64, expected: i32) -> Result<(), ApiError> {
        PlanNeed::remove(conn, id, expected, "is still referenced")
    }

    /// Every need of a plan, in the order they were registered.
    pub fn of_plan(conn: &mut DbConn, plan_id: i64) -> Result<Vec<PlanNeed>, ApiError> {
        Ok(plan_needs::table
            .filter(plan_needs::plan_id.eq(plan_id))
            .order_by(plan_needs::id)
            .load(conn)?)
    }

    /// How many needs are registered for the item `item_id`.
    pub fn of_item(conn: &mut DbConn, item_id: i64) -> Result<i64, ApiError> {
        Ok(plan_needs::table
            .filter(plan_needs::item_id.eq(item_id))
            .count()
            .get_result(conn)?)
    }

    /// The official's needs of `year` in `dimension` at `rank` or above, in any plan.
    pub fn covering(
        conn: &mut DbConn,
        official_id: i64,
        year: i32,
        dimension: Dimension,
        rank: i32,
    ) -> Result<bool, ApiError> {
        let found: i64 = plan_needs::table
            .filter(plan_needs::official_id.eq(official_id))
            .filter(plan_needs::year.eq(year))
            .filter(plan_needs::dimension.eq(dimension))
            .filter(plan_needs::level_rank.ge(rank))
            .count()
            .get_result(conn)?;
        Ok(found > 0)
    }

    /// Registers many needs, a statement per thousand.
    pub fn create_many(conn: &mut DbConn, new: &[NewNeed]) -> Result<Vec<PlanNeed>, ApiError> {
        let mut created = Vec::with_capacity(new.len());
        for chunk in new.chunks(crate::db::ROWS_PER_INSERT) {
            let query = diesel::insert_into(plan_needs::table)
                .values(chunk)
                .returning(plan_needs::all_columns);
            created.extend(match conn {
                DbConn::Postgresql(pg) => query.get_results::<PlanNeed>(pg)?,
                DbConn::Sqlite(sqlite) => query.get_results::<PlanNeed>(sqlite)?,
            });
        }
        Ok(created)
    }

    /// The highest rank of the needs each of `officials` has in `year`, by dimension, in any plan.
    pub fn ranks_held(
        conn: &mut DbConn,
        officials: &[i64],
        year: i32,
    ) -> Result<std::collections::HashMap<(i64, Dimension), i32>, ApiError> {
        let mut held = std::collections::HashMap::new();
        for chunk in officials.chunks(10_000) {
            let rows: Vec<(i64, Option<Dimension>, Option<i32>)> = plan_needs::table
                .filter(plan_needs::official_id.eq_any(chunk))
                .filter(plan_needs::year.eq(year))
                .filter(plan_needs::level_rank.is_not_null())
                .group_by((plan_needs::official_id, plan_needs::dimension))
                .select((
                    plan_needs::official_id,
                    plan_needs::dimension,
                    diesel::dsl::max(plan_needs::level_rank),
                ))
                .load(conn)?;
            for (official, dimension, rank) in rows {
                if let (Some(dimension), Some(rank)) = (dimension, rank) {
                    held.insert((official, dimension), rank);
                }
            }
        }
        Ok(held)
    }

    /// The needs with these ids, with names and their fulfilment, in the order given.
    fn views(conn: &mut DbConn, judged: Vec<(i64, Fulfilment)>) -> Result<Vec<NeedView>, ApiError> {
        let ids: Vec<i64> = judged.iter().map(|(id, _)| *id).collect();
        let mut by_id = std::collections::HashMap::with_capacity(ids.len());
        // Within SQLite's limit on bound values.
        for chunk in ids.chunks(10_000) {
            let rows: Vec<(PlanNeed, String, String, i64, String)> = plan_needs::table
                .inner_join(officials::table.inner_join(units::table))
                .filter(plan_needs::id.eq_any(chunk))
                .select((
                    PlanNeed::as_select(),
                    officials::code,
                    officials::full_name,
                    officials::unit_id,
                    units::name,
                ))
                .load(conn)?;
            by_id.extend(rows.into_iter().map(|r| (r.0.id, r)));
        }
        judged
            .into_iter()
            .map(|(id, fulfilment)| {
                let (need, official_code, full_name, unit_id, unit_name) = by_id
                    .remove(&id)
                    .ok_or_else(|| ApiError::internal(format!("need {id} vanished while read")))?;
                Ok(NeedView {
                    need,
                    official_code,
                    full_name,
                    unit_id,
                    unit_name,
                    fulfilment,
                })
            })
            .collect()
    }

    /// One need with names and its fulfilment.
    pub fn view(conn: &mut DbConn, need: &PlanNeed) -> Result<NeedView, ApiError> {
        let (mut page, _) = PlanNeed::of_plans(conn, &[need.plan_id], need.year, None, Some(&[need.id]), 1, 0)?;
        page.pop().ok_or_else(|| ApiError::not_found("plan need", need.id))
    }

    /// A page of the needs of the plans `plan_ids` (all of `year`), by the officials' names,
    /// with their fulfilment, optionally only those at `status` (or only the needs `only`),
    /// and how many match in all.
    pub fn of_plans(
        conn: &mut DbConn,
        plan_ids: &[i64],
        year: i32,
        status: Option<Fulfilment>,
        only: Option<&[i64]>,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<NeedView>, i64), ApiError> {
        if plan_ids.is_empty() {
            return Ok((Vec::new(), 0));
        }
        // Ids and codes are the database's numbers and the domain's literals: no client text.
        let plans: Vec<String> = plan_ids.iter().map(i64::to_string).collect();
        let mut filters = String::new();
        if let Some(status) = status {
            filters.push_str(&format!(" AND j.fulfilment = '{status}'"));
        }
        if let Some(ids) = only {
            if ids.is_empty() {
                return Ok((Vec::new(), 0));
            }
            let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
            filters.push_str(&format!(" AND j.id IN ({})", ids.join(", ")));
        }
        let judged = format!(
            "(SELECT n.id AS id, n.official_id AS official_id, {} AS fulfilment \
              FROM plan_needs n LEFT JOIN plan_items i ON i.id = n.item_id WHERE n.plan_id IN ({})) j",
            fulfilment(year),
            plans.join(", ")
        );
        let total: Counted =
            diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {judged} WHERE 1 = 1{filters}")).get_result(conn)?;
        let page: Vec<Judged> = diesel::sql_query(format!(
            "SELECT j.id AS id, j.fulfilment AS fulfilment FROM {judged} JOIN officials o ON o.id = j.official_id \
             WHERE 1 = 1{filters} ORDER BY o.search_name, o.id, j.id LIMIT {limit} OFFSET {offset}"
        ))
        .load(conn)?;
        let judged = page
            .into_iter()
            .map(|j| {
                Fulfilment::parse(&j.fulfilment)
                    .map(|f| (j.id, f))
                    .ok_or_else(|| ApiError::internal(format!("unknown fulfilment {:?}", j.fulfilment)))
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        Ok((PlanNeed::views(conn, judged)?, total.n))
    }
}
