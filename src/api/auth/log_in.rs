use serde::Serialize;

use crate::api::prelude::*;
use crate::auth::{count_attempt, verify_password_or_dummy, ClientAddress, TokenKeys};
use crate::db::Actor;
use crate::metrics::Metrics;
use crate::model::login_throttle::LoginThrottle;
use crate::model::user::User;

/// The body of `POST /auth/login`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Login name.
    #[validate(length(min = 1, max = 64))]
    #[schema(
        required = true,
        nullable = false,
        example = "admin",
        min_length = 1,
        max_length = 64
    )]
    pub username: Option<String>,
    /// Password.
    #[validate(length(min = 1, max = 128))]
    #[schema(required = true, nullable = false, write_only, min_length = 1, max_length = 128)]
    pub password: Option<String>,
}

/// A username and the password given for it.
pub struct Credentials {
    username: String,
    password: String,
}

impl FromBody for Credentials {
    type Body = LoginRequest;
}

impl TryFrom<LoginRequest> for Credentials {
    type Error = FieldErrors;

    fn try_from(body: LoginRequest) -> Result<Self, FieldErrors> {
        let mut checks = Checks::default();
        let username = checks.required(body.username, "username");
        let password = checks.required(body.password, "password");
        checks.into_value(|| {
            Some(Credentials {
                username: username?,
                password: password?,
            })
        })
    }
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
/// password and a disabled account get the same answer, in the same time. Attempts are
/// throttled by client address: 5 failures for a username from one address within 15
/// minutes lock that username there (not elsewhere), 30 failures from one address lock the
/// address, each for 15 minutes (429 with `Retry-After`); attempts are counted before the
/// password is checked, so no burst checks more than that.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in.", body = TokenResponse),
        BadRequest, Unauthorized, TooLarge, TooManyRequests, Unprocessable
    ),
    // No token: this endpoint is open to anybody.
    security()
)]
#[post("/auth/login")]
#[tracing::instrument(skip_all)]
pub async fn login(
    db: web::Data<Db>,
    keys: web::Data<TokenKeys>,
    metrics: web::Data<Metrics>,
    client: ClientAddress,
    Valid(Credentials { username, password }): Valid<Credentials>,
) -> Result<HttpResponse, ApiError> {
    let attempt = count_attempt(&db, &username, client).await.inspect_err(|e| {
        if matches!(e, ApiError::TooManyRequests(..)) {
            metrics.login("refused");
        }
    })?;
    let lookup = username.clone();
    let user = db.run(move |conn| User::find_by_username(conn, &lookup)).await?;
    let actor = Actor {
        user_id: user.as_ref().map(|u| u.id),
        name: username.clone(),
    };
    let user_id = actor.user_id;
    let hash = user.as_ref().map(|u| u.password_hash.clone());
    let valid = web::block(move || verify_password_or_dummy(hash.as_deref(), &password)).await?;
    match user {
        Some(user) if valid && !user.disabled => {
            let from = serde_json::json!({"address": attempt.address});
            db.write(actor, move |conn, audit| {
                LoginThrottle::succeeded(conn, &attempt.username, &attempt.address)?;
                audit.record::<(), _>(AuditAction::Login, AuditEntity::User, user_id, None, Some(&from))
            })
            .await?;
            tracing::info!(username = ?user.username, address = %client, "logged in");
            metrics.login("succeeded");
            Ok(HttpResponse::Ok().json(TokenResponse::issue(&keys, &user)?))
        }
        _ => {
            let record = attempt.failure_record();
            metrics.login(if attempt.locks_until.is_some() {
                "locked"
            } else {
                "failed"
            });
            db.write(actor, move |_, audit| {
                audit.record::<(), _>(
                    AuditAction::LoginFailed,
                    AuditEntity::User,
                    user_id,
                    None,
                    Some(&record),
                )
            })
            .await?;
            tracing::info!(username = ?username, address = %client, "failed login");
            Err(ApiError::Unauthorized("wrong username or password".to_owned()))
        }
    }
}
