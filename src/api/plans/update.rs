use super::{act_as, editable_item, locked_plan, resolve_planned, Content, Planned};
use crate::api::prelude::*;
use crate::domain::{CourseKind, Dimension, PlanParty, PlanStatus};
use crate::model::plan::{Plan, PlanChanges, PlanItem, PlanItemChanges, PlanView};
use crate::model::plan_need::{OfficialsOf, PlanNeed};
use crate::model::unit::Unit;

patch_body! {
    /// The body of `PATCH /plans/{id}`: a move to another status, or a change of the note.
    pub struct UpdatePlan {
        /// The new status: `submitted` (by the plan's own unit, from `draft` or `returned`);
        /// `approved` or `returned` (by the level above, from `submitted`); `closed` (by the
        /// level above, from `approved`). Anything else is a 409 `illegal_transition`.
        status: set PlanStatus,
        /// Why the plan is returned: required with `status` `returned`, and only with it.
        #[validate(length(min = 1, max = 2000), custom(function = "not_blank"))]
        #[schema(max_length = 2000)]
        reason: set String,
        /// The unit's note (while the plan is a draft or returned).
        #[validate(length(max = 2000))]
        #[schema(max_length = 2000)]
        note: clearable String,
    }
}

update_handler! {
    /// Moves a plan through its statuses, or changes its note. The plan's own unit (its hr,
    /// or an admin) submits it; the level above (an hr user of an ancestor unit, or an admin)
    /// approves it, returns it with a reason, or closes it once approved. Each move is
    /// audited under its own action (`submit`, `approve`, `return`, `close`).
    fn update_plan("/plans/{id}") for Writer, body UpdatePlan => PlanView;
    tag "plans", id "The plan's id.", changed "The changed plan.";
    write |conn, audit, scope, id, if_match, body| {
        let current = locked_plan(conn, scope, id)?;
        let unit = Unit::find(conn, current.unit_id)?;
        let next = body.status.filter(|status| *status != current.status);
        let mut checks = Checks::default();
        match (next, &body.reason) {
            (Some(PlanStatus::Returned), None) => checks.add("reason", "is required to return a plan"),
            (next, Some(_)) if next != Some(PlanStatus::Returned) => {
                checks.add("reason", "is given only with status returned")
            }
            _ => {}
        }
        checks.finish()?;
        let at = crate::clock::now();
        let mut changes = PlanChanges::default();
        if let Some(next) = next {
            let party = current.status.moved_by(next).ok_or_else(|| {
                ApiError::Conflict(
                    ConflictKind::IllegalTransition,
                    format!(
                        "plan {id} is {} and cannot become {next}: a draft or returned plan is submitted; \
                         a submitted one approved or returned; an approved one closed",
                        current.status
                    ),
                )
            })?;
            act_as(scope, &unit, party)?;
            changes.status = Some(next);
            match next {
                PlanStatus::Submitted => {
                    changes.submitted_at = Some(Some(at));
                    changes.return_reason = Some(None);
                }
                PlanStatus::Approved => changes.approved_at = Some(Some(at)),
                PlanStatus::Returned => changes.return_reason = Some(body.reason.clone()),
                PlanStatus::Closed => changes.closed_at = Some(Some(at)),
                PlanStatus::Draft => {}
            }
        }
        if body.note.is_some() {
            act_as(scope, &unit, PlanParty::Owner)?;
            if !current.status.is_editable() {
                return Err(ApiError::Conflict(
                    ConflictKind::PlanNotEditable,
                    format!("plan {id} is {}: its note cannot change", current.status),
                ));
            }
            changes.note = body.note;
        }
        let changed = Plan::update(conn, id, &changes, if_match.expected(current.version))?;
        let action = next.map_or(AuditAction::Update, PlanStatus::audit_action);
        audit.record(action, AuditEntity::Plan, Some(id), Some(&current), Some(&changed))?;
        Plan::view(conn, changed)
    };
}

