use crate::api::prelude::*;
use crate::model::unit::Unit;

/// Reads one unit.
#[utoipa::path(
    tag = "units",
    params(("id" = i64, Path, description = "The unit's id.")),
    responses((status = 200, description = "The unit; `ETag` carries its version.", body = Unit), ReadErrors)
)]
#[get("/units/{id}")]
pub async fn find_unit(caller: Caller, db: web::Data<Db>, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let unit = db
        .run_as(&caller, move |conn, scope| {
            let unit = Unit::find(conn, id)?;
            scope.check(&unit)?;
            Ok(unit)
        })
        .await?;
    Ok(with_etag(&unit))
}
