use super::locked_official;
use crate::api::prelude::*;
use crate::model::official::Official;

/// Deletes an official entered by mistake, with their assignment history.
/// One who still has qualification records is a 409.
#[utoipa::path(
    tag = "officials",
    params(
        ("id" = i64, Path, description = "The official's id."),
        IfMatch
    ),
    responses(
        (status = 204, description = "The official was deleted."),
        DeleteErrors
    )
)]
#[delete("/officials/{id}")]
pub async fn delete_official(
    Writer(caller): Writer,
    db: web::Data<Db>,
    id: web::Path<i64>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    delete_record(
        &db,
        &caller,
        ("official", id),
        if_match,
        move |conn, scope| locked_official(conn, scope, id),
        move |conn, _, version| Official::delete(conn, id, version),
    )
    .await
}
