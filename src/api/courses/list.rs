use crate::api::prelude::*;
use crate::domain::{CourseKind, Track};
use crate::model::course::{Course, CourseFilter, CourseSort};
use crate::model::parse_sort;

/// Filters of `GET /courses`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CourseListQuery {
    /// Order by one of `id`, `code`, `title`, `kind`; prefix with `-` for descending.
    #[validate(length(max = 32))]
    #[param(pattern = "^-?(id|code|title|kind)$", max_length = 32)]
    pub sort: Option<String>,
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
    let sort = parse_sort::<CourseSort>(query.sort.as_deref())?;
    let (limit, offset) = (page.limit(), page.offset());
    let filter = CourseFilter {
        q: query.q,
        kind: query.kind,
        track: query.track,
    };
    let (items, total) = db
        .run_as(&caller, move |conn, _| Course::list(conn, &filter, sort, limit, offset))
        .await?;
    Ok(HttpResponse::Ok().json(page.page(items, total)))
}
