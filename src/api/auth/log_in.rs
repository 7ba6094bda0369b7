use serde::Serialize;

use crate::api::prelude::*;
use crate::auth::{verify_password_or_dummy, TokenKeys};
use crate::model::user::User;

/// The body of `POST /auth/login`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Login name.
    #[validate(required, length(min = 1, max = 64))]
    #[schema(required = true, nullable = false, example = "admin")]
    pub username: Option<String>,
    /// Password.
    #[validate(required, length(min = 1, max = 128))]
    #[schema(required = true, nullable = false, write_only)]
    pub password: Option<String>,
}

/// An access token for the `Authorization: Bearer` header.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// The signed token (JWT, HS256).
    pub access_token: String,
    /// Always `Bearer`.
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the token expires.
    pub expires_in: i64,
}

/// Exchanges a username and password for an access token. An unknown user and a wrong
/// password get the same answer.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in.", body = TokenResponse),
        BadRequest, Unauthorized, TooLarge, Unprocessable
    )
)]
#[post("/auth/login")]
#[tracing::instrument(skip_all)]
pub async fn login(
    db: web::Data<Db>,
    keys: web::Data<TokenKeys>,
    ValidJson(body): ValidJson<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let username = required(body.username, "username")?;
    let password = required(body.password, "password")?;
    let lookup = username.clone();
    let user = db.run(move |conn| User::find_by_username(conn, &lookup)).await?;
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    let valid = web::block(move || verify_password_or_dummy(hash.as_deref(), &password)).await?;
    let user = match user {
        Some(user) if valid => user,
        _ => {
            tracing::info!(%username, "failed login");
            return Err(ApiError::Unauthorized("wrong username or password".to_owned()));
        }
    };
    let token = keys.issue(user.id, &user.username, user.role, user.unit_id, user.version)?;
    tracing::info!(username = %user.username, "logged in");
    Ok(HttpResponse::Ok().json(TokenResponse {
        access_token: token,
        token_type: "Bearer",
        expires_in: keys.ttl_seconds(),
    }))
}
