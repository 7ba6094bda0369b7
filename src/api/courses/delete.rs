use crate::api::prelude::*;
use crate::model::course::Course;

/// Deletes a course that no class runs (admins only).
#[utoipa::path(
    tag = "courses",
    params(
        ("id" = i64, Path, description = "The course's id."),
        ("If-Match" = Option<String>, Header, nullable = false, pattern = r#"^(\*|(W/)?"?[0-9]{1,9}"?)$"#, description = "The version last read (its `ETag`).")
    ),
    responses(
        (status = 204, description = "The course was deleted."),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed
    ),
    security(("bearer" = []))
)]
#[delete("/courses/{id}")]
#[tracing::instrument(skip_all, fields(user = ?caller.username))]
pub async fn delete_course(
    Admin(caller): Admin,
    db: web::Data<Db>,
    id: web::Path<i64>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    db.write_as(&caller, move |conn, audit, _| {
        let current = Course::lock(conn, id)?;
        Course::delete(conn, id, if_match.expected(current.version))?;
        audit.deleted("course", id, &current)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
