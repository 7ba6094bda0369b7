//! `/reports`: qualification ratios, training activity and standards compliance, as JSON or CSV.

mod compliance;
mod qualifications;
mod training;

pub use compliance::*;
pub use qualifications::*;
pub use training::*;

use crate::auth::Scope;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::model::unit::Unit;

/// The unit a report is about: a 422 on `unit_id` when there is none, a 403 when it lies
/// outside an `hr` caller's subtree.
pub(crate) fn report_unit(conn: &mut DbConn, scope: &Scope, unit_id: Option<i64>) -> Result<Unit, ApiError> {
    let unit_id =
        unit_id.ok_or_else(|| ApiError::field("unit_id", "is required: the unit whose subtree the report covers"))?;
    let unit = Unit::find_referenced(conn, unit_id, "unit_id")?;
    scope.check(&unit)?;
    Ok(unit)
}

/// The longest period a training report covers, in days (a century).
pub(crate) const MAX_PERIOD_DAYS: i64 = 36_525;

pub(crate) use crate::clock::today;
