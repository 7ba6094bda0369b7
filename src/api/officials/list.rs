use crate::api::prelude::*;
use crate::db::DbConn;
use crate::domain::{Category, Gender, OfficialStatus};
use crate::exchange::export;
use crate::model::official::{Official, OfficialFilter, OfficialSort};
use crate::model::Sort;

/// Filters of `GET /officials`.
#[derive(Debug, Clone, Deserialize, Validate, IntoParams)]
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

list_handlers! {
    /// Lists officials (for an `hr` user, those whose current unit is in their subtree). Sort by `id`, `code`, `full_name` or `date_of_birth` (default `id`).
    fn list_officials("/officials") -> Page<Official>, "A page of officials.";
    /// Every official the filters match (for an `hr` user, within their subtree), as a file (CSV
    /// or XLSX) with each one's current post and levels, which the officials import reads back.
    fn download_officials("/officials/download");
    tag "officials", query OfficialListQuery, errors ListErrors, narrow "unit_id";
    load load, table export::officials;
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
