use super::locked_enrollment;
use crate::api::prelude::*;
use crate::model::enrollment::Enrollment;

/// Deletes a nomination made by mistake (a nominated or withdrawn enrollment).
#[utoipa::path(
    tag = "enrollments",
    params(
        ("id" = i64, Path, description = "The enrollment's id."),
        IfMatch
    ),
    responses(
        (status = 204, description = "The enrollment was deleted."),
        DeleteErrors
    )
)]
#[delete("/enrollments/{id}")]
pub async fn delete_enrollment(
    Writer(caller): Writer,
    db: web::Data<Db>,
    id: web::Path<i64>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    delete_record(
        &db,
        &caller,
        ("enrollment", id),
        if_match,
        move |conn, scope| locked_enrollment(conn, scope, id),
        Enrollment::delete,
    )
    .await
}
