use super::locked_class;
use crate::api::prelude::*;
use crate::model::class::TrainingClass;

/// Deletes a class without enrollments (one with enrollments can be cancelled instead).
#[utoipa::path(
    tag = "classes",
    params(
        ("id" = i64, Path, description = "The class's id."),
        IfMatch
    ),
    responses(
        (status = 204, description = "The class was deleted."),
        DeleteErrors
    )
)]
#[delete("/classes/{id}")]
pub async fn delete_class(
    Writer(caller): Writer,
    db: web::Data<Db>,
    id: web::Path<i64>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    delete_record(
        &db,
        &caller,
        ("class", id),
        if_match,
        move |conn, scope| locked_class(conn, scope, id),
        move |conn, _, version| TrainingClass::delete(conn, id, version),
    )
    .await
}
