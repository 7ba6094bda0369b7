//! Training plans: one per unit per year, approved up the tree, and its items — what the
//! unit plans to send people to.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use serde::Serialize;
use utoipa::ToSchema;

use super::keyset::{Column, KeyKind, Listed, Order, Window};
use super::unit::Subtree;
use super::UtcTime;
use crate::clock::now;
use crate::db::schema::{plan_items, plan_needs, plans, units};
use crate::db::{lock_row, DbConn, Table};
use crate::domain::{CourseKind, Dimension, PlanStatus};
use crate::error::ApiError;

/// A unit's training plan for a year (kế hoạch đào tạo, bồi dưỡng).
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = plans)]
pub struct Plan {
    /// The plan's id.
    pub id: i64,
    /// The unit whose plan it is.
    pub unit_id: i64,
    /// The year it plans.
    pub year: i32,
    /// Where it stands: `draft` → `submitted` → `approved` | `returned`; `returned` →
    /// `submitted`; `approved` → `closed`.
    pub status: PlanStatus,
    /// Why the level above returned it, until it is submitted again.
    pub return_reason: Option<String>,
    /// A free-text note of the unit's.
    pub note: Option<String>,
    /// When it was last submitted (UTC).
    pub submitted_at: Option<UtcTime>,
    /// When it was approved (UTC).
    pub approved_at: Option<UtcTime>,
    /// When it was closed (UTC).
    pub closed_at: Option<UtcTime>,
    /// When the record was created (UTC).
    pub created_at: UtcTime,
    /// When the record last changed (UTC).
    pub updated_at: UtcTime,
    /// Version for optimistic concurrency: send it back in `If-Match`.
    pub version: i32,
}

/// A plan with its unit's names and what its items add up to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanView {
    #[serde(flatten)]
    pub plan: Plan,
    /// The unit's code.
    pub unit_code: String,
    /// The unit's name.
    pub unit_name: String,
    /// How many items it has.
    pub items: i64,
    /// The seats its items plan, in all.
    pub planned_seats: i64,
    /// What its items are planned to cost, in đồng.
    pub planned_cost_vnd: i64,
}

/// A plan and every item of it: what the audit log keeps of a deleted plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlanContents {
    #[serde(flatten)]
    pub plan: Plan,
    /// Its items.
    pub items: Vec<PlanItem>,
    /// Its needs.
    pub needs: Vec<super::plan_need::PlanNeed>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = plans)]
