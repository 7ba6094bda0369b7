use crate::api::prelude::*;
use crate::db::DbConn;
use crate::domain::UnitKind;
use crate::exchange::export;
use crate::model::search::Search;
use crate::model::unit::{Unit, UnitFilter, UnitSort};
use crate::model::Sort;

/// Filters of `GET /units`.
#[derive(Debug, Clone, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitListQuery {
    /// The order: a column (the schema names them), `-` before it for descending.
    #[param(schema_with = Sort::<UnitSort>::schema)]
    pub sort: Option<Sort<UnitSort>>,
    /// Words to find, in any order, each the beginning of a word of the name or of the code;
    /// case and Vietnamese diacritics are ignored. Unless `sort` is given, the exact name or
    /// code comes first, then names holding every word, then those found by their code.
    #[validate(length(max = 200))]
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// Only units of this kind.
    pub kind: Option<UnitKind>,
    /// Only the direct children of this unit.
    pub parent_id: Option<i64>,
    /// Only this unit and the units below it.
    pub unit_id: Option<i64>,
}

list_handlers! {
    /// Lists units (for an `hr` user, those of their subtree). Sort by `id`, `code`, `name` or `kind` (default `id`).
    fn list_units("/units") -> Page<Unit>, "A page of units.";
    /// Every unit the filters match, as a file (CSV or XLSX) that the units import reads back.
    fn download_units("/units/download");
    tag "units", query UnitListQuery, errors ListErrors, narrow "unit_id";
    load load, table export::units;
}

/// The units the query matches for the caller: one page, and how many in all.
fn load(conn: &mut DbConn, scope: &Scope, query: UnitListQuery, window: &Window) -> Result<Listed<Unit>, ApiError> {
    let within = scope.within(conn, query.unit_id, "unit_id")?;
    let filter = UnitFilter {
        q: query.q.as_deref().and_then(Search::parse),
        kind: query.kind,
        parent_id: query.parent_id,
        within,
    };
    Unit::list(conn, &filter, query.sort, window)
}
