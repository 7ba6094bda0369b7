//! Courses: what is taught, on which track, and the level completing it confers.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::keyset::{Key, KeyKind, Listed, Order, Window};
use super::search::{Kind, Search};
use super::{order_by_sort, Sort, UtcTime};
use crate::clock::now;
use crate::db::schema::{classes, courses, enrollments, qualifications};
use crate::db::{lock_row, DbConn, Table};
use crate::domain::{fold, CourseKind, Dimension, Track};
use crate::error::{ApiError, ConflictKind};

/// A course (chương trình): political theory, a degree, a refresher…
#[derive(Debug, Clone, Queryable, Serialize, ToSchema)]
pub struct Course {
    /// The course's id.
    pub id: i64,
    /// Unique code.
    pub code: String,
    /// Title, e.g. "Trung cấp lý luận chính trị - hành chính".
    pub title: String,
    #[serde(skip)]
    pub search_title: String,
    /// What it teaches.
    pub kind: CourseKind,
    /// `training` (leads to a diploma) or `refresher`.
    pub track: Track,
    /// The dimension in which completing it confers a level, if any.
    pub confers_dimension: Option<Dimension>,
    /// The level it confers in that dimension.
    #[schema(value_type = Option<crate::domain::Level>)]
    pub confers_level: Option<String>,
    /// Field of study recorded on the qualifications it confers (e.g. "Luật").
    pub field: Option<String>,
    /// Who teaches it, e.g. "Trường Chính trị tỉnh Vĩnh Phúc".
    pub provider: Option<String>,
    /// When the record was created (UTC).
    pub created_at: UtcTime,
    /// When the record last changed (UTC).
    pub updated_at: UtcTime,
    /// Version for optimistic concurrency: send it back in `If-Match`.
    pub version: i32,
    /// The rank of the level it confers (the domain's), for judging training needs in SQL.
    #[serde(skip)]
    pub confers_rank: Option<i32>,
}

/// The fields of a new course.
#[derive(Debug, Insertable)]
#[diesel(table_name = courses)]
pub struct NewCourse {
    pub code: String,
    pub title: String,
    pub search_title: String,
    pub kind: CourseKind,
    pub track: Track,
    pub confers_dimension: Option<Dimension>,
    pub confers_level: Option<String>,
    pub confers_rank: Option<i32>,
    pub field: Option<String>,
    pub provider: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What a new course is, as its creator gives it.
#[derive(Debug, Clone)]
pub struct CourseInput {
    pub code: String,
    pub title: String,
    pub kind: CourseKind,
    pub track: Option<Track>,
    pub confers_dimension: Option<Dimension>,
    pub confers_level: Option<String>,
    pub field: Option<String>,
    pub provider: Option<String>,
}

impl NewCourse {
    /// A new course's insert form, with its folded title; the track defaults from the kind.
    pub fn new(input: CourseInput) -> Self {
        let CourseInput {
            code,
            title,
            kind,
            track,
            confers_dimension,
            confers_level,
            field,
            provider,
        } = input;
        let at = now();
        NewCourse {
            code,
            search_title: fold(&title),
            title,
            kind,
            track: track.unwrap_or(kind.default_track()),
            confers_rank: conferred_rank(confers_dimension, confers_level.as_deref()),
            confers_dimension,
            confers_level,
            field,
            provider,
            created_at: at,
            updated_at: at,
        }
    }
}

/// The rank of the level a course conferring `level` in `dimension` confers, if any.
pub fn conferred_rank(dimension: Option<Dimension>, level: Option<&str>) -> Option<i32> {
    dimension.zip(level).and_then(|(d, l)| d.rank_of(l)).map(i32::from)
}

/// The fields a PATCH may change.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = courses)]
pub struct CourseChanges {
    pub code: Option<String>,
    pub title: Option<String>,
    pub search_title: Option<String>,
    pub kind: Option<CourseKind>,
    pub track: Option<Track>,
    pub confers_dimension: Option<Option<Dimension>>,
    pub confers_level: Option<Option<String>>,
    pub confers_rank: Option<Option<i32>>,
    pub field: Option<Option<String>>,
    pub provider: Option<Option<String>>,
}

super::sort_columns!(
    /// The columns `GET /courses` can be sorted by (the first is the default).
    CourseSort { Id = "id", Code = "code", Title = "title", Kind = "kind" }
);

/// Filters of `GET /courses`.
#[derive(Debug, Default)]
pub struct CourseFilter {
    pub q: Option<Search>,
    pub kind: Option<CourseKind>,
    pub track: Option<Track>,
}

// A change of what a course confers, and a completion that confers it, take
// `Course::lock`: they run one at a time.
super::record_reads!(Course, courses, "course", Table::Courses);
super::record_writes!(Course, courses, "course", NewCourse, CourseChanges);

impl Course {
    /// Inserts a course.
    pub fn create(conn: &mut DbConn, new: &NewCourse) -> Result<Course, ApiError> {
        Course::insert(conn, new)
    }