struct NewPlan {
    unit_id: i64,
    year: i32,
    status: PlanStatus,
    note: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// What a change of a plan writes.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = plans)]
pub struct PlanChanges {
    pub status: Option<PlanStatus>,
    pub return_reason: Option<Option<String>>,
    pub note: Option<Option<String>>,
    pub submitted_at: Option<Option<NaiveDateTime>>,
    pub approved_at: Option<Option<NaiveDateTime>>,
    pub closed_at: Option<Option<NaiveDateTime>>,
}

/// Filters of `GET /plans`.
#[derive(Debug, Default)]
pub struct PlanFilter {
    pub year: Option<i32>,
    pub status: Option<PlanStatus>,
    /// Only this unit's plan…
    pub unit_id: Option<i64>,
    /// …or the plans of this subtree's units.
    pub within: Option<Subtree>,
    /// For `hr` callers: only plans of their subtree.
    pub visible_within: Option<Subtree>,
}

/// One line of a plan: a course, or a kind of course and the level it should confer, with
/// the seats, the quarter and the cost planned.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = plan_items)]
pub struct PlanItem {
    /// The item's id.
    pub id: i64,
    /// The plan it belongs to.
    pub plan_id: i64,
    /// The course planned, if one is named.
    pub course_id: Option<i64>,
    /// The kind of course (the course's, when one is named).
    pub kind: CourseKind,
    /// The dimension in which it should confer a level (the course's, when one is named).
    pub dimension: Option<Dimension>,
    /// The level it should confer.
    #[schema(value_type = Option<crate::domain::Level>)]
    pub level: Option<String>,
    /// How many people the unit plans to send.
    pub seats: i32,
    /// The quarter it is planned for (1–4).
    pub quarter: Option<i32>,
    /// What it is planned to cost, in đồng.
    pub cost_vnd: i64,
    /// What it is for.
    pub purpose: Option<String>,
    /// When the record was created (UTC).
    pub created_at: UtcTime,
    /// When the record last changed (UTC).
    pub updated_at: UtcTime,
    /// Version for optimistic concurrency: send it back in `If-Match`.
    pub version: i32,
}

/// What a new item plans, as its creator gives it (the kind and level of a named course
/// already copied in).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = plan_items)]
pub struct NewPlanItem {
    pub plan_id: i64,
    pub course_id: Option<i64>,
    pub kind: CourseKind,
    pub dimension: Option<Dimension>,
    pub level: Option<String>,
    pub seats: i32,
    pub quarter: Option<i32>,
    pub cost_vnd: i64,
    pub purpose: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The fields a PATCH of an item may change.
#[derive(Debug, Default, Clone, AsChangeset)]
#[diesel(table_name = plan_items)]
pub struct PlanItemChanges {
    pub course_id: Option<Option<i64>>,
    pub kind: Option<CourseKind>,
    pub dimension: Option<Option<Dimension>>,
    pub level: Option<Option<String>>,
    pub seats: Option<i32>,
    pub quarter: Option<Option<i32>>,
    pub cost_vnd: Option<i64>,
    pub purpose: Option<Option<String>>,
}

// Every write of a plan's items locks the plan first (`Plan::lock`), then the item: a
// change of status and a change of its items run one at a time.
super::record_reads!(Plan, plans, "plan", Table::Plans);
super::record_writes!(Plan, plans, "plan", NewPlan, PlanChanges);
super::record_reads!(PlanItem, plan_items, "plan item", Table::PlanItems);
super::record_writes!(PlanItem, plan_items, "plan item", NewPlanItem, PlanItemChanges);

/// What the items of one plan add up to.
#[derive(Debug, Default, QueryableByName)]
struct ItemTotals {
    #[diesel(sql_type = BigInt)]
    plan_id: i64,
    #[diesel(sql_type = BigInt)]
    items: i64,
    #[diesel(sql_type = BigInt)]
    seats: i64,
    #[diesel(sql_type = BigInt)]
    cost: i64,
}

impl Plan {
    /// A new draft plan of `unit_id` for `year`; a second plan of the same unit and year is a 409.
    pub fn create(conn: &mut DbConn, unit_id: i64, year: i32, note: Option<String>) -> Result<Plan, ApiError> {
        let at = now();
        Plan::insert(
            conn,
            &NewPlan {
                unit_id,
                year,
                status: PlanStatus::Draft,
                note,
                created_at: at,
                updated_at: at,
            },
        )
    }

    /// Writes `changes` if the plan is still at version `expected`.
    pub fn update(conn: &mut DbConn, id: i64, changes: &PlanChanges, expected: i32) -> Result<Plan, ApiError> {
        Plan::write(conn, id, changes, expected)
    }

    /// Deletes the plan at version `expected` with its needs and items.
    pub fn delete(conn: &mut DbConn, id: i64, expected: i32) -> Result<(), ApiError> {
        diesel::delete(plan_needs::table.filter(plan_needs::plan_id.eq(id))).execute(conn)?;
        diesel::delete(plan_items::table.filter(plan_items::plan_id.eq(id))).execute(conn)?;
        Plan::remove(conn, id, expected, "is still referenced")
    }

    /// The plans with their units' names and their items' totals.
    pub fn views(conn: &mut DbConn, plans: Vec<Plan>) -> Result<Vec<PlanView>, ApiError> {
        if plans.is_empty() {
            return Ok(Vec::new());
        }
        let unit_ids: Vec<i64> = plans.iter().map(|p| p.unit_id).collect();
        let names: std::collections::HashMap<i64, (String, String)> = units::table
            .filter(units::id.eq_any(&unit_ids))
            .select((units::id, units::code, units::name))
            .load::<(i64, String, String)>(conn)?
            .into_iter()
            .map(|(id, code, name)| (id, (code, name)))
            .collect();
        // The ids are numbers the database gave: written into the statement, they stay numbers.
        let ids: Vec<String> = plans.iter().map(|p| p.id.to_string()).collect();
        let totals: std::collections::HashMap<i64, ItemTotals> = diesel::sql_query(format!(
            "SELECT plan_id, COUNT(*) AS items, CAST(COALESCE(SUM(seats), 0) AS BIGINT) AS seats, \
             CAST(COALESCE(SUM(cost_vnd), 0) AS BIGINT) AS cost \
             FROM plan_items WHERE plan_id IN ({}) GROUP BY plan_id",
            ids.join(", ")
        ))
        .load::<ItemTotals>(conn)?
        .into_iter()
        .map(|t| (t.plan_id, t))
        .collect();
        plans
            .into_iter()
            .map(|plan| {
                let (unit_code, unit_name) = names
                    .get(&plan.unit_id)
                    .cloned()
                    .ok_or_else(|| ApiError::internal(format!("plan {} names a missing unit", plan.id)))?;
                let totals = totals.get(&plan.id);
                Ok(PlanView {
                    unit_code,
                    unit_name,
                    items: totals.map_or(0, |t| t.items),
                    planned_seats: totals.map_or(0, |t| t.seats),
                    planned_cost_vnd: totals.map_or(0, |t| t.cost),
                    plan,
                })
            })
            .collect()
    }

