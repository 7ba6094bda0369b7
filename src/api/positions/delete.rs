use crate::api::prelude::*;
use crate::model::position::Position;

/// Deletes a position nobody holds or has held (admins only).
#[utoipa::path(
    tag = "positions",
    params(
        ("id" = i64, Path, description = "The position's id."),
        IfMatch
    ),
    responses(
        (status = 204, description = "The position was deleted."),
        DeleteErrors
    )
)]
#[delete("/positions/{id}")]
pub async fn delete_position(
    Admin(caller): Admin,
    db: web::Data<Db>,
    id: web::Path<i64>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    delete_record(
        &db,
        &caller,
        ("position", id),
        if_match,
        move |conn, _| Position::lock(conn, id),
        move |conn, _, version| Position::delete(conn, id, version),
    )
    .await
}
