use crate::api::prelude::*;
use crate::model::user::User;

/// Deletes a user (admins only; not oneself).
#[utoipa::path(
    tag = "users",
    params(
        ("id" = i64, Path, description = "The user's id."),
        ("If-Match" = Option<String>, Header, nullable = false, pattern = r#"^(\*|(W/)?"?[0-9]{1,9}"?)$"#, description = "The version last read (its `ETag`).")
    ),
    responses(
        (status = 204, description = "The user was deleted."),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed
    ),
    security(("bearer" = []))
)]
#[delete("/users/{id}")]
#[tracing::instrument(skip_all, fields(user = ?caller.username))]
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
    db.write_as(&caller, move |conn, audit, _| {
        let current = User::lock(conn, id)?;
        User::delete(conn, id, if_match.expected(current.version))?;
        audit.deleted("user", id, &current)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
