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
    #[validate(required, length(min = 3, max = 64), custom(function = "not_blank"))]
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
    #[validate(required, length(min = 10, max = 128, message = "must be 10 to 128 characters long"))]
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
    #[validate(required)]
    #[schema(required = true, nullable = false)]
    pub role: Option<Role>,
    /// Home unit; required for `hr`.
    pub unit_id: Option<i64>,
}

/// Creates a user (admins only).
#[utoipa::path(
    tag = "users",
    request_body = CreateUser,
    responses(
        (status = 201, description = "The user was created; `Location` names it.", body = User),
        CreateErrors
    )
)]
#[post("/users")]
pub async fn create_user(
    Admin(caller): Admin,
    db: web::Data<Db>,
    ValidJson(body): ValidJson<CreateUser>,
) -> Result<HttpResponse, ApiError> {
    let password = required(body.password, "password")?;
    let hash = web::block(move || hash_password(&password)).await??;
    let user = db
        .write_as(&caller, move |conn, audit, _| {
            let mut checks = Checks::default();
            check_scope(conn, &mut checks, body.role, body.unit_id)?;
            checks.finish()?;
            let user = User::create(
                conn,
                required(body.username, "username")?.trim().to_owned(),
                hash,
                required(body.role, "role")?,
                body.unit_id,
            )?;
            audit.created("user", user.id, &user)?;
            Ok(user)
        })
        .await?;
    Ok(created(format!("/api/v1/users/{}", user.id), user.version, &user))
}