    /// The plan with its unit's names and its items' totals.
    pub fn view(conn: &mut DbConn, plan: Plan) -> Result<PlanView, ApiError> {
        Plan::views(conn, vec![plan])?
            .pop()
            .ok_or_else(|| ApiError::internal("a plan's view is missing"))
    }

    /// A page of plans (by year, newest first, then by the unit tree's order; from a cursor's
    /// place, or an offset) and the total matching unless not counted.
    pub fn list(conn: &mut DbConn, filter: &PlanFilter, window: &Window) -> Result<Listed<PlanView>, ApiError> {
        let build = || {
            let mut query = plans::table.inner_join(units::table).into_boxed();
            if let Some(year) = filter.year {
                query = query.filter(plans::year.eq(year));
            }
            if let Some(status) = filter.status {
                query = query.filter(plans::status.eq(status));
            }
            if let Some(unit_id) = filter.unit_id {
                query = query.filter(plans::unit_id.eq(unit_id));
            }
            if let Some(subtree) = &filter.within {
                query = query.filter(subtree.paths());
            }
            if let Some(subtree) = &filter.visible_within {
                query = query.filter(subtree.paths());
            }
            query
        };
        let total = window.total(|| build().count().get_result(conn))?;
        let order = Order::fixed(
            "year, unit",
            vec![
                Column::desc("plans.year", KeyKind::Int),
                Column::asc("units.path", KeyKind::Text),
                Column::asc("plans.id", KeyKind::Int),
            ],
        );
        let rows: Vec<(Plan, String)> = order
            .apply(build(), window)?
            .then_order_by((plans::year.desc(), units::path.asc(), plans::id.asc()))
            .limit(window.rows())
            .offset(window.offset)
            .select((Plan::as_select(), units::path))
            .load(conn)?;
        let listed = order.page(window, rows, total, |(plan, path): &(Plan, String)| {
            vec![i64::from(plan.year).into(), path.as_str().into(), plan.id.into()]
        });
        Ok(Listed {
            items: Plan::views(conn, listed.items.into_iter().map(|(plan, _)| plan).collect())?,
            total: listed.total,
            next: listed.next,
        })
    }
}

impl PlanItem {
    /// Adds an item to a plan.
    pub fn create(conn: &mut DbConn, new: &NewPlanItem) -> Result<PlanItem, ApiError> {
        PlanItem::insert(conn, new)
    }

    /// Writes `changes` if the item is still at version `expected`.
    pub fn update(conn: &mut DbConn, id: i64, changes: &PlanItemChanges, expected: i32) -> Result<PlanItem, ApiError> {
        PlanItem::write(conn, id, changes, expected)
    }

    /// Deletes the item at version `expected`.
    pub fn delete(conn: &mut DbConn, id: i64, expected: i32) -> Result<(), ApiError> {
        PlanItem::remove(conn, id, expected, "is still referenced by needs")
    }

    /// A plan's items, by quarter (unscheduled last), then in the order they were added.
    pub fn of_plan(conn: &mut DbConn, plan_id: i64) -> Result<Vec<PlanItem>, ApiError> {
        Ok(plan_items::table
            .filter(plan_items::plan_id.eq(plan_id))
            .order_by((plan_items::quarter.is_null(), plan_items::quarter, plan_items::id))
            .load(conn)?)
    }
}
