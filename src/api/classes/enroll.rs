use super::class_in_reach;
use crate::api::enrollments::{enroll, Nominee};
use crate::api::prelude::*;
use crate::domain::{Funding, StudyMode, TrainingLocation};
use crate::model::enrollment::EnrollmentView;
use crate::model::enrollment::TrainingTerms;

/// The body of `POST /classes/{id}/enrollments`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrollInClass {
    /// The official sent.
    #[schema(required = true, nullable = false)]
    pub official_id: Option<i64>,
    /// The unit that sends them; default: the unit they were assigned to on the class's first day.
    pub sending_unit_id: Option<i64>,
    /// Where they train: `domestic` or `abroad` (default: the class's location).
    pub location: Option<TrainingLocation>,
    /// How they study: `full_time` or `part_time` (default: the class's study mode).
    pub study_mode: Option<StudyMode>,
    /// Who pays (default: the class's funding).
    pub funding: Option<Funding>,
    /// What their training costs, in đồng (default: the class's cost per learner).
    #[validate(range(min = 0, max = 1_000_000_000_000_i64))]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub cost_vnd: Option<i64>,
}

impl FromBody for Nominee {
    type Body = EnrollInClass;
}

impl TryFrom<EnrollInClass> for Nominee {
    type Error = FieldErrors;

    fn try_from(body: EnrollInClass) -> Result<Self, FieldErrors> {
        let mut checks = Checks::default();
        let official_id = checks.required(body.official_id, "official_id");
        checks.into_value(|| {
            Some(Nominee {
                official_id: official_id?,
                sending_unit_id: body.sending_unit_id,
                terms: TrainingTerms {
                    location: body.location,
                    study_mode: body.study_mode,
                    funding: body.funding,
                    cost_vnd: body.cost_vnd,
                },
            })
        })
    }
}

/// Nominates an official for this class (the same rules as `POST /enrollments`).
#[utoipa::path(
    tag = "classes",
    params(("id" = i64, Path, description = "The class's id.")),
    request_body = EnrollInClass,
    responses(
        Created<EnrollmentView>,
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, TooLarge, Unprocessable
    )
)]
#[post("/classes/{id}/enrollments")]
pub async fn enroll_in_class(
    Writer(caller): Writer,
    db: web::Data<Db>,
    id: web::Path<i64>,
    Valid(nominee): Valid<Nominee>,
) -> Result<HttpResponse, ApiError> {
    let class_id = id.into_inner();
    let view = db
        .write_as(&caller, move |conn, audit, scope| {
            class_in_reach(conn, scope, class_id)?;
            enroll(conn, scope, audit, class_id, nominee)
        })
        .await?;
    Ok(created(&view))
}
