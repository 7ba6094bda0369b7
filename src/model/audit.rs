//! The audit log as it is read: one append-only entry per write, inserted in the write's own
//! transaction by `db::audit`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::keyset::{Column, KeyKind, Listed, Order, Window};
use super::UtcTime;
use crate::db::schema::audit_log;
use crate::db::DbConn;
use crate::domain::{AuditAction, AuditEntity};
use crate::error::ApiError;

/// One entry of the audit log.
#[derive(Debug, Clone, Queryable, Serialize, ToSchema)]
pub struct AuditEntry {
    /// The entry's id.
    pub id: i64,
    /// When the write recorded the entry, inside its transaction (UTC).
    pub at: UtcTime,
    /// The user who made it; null for failed logins of unknown users and for the system.
    pub user_id: Option<i64>,
    /// Their username.
    pub actor: String,
    /// What was done.
    pub action: AuditAction,
    /// The kind of record.
    pub entity: AuditEntity,
    /// The record's id.
    pub entity_id: Option<i64>,
    /// The record before the write.
    #[serde(serialize_with = "embedded_json")]
    #[schema(value_type = Option<Object>)]
    pub before: Option<String>,
    /// The record after the write.
    #[serde(serialize_with = "embedded_json")]
    #[schema(value_type = Option<Object>)]
    pub after: Option<String>,
}

/// Serializes stored JSON text as the JSON it holds.
fn embedded_json<S: serde::Serializer>(text: &Option<String>, serializer: S) -> Result<S::Ok, S::Error> {
    let value = match text {
        Some(text) => serde_json::from_str(text).unwrap_or(serde_json::Value::String(text.clone())),
        None => serde_json::Value::Null,
    };
    value.serialize(serializer)
}

/// Filters of `GET /audit-log`.
#[derive(Debug, Default)]
pub struct AuditFilter {
    pub entity: Option<AuditEntity>,
    pub entity_id: Option<i64>,
    pub user_id: Option<i64>,
    pub action: Option<AuditAction>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
}

impl AuditEntry {
    /// A page of entries, newest first (from a cursor's place, or an offset), and the total
    /// matching unless not counted.
    pub fn list(conn: &mut DbConn, filter: &AuditFilter, window: &Window) -> Result<Listed<AuditEntry>, ApiError> {
        let build = || {
            let mut query = audit_log::table.into_boxed();
            if let Some(entity) = &filter.entity {
                query = query.filter(audit_log::entity.eq(*entity));
            }
            if let Some(id) = filter.entity_id {
                query = query.filter(audit_log::entity_id.eq(id));
            }
            if let Some(user) = filter.user_id {
                query = query.filter(audit_log::user_id.eq(user));
            }
            if let Some(action) = &filter.action {
                query = query.filter(audit_log::action.eq(*action));
            }
            if let Some(from) = filter.from {
                query = query.filter(audit_log::at.ge(from));
            }
            if let Some(to) = filter.to {
                query = query.filter(audit_log::at.lt(to));
            }
            query
        };
        let total = window.total(|| build().count().get_result(conn))?;
        let order = Order::fixed(
            "newest",
            vec![
                Column::desc("audit_log.at", KeyKind::Time),
                Column::desc("audit_log.id", KeyKind::Int),
            ],
        );
        let rows = order
            .apply(build(), window)?
            .then_order_by((audit_log::at.desc(), audit_log::id.desc()))
            .limit(window.rows())
            .offset(window.offset)
            .load(conn)?;
        Ok(order.page(window, rows, total, |entry: &AuditEntry| {
            vec![entry.at.into(), entry.id.into()]
        }))
    }
}
