use crate::api::prelude::*;
use crate::domain::Category;
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
    let sort = query.sort.unwrap_or_default();
    list_records(&db, &caller, page, move |conn, _, limit, offset| {
        Position::list(conn, query.q.as_deref(), query.category, sort, limit, offset)
    })
    .await
}
