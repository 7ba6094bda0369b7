//! `/plans`, `/plan-items` and `/plan-needs`: each unit's yearly training plan, what it
//! plans, who it registers as needing training, and its approval up the unit tree.
//!
//! Rights: admins do everything; auditors read; an `hr` user reads the plans of their
//! subtree, drafts and submits the plan of their own home unit, and approves, returns and
//! closes the plans of the units below it.

mod create;
mod delete;
mod get;
mod list;
mod needs;
mod update;

pub use create::*;
pub use delete::*;
pub use get::*;
pub use list::*;
pub use needs::*;
pub use update::*;

use crate::api::courses::check_level_of;
use crate::auth::Scope;
use crate::db::DbConn;
use crate::domain::{CourseKind, Dimension, PlanParty};
use crate::error::{ApiError, Checks, ConflictKind};
use crate::model::course::Course;
use crate::model::plan::{Plan, PlanItem};
use crate::model::unit::Unit;

/// The plan with this id, when the caller may see it (an `hr` user: a plan of their subtree).
pub(crate) fn plan_in_reach(conn: &mut DbConn, scope: &Scope, id: i64) -> Result<Plan, ApiError> {
    let plan = Plan::find(conn, id)?;
    scope.check_unit(conn, plan.unit_id)?;
    Ok(plan)
}

/// The plan with this id, locked for the rest of the write transaction, when the caller may see it.
pub(crate) fn locked_plan(conn: &mut DbConn, scope: &Scope, id: i64) -> Result<Plan, ApiError> {
    let plan = Plan::lock(conn, id)?;
    scope.check_unit(conn, plan.unit_id)?;
    Ok(plan)
}

/// A 403 unless the caller acts for `party` on a plan of `unit`: an admin acts for both; an
/// `hr` user is the owner of their home unit's plan and the approver of those below it.
pub(crate) fn act_as(scope: &Scope, unit: &Unit, party: PlanParty) -> Result<(), ApiError> {
    scope.check(unit)?;
    let Scope::Subtree { unit_id, .. } = scope else {
        return Ok(());
    };
    match party {
        PlanParty::Owner if *unit_id != unit.id => Err(ApiError::Forbidden(
            "only the hr of the plan's own unit (or an admin) drafts and submits it".to_owned(),
        )),
        PlanParty::Approver if *unit_id == unit.id => Err(ApiError::Forbidden(
            "a plan is approved, returned and closed by the level above its unit (or an admin), not by the unit itself"
                .to_owned(),
        )),
        _ => Ok(()),
    }
}

/// The plan of this id locked, for a change of what it plans: only its unit's own hr (or an
/// admin) changes it, and only while it is a draft or returned to the unit (else a 409).
pub(crate) fn editable_plan(conn: &mut DbConn, scope: &Scope, id: i64) -> Result<Plan, ApiError> {
    let plan = locked_plan(conn, scope, id)?;
    let unit = Unit::find(conn, plan.unit_id)?;
    act_as(scope, &unit, PlanParty::Owner)?;
    if !plan.status.is_editable() {
        return Err(ApiError::Conflict(
            ConflictKind::PlanNotEditable,
            format!(
                "plan {} is {}: what it plans cannot change (the level above returns it to the unit for changes)",
                plan.id, plan.status
            ),
        ));
    }
    Ok(plan)
}

/// The item of this id, locked with its plan (the plan first), for a change: see [`editable_plan`].
pub(crate) fn editable_item(conn: &mut DbConn, scope: &Scope, id: i64) -> Result<PlanItem, ApiError> {
    // An item's plan never changes: read it before taking the locks.
    let unlocked = PlanItem::find(conn, id)?;
    editable_plan(conn, scope, unlocked.plan_id)?;
    PlanItem::lock(conn, id)
}

/// What an item plans, as a body names it: a course, or a kind with the level it should confer.
#[derive(Debug, Clone)]
pub(crate) struct Planned {
    pub course_id: Option<i64>,
    pub kind: Option<CourseKind>,
    pub dimension: Option<Dimension>,
    pub level: Option<String>,
}

/// What an item plans, complete.
#[derive(Debug, Clone)]
pub(crate) struct Content {
    pub course_id: Option<i64>,
    pub kind: CourseKind,
    pub dimension: Option<Dimension>,
    pub level: Option<String>,
}

/// What an item plans, complete: a named course's kind and level copied from it (the body
/// then gives neither), else the kind given and the level it should confer, if any.
pub(crate) fn resolve_planned(conn: &mut DbConn, planned: Planned) -> Result<Content, ApiError> {
    let mut checks = Checks::default();
    match planned.course_id {
        Some(course_id) => {
            for (given, field) in [
                (planned.kind.is_some(), "kind"),
                (planned.dimension.is_some(), "dimension"),
                (planned.level.is_some(), "level"),
            ] {
                checks.check(
                    given,
                    field,
                    "comes from the course when course_id is given: leave it out",
                );
            }
            let course = checks.reference(Some(Course::find_referenced(conn, course_id, "course_id")))?;
            checks.finish()?;
            let course = course.ok_or_else(|| ApiError::field("course_id", "does not exist"))?;
            Ok(Content {
                course_id: Some(course.id),
                kind: course.kind,
                dimension: course.confers_dimension,
                level: course.confers_level,
            })
        }
        None => {
            let kind = checks.required(planned.kind, "kind");
            check_level_of(
                &mut checks,
                (planned.dimension, "dimension"),
                (planned.level.as_deref(), "level"),
            );
            checks.finish()?;
            let kind = kind.ok_or_else(|| ApiError::field("kind", "is required without course_id"))?;
            Ok(Content {
                course_id: None,
                kind,
                dimension: planned.dimension,
                level: planned.level,
            })
        }
    }
}
