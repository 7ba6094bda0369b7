use crate::api::prelude::*;
use crate::domain::{fold, Category, EducationLevel, PoliticalTheoryLevel, StateManagementLevel};
use crate::model::position::{NewPosition, Position};

/// The body of `POST /positions`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePosition {
    /// Unique code.
    #[validate(required, length(min = 1, max = 64), custom(function = "not_blank"))]
    #[schema(required = true, nullable = false, example = "PCT-MTTQ-P")]
    pub code: Option<String>,
    /// Title.
    #[validate(required, length(min = 1, max = 255), custom(function = "not_blank"))]
    #[schema(required = true, nullable = false, example = "Phó Chủ tịch Ủy ban MTTQ phường")]
    pub title: Option<String>,
    /// Category of the people who hold it.
    #[validate(required)]
    #[schema(required = true, nullable = false)]
    pub category: Option<Category>,
    /// Minimum education level required.
    pub min_education: Option<EducationLevel>,
    /// Minimum political theory level required.
    pub min_political_theory: Option<PoliticalTheoryLevel>,
    /// Minimum state management level required.
    pub min_state_management: Option<StateManagementLevel>,
}

/// Creates a position with its standards.
#[utoipa::path(
    tag = "positions",
    request_body = CreatePosition,
    responses(
        (status = 201, description = "The position was created; `Location` names it.", body = Position),
        BadRequest, Unauthorized, Forbidden, Conflict, TooLarge, Unprocessable
    ),
    security(("bearer" = []))
)]
#[post("/positions")]
#[tracing::instrument(skip_all, fields(user = %caller.username))]
pub async fn create_position(
    Writer(caller): Writer,
    db: web::Data<Db>,
    ValidJson(body): ValidJson<CreatePosition>,
) -> Result<HttpResponse, ApiError> {
    let title = required(body.title, "title")?.trim().to_owned();
    let at = crate::db::now();
    let new = NewPosition {
        code: required(body.code, "code")?.trim().to_owned(),
        search_title: fold(&title),
        title,
        category: required(body.category, "category")?,
        min_education: body.min_education,
        min_political_theory: body.min_political_theory,
        min_state_management: body.min_state_management,
        created_at: at,
        updated_at: at,
    };
    let position = db.write(move |conn| Position::create(conn, &new)).await?;
    Ok(created(
        format!("/api/v1/positions/{}", position.id),
        position.version,
        &position,
    ))
}
