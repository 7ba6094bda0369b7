use crate::api::prelude::*;
use crate::db::DbConn;
use crate::domain::{CourseKind, Track};
use crate::exchange::export;
use crate::model::course::{Course, CourseFilter, CourseSort};
use crate::model::search::Search;
use crate::model::Sort;

/// Filters of `GET /courses`.
#[derive(Debug, Clone, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CourseListQuery {
    /// The order: a column (the schema names them), `-` before it for descending.
    #[param(schema_with = Sort::<CourseSort>::schema)]
    pub sort: Option<Sort<CourseSort>>,
    /// Words to find, in any order, each the beginning of a word of the title or of the code;
    /// case and Vietnamese diacritics are ignored. Unless `sort` is given, the exact title or
    /// code comes first, then titles holding every word, then those found by their code.
    #[validate(length(max = 200))]
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// Only courses of this kind.
    pub kind: Option<CourseKind>,
    /// Only courses on this track.
    pub track: Option<Track>,
}

list_handlers! {
    /// Lists courses. Sort by `id`, `code`, `title` or `kind` (default `id`).
    fn list_courses("/courses") -> Page<Course>, "A page of courses.";
    /// Every course the filters match, as a file (CSV or XLSX).
    fn download_courses("/courses/download");
    tag "courses", query CourseListQuery, errors CatalogueListErrors, narrow "q";
    load load, table |_, rows| Ok(export::courses(rows));
}

/// The courses the query matches: one page, and how many in all.
fn load(
    conn: &mut DbConn,
    _scope: &Scope,
    query: CourseListQuery,
    window: &Window,
) -> Result<Listed<Course>, ApiError> {
    let filter = CourseFilter {
        q: query.q.as_deref().and_then(Search::parse),
        kind: query.kind,
        track: query.track,
    };
    Course::list(conn, &filter, query.sort, window)
}
