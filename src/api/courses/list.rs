use crate::api::prelude::*;
use crate::domain::{CourseKind, Track};
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
    let sort = query.sort.unwrap_or_default();
    let filter = CourseFilter {
        q: query.q,
        kind: query.kind,
        track: query.track,
    };
    list_records(&db, &caller, page, move |conn, _, limit, offset| {
        Course::list(conn, &filter, sort, limit, offset)
    })
    .await
}
