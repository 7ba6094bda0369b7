use chrono::{DateTime, Utc};

use crate::api::prelude::*;
use crate::model::audit::{AuditEntry, AuditFilter};
use crate::reports::{field, Csv, Format};

/// Filters of `GET /audit-log`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only entries about this kind of record (`unit`, `official`, `enrollment`, `user`…).
    #[validate(length(max = 64))]
    #[param(max_length = 64)]
    pub entity: Option<String>,
    /// Only entries about the record with this id.
    pub entity_id: Option<i64>,
    /// Only entries made by this user.
    pub user_id: Option<i64>,
    /// Only this action (`create`, `update`, `delete`, `transfer`, `login_failed`…).
    #[validate(length(max = 64))]
    #[param(max_length = 64)]
    pub action: Option<String>,
    /// Only entries at or after this instant (RFC 3339, in 1900 to 2100).
    #[validate(custom(function = "within_days"))]
    pub from: Option<DateTime<Utc>>,
    /// Only entries before this instant (RFC 3339, in 1900 to 2100).
    #[validate(custom(function = "within_days"))]
    pub to: Option<DateTime<Utc>>,
    /// `json` (default) or `csv`; `Accept: text/csv` also asks for CSV.
    #[param(pattern = "^(json|csv)$")]
    pub format: Option<String>,
}

/// Validation rule: an instant on a day the service accepts (see [`Day`]).
fn within_days(at: &DateTime<Utc>) -> Result<(), validator::ValidationError> {
    match Day::new(at.date_naive()) {
        Some(_) => Ok(()),
        None => {
            let mut error = validator::ValidationError::new("range");
            error.message = Some("must be an instant from 1900-01-01 to 2100-12-31".into());
            Err(error)
        }
    }
}

/// Reads the audit log, newest first (admins and auditors). No endpoint changes or deletes it.
#[utoipa::path(
    tag = "audit",
    params(PageQuery, AuditQuery),
    responses(
        (status = 200, description = "A page of entries, as JSON or as CSV (UTF-8 with a BOM).",
            content((Page<AuditEntry> = "application/json"), (String = "text/csv"))),
        ListErrors
    )
)]
#[get("/audit-log")]
pub async fn list_audit_log(
    Overseer(caller): Overseer,
    req: actix_web::HttpRequest,
    db: web::Data<Db>,
    Paged(page, query): Paged<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let format = Format::negotiate(&req, query.format.as_deref())?;
    let filter = AuditFilter {
        entity: query.entity,
        entity_id: query.entity_id,
        user_id: query.user_id,
        action: query.action,
        from: query.from.map(|t| t.naive_utc()),
        to: query.to.map(|t| t.naive_utc()),
    };
    let (limit, offset) = (page.limit(), page.offset());
    let (items, total) = db
        .run_as(&caller, move |conn, _| AuditEntry::list(conn, &filter, limit, offset))
        .await?;
    Ok(match format {
        Format::Json => HttpResponse::Ok().json(page.page(items, total)),
        Format::Csv => {
            let mut csv = Csv::new(&[
                "id",
                "at",
                "user_id",
                "actor",
                "action",
                "entity",
                "entity_id",
                "before",
                "after",
            ]);
            for entry in items {
                csv.row([
                    entry.id.to_string(),
                    entry.at.to_string(),
                    field(entry.user_id),
                    entry.actor,
                    entry.action,
                    entry.entity,
                    field(entry.entity_id),
                    entry.before.unwrap_or_default(),
                    entry.after.unwrap_or_default(),
                ]);
            }
            csv.respond("audit-log")?
        }
    })
}
