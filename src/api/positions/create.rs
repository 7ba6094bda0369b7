use crate::api::prelude::*;
use crate::domain::{Category, EducationLevel, PoliticalTheoryLevel, StateManagementLevel};
use crate::model::position::{NewPosition, Position};

/// The body of `POST /positions`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePosition {
    /// Unique code, e.g. "PCT-MTTQ-P".
    #[schema(required = true, nullable = false)]
    pub code: Option<Code>,
    /// Title, e.g. "Phó Chủ tịch Ủy ban MTTQ phường".
    #[schema(required = true, nullable = false)]
    pub title: Option<Name>,
    /// Category of the people who hold it.
    #[schema(required = true, nullable = false)]
    pub category: Option<Category>,
    /// Minimum education level required.
    pub min_education: Option<EducationLevel>,
    /// Minimum political theory level required.
    pub min_political_theory: Option<PoliticalTheoryLevel>,
    /// Minimum state management level required.
    pub min_state_management: Option<StateManagementLevel>,
    /// A leading or managing post (lãnh đạo, quản lý); default `false`.
    pub leadership: Option<bool>,
}

impl FromBody for NewPosition {
    type Body = CreatePosition;
}

impl TryFrom<CreatePosition> for NewPosition {
    type Error = FieldErrors;

    fn try_from(body: CreatePosition) -> Result<Self, FieldErrors> {
        let mut checks = Checks::default();
        let code = checks.required(body.code, "code");
        let title = checks.required(body.title, "title");
        let category = checks.required(body.category, "category");
        checks.into_value(|| {
            Some(
                NewPosition::new(
                    code?.into_inner(),
                    title?.into_inner(),
                    category?,
                    body.min_education,
                    body.min_political_theory,
                    body.min_state_management,
                )
                .leading(body.leadership.unwrap_or(false)),
            )
        })
    }
}

/// Creates a position with its standards (admins only: positions are a shared catalogue).
#[utoipa::path(
    tag = "positions",
    request_body = CreatePosition,
    responses(
        Created<Position>,
        CreateErrors
    )
)]
#[post("/positions")]
pub async fn create_position(
    Admin(caller): Admin,
    db: web::Data<Db>,
    Valid(new): Valid<NewPosition>,
) -> Result<HttpResponse, ApiError> {
    let position = db
        .write_as(&caller, move |conn, audit, _| {
            let created = Position::create(conn, &new)?;
            audit.created(AuditEntity::Position, created.id, &created)?;
            Ok(created)
        })
        .await?;
    Ok(created(&position))
}
