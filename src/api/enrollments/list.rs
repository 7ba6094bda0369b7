use crate::api::prelude::*;
use crate::db::DbConn;
use crate::domain::EnrollmentStatus;
use crate::exchange::export;
use crate::model::enrollment::{Enrollment, EnrollmentFilter, EnrollmentView};

/// Filters of `GET /enrollments`.
#[derive(Debug, Clone, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EnrollmentListQuery {
    /// Only this status.
    pub status: Option<EnrollmentStatus>,
    /// Only this class.
    pub class_id: Option<i64>,
    /// Only this official.
    pub official_id: Option<i64>,
    /// Only enrollments sent by this unit or a unit below it.
    pub sending_unit_id: Option<i64>,
    /// Only classes that start in this year.
    #[validate(range(min = 1900, max = 2200))]
    #[param(minimum = 1900, maximum = 2200)]
    pub year: Option<i32>,
}

list_handlers! {
    /// Lists enrollments, newest class first (for an `hr` user, those of officials now in their
    /// subtree or of classes organized there).
    fn list_enrollments("/enrollments") -> Page<EnrollmentView>, "A page of enrollments.";
    /// Every enrollment the filters match, as a file (CSV or XLSX) that the enrollments import reads back.
    fn download_enrollments("/enrollments/download");
    tag "enrollments", query EnrollmentListQuery, errors ListErrors, narrow "year";
    load load, table export::enrollments;
}

/// The enrollments the query matches for the caller: one page, and how many in all.
fn load(
    conn: &mut DbConn,
    scope: &Scope,
    query: EnrollmentListQuery,
    window: &Window,
) -> Result<Listed<EnrollmentView>, ApiError> {
    let sent_within = query
        .sending_unit_id
        .map(|id| scope.subtree_of(conn, id, "sending_unit_id"))
        .transpose()?;
    let visible_within = scope.within(conn, None, "unit_id")?;
    let filter = EnrollmentFilter {
        status: query.status,
        class_id: query.class_id,
        official_id: query.official_id,
        sent_within,
        visible_within,
        year: query.year,
    };
    Enrollment::list(conn, &filter, window)
}
