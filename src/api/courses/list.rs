use crate::api::prelude::*;
use crate::db::DbConn;
use crate::domain::{CourseKind, Track};
use crate::exchange::export;
use crate::model::course::{Course, CourseFilter, CourseSort};
use crate::model::Sort;

/// Filters of `GET /courses`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CourseListQuery {
    /// The order: a column (the schema names them), `-` before it for descending.
    #[param(schema_with = Sort::<CourseSort>::schema)]
    pub sort: Option<Sort<CourseSort>>,
    /// Part of the title; case and Vietnamese diacritics are ignored.
    #[validate(length(max = 200))]
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// Only courses of this kind.
    pub kind: Option<CourseKind>,
    /// Only courses on this track.
    pub track: Option<Track>,
}

/// Lists courses. Sort by `id`, `code`, `title` or `kind` (default `id`).
#[utoipa::path(
    tag = "courses",
    params(PageQuery, CourseListQuery),
    responses((status = 200, description = "A page of courses.", body = Page<Course>), BadRequest, Unauthorized, Unprocessable)
)]
#[get("/courses")]
pub async fn list_courses(
    caller: Caller,
    db: web::Data<Db>,
    Paged(page, query): Paged<CourseListQuery>,
) -> Result<HttpResponse, ApiError> {
    list_records(&db, &caller, page, move |conn, _, limit, offset| {
        load(conn, query, limit, offset)
    })
    .await
}

/// The courses the query matches: one page, and how many in all.
fn load(conn: &mut DbConn, query: CourseListQuery, limit: i64, offset: i64) -> Result<(Vec<Course>, i64), ApiError> {
    let filter = CourseFilter {
        q: query.q,
        kind: query.kind,
        track: query.track,
    };
    Course::list(conn, &filter, query.sort.unwrap_or_default(), limit, offset)
}

/// Every course the filters match, as a file (CSV or XLSX).
#[utoipa::path(
    tag = "courses",
    params(DownloadQuery, CourseListQuery),
    responses(FileDownload, BadRequest, Unauthorized, Unprocessable)
)]
#[get("/courses/download")]
pub async fn download_courses(
    caller: Caller,
    db: web::Data<Db>,
    Download(file, query): Download<CourseListQuery>,
) -> Result<HttpResponse, ApiError> {
    download_records(
        &db,
        &caller,
        file,
        "q",
        move |conn, _, limit| load(conn, query, limit, 0),
        |_, rows| Ok(export::courses(rows)),
    )
    .await
}
