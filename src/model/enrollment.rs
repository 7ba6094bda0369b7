//! Enrollments: one official in one class. Completing one in a course that confers a
//! level creates the qualification and raises the official's level, in one transaction.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::class::{year_bounds, TrainingClass};
use super::course::Course;
use super::keyset::{Column, Key, KeyKind, Listed, Order, Window};
use super::official::Official;
use super::qualification::{NewQualification, Qualification, QualificationInput};
use super::{at_version, deleted_at_version, UtcTime};
use crate::clock::now;
use crate::db::schema::{assignments, classes, courses, enrollments, officials};
use crate::db::{lock_row, DbConn, Table};
use crate::domain::{
    CourseKind, EnrollmentResult, EnrollmentStatus, Funding, Gender, OfficialStatus, StudyMode, TrainingLocation,
};
use crate::error::{ApiError, ConflictKind};

/// One official in one class.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = enrollments)]
pub struct Enrollment {
    /// The enrollment's id.
    pub id: i64,
    /// The class.
    pub class_id: i64,
    /// The official.
    pub official_id: i64,
    /// The unit that sent them, as it was when they were sent.
    pub sending_unit_id: i64,
    /// Where the enrollment stands.
    pub status: EnrollmentStatus,
    /// Grade, for a completed or failed enrollment.
    pub result: Option<EnrollmentResult>,
    /// Score on the 0–10 scale.
    pub score: Option<f64>,
    /// Certificate or diploma number.
    pub certificate_no: Option<String>,
    /// When they completed it.
    pub completed_on: Option<NaiveDate>,
    /// When the record was created (UTC).
    pub created_at: UtcTime,
    /// When the record last changed (UTC).
    pub updated_at: UtcTime,
    /// Version for optimistic concurrency: send it back in `If-Match`.
    pub version: i32,
    /// The class's first day, copied so that reports read a year's enrollments by index;
    /// shown to clients with the class, not here.
    #[serde(skip)]
    pub starts_on: NaiveDate,
    /// Where they trained (default: their class's location).
    pub location: TrainingLocation,
    /// How they studied (default: their class's study mode).
    pub study_mode: StudyMode,
    /// Who paid (default: their class's funding).
    pub funding: Funding,
    /// What their training cost, in đồng (default: their class's cost per learner); the year's
    /// training results sum it.
    pub cost_vnd: i64,
    /// The class's course, copied as `starts_on` is; shown to clients with the class.
    #[serde(skip)]
    pub course_id: i64,
    /// The official's gender, copied for the training results (a trigger keeps it in step);
    /// shown to clients with the official.
    #[serde(skip)]
    pub official_gender: Gender,
    /// Once completed, the post its official held on the day of completion, copied for the
    /// training results' leaders (triggers keep it in step with the official's history).
    #[serde(skip)]
    pub official_position_id: Option<i64>,
}

/// An enrollment with the names a training history shows.
// Selected over enrollments ⋈ classes ⋈ courses ⋈ officials.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = enrollments)]
pub struct EnrollmentView {
    #[serde(flatten)]
    #[diesel(embed)]
    pub enrollment: Enrollment,
    /// The class's code.
    #[diesel(select_expression = classes::code)]
    pub class_code: String,
    /// The class's name.
    #[diesel(select_expression = classes::name)]
    pub class_name: String,
    /// The class's first day.
    #[diesel(select_expression = classes::starts_on)]
    pub starts_on: NaiveDate,
    /// The class's last day.
    #[diesel(select_expression = classes::ends_on)]
    pub ends_on: NaiveDate,
    /// The course the class runs.
    #[diesel(select_expression = courses::id)]
    pub course_id: i64,
    /// The course's title.
    #[diesel(select_expression = courses::title)]
    pub course_title: String,
    /// The course's kind.
    #[diesel(select_expression = courses::kind)]
    pub course_kind: CourseKind,
    /// The official's full name.
    #[diesel(select_expression = officials::full_name)]
    pub official_name: String,
    /// The official's staff number.
    #[diesel(select_expression = officials::code)]
    pub official_code: String,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = enrollments)]
struct NewEnrollment {
    class_id: i64,
    official_id: i64,
    sending_unit_id: i64,
    status: EnrollmentStatus,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    starts_on: NaiveDate,
    location: TrainingLocation,
    study_mode: StudyMode,
    funding: Funding,
    cost_vnd: i64,
    course_id: i64,
    official_gender: Gender,
}

