use super::official_in_reach;
use crate::api::prelude::*;
use crate::domain::Dimension;
use crate::exchange::export;
use crate::model::qualification::Qualification;

/// Filters of `GET /officials/{id}/qualifications`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QualificationListQuery {
    /// Only this dimension.
    pub dimension: Option<Dimension>,
}

/// Lists an official's qualification records, newest award first.
#[utoipa::path(
    tag = "officials",
    params(("id" = i64, Path, description = "The official's id."), QualificationListQuery),
    responses((status = 200, description = "The records.", body = Vec<Qualification>), BadRequest, Unauthorized, Forbidden, NotFound, Unprocessable)
)]
#[get("/officials/{id}/qualifications")]
pub async fn list_qualifications(
    caller: Caller,
    db: web::Data<Db>,
    id: web::Path<i64>,
    ValidQuery(query): ValidQuery<QualificationListQuery>,
) -> Result<HttpResponse, ApiError> {
    let official_id = id.into_inner();
    let records = db
        .run_as(&caller, move |conn, scope| {
            official_in_reach(conn, scope, official_id)?;
            Qualification::list(conn, official_id, query.dimension)
        })
        .await?;
    Ok(HttpResponse::Ok().json(records))
}

/// An official's qualification records (optionally of one dimension), newest award first, as
/// a file (CSV or XLSX) that the qualifications import reads back.
#[utoipa::path(
    tag = "officials",
    params(("id" = i64, Path, description = "The official's id."), DownloadQuery, QualificationListQuery),
    responses(FileDownload, BadRequest, Unauthorized, Forbidden, NotFound, Unprocessable)
)]
#[get("/officials/{id}/qualifications/download")]
pub async fn download_qualifications(
    caller: Caller,
    db: web::Data<Db>,
    id: web::Path<i64>,
    Download(file, query): Download<QualificationListQuery>,
) -> Result<HttpResponse, ApiError> {
    let official_id = id.into_inner();
    // One official's records are a handful: the file is made here, not on a thread of its own.
    let table = db
        .run_as(&caller, move |conn, scope| {
            let official = official_in_reach(conn, scope, official_id)?;
            let records = Qualification::list(conn, official_id, query.dimension)?;
            Ok(export::qualifications(&official, records))
        })
        .await?;
    table.respond(file)
}

/// Reads one of an official's qualification records (for an `hr` user, of an official now in
/// their subtree): where `Location` names a record just added.
#[utoipa::path(
    tag = "officials",
    params(
        ("id" = i64, Path, description = "The official's id."),
        ("qualification_id" = i64, Path, description = "The record's id.")
    ),
    responses(
        (status = 200, description = "The record; `ETag` carries the version.", body = Qualification,
            headers(("ETag" = String, description = "The record's version, quoted (`\"3\"`): send it back in `If-Match`."))),
        ReadErrors
    )
)]
#[get("/officials/{id}/qualifications/{qualification_id}")]
pub async fn find_qualification(
    caller: Caller,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (official_id, id) = path.into_inner();
    read_record::<Qualification, _>(&db, &caller, id, move |conn, scope, id| {
        official_in_reach(conn, scope, official_id)?;
        Qualification::find(conn, official_id, id)
    })
    .await
}
