use crate::api::prelude::*;
use crate::model::unit::Unit;

/// Deletes a unit that nothing refers to (no child units, officials, assignments or users).
#[utoipa::path(
    tag = "units",
    params(
        ("id" = i64, Path, description = "The unit's id."),
        IfMatch
    ),
    responses(
        (status = 204, description = "The unit was deleted."),
        DeleteErrors
    )
)]
#[delete("/units/{id}")]
pub async fn delete_unit(
    Writer(caller): Writer,
    db: web::Data<Db>,
    id: web::Path<i64>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    delete_record(
        &db,
        &caller,
        ("unit", id),
        if_match,
        move |conn, scope| {
            Unit::lock_tree(conn)?;
            let current = Unit::lock(conn, id)?;
            scope.check_below(&current)?;
            Ok(current)
        },
        move |conn, _, version| Unit::delete(conn, id, version),
    )
    .await
}
