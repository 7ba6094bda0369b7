use chrono::TimeDelta;
use serde::Serialize;

use crate::api::prelude::*;
use crate::auth::{verify_password_or_dummy, TokenKeys};
use crate::model::audit::{Actor, AuditEntry};
use crate::model::user::User;

/// Failed logins for one username that lock it…
pub const LOCKOUT_FAILURES: i64 = 5;
/// …within this many minutes, for as long again.
pub const LOCKOUT_MINUTES: i64 = 15;

/// The body of `POST /auth/login`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Login name.
    #[validate(required, length(min = 1, max = 64))]
    #[schema(
        required = true,
        nullable = false,
        example = "admin",
        min_length = 1,
        max_length = 64
    )]
    pub username: Option<String>,
    /// Password.
    #[validate(required, length(min = 1, max = 128))]
    #[schema(required = true, nullable = false, write_only, min_length = 1, max_length = 128)]
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

impl TokenResponse {
    /// A fresh token for this user.
    pub fn issue(keys: &TokenKeys, user: &User) -> Result<Self, ApiError> {
        Ok(TokenResponse {
            access_token: keys.issue(user.id, &user.username, user.role, user.unit_id, user.version)?,
            token_type: "Bearer",
            expires_in: keys.ttl_seconds(),
        })
    }
}

/// Exchanges a username and password for an access token. An unknown user, a wrong
/// password and a disabled account get the same answer, in the same time. After 5
/// failures for a username within 15 minutes, further attempts get 429 for 15 minutes.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in.", body = TokenResponse),
        BadRequest, Unauthorized, TooLarge, TooManyRequests, Unprocessable
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
    let (user, locked_until) = db
        .run(move |conn| {
            let window = crate::db::now() - TimeDelta::minutes(LOCKOUT_MINUTES);
            let failures = AuditEntry::failed_logins(conn, &lookup, window)?;
            let locked_until = if failures >= LOCKOUT_FAILURES {
                AuditEntry::nth_failed_login(conn, &lookup, window, LOCKOUT_FAILURES)?
                    .map(|at| at + TimeDelta::minutes(LOCKOUT_MINUTES))
            } else {
                None
            };
            Ok((User::find_by_username(conn, &lookup)?, locked_until))
        })
        .await?;
    let actor = Actor {
        user_id: user.as_ref().map(|u| u.id),
        name: username.clone(),
    };
    let user_id = actor.user_id;
    if let Some(until) = locked_until {
        let wait = (until - crate::db::now()).num_seconds().max(1);
        db.write(actor, move |_, audit| {
            audit.record::<(), ()>("login_locked", "user", user_id, None, None)
        })
        .await?;
        tracing::warn!(%username, "login refused: too many failures");
        return Err(ApiError::TooManyRequests(
            format!("too many failed logins for this username: try again in {wait} seconds"),
            u64::try_from(wait).unwrap_or(1),
        ));
    }
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    let valid = web::block(move || verify_password_or_dummy(hash.as_deref(), &password)).await?;
    match user {
        Some(user) if valid && !user.disabled => {
            db.write(actor, move |_, audit| {
                audit.record::<(), ()>("login", "user", user_id, None, None)
            })
            .await?;
            tracing::info!(username = %user.username, "logged in");
            Ok(HttpResponse::Ok().json(TokenResponse::issue(&keys, &user)?))
        }
        _ => {
            db.write(actor, move |_, audit| {
                audit.record::<(), ()>("login_failed", "user", user_id, None, None)
            })
            .await?;
            tracing::info!(%username, "failed login");
            Err(ApiError::Unauthorized("wrong username or password".to_owned()))
        }
    }
}