/// Where, how and at whose cost an official trains: given with a nomination, or else
/// copied from the class.
#[derive(Debug, Default, Clone, Copy)]
pub struct TrainingTerms {
    pub location: Option<TrainingLocation>,
    pub study_mode: Option<StudyMode>,
    pub funding: Option<Funding>,
    pub cost_vnd: Option<i64>,
}

/// What a PATCH asks of an enrollment.
#[derive(Debug, Default, Clone)]
pub struct EnrollmentUpdate {
    pub status: Option<EnrollmentStatus>,
    pub result: Option<Option<EnrollmentResult>>,
    pub score: Option<Option<f64>>,
    pub certificate_no: Option<Option<String>>,
    pub completed_on: Option<Option<NaiveDate>>,
    pub terms: TrainingTerms,
}

/// What a change of enrollment did to the qualification its course confers.
#[derive(Debug, Clone)]
pub enum Conferral {
    /// Nothing.
    Unchanged,
    /// The completion created this record.
    Conferred(Qualification),
    /// Leaving `completed` removed this record.
    Revoked(Qualification),
    /// A new completion date or certificate restated the record.
    Restated(Qualification),
}

/// Filters of `GET /enrollments`.
#[derive(Debug, Default)]
pub struct EnrollmentFilter {
    pub status: Option<EnrollmentStatus>,
    pub class_id: Option<i64>,
    pub official_id: Option<i64>,
    pub sent_within: Option<super::unit::Subtree>,
    pub year: Option<i32>,
    /// For `hr` callers: only enrollments of officials now in, or classes organized in, this subtree.
    pub visible_within: Option<super::unit::Subtree>,
}

// Writers lock an enrollment's official and class before the enrollment itself: see
// `api::enrollments::locked_enrollment`.
super::record_reads!(Enrollment, enrollments, "enrollment", Table::Enrollments);

impl Enrollment {
    /// The unit an official worked in on `day`, from their assignments; their current
    /// unit when no assignment covers that day (records are often entered years later).
    pub fn unit_on(conn: &mut DbConn, official: &Official, day: NaiveDate) -> Result<i64, ApiError> {
        let unit: Option<i64> = assignments::table
            .filter(assignments::official_id.eq(official.id))
            .filter(assignments::started_on.le(day))
            .filter(assignments::ended_on.is_null().or(assignments::ended_on.gt(day)))
            .order_by(assignments::started_on.desc())
            .select(assignments::unit_id)
            .first(conn)
            .optional()?;
        Ok(unit.unwrap_or(official.unit_id))
    }

