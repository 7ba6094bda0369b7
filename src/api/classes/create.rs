use chrono::NaiveDate;

use super::check_schedule;
use crate::api::prelude::*;
use crate::domain::{ClassStatus, Funding, StudyMode, TrainingLocation};
use crate::model::class::{ClassInput, ClassView, NewClass, TrainingClass};
use crate::model::course::Course;
use crate::model::unit::Unit;

/// The body of `POST /classes`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateClass {
    /// Unique code, e.g. "TC-LLCT-2018-PY".
    #[schema(required = true, nullable = false)]
    pub code: Option<Code>,
    /// Name, e.g. "Lớp trung cấp LLCT-HC thành phố Phúc Yên 2018".
    #[schema(required = true, nullable = false)]
    pub name: Option<Name>,
    /// The course it runs.
    #[schema(required = true, nullable = false)]
    pub course_id: Option<i64>,
    /// The unit that organizes it.
    #[schema(required = true, nullable = false)]
    pub organizer_unit_id: Option<i64>,
    /// Who teaches it, when not the course's provider.
    #[validate(length(max = 255))]
    #[schema(max_length = 255)]
    pub provider: Option<String>,
    /// First day.
    #[serde(default, deserialize_with = "day")]
    #[schema(value_type = Day, required = true, nullable = false)]
    pub starts_on: Option<NaiveDate>,
    /// Last day; not before `starts_on`.
    #[serde(default, deserialize_with = "day")]
    #[schema(value_type = Day, required = true, nullable = false)]
    pub ends_on: Option<NaiveDate>,
    /// Seats (at least 1); omit for no limit.
    #[validate(range(min = 1, max = 100000))]
    #[schema(minimum = 1, maximum = 100000)]
    pub capacity: Option<i32>,
    /// Learners who are not officials kept in this system (default 0).
    #[validate(range(min = 0, max = 1000000))]
    #[schema(minimum = 0, maximum = 1000000)]
    pub external_learners: Option<i32>,
    /// Status (default `planned`).
    pub status: Option<ClassStatus>,
    /// Where it is held (default `domestic`); its enrollments copy it.
    pub location: Option<TrainingLocation>,
    /// How its learners study (default `full_time`); its enrollments copy it.
    pub study_mode: Option<StudyMode>,
    /// Who pays (default `state_budget`); its enrollments copy it.
    pub funding: Option<Funding>,
    /// What organizing it costs, in đồng (default 0).
    #[validate(range(min = 0, max = 1_000_000_000_000_i64))]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub cost_vnd: Option<i64>,
    /// What each learner's training costs, in đồng (default 0); its enrollments copy it.
    #[validate(range(min = 0, max = 1_000_000_000_000_i64))]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub learner_cost_vnd: Option<i64>,
}

impl FromBody for ClassInput {
    type Body = CreateClass;
}

impl TryFrom<CreateClass> for ClassInput {
    type Error = FieldErrors;

    fn try_from(body: CreateClass) -> Result<Self, FieldErrors> {
        let mut checks = Checks::default();
        let code = checks.required(body.code, "code");
        let name = checks.required(body.name, "name");
        let course_id = checks.required(body.course_id, "course_id");
        let organizer_unit_id = checks.required(body.organizer_unit_id, "organizer_unit_id");
        let starts_on = checks.required(body.starts_on, "starts_on");
        let ends_on = checks.required(body.ends_on, "ends_on");
        checks.into_value(|| {
            Some(ClassInput {
                code: code?.into_inner(),
                name: name?.into_inner(),
                course_id: course_id?,
                organizer_unit_id: organizer_unit_id?,
                provider: body.provider,
                starts_on: starts_on?,
                ends_on: ends_on?,
                capacity: body.capacity,
                external_learners: body.external_learners.unwrap_or(0),
                status: body.status.unwrap_or(ClassStatus::Planned),
                location: body.location.unwrap_or(TrainingLocation::Domestic),
                study_mode: body.study_mode.unwrap_or(StudyMode::FullTime),
                funding: body.funding.unwrap_or(Funding::StateBudget),
                cost_vnd: body.cost_vnd.unwrap_or(0),
                learner_cost_vnd: body.learner_cost_vnd.unwrap_or(0),
            })
        })
    }
}

/// Creates a class of a course (for an `hr` user, organized by a unit of their subtree).
#[utoipa::path(
    tag = "classes",
    request_body = CreateClass,
    responses(
        Created<ClassView>,
        CreateErrors
    )
)]
#[post("/classes")]
pub async fn create_class(
    Writer(caller): Writer,
    db: web::Data<Db>,
    Valid(input): Valid<ClassInput>,
) -> Result<HttpResponse, ApiError> {
    let view = db
        .write_as(&caller, move |conn, audit, scope| {
            // The dates, and the records the body names, are checked together.
            let mut checks = Checks::default();
            check_schedule(&mut checks, Some(input.starts_on), Some(input.ends_on));
            checks.reference(Some(Course::find_referenced(conn, input.course_id, "course_id")))?;
            checks.reference(Some(Unit::find_referenced(
                conn,
                input.organizer_unit_id,
                "organizer_unit_id",
            )))?;
            checks.finish()?;
            scope.check_unit(conn, input.organizer_unit_id)?;
            let new = NewClass::new(input);
            let class = TrainingClass::create(conn, &new)?;
            audit.created(AuditEntity::Class, class.id, &class)?;
            TrainingClass::view(conn, class)
        })
        .await?;
    Ok(created(&view))
}
