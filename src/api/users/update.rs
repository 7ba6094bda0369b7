use super::check_scope;
use crate::api::prelude::*;
use crate::auth::hash_password;
use crate::domain::Role;
use crate::model::user::{User, UserChanges};

/// The body of `PATCH /users/{id}`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    /// Login name.
    #[validate(length(min = 3, max = 64), custom(function = "not_blank"))]
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false, min_length = 3, max_length = 64, pattern = r"\S")]
    pub username: Option<String>,
    /// A new password, at least 10 characters.
    #[validate(length(min = 10, max = 128, message = "must be 10 to 128 characters long"))]
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false, write_only, min_length = 10, max_length = 128)]
    pub password: Option<String>,
    /// Role.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub role: Option<Role>,
    /// Whether the account is disabled: a disabled user cannot log in, and their tokens stop working at once.
    #[serde(default, deserialize_with = "present")]
    #[schema(nullable = false)]
    pub disabled: Option<bool>,
    /// Home unit; `null` clears it (not for `hr`).
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub unit_id: Option<Option<i64>>,
}

/// Changes a user (admins only). Any change revokes the user's tokens.
#[utoipa::path(
    tag = "users",
    params(
        ("id" = i64, Path, description = "The user's id."),
        IfMatch
    ),
    request_body = UpdateUser,
    responses(
        (status = 200, description = "The changed user.", body = User),
        UpdateErrors
    )
)]
#[patch("/users/{id}")]
pub async fn update_user(
    Admin(caller): Admin,
    db: web::Data<Db>,
    id: web::Path<i64>,
    if_match: IfMatch,
    ValidJson(body): ValidJson<UpdateUser>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let password_hash = match body.password {
        Some(password) => Some(web::block(move || hash_password(&password)).await??),
        None => None,
    };
    let user = db
        .write_as(&caller, move |conn, audit, _| {
            let current = User::lock(conn, id)?;
            if id == caller.user_id && body.role.is_some_and(|r| r != Role::Admin) {
                return Err(ApiError::Conflict(
                    ConflictKind::SelfLockout,
                    "an admin cannot take away their own admin role".to_owned(),
                ));
            }
            if id == caller.user_id && body.disabled == Some(true) {
                return Err(ApiError::Conflict(
                    ConflictKind::SelfLockout,
                    "an admin cannot disable their own account".to_owned(),
                ));
            }
            let mut checks = Checks::default();
            let role = body.role.or(Some(current.role));
            let unit_id = body.unit_id.unwrap_or(current.unit_id);
            check_scope(conn, &mut checks, role, unit_id)?;
            checks.finish()?;
            let changes = UserChanges {
                username: body.username.map(|u| u.trim().to_owned()),
                password_hash,
                role: body.role,
                unit_id: body.unit_id,
                disabled: body.disabled,
            };
            let user = User::update(conn, &current, &changes, if_match.expected(current.version))?;
            audit.updated("user", id, &current, &user)?;
            Ok(user)
        })
        .await?;
    Ok(with_etag(&user))
}
