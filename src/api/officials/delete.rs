use super::locked;
use crate::api::prelude::*;
use crate::model::official::Official;

/// Deletes an official entered by mistake, with their assignment history.
/// One who still has qualification records is a 409.
#[utoipa::path(
    tag = "officials",
    params(
        ("id" = i64, Path, description = "The official's id."),
        ("If-Match" = Option<String>, Header, nullable = false, pattern = r#"^(\*|(W/)?"?[0-9]{1,9}"?)$"#, description = "The version last read (its `ETag`).")
    ),
    responses(
        (status = 204, description = "The official was deleted."),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed
    ),
    security(("bearer" = []))
)]
#[delete("/officials/{id}")]
#[tracing::instrument(skip_all, fields(user = ?caller.username))]
pub async fn delete_official(
    Writer(caller): Writer,
    db: web::Data<Db>,
    id: web::Path<i64>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    db.write_as(&caller, move |conn, audit, scope| {
        let current = locked(conn, scope, id)?;
        Official::delete(conn, id, if_match.expected(current.version))?;
        audit.deleted("official", id, &current)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
