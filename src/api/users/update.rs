use super::check_scope;
use crate::api::prelude::*;
use crate::auth::hash_password;
use crate::domain::Role;
use crate::model::user::{User, UserChanges};

patch_body! {
    /// The body of `PATCH /users/{id}`.
    pub struct UpdateUser {
        /// Login name.
        #[validate(length(min = 3, max = 64), custom(function = "not_blank"))]
        #[schema(min_length = 3, max_length = 64, pattern = r"\S")]
        username: set String,
        /// A new password, at least 10 characters.
        #[validate(length(min = 10, max = 128, message = "must be 10 to 128 characters long"))]
        #[schema(write_only, min_length = 10, max_length = 128)]
        password: set String,
        /// Role.
        role: set Role,
        /// Whether the account is disabled: a disabled user cannot log in, and their tokens stop working at once.
        disabled: set bool,
        /// Home unit; `null` clears it (not for `hr`).
        unit_id: clearable i64,
    }
}

update_handler! {
    /// Changes a user (admins only). Any change revokes the user's tokens.
    fn update_user("/users/{id}") for Admin(caller), body UpdateUser => User;
    tag "users", id "The user's id.", changed "The changed user.";
    prepare |body: UpdateUser| async move {
        let password_hash = match body.password.clone() {
            Some(password) => Some(web::block(move || hash_password(&password)).await??),
            None => None,
        };
        Ok::<_, ApiError>((body, password_hash))
    };
    write move |conn, audit, _, id, if_match, (body, password_hash): (UpdateUser, Option<String>)| {
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
        audit.updated(AuditEntity::User, id, &current, &user)?;
        Ok(user)
    };
}
