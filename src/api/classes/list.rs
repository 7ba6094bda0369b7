use crate::api::prelude::*;
use crate::db::DbConn;
use crate::domain::{ClassStatus, CourseKind};
use crate::exchange::export;
use crate::model::class::{ClassFilter, ClassSort, ClassView, TrainingClass};
use crate::model::search::Search;
use crate::model::Sort;

/// Filters of `GET /classes`.
#[derive(Debug, Clone, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClassListQuery {
    /// The order: a column (the schema names them), `-` before it for descending.
    #[param(schema_with = Sort::<ClassSort>::schema)]
    pub sort: Option<Sort<ClassSort>>,
    /// Words to find, in any order, each the beginning of a word of the name or of the code;
    /// case and Vietnamese diacritics are ignored. Unless `sort` is given, the exact name or
    /// code comes first, then names holding every word, then those found by their code.
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

list_handlers! {
    /// Lists classes with their counts (for an `hr` user, those organized in their subtree). Sort by `id`, `code`, `name` or `starts_on` (default `id`).
    fn list_classes("/classes") -> Page<ClassView>, "A page of classes.";
    /// Every class the filters match, with its learners, as a file (CSV or XLSX).
    fn download_classes("/classes/download");
    tag "classes", query ClassListQuery, errors ListErrors, narrow "year";
    load load, table export::classes;
}

/// The classes the query matches for the caller, with their counts: one page, and how many in all.
fn load(
    conn: &mut DbConn,
    scope: &Scope,
    query: ClassListQuery,
    window: &Window,
) -> Result<Listed<ClassView>, ApiError> {
    let organized_within = scope.within(conn, query.organizer_unit_id, "organizer_unit_id")?;
    let filter = ClassFilter {
        q: query.q.as_deref().and_then(Search::parse),
        course_id: query.course_id,
        organized_within,
        year: query.year,
        kind: query.kind,
        status: query.status,
    };
    let listed = TrainingClass::list(conn, &filter, query.sort, window)?;
    let classes = TrainingClass::with_counts(conn, listed.items)?;
    Ok(Listed {
        items: classes,
        total: listed.total,
        next: listed.next,
    })
}
