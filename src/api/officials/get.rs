use super::official_in_reach;
use crate::api::personal::{record_read, RequestLine, Sight};
use crate::api::prelude::*;
use crate::model::official::Official;
use crate::model::processing::Disclosure;

/// Reads one official, with their current levels. Admins, and hr within its subtree, see every
/// field — the sensitive ones and the national ID in full — and the read is recorded in the
/// processing log when it shows any; auditors get the record without them, the national ID masked.
#[utoipa::path(
    tag = "officials",
    params(("id" = i64, Path, description = "The official's id.")),
    responses(
        (status = 200, description = "The official; `ETag` carries the version.", body = Official, headers(("ETag" = String, description = "The record's version, quoted (`\"3\"`): send it back in `If-Match`."))),
        ReadErrors
    )
)]
#[get("/officials/{id}")]
pub async fn find_official(
    caller: Caller,
    db: web::Data<Db>,
    id: web::Path<i64>,
    line: RequestLine,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let sight = Sight::of_record(&caller);
    let shown = db
        .run_as(&caller.clone(), move |conn, scope| {
            let official = official_in_reach(conn, scope, id)?;
            let mut disclosure = Disclosure::default();
            let shown = sight.show(&official, &mut disclosure)?;
            record_read(conn, &caller, &line, &disclosure)?;
            Ok(shown)
        })
        .await?;
    Ok(with_etag(&shown))
}
