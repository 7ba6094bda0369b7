use chrono::NaiveDate;

use super::locked_official;
use crate::api::prelude::*;
use crate::domain::Dimension;
use crate::model::qualification::{NewQualification, Qualification, QualificationInput};

/// The body of `POST /officials/{id}/qualifications`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateQualification {
    /// The dimension.
    #[schema(required = true, nullable = false)]
    pub dimension: Option<Dimension>,
    /// A level of that dimension (see `GET /enums`), e.g. `university`.
    #[validate(length(min = 1, max = 64))]
    #[schema(value_type = crate::domain::Level, required = true, nullable = false, example = "university")]
    pub level: Option<String>,
    /// Field of study (major).
    #[validate(length(max = 255))]
    #[schema(max_length = 255)]
    pub field: Option<String>,
    /// The awarding institution.
    #[validate(length(max = 255))]
    #[schema(max_length = 255)]
    pub institution: Option<String>,
    /// When it was awarded: reports count it from that day.
    #[serde(default, deserialize_with = "day")]
    #[schema(value_type = Day, required = true, nullable = false)]
    pub awarded_on: Option<NaiveDate>,
    /// Certificate or diploma number.
    #[validate(length(max = 64))]
    #[schema(max_length = 64)]
    pub certificate_no: Option<String>,
}

/// A qualification record as the body gives it: a level of its dimension, awarded by today.
#[derive(Debug)]
pub struct Award {
    dimension: Dimension,
    level: String,
    field: Option<String>,
    institution: Option<String>,
    awarded_on: NaiveDate,
    certificate_no: Option<String>,
}

impl Award {
    /// The record to insert for the official `official_id`.
    pub fn into_input(self, official_id: i64) -> QualificationInput {
        QualificationInput {
            official_id,
            dimension: self.dimension,
            level: self.level,
            field: self.field,
            institution: self.institution,
            awarded_on: self.awarded_on,
            certificate_no: self.certificate_no,
            enrollment_id: None,
        }
    }
}

impl FromBody for Award {
    type Body = CreateQualification;
}

impl TryFrom<CreateQualification> for Award {
    type Error = FieldErrors;

    fn try_from(body: CreateQualification) -> Result<Self, FieldErrors> {
        let mut checks = Checks::default();
        let dimension = checks.required(body.dimension, "dimension");
        let level = checks.required(body.level, "level");
        let awarded_on = checks.required(body.awarded_on, "awarded_on");
        if let (Some(dimension), Some(level)) = (dimension, &level) {
            if dimension.rank_of(level).is_none() {
                let levels: Vec<&str> = dimension.levels().iter().map(|v| v.code).collect();
                checks.add(
                    "level",
                    format!("is not a level of {dimension}: one of {}", levels.join(", ")),
                );
            }
        }
        checks.check(
            awarded_on.is_some_and(crate::clock::is_ahead),
            "awarded_on",
            "must not be in the future",
        );
        checks.into_value(|| {
            Some(Award {
                dimension: dimension?,
                level: level?,
                field: body.field,
                institution: body.institution,
                awarded_on: awarded_on?,
                certificate_no: body.certificate_no,
            })
        })
    }
}

/// Records a qualification; the official's current level in that dimension rises with it, in the same transaction.
#[utoipa::path(
    tag = "officials",
    params(("id" = i64, Path, description = "The official's id.")),
    request_body = CreateQualification,
    responses(
        Created<Qualification>,
        BadRequest, Unauthorized, Forbidden, NotFound, TooLarge, Unprocessable
    )
)]
#[post("/officials/{id}/qualifications")]
pub async fn create_qualification(
    Writer(caller): Writer,
    db: web::Data<Db>,
    id: web::Path<i64>,
    Valid(award): Valid<Award>,
) -> Result<HttpResponse, ApiError> {
    let official_id = id.into_inner();
    let new = NewQualification::new(award.into_input(official_id))?;
    let record = db
        .write_as(&caller, move |conn, audit, scope| {
            locked_official(conn, scope, official_id)?;
            let record = Qualification::create(conn, &new)?;
            audit.created(AuditEntity::Qualification, record.id, &record)?;
            Ok(record)
        })
        .await?;
    Ok(created(&record))
}
