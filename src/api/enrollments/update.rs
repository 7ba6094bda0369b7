use chrono::NaiveDate;

use super::locked_enrollment;
use crate::api::prelude::*;
use crate::domain::{EnrollmentResult, EnrollmentStatus};
use crate::model::enrollment::{Conferral, Enrollment, EnrollmentUpdate, EnrollmentView};
use crate::model::qualification::Qualification;

/// The body of `PATCH /enrollments/{id}`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateEnrollment {
    /// The new status: nominated → enrolled → completed | failed; withdrawn from nominated
    /// or enrolled; completed or failed back to enrolled as a correction. Anything else is a 409.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub status: Option<EnrollmentStatus>,
    /// Grade, for a completed or failed enrollment.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<EnrollmentResult>)]
    pub result: Option<Option<EnrollmentResult>>,
    /// Score on the 0–10 scale.
    #[serde(default, deserialize_with = "double_option")]
    #[validate(range(min = 0.0, max = 10.0))]
    #[schema(value_type = Option<f64>, minimum = 0, maximum = 10)]
    pub score: Option<Option<f64>>,
    /// Certificate or diploma number.
    #[serde(default, deserialize_with = "double_option")]
    #[validate(length(max = 64))]
    #[schema(value_type = Option<String>, max_length = 64)]
    pub certificate_no: Option<Option<String>>,
    /// Day of completion (default: the class's last day); becomes the qualification's award date.
    #[serde(default, deserialize_with = "patched_day")]
    #[schema(value_type = Option<Day>)]
    pub completed_on: Option<Option<NaiveDate>>,
}

/// Changes an enrollment. Completing one whose course confers a level creates that
/// qualification and raises the official's level in the same transaction; leaving
/// `completed` removes the qualification again.
#[utoipa::path(
    tag = "enrollments",
    params(
        ("id" = i64, Path, description = "The enrollment's id."),
        IfMatch
    ),
    request_body = UpdateEnrollment,
    responses(
        (status = 200, description = "The changed enrollment.", body = EnrollmentView),
        UpdateErrors
    )
)]
#[patch("/enrollments/{id}")]
pub async fn update_enrollment(
    Writer(caller): Writer,
    db: web::Data<Db>,
    id: web::Path<i64>,
    if_match: IfMatch,
    ValidJson(body): ValidJson<UpdateEnrollment>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let update = EnrollmentUpdate {
        status: body.status,
        result: body.result,
        score: body.score,
        certificate_no: body.certificate_no,
        completed_on: body.completed_on,
    };
    let view = db
        .write_as(&caller, move |conn, audit, scope| {
            let current = locked_enrollment(conn, scope, id)?;
            let (changed, conferral) = Enrollment::update(conn, &current, update, if_match.expected(current.version))?;
            audit.updated("enrollment", id, &current, &changed)?;
            match conferral {
                Conferral::Unchanged => {}
                Conferral::Conferred(record) => {
                    audit.record::<(), _>("confer", "qualification", Some(record.id), None, Some(&record))?
                }
                Conferral::Revoked(record) => {
                    audit.record::<_, ()>("revoke", "qualification", Some(record.id), Some(&record), None)?
                }
                Conferral::Restated(before) => {
                    let after = Qualification::find(conn, before.official_id, before.id)?;
                    audit.updated("qualification", before.id, &before, &after)?
                }
            }
            Enrollment::view(conn, id)
        })
        .await?;
    Ok(with_etag(&view))
}
