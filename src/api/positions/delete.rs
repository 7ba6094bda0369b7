use crate::api::prelude::*;
use crate::model::position::Position;

/// Deletes a position nobody holds or has held (admins only).
#[utoipa::path(
    tag = "positions",
    params(
        ("id" = i64, Path, description = "The position's id."),
        ("If-Match" = Option<String>, Header, nullable = false, pattern = r#"^(\*|(W/)?"?[0-9]{1,9}"?)$"#, description = "The version last read (its `ETag`).")
    ),
    responses(
        (status = 204, description = "The position was deleted."),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed
    ),
    security(("bearer" = []))
)]
#[delete("/positions/{id}")]
#[tracing::instrument(skip_all, fields(user = ?caller.username))]
pub async fn delete_position(
    Admin(caller): Admin,
    db: web::Data<Db>,
    id: web::Path<i64>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    db.write_as(&caller, move |conn, audit, _| {
        let current = Position::lock(conn, id)?;
        Position::delete(conn, id, if_match.expected(current.version))?;
        audit.deleted("position", id, &current)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
