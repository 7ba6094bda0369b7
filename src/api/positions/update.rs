use crate::api::prelude::*;
use crate::domain::{fold, Category, EducationLevel, PoliticalTheoryLevel, StateManagementLevel};
use crate::model::position::{Position, PositionChanges};

/// The body of `PATCH /positions/{id}`: the fields to change; `null` clears a standard.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePosition {
    /// Unique code.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub code: Option<Code>,
    /// Title.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub title: Option<Name>,
    /// Category of the people who hold it.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub category: Option<Category>,
    /// Minimum education level.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<EducationLevel>)]
    pub min_education: Option<Option<EducationLevel>>,
    /// Minimum political theory level.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<PoliticalTheoryLevel>)]
    pub min_political_theory: Option<Option<PoliticalTheoryLevel>>,
    /// Minimum state management level.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<StateManagementLevel>)]
    pub min_state_management: Option<Option<StateManagementLevel>>,
}

/// Changes a position (admins only). With `If-Match`, only if it is still at that version.
#[utoipa::path(
    tag = "positions",
    params(
        ("id" = i64, Path, description = "The position's id."),
        IfMatch
    ),
    request_body = UpdatePosition,
    responses(
        (status = 200, description = "The changed position.", body = Position),
        UpdateErrors
    )
)]
#[patch("/positions/{id}")]
pub async fn update_position(
    Admin(caller): Admin,
    db: web::Data<Db>,
    id: web::Path<i64>,
    if_match: IfMatch,
    ValidJson(body): ValidJson<UpdatePosition>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let title = body.title.map(Name::into_inner);
    let changes = PositionChanges {
        code: body.code.map(Code::into_inner),
        search_title: title.as_deref().map(fold),
        title,
        category: body.category,
        ..PositionChanges::standards(body.min_education, body.min_political_theory, body.min_state_management)
    };
    let position = db
        .write_as(&caller, move |conn, audit, _| {
            let current = Position::lock(conn, id)?;
            let changed = Position::update(conn, &current, &changes, if_match.expected(current.version))?;
            audit.updated("position", id, &current, &changed)?;
            Ok(changed)
        })
        .await?;
    Ok(with_etag(&position))
}
