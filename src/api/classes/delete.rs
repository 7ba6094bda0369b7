use super::locked;
use crate::api::prelude::*;
use crate::model::class::TrainingClass;

/// Deletes a class without enrollments (one with enrollments can be cancelled instead).
#[utoipa::path(
    tag = "classes",
    params(
        ("id" = i64, Path, description = "The class's id."),
        ("If-Match" = Option<String>, Header, nullable = false, pattern = r#"^(\*|(W/)?"?[0-9]{1,9}"?)$"#, description = "The version last read (its `ETag`).")
    ),
    responses(
        (status = 204, description = "The class was deleted."),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed
    ),
    security(("bearer" = []))
)]
#[delete("/classes/{id}")]
#[tracing::instrument(skip_all, fields(user = ?caller.username))]
pub async fn delete_class(
    Writer(caller): Writer,
    db: web::Data<Db>,
    id: web::Path<i64>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    db.write_as(&caller, move |conn, audit, scope| {
        let current = locked(conn, scope, id)?;
        TrainingClass::delete(conn, id, if_match.expected(current.version))?;
        audit.deleted("class", id, &current)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
