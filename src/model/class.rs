//! Classes: runs of a course, with their seats and the learners from outside the system.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::count_star;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::keyset::{Key, KeyKind, Listed, Order, Window};
use super::search::{Kind, Search};
use super::{order_by_sort, Sort, UtcTime};
use crate::clock::now;
use crate::db::schema::{classes, courses, enrollments};
use crate::db::{lock_row, DbConn, Table};
use crate::domain::{fold, ClassStatus, CourseKind, EnrollmentStatus, Funding, StudyMode, TrainingLocation};
use crate::error::{ApiError, ConflictKind};

/// One run of a course (lớp).
#[derive(Debug, Clone, Queryable, Serialize, ToSchema)]
pub struct TrainingClass {
    /// The class's id.
    pub id: i64,
    /// Unique code.
    pub code: String,
    /// Name, e.g. "Lớp trung cấp LLCT-HC khóa 2018".
    pub name: String,
    #[serde(skip)]
    pub search_name: String,
    /// The course it runs.
    pub course_id: i64,
    /// The unit that organizes it.
    pub organizer_unit_id: i64,
    /// Who teaches it, when not the course's provider.
    pub provider: Option<String>,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Seats: nominated, enrolled and completed enrollments count against it; none is unlimited.
    pub capacity: Option<i32>,
    /// Learners who are not officials kept in this system.
    pub external_learners: i32,
    /// Where the class stands.
    pub status: ClassStatus,
    /// When the record was created (UTC).
    pub created_at: UtcTime,
    /// When the record last changed (UTC).
    pub updated_at: UtcTime,
    /// Version for optimistic concurrency: send it back in `If-Match`.
    pub version: i32,
    /// Where it is held: the default of the enrollments made in it.
    pub location: TrainingLocation,
    /// How its learners study: the default of the enrollments made in it.
    pub study_mode: StudyMode,
    /// Who pays: the default of the enrollments made in it.
    pub funding: Funding,
    /// What organizing the class cost, in đồng (venue, lecturers, materials).
    pub cost_vnd: i64,
    /// What each learner's training costs, in đồng: the default cost of the enrollments made in it.
    pub learner_cost_vnd: i64,
}

/// How many enrollments a class has in each status.
#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema)]
pub struct EnrollmentCounts {
    pub nominated: i64,
    pub enrolled: i64,
    pub completed: i64,
    pub failed: i64,
    pub withdrawn: i64,
}

impl EnrollmentCounts {
    fn add(&mut self, status: EnrollmentStatus, n: i64) {
        match status {
            EnrollmentStatus::Nominated => self.nominated += n,
            EnrollmentStatus::Enrolled => self.enrolled += n,
            EnrollmentStatus::Completed => self.completed += n,
            EnrollmentStatus::Failed => self.failed += n,
            EnrollmentStatus::Withdrawn => self.withdrawn += n,
        }
    }

    /// Enrollments that take a seat.
    pub fn seats_taken(&self) -> i64 {
        self.nominated + self.enrolled + self.completed
    }
}

/// A class with its enrollment counts and learners.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClassView {
    #[serde(flatten)]
    pub class: TrainingClass,
    /// Enrollments per status.
    pub enrollments: EnrollmentCounts,
    /// Learners: enrollments that are enrolled, completed or failed, plus external learners.
    pub learners: i64,
}

/// The fields of a new class: what its creator gives, and what follows from it.
#[derive(Debug, Insertable)]
#[diesel(table_name = classes)]
pub struct NewClass {
    #[diesel(embed)]
    pub input: ClassInput,
    pub search_name: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What a new class is, as its creator gives it.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = classes)]
pub struct ClassInput {
    pub code: String,
    pub name: String,
    pub course_id: i64,
    pub organizer_unit_id: i64,
    pub provider: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub capacity: Option<i32>,
    pub external_learners: i32,
    pub status: ClassStatus,
    pub location: TrainingLocation,
    pub study_mode: StudyMode,
    pub funding: Funding,
    pub cost_vnd: i64,
    pub learner_cost_vnd: i64,
}

