use chrono::{DateTime, Utc};

use crate::api::personal::{download_disclosing, list_disclosing, Include, RequestLine, Sight};
use crate::api::prelude::*;
use crate::files::{column, Column, Table};
use crate::model::audit::{AuditEntry, AuditFilter};
use crate::model::processing::Disclosure;

/// Filters of `GET /audit-log` and of its download.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only entries about this kind of record.
    pub entity: Option<AuditEntity>,
    /// Only entries about the record with this id.
    pub entity_id: Option<i64>,
    /// Only entries made by this user.
    pub user_id: Option<i64>,
    /// Only this action.
    pub action: Option<AuditAction>,
    /// Only entries at or after this instant (RFC 3339, in 1900 to 2100).
    #[validate(custom(function = "within_days"))]
    pub from: Option<DateTime<Utc>>,
    /// Only entries before this instant (RFC 3339, in 1900 to 2100).
    #[validate(custom(function = "within_days"))]
    pub to: Option<DateTime<Utc>>,
    /// Protected fields of the officials the entries hold to show, comma-separated:
    /// `ethnicity`, `religion`, `party_joined_on` (left out otherwise) and `national_id` (masked
    /// otherwise). For admins; an auditor asking gets a 403. A response that shows any is
    /// recorded in the processing log.
    #[validate(length(max = 200))]
    #[param(max_length = 200)]
    pub fields: Option<String>,
    /// `sensitive`: every field `fields` can name.
    pub include: Option<Include>,
}

/// Validation rule: an instant on a day the service accepts (see [`Day`]).
pub(crate) fn within_days(at: &DateTime<Utc>) -> Result<(), validator::ValidationError> {
    match Day::new(at.date_naive()) {
        Some(_) => Ok(()),
        None => {
            let mut error = validator::ValidationError::new("range");
            error.message = Some("must be an instant from 1900-01-01 to 2100-12-31".into());
            Err(error)
        }
    }
}

impl From<&AuditQuery> for AuditFilter {
    fn from(query: &AuditQuery) -> Self {
        AuditFilter {
            entity: query.entity,
            entity_id: query.entity_id,
            user_id: query.user_id,
            action: query.action,
            from: query.from.map(|t| t.naive_utc()),
            to: query.to.map(|t| t.naive_utc()),
        }
    }
}

/// Reads the audit log, newest first (admins and auditors). No endpoint changes or deletes it.
/// The officials its entries hold show no sensitive field and a masked national ID unless an
/// admin asks (`fields`, `include`).
#[utoipa::path(
    tag = "audit",
    params(PageQuery, AuditQuery),
    responses((status = 200, description = "A page of entries.", body = Page<AuditEntry>), ListErrors)
)]
#[get("/audit-log")]
pub async fn list_audit_log(
    Overseer(caller): Overseer,
    db: web::Data<Db>,
    Paged(page, query): Paged<AuditQuery>,
    line: RequestLine,
) -> Result<HttpResponse, ApiError> {
    let sight = Sight::asked(&caller, query.fields.as_deref(), query.include)?;
    let filter = AuditFilter::from(&query);
    list_disclosing(&db, &caller, line, page, move |conn, _, window, disclosure| {
        let mut listed = AuditEntry::list(conn, &filter, window)?;
        show(sight, &mut listed.items, disclosure)?;
        Ok(listed)
    })
    .await
}

/// Every entry that matches the filters, newest first, as a file (admins and auditors): at
/// most 1,000,000; a 422 asks to narrow `from` / `to` when more match. The officials its entries
/// hold are shown as in the list.
#[utoipa::path(
    tag = "audit",
    params(DownloadQuery, AuditQuery),
    responses(FileDownload, ListErrors)
)]
#[get("/audit-log/download")]
pub async fn download_audit_log(
    Overseer(caller): Overseer,
    db: web::Data<Db>,
    Download(file, query): Download<AuditQuery>,
    line: RequestLine,
) -> Result<HttpResponse, ApiError> {
    let sight = Sight::asked(&caller, query.fields.as_deref(), query.include)?;
    let filter = AuditFilter::from(&query);
    download_disclosing(
        &db,
        &caller,
        line,
        (file, "from"),
        move |conn, _, window| AuditEntry::list(conn, &filter, window),
        move |_, mut entries, disclosure| {
            show(sight, &mut entries, disclosure)?;
            Ok(audit_table(entries))
        },
    )
    .await
}

/// Applies `sight` to the officials the entries hold.
fn show(sight: Sight, entries: &mut [AuditEntry], disclosure: &mut Disclosure) -> Result<(), ApiError> {
    for entry in entries.iter_mut().filter(|e| e.entity == AuditEntity::Official) {
        sight.apply_to_text(&mut entry.before, entry.entity_id, disclosure)?;
        sight.apply_to_text(&mut entry.after, entry.entity_id, disclosure)?;
    }
    Ok(())
}

/// The audit log's entries as a table.
fn audit_table(entries: Vec<AuditEntry>) -> Table {
    let mut table = Table::new("audit-log", &AUDIT_COLUMNS).title("Nhật ký thay đổi dữ liệu");
    for entry in entries {
        table.row(vec![
            entry.id.into(),
            entry.at.into(),
            entry.user_id.into(),
            entry.actor.into(),
            entry.action.into(),
            entry.entity.into(),
            entry.entity_id.into(),
            entry.before.into(),
            entry.after.into(),
        ]);
    }
    table
}

/// The columns of the audit log's file.
const AUDIT_COLUMNS: [Column; 9] = [
    column("id", "Số thứ tự"),
    column("at", "Thời điểm (UTC)"),
    column("user_id", "Mã tài khoản"),
    column("actor", "Người thực hiện"),
    column("action", "Thao tác"),
    column("entity", "Loại bản ghi"),
    column("entity_id", "Mã bản ghi"),
    column("before", "Trước khi thay đổi"),
    column("after", "Sau khi thay đổi"),
];
