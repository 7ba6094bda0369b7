use super::locked_official;
use crate::api::prelude::*;
use crate::model::qualification::Qualification;

/// Deletes a manual qualification record; the official's current level is recomputed in the same
/// transaction. A record conferred by an enrollment is a 409: change the enrollment instead.
#[utoipa::path(
    tag = "officials",
    params(
        ("id" = i64, Path, description = "The official's id."),
        ("qualification_id" = i64, Path, description = "The record's id."),
        IfMatch
    ),
    responses(
        (status = 204, description = "The record was deleted."),
        DeleteErrors
    )
)]
#[delete("/officials/{id}/qualifications/{qualification_id}")]
pub async fn delete_qualification(
    Writer(caller): Writer,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let (official_id, id) = path.into_inner();
    delete_record(
        &db,
        &caller,
        (AuditEntity::Qualification, id),
        if_match,
        move |conn, scope, id| {
            locked_official(conn, scope, official_id)?;
            Qualification::find(conn, official_id, id)
        },
        |conn, _, record, version| {
            if let Some(enrollment) = record.enrollment_id {
                return Err(ApiError::Conflict(
                    ConflictKind::PartOfHistory,
                    format!(
                        "qualification {} was conferred by enrollment {enrollment}: change that enrollment's status instead",
                        record.id
                    ),
                ));
            }
            Qualification::delete(conn, record, version)
        },
    )
    .await
}
