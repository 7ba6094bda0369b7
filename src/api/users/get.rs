use crate::api::prelude::*;
use crate::model::user::User;

read_handler! {
    /// Reads one user (admins only).
    fn find_user("/users/{id}") for Admin => User;
    tag "users", id "The user's id.", found "The user; `ETag` carries the version.", errors ReadErrors;
    read |conn, _, id| User::find(conn, id);
}
