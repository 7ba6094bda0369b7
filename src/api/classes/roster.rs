use super::class_in_reach;
use crate::api::prelude::*;
use crate::domain::EnrollmentStatus;
use crate::model::enrollment::{Enrollment, EnrollmentFilter, EnrollmentView};

/// Filters of `GET /classes/{id}/enrollments`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RosterQuery {
    /// Only this status.
    pub status: Option<EnrollmentStatus>,
}

/// Lists a class's enrollments.
#[utoipa::path(
    tag = "classes",
    params(("id" = i64, Path, description = "The class's id."), PageQuery, RosterQuery),
    responses((status = 200, description = "A page of the class's enrollments.", body = Page<EnrollmentView>), BadRequest, Unauthorized, Forbidden, NotFound, Unprocessable)
)]
#[get("/classes/{id}/enrollments")]
pub async fn list_class_enrollments(
    caller: Caller,
    db: web::Data<Db>,
    id: web::Path<i64>,
    Paged(page, query): Paged<RosterQuery>,
) -> Result<HttpResponse, ApiError> {
    let class_id = id.into_inner();
    list_records(&db, &caller, page, move |conn, scope, window| {
        class_in_reach(conn, scope, class_id)?;
        let filter = EnrollmentFilter {
            status: query.status,
            class_id: Some(class_id),
            ..Default::default()
        };
        Enrollment::list(conn, &filter, window)
    })
    .await
}
