use crate::api::prelude::*;
use crate::model::course::Course;

/// Reads one course.
#[utoipa::path(
    tag = "courses",
    params(("id" = i64, Path, description = "The course's id.")),
    responses((status = 200, description = "The course; `ETag` carries its version.", body = Course), Unauthorized, NotFound)
)]
#[get("/courses/{id}")]
pub async fn find_course(caller: Caller, db: web::Data<Db>, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let course = db.run_as(&caller, move |conn, _| Course::find(conn, id)).await?;
    Ok(with_etag(&course))
}
