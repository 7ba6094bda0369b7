use super::enroll;
use crate::api::prelude::*;
use crate::model::class::TrainingClass;
use crate::model::enrollment::EnrollmentView;

/// The body of `POST /enrollments`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEnrollment {
    /// The class.
    #[validate(required)]
    #[schema(required = true, nullable = false)]
    pub class_id: Option<i64>,
    /// The official sent.
    #[validate(required)]
    #[schema(required = true, nullable = false)]
    pub official_id: Option<i64>,
    /// The unit that sends them; default: the unit they were assigned to on the class's first day.
    pub sending_unit_id: Option<i64>,
}

/// Nominates an official for a class. One enrollment per official per class; a full or
/// cancelled class, or an official who had left by the class's start, is a 409. An `hr` user
/// needs both the official's unit and the class's organizer in their subtree.
#[utoipa::path(
    tag = "enrollments",
    request_body = CreateEnrollment,
    responses(
        (status = 201, description = "The enrollment was created, `nominated`; `Location` names it.", body = EnrollmentView),
        CreateErrors
    )
)]
#[post("/enrollments")]
pub async fn create_enrollment(
    Writer(caller): Writer,
    db: web::Data<Db>,
    ValidJson(body): ValidJson<CreateEnrollment>,
) -> Result<HttpResponse, ApiError> {
    let view = db
        .write_as(&caller, move |conn, audit, scope| {
            let class_id = required(body.class_id, "class_id")?;
            let official_id = required(body.official_id, "official_id")?;
            TrainingClass::find_referenced(conn, class_id, "class_id")?;
            enroll(conn, scope, audit, class_id, official_id, body.sending_unit_id)
        })
        .await?;
    Ok(created(
        format!("/api/v1/enrollments/{}", view.enrollment.id),
        view.enrollment.version,
        &view,
    ))
}
