//! `/processing-log`: every response that disclosed a person's sensitive data or full national
//! ID — who, when, through which request, which fields, how many people. Read-only.

use chrono::{DateTime, Utc};

use super::audit::within_days;
use super::officials::official_in_reach;
use crate::api::prelude::*;
use crate::files::{column, Column, Table};
use crate::model::processing::{ProcessingEntry, ProcessingFilter};

/// Filters of `GET /processing-log` and of its download.
#[derive(Debug, Clone, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProcessingQuery {
    /// Only entries that disclosed this official's data.
    pub official_id: Option<i64>,
    /// Only entries made for this user.
    pub user_id: Option<i64>,
    /// Only entries at or after this instant (RFC 3339, in 1900 to 2100).
    #[validate(custom(function = "within_days"))]
    pub from: Option<DateTime<Utc>>,
    /// Only entries before this instant (RFC 3339, in 1900 to 2100).
    #[validate(custom(function = "within_days"))]
    pub to: Option<DateTime<Utc>>,
}

impl From<ProcessingQuery> for ProcessingFilter {
    fn from(query: ProcessingQuery) -> Self {
        ProcessingFilter {
            official_id: query.official_id,
            user_id: query.user_id,
            from: query.from.map(|t| t.naive_utc()),
            to: query.to.map(|t| t.naive_utc()),
        }
    }
}

/// Reads the processing log, newest first (admins and auditors): every response that disclosed
/// a person's sensitive data or full national ID. No endpoint changes or deletes it.
#[utoipa::path(
    tag = "audit",
    params(PageQuery, ProcessingQuery),
    responses((status = 200, description = "A page of entries.", body = Page<ProcessingEntry>), ListErrors)
)]
#[get("/processing-log")]
pub async fn list_processing_log(
    Overseer(caller): Overseer,
    db: web::Data<Db>,
    Paged(page, query): Paged<ProcessingQuery>,
) -> Result<HttpResponse, ApiError> {
    let filter = ProcessingFilter::from(query);
    list_records(&db, &caller, page, move |conn, _, window| {
        ProcessingEntry::list(conn, &filter, window)
    })
    .await
}

/// Every entry that matches the filters, newest first, as a file (admins and auditors): at most
/// 1,000,000; a 422 asks to narrow `from` / `to` when more match.
#[utoipa::path(
    tag = "audit",
    params(DownloadQuery, ProcessingQuery),
    responses(FileDownload, ListErrors)
)]
#[get("/processing-log/download")]
pub async fn download_processing_log(
    Overseer(caller): Overseer,
    db: web::Data<Db>,
    Download(file, query): Download<ProcessingQuery>,
) -> Result<HttpResponse, ApiError> {
    let filter = ProcessingFilter::from(query);
    download_records(
        &db,
        &caller,
        file,
        "from",
        move |conn, _, window| ProcessingEntry::list(conn, &filter, window),
        |_, entries| Ok(processing_table(entries)),
    )
    .await
}

/// Everything that was disclosed about one official, newest first: what a data subject's
/// access request asks. For admins, auditors, and hr within its subtree.
#[utoipa::path(
    tag = "officials",
    params(("id" = i64, Path, description = "The official's id."), PageQuery),
    responses((status = 200, description = "A page of the entries that disclosed the official's data.", body = Page<ProcessingEntry>), BadRequest, Unauthorized, Forbidden, NotFound, Unprocessable)
)]
#[get("/officials/{id}/processing-log")]
pub async fn list_official_processing_log(
    caller: Caller,
    db: web::Data<Db>,
    id: web::Path<i64>,
    ValidQuery(page): ValidQuery<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let official_id = id.into_inner();
    list_records(&db, &caller, page, move |conn, scope, window| {
        official_in_reach(conn, scope, official_id)?;
        let filter = ProcessingFilter {
            official_id: Some(official_id),
            ..Default::default()
        };
        ProcessingEntry::list(conn, &filter, window)
    })
    .await
}

/// The processing log's entries as a table.
fn processing_table(entries: Vec<ProcessingEntry>) -> Table {
    let mut table = Table::new("processing-log", &PROCESSING_COLUMNS).title("Nhật ký xử lý dữ liệu cá nhân");
    for entry in entries {
        table.row(vec![
            entry.id.into(),
            entry.at.into(),
            entry.user_id.into(),
            entry.actor.into(),
            entry.endpoint.into(),
            entry.request.into(),
            entry.fields.into(),
            entry.people.into(),
        ]);
    }
    table
}

/// The columns of the processing log's file.
const PROCESSING_COLUMNS: [Column; 8] = [
    column("id", "Số thứ tự"),
    column("at", "Thời điểm (UTC)"),
    column("user_id", "Mã tài khoản"),
    column("actor", "Người xem"),
    column("endpoint", "Chức năng"),
    column("request", "Yêu cầu"),
    column("fields", "Dữ liệu được hiển thị"),
    column("people", "Số người"),
];
