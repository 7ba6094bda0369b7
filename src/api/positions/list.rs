use crate::api::prelude::*;
use crate::db::DbConn;
use crate::domain::Category;
use crate::exchange::export;
use crate::model::position::{Position, PositionSort};
use crate::model::search::Search;
use crate::model::Sort;

/// Filters of `GET /positions`.
#[derive(Debug, Clone, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PositionListQuery {
    /// The order: a column (the schema names them), `-` before it for descending.
    #[param(schema_with = Sort::<PositionSort>::schema)]
    pub sort: Option<Sort<PositionSort>>,
    /// Words to find, in any order, each the beginning of a word of the title or of the code;
    /// case and Vietnamese diacritics are ignored. Unless `sort` is given, the exact title or
    /// code comes first, then titles holding every word, then those found by their code.
    #[validate(length(max = 200))]
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// Only positions of this category.
    pub category: Option<Category>,
}

list_handlers! {
    /// Lists positions. Sort by `id`, `code`, `title` or `category` (default `id`).
    fn list_positions("/positions") -> Page<Position>, "A page of positions.";
    /// Every position the filters match, as a file (CSV or XLSX) that the positions import reads back.
    fn download_positions("/positions/download");
    tag "positions", query PositionListQuery, errors CatalogueListErrors, narrow "q";
    load load, table |_, rows| Ok(export::positions(rows));
}

/// The positions the query matches: one page, and how many in all.
fn load(
    conn: &mut DbConn,
    _scope: &Scope,
    query: PositionListQuery,
    window: &Window,
) -> Result<Listed<Position>, ApiError> {
    let search = query.q.as_deref().and_then(Search::parse);
    Position::list(conn, search.as_ref(), query.category, query.sort, window)
}
