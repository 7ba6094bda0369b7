use super::official_in_reach;
use crate::api::prelude::*;
use crate::model::official::{Assignment, Official};

/// Lists an official's assignments, oldest first: where they worked, in which post, when.
#[utoipa::path(
    tag = "officials",
    params(("id" = i64, Path, description = "The official's id.")),
    responses((status = 200, description = "The assignment history.", body = Vec<Assignment>), ReadErrors)
)]
#[get("/officials/{id}/assignments")]
pub async fn list_assignments(caller: Caller, db: web::Data<Db>, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let history = db
        .run_as(&caller, move |conn, scope| {
            official_in_reach(conn, scope, id)?;
            Official::assignments(conn, id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(history))
}
