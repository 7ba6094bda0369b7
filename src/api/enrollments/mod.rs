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

use crate::db::DbConn;
use crate::error::{ApiError, Checks};
use crate::model::class::TrainingClass;
use crate::model::enrollment::{Enrollment, EnrollmentView};
use crate::model::official::Official;
use crate::model::unit::Unit;

/// Nominates `official_id` for `class`; both POST endpoints come here.
pub(crate) fn enroll(
    conn: &mut DbConn,
    class: &TrainingClass,
    official_id: i64,
    sending_unit_id: Option<i64>,
) -> Result<EnrollmentView, ApiError> {
    let mut checks = Checks::default();
    let official = Official::find(conn, official_id).ok();
    checks.check(
        official.is_none(),
        "official_id",
        format!("official {official_id} does not exist"),
    );
    if let Some(unit) = sending_unit_id {
        if Unit::find_referenced(conn, unit, "sending_unit_id").is_err() {
            checks.add("sending_unit_id", format!("unit {unit} does not exist"));
        }
    }
    checks.finish()?;
    let official = official.ok_or_else(|| ApiError::field("official_id", "does not exist"))?;
    let enrollment = Enrollment::create(conn, class, &official, sending_unit_id)?;
    Enrollment::view(conn, enrollment.id)
}
