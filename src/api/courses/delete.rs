use crate::api::prelude::*;
use crate::model::course::Course;

/// Deletes a course that no class runs (admins only).
#[utoipa::path(
    tag = "courses",
    params(
        ("id" = i64, Path, description = "The course's id."),
        IfMatch
    ),
    responses(
        (status = 204, description = "The course was deleted."),
        DeleteErrors
    )
)]
#[delete("/courses/{id}")]
pub async fn delete_course(
    Admin(caller): Admin,
    db: web::Data<Db>,
    id: web::Path<i64>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    delete_record(
        &db,
        &caller,
        ("course", id),
        if_match,
        move |conn, _| Course::lock(conn, id),
        move |conn, _, version| Course::delete(conn, id, version),
    )
    .await
}
