use super::enrollment_in_reach;
use crate::api::prelude::*;
use crate::model::enrollment::{Enrollment, EnrollmentView};

/// Reads one enrollment, with its class, course and official names.
#[utoipa::path(
    tag = "enrollments",
    params(("id" = i64, Path, description = "The enrollment's id.")),
    responses((status = 200, description = "The enrollment; `ETag` carries its version.", body = EnrollmentView), ReadErrors)
)]
#[get("/enrollments/{id}")]
pub async fn find_enrollment(caller: Caller, db: web::Data<Db>, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let view = db
        .run_as(&caller, move |conn, scope| {
            enrollment_in_reach(conn, scope, id)?;
            Enrollment::view(conn, id)
        })
        .await?;
    Ok(with_etag(&view))
}
