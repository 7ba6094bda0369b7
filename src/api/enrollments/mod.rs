//! `/enrollments`: officials sent to classes, and the status machine that ends in a qualification.

mod create;
mod delete;
mod get;
mod list;
mod update;

pub use create::*;
pub use delete::*;
pub use get::*;
pub use list::*;
pub use update::*;

use crate::auth::Scope;
use crate::db::Audit;
use crate::db::DbConn;
use crate::domain::{AuditAction, AuditEntity};
use crate::error::{ApiError, Checks};
use crate::model::class::TrainingClass;
use crate::model::enrollment::{Enrollment, EnrollmentView, TrainingTerms};
use crate::model::official::Official;
use crate::model::unit::Unit;

/// Who is sent to a class, and by which unit (default: the unit they were assigned to on the
/// class's first day), as both POST endpoints' bodies give it.
#[derive(Debug)]
pub struct Nominee {
    /// The official sent.
    pub official_id: i64,
    /// The unit that sends them.
    pub sending_unit_id: Option<i64>,
    /// Where, how and at whose cost they train, where the nomination says.
    pub terms: TrainingTerms,
}

/// Nominates an official for the class `class_id`; both POST endpoints come here. The
/// official's row is locked, then the class's (the order of every enrollment write), so
/// that the checks of the person and of the seats hold until the nomination commits.
pub(crate) fn enroll(
    conn: &mut DbConn,
    scope: &Scope,
    audit: &mut Audit,
    class_id: i64,
    Nominee {
        official_id,
        sending_unit_id,
        terms,
    }: Nominee,
) -> Result<EnrollmentView, ApiError> {
    let mut checks = Checks::default();
    let official = checks.reference(Some(
        Official::lock(conn, official_id).map_err(|e| e.on_field("official_id")),
    ))?;
    let sending_unit =
        checks.reference(sending_unit_id.map(|unit| Unit::find_referenced(conn, unit, "sending_unit_id")))?;
    checks.finish()?;
    let official = official.ok_or_else(|| ApiError::field("official_id", "does not exist"))?;
    scope.check_unit(conn, official.unit_id)?;
    if let Some(unit) = &sending_unit {
        scope.check(unit)?;
    }
    let class = TrainingClass::lock(conn, class_id)?;
    scope.check_unit(conn, class.organizer_unit_id)?;
    let enrollment = Enrollment::create(conn, &class, &official, sending_unit_id, terms)?;
    audit.record::<(), _>(
        AuditAction::Enroll,
        AuditEntity::Enrollment,
        Some(enrollment.id),
        None,
        Some(&enrollment),
    )?;
    Enrollment::view(conn, enrollment.id)
}

/// The enrollment with this id, when the caller may see it: an `hr` user sees the
/// enrollments of officials now in their subtree and of classes organized there.
pub(crate) fn enrollment_in_reach(conn: &mut DbConn, scope: &Scope, id: i64) -> Result<Enrollment, ApiError> {
    let enrollment = Enrollment::find(conn, id)?;
    if let Scope::Subtree { .. } = scope {
        let official = Official::find(conn, enrollment.official_id)?;
        let class = TrainingClass::find(conn, enrollment.class_id)?;
        scope
            .check_unit(conn, official.unit_id)
            .or_else(|_| scope.check_unit(conn, class.organizer_unit_id))?;
    }
    Ok(enrollment)
}

/// The enrollment with this id, for a write: its official's row, its class's and its own are
/// locked in that order for the rest of the transaction (a change of status may take a seat
/// and confer a level). An `hr` user changes only enrollments whose official and class are
/// both in their subtree.
pub(crate) fn locked_enrollment(conn: &mut DbConn, scope: &Scope, id: i64) -> Result<Enrollment, ApiError> {
    // An enrollment's official and class never change: read them before taking the locks.
    let unlocked = Enrollment::find(conn, id)?;
    let official = Official::lock(conn, unlocked.official_id)?;
    let class = TrainingClass::lock(conn, unlocked.class_id)?;
    let enrollment = Enrollment::lock(conn, id)?;
    if let Scope::Subtree { .. } = scope {
        scope.check_unit(conn, official.unit_id)?;
        scope.check_unit(conn, class.organizer_unit_id)?;
    }
    Ok(enrollment)
}