    /// Nominates an official for a class, checking the class, the person and the seats; the
    /// caller holds the official's and the class's row locks.
    pub fn create(
        conn: &mut DbConn,
        class: &TrainingClass,
        official: &Official,
        sending_unit_id: Option<i64>,
        terms: TrainingTerms,
    ) -> Result<Enrollment, ApiError> {
        if !class.status.is_held() {
            return Err(ApiError::Conflict(
                ConflictKind::ClassCancelled,
                format!("class {} is cancelled: it takes no enrollments", class.id),
            ));
        }
        if official.status != OfficialStatus::Active {
            if let Some(separated) = official.separated_on.filter(|d| class.starts_on >= *d) {
                return Err(ApiError::Conflict(
                    ConflictKind::NotActive,
                    format!(
                        "official {} is {} since {separated}, before class {} starts on {}",
                        official.id, official.status, class.id, class.starts_on
                    ),
                ));
            }
        }
        let taken: i64 = enrollments::table
            .filter(enrollments::class_id.eq(class.id))
            .filter(enrollments::official_id.eq(official.id))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ApiError::Conflict(
                ConflictKind::AlreadyEnrolled,
                format!("official {} is already enrolled in class {}", official.id, class.id),
            ));
        }
        claim_seat(conn, class)?;
        let sending_unit_id = match sending_unit_id {
            Some(unit) => unit,
            None => Enrollment::unit_on(conn, official, class.starts_on)?,
        };
        let at = now();
        let new = NewEnrollment {
            class_id: class.id,
            official_id: official.id,
            sending_unit_id,
            status: EnrollmentStatus::Nominated,
            created_at: at,
            updated_at: at,
            starts_on: class.starts_on,
            location: terms.location.unwrap_or(class.location),
            study_mode: terms.study_mode.unwrap_or(class.study_mode),
            funding: terms.funding.unwrap_or(class.funding),
            cost_vnd: terms.cost_vnd.unwrap_or(class.learner_cost_vnd),
            course_id: class.course_id,
            official_gender: official.gender,
        };
        Ok(diesel::insert_into(enrollments::table)
            .values(&new)
            .returning(enrollments::all_columns)
            .get_result(conn)?)
    }

    /// Applies a PATCH if the enrollment is still at version `expected`: the status machine,
    /// and the qualification a completion confers. The caller holds the locks of the
    /// official and the class; the course's is taken here, so that what it confers cannot
    /// change while a completion confers it.
    pub fn update(
        conn: &mut DbConn,
        current: &Enrollment,
        update: EnrollmentUpdate,
        expected: i32,
    ) -> Result<(Enrollment, Conferral), ApiError> {
        let class = TrainingClass::find(conn, current.class_id)?;
        let course = Course::lock(conn, class.course_id)?;
        let next = update.status.unwrap_or(current.status);
        if next != current.status && !current.status.can_become(next) {
            return Err(ApiError::Conflict(
                ConflictKind::IllegalTransition,
                format!("an enrollment cannot go from {} to {}", current.status, next),
            ));
        }
        let finished = matches!(next, EnrollmentStatus::Completed | EnrollmentStatus::Failed);
        let mut result = update.result.unwrap_or(current.result);
        let mut score = update.score.unwrap_or(current.score);
        let mut certificate_no = update.certificate_no.clone().unwrap_or(current.certificate_no.clone());
        let mut completed_on = update.completed_on.unwrap_or(current.completed_on);
        if !finished {
            let mut checks = crate::error::Checks::default();
            for (field, given) in [
                ("result", update.result.flatten().is_some()),
                ("score", update.score.flatten().is_some()),
                ("certificate_no", update.certificate_no.clone().flatten().is_some()),
                ("completed_on", update.completed_on.flatten().is_some()),
            ] {
                checks.check(
                    given,
                    field,
                    format!("only a completed or failed enrollment has one (this one is {next})"),
                );
            }
            checks.finish()?;
            // Leaving completed or failed undoes the outcome.
            (result, score, certificate_no, completed_on) = (None, None, None, None);
        }
        if next == EnrollmentStatus::Completed {
            let day = completed_on.unwrap_or(class.ends_on);
            if day < class.starts_on {
                return Err(ApiError::field(
                    "completed_on",
                    format!("must not be before the class starts ({})", class.starts_on),
                ));
            }
            if crate::clock::is_ahead(day) {
                return Err(ApiError::field("completed_on", "must not be in the future"));
            }
            completed_on = Some(day);
        } else {
            completed_on = None;
        }
        if !current.status.takes_a_seat() && next.takes_a_seat() {
            claim_seat(conn, &class)?;
        }
        let updated = diesel::update(
            enrollments::table
                .find(current.id)
                .filter(enrollments::version.eq(expected)),
        )
        .set((
            enrollments::status.eq(next),
            enrollments::result.eq(result),
            enrollments::score.eq(score),
            enrollments::certificate_no.eq(certificate_no.clone()),
            enrollments::completed_on.eq(completed_on),
            enrollments::location.eq(update.terms.location.unwrap_or(current.location)),
            enrollments::study_mode.eq(update.terms.study_mode.unwrap_or(current.study_mode)),
            enrollments::funding.eq(update.terms.funding.unwrap_or(current.funding)),
            enrollments::cost_vnd.eq(update.terms.cost_vnd.unwrap_or(current.cost_vnd)),
            enrollments::updated_at.eq(now()),
            enrollments::version.eq(enrollments::version + 1),
        ))
        .returning(enrollments::all_columns)
        .get_result(conn)
        .optional()?;
        let updated: Enrollment = at_version(updated, "enrollment", current.id, expected)?;
        let existing = Qualification::of_enrollment(conn, current.id)?;
        match (
            existing,
            next,
            course.confers_dimension,
            course.confers_level.clone(),
            completed_on,
        ) {
            (None, EnrollmentStatus::Completed, Some(dimension), Some(level), Some(day)) => {
                let new = NewQualification::new(QualificationInput {
                    official_id: current.official_id,
                    dimension,
                    level,
                    field: course.field.clone(),
                    institution: class.provider.clone().or(course.provider.clone()),
                    awarded_on: day,
                    certificate_no,
                    enrollment_id: Some(current.id),
                })?;
                return Ok((updated, Conferral::Conferred(Qualification::create(conn, &new)?)));
            }
            (Some(record), EnrollmentStatus::Completed, _, _, Some(day))
                if (record.awarded_on, &record.certificate_no) != (day, &certificate_no) =>
            {
                Qualification::restate(conn, &record, day, certificate_no)?;
                return Ok((updated, Conferral::Restated(record)));
            }
            (Some(_), EnrollmentStatus::Completed, _, _, _) => {}
            (Some(record), _, _, _, _) => {
                Qualification::delete(conn, &record, record.version)?;
                return Ok((updated, Conferral::Revoked(record)));
            }
            _ => {}
        }
        Ok((updated, Conferral::Unchanged))
    }

    /// Deletes a nomination made by mistake, at version `expected`; an enrollment that went
    /// further is a 409.
    pub fn delete(conn: &mut DbConn, current: &Enrollment, expected: i32) -> Result<(), ApiError> {
        if !matches!(
            current.status,
            EnrollmentStatus::Nominated | EnrollmentStatus::Withdrawn
        ) {
            return Err(ApiError::Conflict(ConflictKind::PartOfHistory, format!(
                "enrollment {} is {}: only nominated or withdrawn enrollments can be deleted; change its status instead",
                current.id, current.status
            )));
        }
        let deleted = diesel::delete(
            enrollments::table
                .find(current.id)
                .filter(enrollments::version.eq(expected)),
        )
        .execute(conn)?;
        deleted_at_version(deleted, "enrollment", current.id, expected)
    }

    /// One enrollment with its names.
    pub fn view(conn: &mut DbConn, id: i64) -> Result<EnrollmentView, ApiError> {
        enrollments::table
            .inner_join(classes::table.inner_join(courses::table))
            .inner_join(officials::table)
            .filter(enrollments::id.eq(id))
            .select(EnrollmentView::as_select())
            .first(conn)
            .optional()?
            .ok_or_else(|| ApiError::not_found("enrollment", id))
    }

    /// A page of enrollments with their names, newest class first (from a cursor's place, or
    /// an offset), and the total matching unless not counted.
    pub fn list(
        conn: &mut DbConn,
        filter: &EnrollmentFilter,
        window: &Window,
    ) -> Result<Listed<EnrollmentView>, ApiError> {
        let bounds = filter.year.map(year_bounds).transpose()?;
        let build = || {
            let mut query = enrollments::table
                .inner_join(classes::table.inner_join(courses::table))
                .inner_join(officials::table)
                .into_boxed();
            if let Some(status) = filter.status {
                query = query.filter(enrollments::status.eq(status));
            }
            if let Some(class_id) = filter.class_id {
                query = query.filter(enrollments::class_id.eq(class_id));
            }
            if let Some(official_id) = filter.official_id {
                query = query.filter(enrollments::official_id.eq(official_id));
            }
            if let Some(subtree) = &filter.sent_within {
                query = query.filter(enrollments::sending_unit_id.eq_any(subtree.unit_ids()));
            }
            if let Some((first, last)) = bounds {
                query = query.filter(classes::starts_on.between(first, last));
            }
            if let Some(subtree) = &filter.visible_within {
                query = query.filter(
                    officials::unit_id
                        .eq_any(subtree.unit_ids())
                        .or(classes::organizer_unit_id.eq_any(subtree.unit_ids())),
                );
            }
            query
        };
        let total = window.total(|| build().count().get_result(conn))?;
        let order = Order::fixed(
            "newest class",
            vec![
                Column::desc("classes.starts_on", KeyKind::Date),
                Column::desc("enrollments.id", KeyKind::Int),
            ],
        );
        let rows = order
            .apply(build(), window)?
            .then_order_by((classes::starts_on.desc(), enrollments::id.desc()))
            .select(EnrollmentView::as_select())
            .limit(window.rows())
            .offset(window.offset)
            .load(conn)?;
        Ok(order.page(window, rows, total, |view: &EnrollmentView| {
            vec![Key::Date(view.starts_on), view.enrollment.id.into()]
        }))
    }
}

/// Takes a seat in the class, or a 409 when it is full. Every caller holds the class's row
/// lock ([`TrainingClass::lock`]), so that concurrent enrollments count one at a time.
fn claim_seat(conn: &mut DbConn, class: &TrainingClass) -> Result<(), ApiError> {
    let Some(capacity) = class.capacity else {
        return Ok(());
    };
    let taken: i64 = enrollments::table
        .filter(enrollments::class_id.eq(class.id))
        .filter(
            enrollments::status.eq_any(
                EnrollmentStatus::ALL
                    .iter()
                    .copied()
                    .filter(|status| status.takes_a_seat())
                    .collect::<Vec<_>>(),
            ),
        )
        .count()
        .get_result(conn)?;
    if taken >= i64::from(capacity) {
        return Err(ApiError::Conflict(
            ConflictKind::ClassFull,
            format!("class {} is full: {taken} of {capacity} seats are taken", class.id),
        ));
    }
    Ok(())
}