    /// Applies a PATCH if the course is still at version `expected`.
    pub fn update(
        conn: &mut DbConn,
        current: &Course,
        changes: &CourseChanges,
        expected: i32,
    ) -> Result<Course, ApiError> {
        Course::write(conn, current.id, changes, expected)
    }

    /// Whether completions of this course's classes have conferred qualifications.
    pub fn has_conferred(conn: &mut DbConn, id: i64) -> Result<bool, ApiError> {
        let class_ids = classes::table.filter(classes::course_id.eq(id)).select(classes::id);
        let enrollment_ids = enrollments::table
            .filter(enrollments::class_id.eq_any(class_ids))
            .select(enrollments::id.nullable());
        let conferred: i64 = qualifications::table
            .filter(qualifications::enrollment_id.eq_any(enrollment_ids))
            .count()
            .get_result(conn)?;
        Ok(conferred > 0)
    }

    /// Deletes a course at version `expected` that no class runs.
    pub fn delete(conn: &mut DbConn, id: i64, expected: i32) -> Result<(), ApiError> {
        let runs: i64 = classes::table
            .filter(classes::course_id.eq(id))
            .count()
            .get_result(conn)?;
        if runs > 0 {
            return Err(ApiError::Conflict(
                ConflictKind::StillReferenced,
                format!("course {id} has {runs} classes: delete them first"),
            ));
        }
        Course::remove(conn, id, expected, "is still referenced")
    }

    /// A page of courses and the total matching.
    pub fn list(
        conn: &mut DbConn,
        filter: &CourseFilter,
        sort: Option<Sort<CourseSort>>,
        window: &Window,
    ) -> Result<Listed<Course>, ApiError> {
        let build = || {
            let mut query = courses::table.into_boxed();
            if let Some(search) = &filter.q {
                for holds in search.holders("courses.id", &[Kind::Course], None) {
                    query = query.filter(holds);
                }
            }
            if let Some(kind) = filter.kind {
                query = query.filter(courses::kind.eq(kind));
            }
            if let Some(track) = filter.track {
                query = query.filter(courses::track.eq(track));
            }
            query
        };
        let total = window.total(|| build().count().get_result(conn))?;
        // Ranked when searching in no chosen order.
        let search = filter.q.as_ref().filter(|_| sort.is_none());
        let sort = sort.unwrap_or_default();
        let column = match sort.column {
            CourseSort::Id => None,
            CourseSort::Code => Some(("courses.code", KeyKind::Text)),
            CourseSort::Title => Some(("courses.search_title", KeyKind::Text)),
            CourseSort::Kind => Some(("courses.kind", KeyKind::Text)),
        };
        let order = Order::new(
            search.map(|s| s.rank("courses", "search_title")),
            sort,
            column,
            "courses.id",
        );
        let query = order.apply(build(), window)?;
        let query = order_by_sort!(query, sort, courses::id, {
            CourseSort::Id => courses::id,
            CourseSort::Code => courses::code,
            CourseSort::Title => courses::search_title,
            CourseSort::Kind => courses::kind,
        });
        let rows: Vec<Course> = query.limit(window.rows()).offset(window.offset).load(conn)?;
        Ok(order.page(window, rows, total, |r: &Course| {
            let mut keys: Vec<Key> = search
                .map(|s| s.rank_of(&r.search_title, &r.code).into())
                .into_iter()
                .collect();
            match sort.column {
                CourseSort::Id => {}
                CourseSort::Code => keys.push(r.code.as_str().into()),
                CourseSort::Title => keys.push(r.search_title.as_str().into()),
                CourseSort::Kind => keys.push(r.kind.code().into()),
            }
            keys.push(r.id.into());
            keys
        }))
    }
}
