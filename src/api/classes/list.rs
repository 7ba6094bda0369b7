use crate::api::prelude::*;
use crate::db::DbConn;
use crate::domain::{ClassStatus, CourseKind};
use crate::exchange::export;
use crate::model::class::{ClassFilter, ClassSort, ClassView, TrainingClass};
use crate::model::Sort;

/// Filters of `GET /classes`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClassListQuery {
    /// The order: a column (the schema names them), `-` before it for descending.
    #[param(schema_with = Sort::<ClassSort>::schema)]
    pub sort: Option<Sort<ClassSort>>,
    /// Part of the name; case and Vietnamese diacritics are ignored.
    #[validate(length(max = 200))]
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// Only classes of this course.
    pub course_id: Option<i64>,
    /// Only classes organized by this unit or a unit below it.
    pub organizer_unit_id: Option<i64>,
    /// Only classes that start in this year.
    #[validate(range(min = 1900, max = 2200))]
    #[param(minimum = 1900, maximum = 2200)]
    pub year: Option<i32>,
    /// Only classes of courses of this kind.
    pub kind: Option<CourseKind>,
    /// Only classes with this status.
    pub status: Option<ClassStatus>,
}

/// Lists classes with their counts (for an `hr` user, those organized in their subtree). Sort by `id`, `code`, `name` or `starts_on` (default `id`).
#[utoipa::path(
    tag = "classes",
    params(PageQuery, ClassListQuery),
    responses((status = 200, description = "A page of classes.", body = Page<ClassView>), ListErrors)
)]
#[get("/classes")]
pub async fn list_classes(
    caller: Caller,
    db: web::Data<Db>,
    Paged(page, query): Paged<ClassListQuery>,
) -> Result<HttpResponse, ApiError> {
    list_records(&db, &caller, page, move |conn, scope, limit, offset| {
        load(conn, scope, query, limit, offset)
    })
    .await
}

/// The classes the query matches for the caller, with their counts: one page, and how many in all.
fn load(
    conn: &mut DbConn,
    scope: &Scope,
    query: ClassListQuery,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ClassView>, i64), ApiError> {
    let organized_within = scope.within(conn, query.organizer_unit_id, "organizer_unit_id")?;
    let filter = ClassFilter {
        q: query.q,
        course_id: query.course_id,
        organized_within,
        year: query.year,
        kind: query.kind,
        status: query.status,
    };
    let sort = query.sort.unwrap_or_default();
    let (classes, total) = TrainingClass::list(conn, &filter, sort, limit, offset)?;
    Ok((TrainingClass::with_counts(conn, classes)?, total))
}

/// Every class the filters match, with its learners, as a file (CSV or XLSX).
#[utoipa::path(
    tag = "classes",
    params(DownloadQuery, ClassListQuery),
    responses(FileDownload, ListErrors)
)]
#[get("/classes/download")]
pub async fn download_classes(
    caller: Caller,
    db: web::Data<Db>,
    Download(file, query): Download<ClassListQuery>,
) -> Result<HttpResponse, ApiError> {
    download_records(
        &db,
        &caller,
        file,
        "year",
        move |conn, scope, limit| load(conn, scope, query, limit, 0),
        export::classes,
    )
    .await
}
