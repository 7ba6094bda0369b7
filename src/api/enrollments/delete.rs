use super::locked;
use crate::api::prelude::*;
use crate::model::enrollment::Enrollment;

/// Deletes a nomination made by mistake (a nominated or withdrawn enrollment).
#[utoipa::path(
    tag = "enrollments",
    params(
        ("id" = i64, Path, description = "The enrollment's id."),
        ("If-Match" = Option<String>, Header, nullable = false, pattern = r#"^(\*|(W/)?"?[0-9]{1,9}"?)$"#, description = "The version last read (its `ETag`).")
    ),
    responses(
        (status = 204, description = "The enrollment was deleted."),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed
    ),
    security(("bearer" = []))
)]
#[delete("/enrollments/{id}")]
#[tracing::instrument(skip_all, fields(user = ?caller.username))]
pub async fn delete_enrollment(
    Writer(caller): Writer,
    db: web::Data<Db>,
    id: web::Path<i64>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    db.write_as(&caller, move |conn, audit, scope| {
        let current = locked(conn, scope, id)?;
        Enrollment::delete(conn, &current, if_match.expected(current.version))?;
        audit.deleted("enrollment", id, &current)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
