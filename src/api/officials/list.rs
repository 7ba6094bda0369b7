use crate::api::prelude::*;
use crate::db::DbConn;
use crate::domain::{Category, Gender, OfficialStatus};
use crate::exchange::export;
use crate::model::official::{Official, OfficialFilter, OfficialSort};
use crate::model::Sort;

/// Filters of `GET /officials`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OfficialListQuery {
    /// The order: a column (the schema names them), `-` before it for descending.
    #[param(schema_with = Sort::<OfficialSort>::schema)]
    pub sort: Option<Sort<OfficialSort>>,
    /// Part of the full name; case and Vietnamese diacritics are ignored ("nguyen van a" finds "Nguyễn Văn A").
    #[validate(length(max = 200))]
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// Only officials whose current unit is this one or below it.
    pub unit_id: Option<i64>,
    /// Only this category.
    pub category: Option<Category>,
    /// Only this status.
    pub status: Option<OfficialStatus>,
    /// Only holders of this position.
    pub position_id: Option<i64>,
    /// Only this gender.
    pub gender: Option<Gender>,
}

/// Lists officials (for an `hr` user, those whose current unit is in their subtree). Sort by `id`, `code`, `full_name` or `date_of_birth` (default `id`).
#[utoipa::path(
    tag = "officials",
    params(PageQuery, OfficialListQuery),
    responses((status = 200, description = "A page of officials.", body = Page<Official>), ListErrors)
)]
#[get("/officials")]
pub async fn list_officials(
    caller: Caller,
    db: web::Data<Db>,
    Paged(page, query): Paged<OfficialListQuery>,
) -> Result<HttpResponse, ApiError> {
    list_records(&db, &caller, page, move |conn, scope, limit, offset| {
        load(conn, scope, query, limit, offset)
    })
    .await
}

/// The officials the query matches for the caller: one page, and how many in all.
fn load(
    conn: &mut DbConn,
    scope: &Scope,
    query: OfficialListQuery,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Official>, i64), ApiError> {
    let within = scope.within(conn, query.unit_id, "unit_id")?;
    let filter = OfficialFilter {
        q: query.q,
        within,
        category: query.category,
        status: query.status,
        position_id: query.position_id,
        gender: query.gender,
    };
    Official::list(conn, &filter, query.sort.unwrap_or_default(), limit, offset)
}

/// Every official the filters match (for an `hr` user, within their subtree), as a file (CSV
/// or XLSX) with each one's current post and levels, which the officials import reads back.
#[utoipa::path(
    tag = "officials",
    params(DownloadQuery, OfficialListQuery),
    responses(FileDownload, ListErrors)
)]
#[get("/officials/download")]
pub async fn download_officials(
    caller: Caller,
    db: web::Data<Db>,
    Download(file, query): Download<OfficialListQuery>,
) -> Result<HttpResponse, ApiError> {
    download_records(
        &db,
        &caller,
        file,
        "unit_id",
        move |conn, scope, limit| load(conn, scope, query, limit, 0),
        export::officials,
    )
    .await
}