impl NewClass {
    /// A new class's insert form, with its folded name.
    pub fn new(input: ClassInput) -> Self {
        let at = now();
        NewClass {
            search_name: fold(&input.name),
            input,
            created_at: at,
            updated_at: at,
        }
    }
}

/// The fields a PATCH may change.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = classes)]
pub struct ClassChanges {
    pub code: Option<String>,
    pub name: Option<String>,
    pub search_name: Option<String>,
    pub course_id: Option<i64>,
    pub organizer_unit_id: Option<i64>,
    pub provider: Option<Option<String>>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub capacity: Option<Option<i32>>,
    pub external_learners: Option<i32>,
    pub status: Option<ClassStatus>,
    pub location: Option<TrainingLocation>,
    pub study_mode: Option<StudyMode>,
    pub funding: Option<Funding>,
    pub cost_vnd: Option<i64>,
    pub learner_cost_vnd: Option<i64>,
}

super::sort_columns!(
    /// The columns `GET /classes` can be sorted by (the first is the default).
    ClassSort { Id = "id", Code = "code", Name = "name", StartsOn = "starts_on" }
);

/// Filters of `GET /classes`.
#[derive(Debug, Default)]
pub struct ClassFilter {
    pub q: Option<Search>,
    pub course_id: Option<i64>,
    pub organized_within: Option<super::unit::Subtree>,
    pub year: Option<i32>,
    pub kind: Option<CourseKind>,
    pub status: Option<ClassStatus>,
}

/// The first and last day of a calendar year, or a 422 on `year`.
pub fn year_bounds(year: i32) -> Result<(NaiveDate, NaiveDate), ApiError> {
    match (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) {
        (Some(first), Some(last)) => Ok((first, last)),
        _ => Err(ApiError::field("year", "is not a usable year")),
    }
}

// Changes of a class and of its seats start with `TrainingClass::lock`: they run one at a time.
super::record_reads!(TrainingClass, classes, "class", Table::Classes);
super::record_writes!(TrainingClass, classes, "class", NewClass, ClassChanges);

impl TrainingClass {
    /// Inserts a class.
    pub fn create(conn: &mut DbConn, new: &NewClass) -> Result<TrainingClass, ApiError> {
        TrainingClass::insert(conn, new)
    }

    /// Applies a PATCH if the class is still at version `expected`.
    pub fn update(
        conn: &mut DbConn,
        current: &TrainingClass,
        changes: &ClassChanges,
        expected: i32,
    ) -> Result<TrainingClass, ApiError> {
        let class = TrainingClass::write(conn, current.id, changes, expected)?;
        if (class.starts_on, class.course_id) != (current.starts_on, current.course_id) {
            // Each enrollment carries its class's first day and course: they move with the class.
            diesel::update(enrollments::table.filter(enrollments::class_id.eq(class.id)))
                .set((
                    enrollments::starts_on.eq(class.starts_on),
                    enrollments::course_id.eq(class.course_id),
                ))
                .execute(conn)?;
        }
        Ok(class)
    }

    /// Deletes a class at version `expected` without enrollments.
    pub fn delete(conn: &mut DbConn, id: i64, expected: i32) -> Result<(), ApiError> {
        let enrolled: i64 = enrollments::table
            .filter(enrollments::class_id.eq(id))
            .count()
            .get_result(conn)?;
        if enrolled > 0 {
            return Err(ApiError::Conflict(
                ConflictKind::StillReferenced,
                format!("class {id} has {enrolled} enrollments: cancel the class instead, or delete them first"),
            ));
        }
        TrainingClass::remove(conn, id, expected, "is still referenced")
    }

    /// Enrollment counts for these classes.
    pub fn counts(conn: &mut DbConn, ids: &[i64]) -> Result<HashMap<i64, EnrollmentCounts>, ApiError> {
        let rows: Vec<(i64, EnrollmentStatus, i64)> = enrollments::table
            .filter(enrollments::class_id.eq_any(ids))
            .group_by((enrollments::class_id, enrollments::status))
            .select((enrollments::class_id, enrollments::status, count_star()))
            .load(conn)?;
        let mut counts: HashMap<i64, EnrollmentCounts> = HashMap::new();
        for (class_id, status, n) in rows {
            counts.entry(class_id).or_default().add(status, n);
        }
        Ok(counts)
    }

