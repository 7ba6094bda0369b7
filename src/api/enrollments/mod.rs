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
use crate::db::DbConn;
use crate::error::{ApiError, Checks};
use crate::model::audit::Audit;
use crate::model::class::TrainingClass;
use crate::model::enrollment::{Enrollment, EnrollmentView};
use crate::model::official::Official;
use crate::model::unit::Unit;

/// Nominates `official_id` for `class`; both POST endpoints come here.
pub(crate) fn enroll(
    conn: &mut DbConn,
    scope: &Scope,
    audit: &mut Audit,
    class: &TrainingClass,
    official_id: i64,
    sending_unit_id: Option<i64>,
) -> Result<EnrollmentView, ApiError> {
    let mut checks = Checks::default();
    let official = checks.reference(Some(Official::find_referenced(conn, official_id, "official_id")))?;
    checks.reference(sending_unit_id.map(|unit| Unit::find_referenced(conn, unit, "sending_unit_id")))?;
    checks.finish()?;
    let official = official.ok_or_else(|| ApiError::field("official_id", "does not exist"))?;
    scope.check_unit(conn, official.unit_id)?;
    scope.check_unit(conn, class.organizer_unit_id)?;
    let enrollment = Enrollment::create(conn, class, &official, sending_unit_id)?;
    audit.record::<(), _>("enroll", "enrollment", Some(enrollment.id), None, Some(&enrollment))?;
    Enrollment::view(conn, enrollment.id)
}

/// The enrollment with this id, when the caller may see it: an `hr` user sees the
/// enrollments of officials now in their subtree and of classes organized there, and
/// changes only those where both are.
pub(crate) fn reachable(conn: &mut DbConn, scope: &Scope, id: i64, to_write: bool) -> Result<Enrollment, ApiError> {
    let enrollment = Enrollment::find(conn, id)?;
    if let Scope::Subtree { .. } = scope {
        let official = Official::find(conn, enrollment.official_id)?;
        let class = TrainingClass::find(conn, enrollment.class_id)?;
        let person = scope.check_unit(conn, official.unit_id).map(|_| ());
        let organizer = scope.check_unit(conn, class.organizer_unit_id).map(|_| ());
        if to_write {
            person.and(organizer)?;
        } else {
            person.or(organizer)?;
        }
    }
    Ok(enrollment)
}
