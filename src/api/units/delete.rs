use crate::api::prelude::*;
use crate::model::unit::Unit;

/// Deletes a unit that nothing refers to (no child units, officials, assignments or users).
#[utoipa::path(
    tag = "units",
    params(
        ("id" = i64, Path, description = "The unit's id."),
        ("If-Match" = Option<String>, Header, nullable = false, pattern = r#"^(\*|(W/)?"?[0-9]{1,9}"?)$"#, description = "The version last read (its `ETag`).")
    ),
    responses(
        (status = 204, description = "The unit was deleted."),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed
    ),
    security(("bearer" = []))
)]
#[delete("/units/{id}")]
#[tracing::instrument(skip_all, fields(user = ?caller.username))]
pub async fn delete_unit(
    Writer(caller): Writer,
    db: web::Data<Db>,
    id: web::Path<i64>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    db.write_as(&caller, move |conn, audit, scope| {
        Unit::lock_tree(conn)?;
        let current = Unit::lock(conn, id)?;
        scope.check_below(&current)?;
        Unit::delete(conn, id, if_match.expected(current.version))?;
        audit.deleted("unit", id, &current)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
