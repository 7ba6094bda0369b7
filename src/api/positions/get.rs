use crate::api::prelude::*;
use crate::model::position::Position;

/// Reads one position.
#[utoipa::path(
    tag = "positions",
    params(("id" = i64, Path, description = "The position's id.")),
    responses((status = 200, description = "The position; `ETag` carries its version.", body = Position), Unauthorized, NotFound)
)]
#[get("/positions/{id}")]
pub async fn find_position(caller: Caller, db: web::Data<Db>, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let position = db.run_as(&caller, move |conn, _| Position::find(conn, id)).await?;
    Ok(with_etag(&position))
}
