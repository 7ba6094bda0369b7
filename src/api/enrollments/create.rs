use super::{enroll, Nominee};
use crate::api::prelude::*;
use crate::domain::{Funding, StudyMode, TrainingLocation};
use crate::model::class::TrainingClass;
use crate::model::enrollment::EnrollmentView;
use crate::model::enrollment::TrainingTerms;

/// The body of `POST /enrollments`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEnrollment {
    /// The class.
    #[schema(required = true, nullable = false)]
    pub class_id: Option<i64>,
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

/// A nomination of an official for a class, as `POST /enrollments` gives it.
#[derive(Debug)]
pub struct Nomination {
    /// The class.
    pub class_id: i64,
    /// Who is sent, by whom.
    pub nominee: Nominee,
}

impl FromBody for Nomination {
    type Body = CreateEnrollment;
}

impl TryFrom<CreateEnrollment> for Nomination {
    type Error = FieldErrors;

    fn try_from(body: CreateEnrollment) -> Result<Self, FieldErrors> {
        let mut checks = Checks::default();
        let class_id = checks.required(body.class_id, "class_id");
        let official_id = checks.required(body.official_id, "official_id");
        checks.into_value(|| {
            Some(Nomination {
                class_id: class_id?,
                nominee: Nominee {
                    official_id: official_id?,
                    sending_unit_id: body.sending_unit_id,
                    terms: TrainingTerms {
                        location: body.location,
                        study_mode: body.study_mode,
                        funding: body.funding,
                        cost_vnd: body.cost_vnd,
                    },
                },
            })
        })
    }
}

/// Nominates an official for a class. One enrollment per official per class; a full or
/// cancelled class, or an official who had left by the class's start, is a 409. An `hr` user
/// needs both the official's unit and the class's organizer in their subtree.
#[utoipa::path(
    tag = "enrollments",
    request_body = CreateEnrollment,
    responses(
        Created<EnrollmentView>,
        CreateErrors
    )
)]
#[post("/enrollments")]
pub async fn create_enrollment(
    Writer(caller): Writer,
    db: web::Data<Db>,
    Valid(nomination): Valid<Nomination>,
) -> Result<HttpResponse, ApiError> {
    let view = db
        .write_as(&caller, move |conn, audit, scope| {
            TrainingClass::find_referenced(conn, nomination.class_id, "class_id")?;
            enroll(conn, scope, audit, nomination.class_id, nomination.nominee)
        })
        .await?;
    Ok(created(&view))
}
