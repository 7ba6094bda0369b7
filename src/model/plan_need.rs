//! Training needs: who a plan registers for what, and whether it was met. A need's
//! fulfilment is computed from the official's enrollments, never typed: the database keeps
//! it on the need, judged again by every write that can change it (migration 26's triggers).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::keyset::{Column, KeyKind, Listed, Order, Window};
use super::UtcTime;
use crate::db::schema::{classes, enrollments, officials, plan_needs, units};
use crate::db::{lock_row, lock_rows, DbConn, Table};
use crate::domain::{Dimension, Fulfilment, NeedReason};
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
    /// How far it has been met, as the database judged it (shown by [`NeedView`]).
    #[serde(skip)]
    pub fulfilment: Fulfilment,
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
    /// The official's place in the name order (`given_name_key`): the list's order.
    #[serde(skip)]
    #[schema(ignore)]
    pub name_key: String,
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

/// Whose needs a write may judge again: the officials enrolled in a class (its dates or
/// course moved) or in a course's classes (what it confers changed), or registered for an
/// item (its course changed).
#[derive(Debug, Clone, Copy)]
pub enum OfficialsOf {
    Class(i64),
    Course(i64),
    Item(i64),
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

    /// Locks, in the order of their ids, the officials whose needs a write is about to judge
    /// again (through its triggers), as a need's registration and an enrollment's write lock
    /// their official's row: two such writes then run one after the other, and the second
    /// judges what the first committed. Taken before the class's or the course's lock, as
    /// enrollments take them (and after the plan's, as registrations do).
    pub fn lock_judged(conn: &mut DbConn, officials: OfficialsOf) -> Result<(), ApiError> {
        let ids: Vec<i64> = match officials {
            // Everyone enrolled: a need registered meanwhile is not visible yet.
            OfficialsOf::Class(class) => enrollments::table
                .filter(enrollments::class_id.eq(class))
                .select(enrollments::official_id)
                .load(conn)?,
            // By its classes: enrollments are indexed by class.
            OfficialsOf::Course(course) => enrollments::table
                .filter(
                    enrollments::class_id
                        .eq_any(classes::table.filter(classes::course_id.eq(course)).select(classes::id)),
                )
                .select(enrollments::official_id)
                .load(conn)?,
            // The item's registrations wait for its plan's lock, which the caller holds.
            OfficialsOf::Item(item) => plan_needs::table
                .filter(plan_needs::item_id.eq(item))
                .select(plan_needs::official_id)
                .load(conn)?,
        };
        Ok(lock_rows(conn, Table::Officials, &ids)?)
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

    /// One need with names and its fulfilment.
    pub fn view(conn: &mut DbConn, need: &PlanNeed) -> Result<NeedView, ApiError> {
        let mut page = PlanNeed::of_plans(
            conn,
            &[need.plan_id],
            need.year,
            None,
            Some(&[need.id]),
            &Window::first(1),
        )?;
        page.items
            .pop()
            .ok_or_else(|| ApiError::not_found("plan need", need.id))
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
        window: &Window,
    ) -> Result<Listed<NeedView>, ApiError> {
        let matching = || {
            let mut query = plan_needs::table
                .filter(plan_needs::plan_id.eq_any(plan_ids))
                .filter(plan_needs::year.eq(year))
                .into_boxed();
            if let Some(status) = status {
                query = query.filter(plan_needs::fulfilment.eq(status));
            }
            if let Some(ids) = only {
                query = query.filter(plan_needs::id.eq_any(ids));
            }
            query
        };
        let total = window.total(|| matching().count().get_result(conn))?;
        let order = Order::fixed(
            "given_name",
            vec![
                Column::asc("officials.given_name_key", KeyKind::Text),
                Column::asc("officials.id", KeyKind::Int),
                Column::asc("plan_needs.id", KeyKind::Int),
            ],
        );
        let rows: Vec<(PlanNeed, String, String, i64, String, String)> = order
            .apply(matching().inner_join(officials::table.inner_join(units::table)), window)?
            .then_order_by((officials::given_name_key, officials::id, plan_needs::id))
            .select((
                PlanNeed::as_select(),
                officials::code,
                officials::full_name,
                officials::unit_id,
                units::name,
                officials::given_name_key,
            ))
            .limit(window.rows())
            .offset(window.offset)
            .load(conn)?;
        let rows = rows
            .into_iter()
            .map(
                |(need, official_code, full_name, unit_id, unit_name, name_key)| NeedView {
                    fulfilment: need.fulfilment,
                    need,
                    official_code,
                    full_name,
                    unit_id,
                    unit_name,
                    name_key,
                },
            )
            .collect();
        Ok(order.page(window, rows, total, |view: &NeedView| {
            vec![
                view.name_key.as_str().into(),
                view.need.official_id.into(),
                view.need.id.into(),
            ]
        }))
    }
}
