use crate::api::prelude::*;
use crate::model::user::User;

/// Deletes a user (admins only; not oneself).
#[utoipa::path(
    tag = "users",
    params(
        ("id" = i64, Path, description = "The user's id."),
        IfMatch
    ),
    responses(
        (status = 204, description = "The user was deleted."),
        DeleteErrors
    )
)]
#[delete("/users/{id}")]
pub async fn delete_user(
    Admin(caller): Admin,
    db: web::Data<Db>,
    id: web::Path<i64>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    if id == caller.user_id {
        return Err(ApiError::Conflict(
            ConflictKind::SelfLockout,
            "an admin cannot delete their own account".to_owned(),
        ));
    }
    delete_record(
        &db,
        &caller,
        (AuditEntity::User, id),
        if_match,
        |conn, _, id| User::lock(conn, id),
        |conn, id, _, version| User::delete(conn, id, version),
    )
    .await
}
