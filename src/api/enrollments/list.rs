use crate::api::prelude::*;
use crate::db::DbConn;
use crate::domain::EnrollmentStatus;
use crate::exchange::export;
use crate::model::enrollment::{Enrollment, EnrollmentFilter, EnrollmentView};

/// Filters of `GET /enrollments`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
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

/// Lists enrollments, newest class first (for an `hr` user, those of officials now in their
/// subtree or of classes organized there).
#[utoipa::path(
    tag = "enrollments",
    params(PageQuery, EnrollmentListQuery),
    responses((status = 200, description = "A page of enrollments.", body = Page<EnrollmentView>), ListErrors)
)]
#[get("/enrollments")]
pub async fn list_enrollments(
    caller: Caller,
    db: web::Data<Db>,
    Paged(page, query): Paged<EnrollmentListQuery>,
) -> Result<HttpResponse, ApiError> {
    list_records(&db, &caller, page, move |conn, scope, limit, offset| {
        load(conn, scope, query, limit, offset)
    })
    .await
}

/// The enrollments the query matches for the caller: one page, and how many in all.
fn load(
    conn: &mut DbConn,
    scope: &Scope,
    query: EnrollmentListQuery,
    limit: i64,
    offset: i64,
) -> Result<(Vec<EnrollmentView>, i64), ApiError> {
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
    Enrollment::list(conn, &filter, limit, offset)
}

/// Every enrollment the filters match, as a file (CSV or XLSX) that the enrollments import reads back.
#[utoipa::path(
    tag = "enrollments",
    params(DownloadQuery, EnrollmentListQuery),
    responses(FileDownload, ListErrors)
)]
#[get("/enrollments/download")]
pub async fn download_enrollments(
    caller: Caller,
    db: web::Data<Db>,
    Download(file, query): Download<EnrollmentListQuery>,
) -> Result<HttpResponse, ApiError> {
    download_records(
        &db,
        &caller,
        file,
        "year",
        move |conn, scope, limit| load(conn, scope, query, limit, 0),
        export::enrollments,
    )
    .await
}
