use super::check_scope;
use crate::api::prelude::*;
use crate::auth::hash_password;
use crate::domain::Role;
use crate::model::user::User;

/// The body of `POST /users`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    /// Login name, unique.
    #[validate(length(min = 3, max = 64), custom(function = "not_blank"))]
    #[schema(
        required = true,
        nullable = false,
        example = "hr.phucthang",
        min_length = 3,
        max_length = 64,
        pattern = r"\S"
    )]
    pub username: Option<String>,
    /// Password, at least 10 characters; never returned.
    #[validate(length(min = 10, max = 128, message = "must be 10 to 128 characters long"))]
    #[schema(
        required = true,
        nullable = false,
        write_only,
        example = "correct horse battery",
        min_length = 10,
        max_length = 128
    )]
    pub password: Option<String>,
    /// Role.
    #[schema(required = true, nullable = false)]
    pub role: Option<Role>,
    /// Home unit; required for `hr`.
    pub unit_id: Option<i64>,
}

/// An account to open, as the body gives it (the password not yet hashed).
pub struct NewAccount {
    username: String,
    password: String,
    role: Role,
    unit_id: Option<i64>,
}

impl FromBody for NewAccount {
    type Body = CreateUser;
}

impl TryFrom<CreateUser> for NewAccount {
    type Error = FieldErrors;

    fn try_from(body: CreateUser) -> Result<Self, FieldErrors> {
        let mut checks = Checks::default();
        let username = checks.required(body.username, "username");
        let password = checks.required(body.password, "password");
        let role = checks.required(body.role, "role");
        checks.into_value(|| {
            Some(NewAccount {
                username: username?.trim().to_owned(),
                password: password?,
                role: role?,
                unit_id: body.unit_id,
            })
        })
    }
}

impl std::fmt::Debug for NewAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAccount")
            .field("username", &self.username)
            .field("role", &self.role)
            .field("unit_id", &self.unit_id)
            .finish_non_exhaustive()
    }
}

/// Creates a user (admins only).
#[utoipa::path(
    tag = "users",
    request_body = CreateUser,
    responses(
        Created<User>,
        CreateErrors
    )
)]
#[post("/users")]
pub async fn create_user(
    Admin(caller): Admin,
    db: web::Data<Db>,
    Valid(account): Valid<NewAccount>,
) -> Result<HttpResponse, ApiError> {
    let NewAccount {
        username,
        password,
        role,
        unit_id,
    } = account;
    let hash = web::block(move || hash_password(&password)).await??;
    let user = db
        .write_as(&caller, move |conn, audit, _| {
            let mut checks = Checks::default();
            check_scope(conn, &mut checks, Some(role), unit_id)?;
            checks.finish()?;
            let user = User::create(conn, username, hash, role, unit_id)?;
            audit.created(AuditEntity::User, user.id, &user)?;
            Ok(user)
        })
        .await?;
    Ok(created(&user))
}
