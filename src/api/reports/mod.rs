//! `/reports`: qualification ratios, training activity and standards compliance, as JSON or CSV.

mod compliance;
mod qualifications;
mod training;

pub use compliance::*;
pub use qualifications::*;
pub use training::*;

use crate::db::DbConn;
use crate::error::ApiError;
use crate::model::unit::Unit;

/// The unit a report is about, or a 422 on `unit_id`.
pub(crate) fn report_unit(conn: &mut DbConn, unit_id: Option<i64>) -> Result<Unit, ApiError> {
    let unit_id =
        unit_id.ok_or_else(|| ApiError::field("unit_id", "is required: the unit whose subtree the report covers"))?;
    Unit::find_referenced(conn, unit_id, "unit_id")
}

/// Today, the default day of a report.
pub(crate) fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}