    /// These classes with their counts, in the same order.
    pub fn with_counts(conn: &mut DbConn, classes: Vec<TrainingClass>) -> Result<Vec<ClassView>, ApiError> {
        let ids: Vec<i64> = classes.iter().map(|c| c.id).collect();
        let counts = TrainingClass::counts(conn, &ids)?;
        Ok(classes
            .into_iter()
            .map(|class| {
                let enrollments = counts.get(&class.id).copied().unwrap_or_default();
                let learners = enrollments.enrolled
                    + enrollments.completed
                    + enrollments.failed
                    + i64::from(class.external_learners);
                ClassView {
                    class,
                    enrollments,
                    learners,
                }
            })
            .collect())
    }

    /// One class with its counts.
    pub fn view(conn: &mut DbConn, class: TrainingClass) -> Result<ClassView, ApiError> {
        TrainingClass::with_counts(conn, vec![class])?
            .pop()
            .ok_or_else(|| ApiError::internal("a class vanished while counting"))
    }

    /// A page of classes and the total matching.
    pub fn list(
        conn: &mut DbConn,
        filter: &ClassFilter,
        sort: Option<Sort<ClassSort>>,
        window: &Window,
    ) -> Result<Listed<TrainingClass>, ApiError> {
        let bounds = filter.year.map(year_bounds).transpose()?;
        let build = || {
            let mut query = classes::table.into_boxed();
            if let Some(search) = &filter.q {
                for holds in search.holders("classes.id", &[Kind::Class], None) {
                    query = query.filter(holds);
                }
            }
            if let Some(course) = filter.course_id {
                query = query.filter(classes::course_id.eq(course));
            }
            if let Some(subtree) = &filter.organized_within {
                query = query.filter(classes::organizer_unit_id.eq_any(subtree.unit_ids()));
            }
            if let Some((first, last)) = bounds {
                query = query.filter(classes::starts_on.between(first, last));
            }
            if let Some(kind) = filter.kind {
                query = query.filter(
                    classes::course_id.eq_any(courses::table.filter(courses::kind.eq(kind)).select(courses::id)),
                );
            }
            if let Some(status) = filter.status {
                query = query.filter(classes::status.eq(status));
            }
            query
        };
        let total = window.total(|| build().count().get_result(conn))?;
        // Ranked when searching in no chosen order.
        let search = filter.q.as_ref().filter(|_| sort.is_none());
        let sort = sort.unwrap_or_default();
        let column = match sort.column {
            ClassSort::Id => None,
            ClassSort::Code => Some(("classes.code", KeyKind::Text)),
            ClassSort::Name => Some(("classes.search_name", KeyKind::Text)),
            ClassSort::StartsOn => Some(("classes.starts_on", KeyKind::Date)),
        };
        let order = Order::new(
            search.map(|s| s.rank("classes", "search_name")),
            sort,
            column,
            "classes.id",
        );
        let query = order.apply(build(), window)?;
        let query = order_by_sort!(query, sort, classes::id, {
            ClassSort::Id => classes::id,
            ClassSort::Code => classes::code,
            ClassSort::Name => classes::search_name,
            ClassSort::StartsOn => classes::starts_on,
        });
        let rows: Vec<TrainingClass> = query.limit(window.rows()).offset(window.offset).load(conn)?;
        Ok(order.page(window, rows, total, |r: &TrainingClass| {
            let mut keys: Vec<Key> = search
                .map(|s| s.rank_of(&r.search_name, &r.code).into())
                .into_iter()
                .collect();
            match sort.column {
                ClassSort::Id => {}
                ClassSort::Code => keys.push(r.code.as_str().into()),
                ClassSort::Name => keys.push(r.search_name.as_str().into()),
                ClassSort::StartsOn => keys.push(Key::Date(r.starts_on)),
            }
            keys.push(r.id.into());
            keys
        }))
    }
}
