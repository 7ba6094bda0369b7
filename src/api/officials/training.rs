use super::official_in_reach;
use crate::api::prelude::*;
use crate::model::enrollment::{Enrollment, EnrollmentFilter, EnrollmentView};

/// An official's training history: their enrollments, newest class first, with course and class names.
#[utoipa::path(
    tag = "officials",
    params(("id" = i64, Path, description = "The official's id."), PageQuery),
    responses((status = 200, description = "A page of the official's enrollments.", body = Page<EnrollmentView>), BadRequest, Unauthorized, Forbidden, NotFound, Unprocessable)
)]
#[get("/officials/{id}/enrollments")]
pub async fn list_official_enrollments(
    caller: Caller,
    db: web::Data<Db>,
    id: web::Path<i64>,
    ValidQuery(page): ValidQuery<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let official_id = id.into_inner();
    list_records(&db, &caller, page, move |conn, scope, window| {
        official_in_reach(conn, scope, official_id)?;
        let filter = EnrollmentFilter {
            official_id: Some(official_id),
            ..Default::default()
        };
        Enrollment::list(conn, &filter, window)
    })
    .await
}
