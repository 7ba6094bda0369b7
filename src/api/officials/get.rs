use super::official_in_reach;
use crate::api::prelude::*;
use crate::model::official::Official;

/// Reads one official, with their current levels.
#[utoipa::path(
    tag = "officials",
    params(("id" = i64, Path, description = "The official's id.")),
    responses((status = 200, description = "The official; `ETag` carries the version.", body = Official), ReadErrors)
)]
#[get("/officials/{id}")]
pub async fn find_official(caller: Caller, db: web::Data<Db>, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let official = db
        .run_as(&caller, move |conn, scope| official_in_reach(conn, scope, id))
        .await?;
    Ok(with_etag(&official))
}
