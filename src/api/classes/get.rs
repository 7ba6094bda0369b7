use super::class_in_reach;
use crate::api::prelude::*;
use crate::model::class::{ClassView, TrainingClass};

/// Reads one class, with its enrollment counts and learners.
#[utoipa::path(
    tag = "classes",
    params(("id" = i64, Path, description = "The class's id.")),
    responses((status = 200, description = "The class; `ETag` carries its version.", body = ClassView), ReadErrors)
)]
#[get("/classes/{id}")]
pub async fn find_class(caller: Caller, db: web::Data<Db>, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let view = db
        .run_as(&caller, move |conn, scope| {
            let class = class_in_reach(conn, scope, id)?;
            TrainingClass::view(conn, class)
        })
        .await?;
    Ok(with_etag(&view))
}
