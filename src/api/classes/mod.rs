//! `/classes`: runs of a course, and the officials enrolled in them.

mod create;
mod delete;
mod enroll;
mod get;
mod list;
mod roster;
mod update;

pub use create::*;
pub use delete::*;
pub use enroll::*;
pub use get::*;
pub use list::*;
pub use roster::*;
pub use update::*;

use chrono::NaiveDate;

use crate::auth::Scope;
use crate::db::DbConn;
use crate::error::{ApiError, Checks};
use crate::model::class::TrainingClass;

/// The class with this id, when the caller's scope reaches its organizer (else a 403).
pub(crate) fn class_in_reach(conn: &mut DbConn, scope: &Scope, id: i64) -> Result<TrainingClass, ApiError> {
    let class = TrainingClass::find(conn, id)?;
    scope.check_unit(conn, class.organizer_unit_id)?;
    Ok(class)
}

/// The same, the class's row locked_class for the rest of the write transaction.
pub(crate) fn locked_class(conn: &mut DbConn, scope: &Scope, id: i64) -> Result<TrainingClass, ApiError> {
    let class = TrainingClass::lock(conn, id)?;
    scope.check_unit(conn, class.organizer_unit_id)?;
    Ok(class)
}

/// A class cannot end before it starts.
pub(crate) fn check_schedule(checks: &mut Checks, starts_on: Option<NaiveDate>, ends_on: Option<NaiveDate>) {
    if let (Some(starts), Some(ends)) = (starts_on, ends_on) {
        checks.check(
            ends < starts,
            "ends_on",
            format!("must not be before starts_on ({starts})"),
        );
    }
}
