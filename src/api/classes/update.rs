use chrono::NaiveDate;

use super::{check_schedule, locked_class};
use crate::api::prelude::*;
use crate::domain::{fold, ClassStatus};
use crate::model::class::{ClassChanges, ClassView, TrainingClass};
use crate::model::course::Course;
use crate::model::unit::Unit;

/// The body of `PATCH /classes/{id}`: the fields to change; `null` clears a nullable one.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateClass {
    /// Unique code.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub code: Option<Code>,
    /// Name.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub name: Option<Name>,
    /// The course it runs.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub course_id: Option<i64>,
    /// The organizing unit.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub organizer_unit_id: Option<i64>,
    /// Who teaches it.
    #[serde(default, deserialize_with = "double_option")]
    #[validate(length(max = 255))]
    #[schema(value_type = Option<String>, max_length = 255)]
    pub provider: Option<Option<String>>,
    /// First day.
    #[serde(default, deserialize_with = "present_day")]
    #[schema(value_type = Day, nullable = false)]
    pub starts_on: Option<NaiveDate>,
    /// Last day.
    #[serde(default, deserialize_with = "present_day")]
    #[schema(value_type = Day, nullable = false)]
    pub ends_on: Option<NaiveDate>,
    /// Seats; `null` for no limit. Not below the seats already taken.
    #[serde(default, deserialize_with = "double_option")]
    #[validate(range(min = 1, max = 100000))]
    #[schema(value_type = Option<i32>, minimum = 1, maximum = 100000)]
    pub capacity: Option<Option<i32>>,
    /// Learners who are not officials kept in this system.
    #[validate(range(min = 0, max = 1000000))]
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false, minimum = 0, maximum = 1000000)]
    pub external_learners: Option<i32>,
    /// Status.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub status: Option<ClassStatus>,
}

/// Changes a class.
#[utoipa::path(
    tag = "classes",
    params(
        ("id" = i64, Path, description = "The class's id."),
        IfMatch
    ),
    request_body = UpdateClass,
    responses(
        (status = 200, description = "The changed class.", body = ClassView),
        UpdateErrors
    )
)]
#[patch("/classes/{id}")]
pub async fn update_class(
    Writer(caller): Writer,
    db: web::Data<Db>,
    id: web::Path<i64>,
    if_match: IfMatch,
    ValidJson(body): ValidJson<UpdateClass>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let view = db
        .write_as(&caller, move |conn, audit, scope| {
            let current = locked_class(conn, scope, id)?;
            let mut checks = Checks::default();
            check_schedule(
                &mut checks,
                Some(body.starts_on.unwrap_or(current.starts_on)),
                Some(body.ends_on.unwrap_or(current.ends_on)),
            );
            checks.reference(body.course_id.map(|id| Course::find_referenced(conn, id, "course_id")))?;
            checks.reference(
                body.organizer_unit_id
                    .map(|id| Unit::find_referenced(conn, id, "organizer_unit_id")),
            )?;
            if let Some(Some(capacity)) = body.capacity {
                let taken = TrainingClass::view(conn, current.clone())?.enrollments.seats_taken();
                checks.check(
                    i64::from(capacity) < taken,
                    "capacity",
                    format!("must be at least {taken}, the seats already taken"),
                );
            }
            checks.finish()?;
            if let Some(unit) = body.organizer_unit_id {
                scope.check_unit(conn, unit)?;
            }
            let name = body.name.map(Name::into_inner);
            let changes = ClassChanges {
                code: body.code.map(Code::into_inner),
                search_name: name.as_deref().map(fold),
                name,
                course_id: body.course_id,
                organizer_unit_id: body.organizer_unit_id,
                provider: body.provider,
                starts_on: body.starts_on,
                ends_on: body.ends_on,
                capacity: body.capacity,
                external_learners: body.external_learners,
                status: body.status,
            };
            let class = TrainingClass::update(conn, &current, &changes, if_match.expected(current.version))?;
            audit.updated("class", id, &current, &class)?;
            TrainingClass::view(conn, class)
        })
        .await?;
    Ok(with_etag(&view))
}
