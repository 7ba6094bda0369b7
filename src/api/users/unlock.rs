use crate::api::prelude::*;
use crate::model::login_throttle::LoginThrottle;
use crate::model::user::User;

/// Lifts a user's login locks, from every address, with their failure counts (admins only).
/// The audit log keeps what was lifted (`before`: the username and its `locks`). Locks of an address as a whole (too many failures
/// whatever the username) are not a user's and end on their own after 15 minutes.
#[utoipa::path(
    tag = "users",
    params(("id" = i64, Path, description = "The user's id.")),
    responses(
        (status = 204, description = "The user's locks, if any, are lifted."),
        BadRequest, Unauthorized, Forbidden, NotFound
    )
)]
#[delete("/users/{id}/lock")]
pub async fn unlock_user(
    Admin(caller): Admin,
    db: web::Data<Db>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    db.write_as(&caller, move |conn, audit, _| {
        let user = User::find(conn, id)?;
        let lifted = LoginThrottle::clear(conn, &user.username)?;
        let before = serde_json::json!({ "username": user.username, "locks": lifted });
        audit.record::<_, ()>(AuditAction::Unlock, AuditEntity::User, Some(id), Some(&before), None)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
