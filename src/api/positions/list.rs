use crate::api::prelude::*;
use crate::db::DbConn;
use crate::domain::Category;
use crate::exchange::export;
use crate::model::position::{Position, PositionSort};
use crate::model::Sort;

/// Filters of `GET /positions`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PositionListQuery {
    /// The order: a column (the schema names them), `-` before it for descending.
    #[param(schema_with = Sort::<PositionSort>::schema)]
    pub sort: Option<Sort<PositionSort>>,
    /// Part of the title; case and Vietnamese diacritics are ignored.
    #[validate(length(max = 200))]
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// Only positions of this category.
    pub category: Option<Category>,
}

/// Lists positions. Sort by `id`, `code`, `title` or `category` (default `id`).
#[utoipa::path(
    tag = "positions",
    params(PageQuery, PositionListQuery),
    responses((status = 200, description = "A page of positions.", body = Page<Position>), BadRequest, Unauthorized, Unprocessable)
)]
#[get("/positions")]
pub async fn list_positions(
    caller: Caller,
    db: web::Data<Db>,
    Paged(page, query): Paged<PositionListQuery>,
) -> Result<HttpResponse, ApiError> {
    list_records(&db, &caller, page, move |conn, _, limit, offset| {
        load(conn, query, limit, offset)
    })
    .await
}

/// The positions the query matches: one page, and how many in all.
fn load(
    conn: &mut DbConn,
    query: PositionListQuery,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Position>, i64), ApiError> {
    let sort = query.sort.unwrap_or_default();
    Position::list(conn, query.q.as_deref(), query.category, sort, limit, offset)
}

/// Every position the filters match, as a file (CSV or XLSX) that the positions import reads back.
#[utoipa::path(
    tag = "positions",
    params(DownloadQuery, PositionListQuery),
    responses(FileDownload, BadRequest, Unauthorized, Unprocessable)
)]
#[get("/positions/download")]
pub async fn download_positions(
    caller: Caller,
    db: web::Data<Db>,
    Download(file, query): Download<PositionListQuery>,
) -> Result<HttpResponse, ApiError> {
    download_records(
        &db,
        &caller,
        file,
        "q",
        move |conn, _, limit| load(conn, query, limit, 0),
        |_, rows| Ok(export::positions(rows)),
    )
    .await
}
