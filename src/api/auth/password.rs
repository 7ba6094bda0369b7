use super::TokenResponse;
use crate::api::prelude::*;
use crate::auth::{count_attempt, hash_password, verify_password, ClientAddress, TokenKeys};
use crate::model::login_throttle::LoginThrottle;
use crate::model::user::{User, UserChanges};

/// The body of `POST /auth/password`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    /// The password in use now.
    #[validate(length(min = 1, max = 128))]
    #[schema(required = true, nullable = false, write_only, min_length = 1, max_length = 128)]
    pub current_password: Option<String>,
    /// The new password: 10 to 128 characters, different from the current one.
    #[validate(length(min = 10, max = 128, message = "must be 10 to 128 characters long"))]
    #[schema(required = true, nullable = false, write_only, min_length = 10, max_length = 128)]
    pub new_password: Option<String>,
}

/// The password in use and the one to take its place, different from it.
pub struct PasswordChange {
    current: String,
    new: String,
}

impl FromBody for PasswordChange {
    type Body = ChangePassword;
}

impl TryFrom<ChangePassword> for PasswordChange {
    type Error = FieldErrors;

    fn try_from(body: ChangePassword) -> Result<Self, FieldErrors> {
        let mut checks = Checks::default();
        let current = checks.required(body.current_password, "current_password");
        let new = checks.required(body.new_password, "new_password");
        checks.check(
            current.is_some() && current == new,
            "new_password",
            "must differ from the current password",
        );
        checks.into_value(|| {
            Some(PasswordChange {
                current: current?,
                new: new?,
            })
        })
    }
}

/// Changes the caller's own password. Every token issued before stops working; the answer
/// carries a fresh one. A wrong current password counts as a failed login from the
/// caller's address, and is logged; past the login limits the answer is 429.
#[utoipa::path(
    tag = "auth",
    request_body = ChangePassword,
    responses(
        (status = 200, description = "The password was changed; here is a new token.", body = TokenResponse),
        BadRequest, Unauthorized, TooLarge, TooManyRequests, Unprocessable
    )
)]
#[post("/auth/password")]
pub async fn change_password(
    caller: Caller,
    db: web::Data<Db>,
    keys: web::Data<TokenKeys>,
    client: ClientAddress,
    Valid(PasswordChange {
        current: current_password,
        new: new_password,
    }): Valid<PasswordChange>,
) -> Result<HttpResponse, ApiError> {
    let user_id = caller.user_id;
    let user = db.run_as(&caller, move |conn, _| User::find(conn, user_id)).await?;
    // A wrong current password is a failed login: counted and throttled with them.
    let attempt = count_attempt(&db, &user.username, client).await?;
    let stored = user.password_hash.clone();
    // The change applies to the account as it was when its password was verified.
    let verified_version = user.version;
    let hash = web::block(move || {
        if verify_password(&stored, &current_password) {
            hash_password(&new_password).map(Some)
        } else {
            Ok(None)
        }
    })
    .await??;
    let Some(hash) = hash else {
        let record = attempt.failure_record();
        db.write_as(&caller, move |_, audit, _| {
            audit.record::<(), _>(
                AuditAction::PasswordChangeFailed,
                AuditEntity::User,
                Some(user_id),
                None,
                Some(&record),
            )
        })
        .await?;
        return Err(ApiError::field("current_password", "is not your current password"));
    };
    let changed = db
        .write_as(&caller, move |conn, audit, _| {
            LoginThrottle::succeeded(conn, &attempt.username, &attempt.address)?;
            let current = User::lock(conn, user_id)?;
            let changes = UserChanges {
                password_hash: Some(hash),
                ..Default::default()
            };
            let changed = User::update(conn, &current, &changes, verified_version)?;
            audit.record(
                AuditAction::PasswordChange,
                AuditEntity::User,
                Some(user_id),
                Some(&current),
                Some(&changed),
            )?;
            Ok(changed)
        })
        .await?;
    Ok(HttpResponse::Ok().json(TokenResponse::issue(&keys, &changed)?))
}
