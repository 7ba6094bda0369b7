use crate::api::prelude::*;
use crate::model::user::User;

delete_handler! {
    /// Deletes a user (admins only; not oneself).
    fn delete_user("/users/{id}") for Admin(caller);
    tag "users", record User, id "The user's id.", deleted "The user was deleted.";
    lock move |conn, _, id| {
        if id == caller.user_id {
            return Err(ApiError::Conflict(
                ConflictKind::SelfLockout,
                "an admin cannot delete their own account".to_owned(),
            ));
        }
        User::lock(conn, id)
    };
    delete |conn, id, _, version| User::delete(conn, id, version);
}
