use crate::api::prelude::*;
use crate::domain::Category;
use crate::model::parse_sort;
use crate::model::position::{Position, PositionSort};

/// Filters of `GET /positions`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PositionListQuery {
    /// Order by one of `id`, `code`, `title`, `category`; prefix with `-` for descending.
    #[validate(length(max = 32))]
    #[param(pattern = "^-?(id|code|title|category)$", max_length = 32)]
    pub sort: Option<String>,
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
    let sort = parse_sort::<PositionSort>(query.sort.as_deref())?;
    let (limit, offset) = (page.limit(), page.offset());
    let (items, total) = db
        .run_as(&caller, move |conn, _| {
            Position::list(conn, query.q.as_deref(), query.category, sort, limit, offset)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page.page(items, total)))
}