patch_body! {
    /// The body of `PATCH /plan-items/{id}`: the fields to change; `null` clears a nullable one.
    pub struct UpdatePlanItem {
        /// The course planned (its kind and level are copied); `null` to plan a kind and level instead.
        course_id: clearable i64,
        /// Without a course: the kind of course planned.
        kind: set CourseKind,
        /// Without a course: the dimension in which it should confer a level.
        dimension: clearable Dimension,
        /// Without a course: the level it should confer.
        #[validate(length(min = 1, max = 64))]
        level: clearable String as crate::domain::Level,
        /// How many people the unit plans to send.
        #[validate(range(min = 0, max = 100_000))]
        #[schema(minimum = 0, maximum = 100_000)]
        seats: set i32,
        /// The quarter it is planned for.
        #[validate(range(min = 1, max = 4))]
        #[schema(minimum = 1, maximum = 4)]
        quarter: clearable i32,
        /// What it is planned to cost, in đồng.
        #[validate(range(min = 0, max = 1_000_000_000_000_i64))]
        #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
        cost_vnd: set i64,
        /// What it is for.
        #[validate(length(max = 1000))]
        #[schema(max_length = 1000)]
        purpose: clearable String,
    }
}

update_handler! {
    /// Changes an item of a draft or returned plan (admins, and the hr of the plan's own unit).
    /// An item names a course or a kind and level: naming a course copies its kind and level;
    /// `course_id: null` keeps them as the item's own, which can then change. The level of an
    /// item with needs registered for it cannot change (409 `still_referenced`).
    fn update_plan_item("/plan-items/{id}") for Writer, body UpdatePlanItem => PlanItem;
    tag "plans", id "The item's id.", changed "The changed item.";
    write change_plan_item;
}

/// The change itself: what the handler runs in its transaction, and what an import runs for a
/// row that changes a stored item.
pub(crate) fn change_plan_item(
    conn: &mut crate::db::DbConn,
    audit: &mut crate::db::Audit,
    scope: &Scope,
    id: i64,
    if_match: IfMatch,
    body: UpdatePlanItem,
) -> Result<PlanItem, ApiError> {
    let current = editable_item(conn, scope, id)?;
    if body.course_id.is_some() {
        // The needs registered for it are judged again, under their officials' locks.
        PlanNeed::lock_judged(conn, OfficialsOf::Item(id))?;
    }
    let course_id = body.course_id.unwrap_or(current.course_id);
    let touched = body.course_id.is_some() || body.kind.is_some() || body.dimension.is_some() || body.level.is_some();
    let Content {
        course_id,
        kind,
        dimension,
        level,
    } = if !touched {
        // Nothing of what it plans is touched: the copy of a course stays as it was made.
        Content {
            course_id: current.course_id,
            kind: current.kind,
            dimension: current.dimension,
            level: current.level.clone(),
        }
    } else if course_id.is_some() {
        // A course named, or kept: what it plans comes from it, and the body gives none of it.
        resolve_planned(
            conn,
            Planned {
                course_id,
                kind: body.kind,
                dimension: body.dimension.flatten(),
                level: body.level.clone().flatten(),
            },
        )?
    } else {
        // No course: the kind and level as the body changes them.
        resolve_planned(
            conn,
            Planned {
                course_id: None,
                kind: Some(body.kind.unwrap_or(current.kind)),
                dimension: body.dimension.unwrap_or(current.dimension),
                level: body.level.clone().unwrap_or(current.level.clone()),
            },
        )?
    };
    if (dimension, &level) != (current.dimension, &current.level) {
        let needs = PlanNeed::of_item(conn, id)?;
        if needs > 0 {
            return Err(ApiError::Conflict(
                ConflictKind::StillReferenced,
                format!(
                    "plan item {id} has {needs} needs registered for its level: the level cannot change \
                     (delete those needs, or add another item)"
                ),
            ));
        }
    }
    let changes = PlanItemChanges {
        course_id: Some(course_id),
        kind: Some(kind),
        dimension: Some(dimension),
        level: Some(level),
        seats: body.seats,
        quarter: body.quarter,
        cost_vnd: body.cost_vnd,
        purpose: body.purpose,
    };
    let changed = PlanItem::update(conn, id, &changes, if_match.expected(current.version))?;
    audit.updated(AuditEntity::PlanItem, id, &current, &changed)?;
    Ok(changed)
}
