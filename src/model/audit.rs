//! The audit log: one append-only entry per write, inserted in the write's own transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::utc;
use crate::db::schema::audit_log;
use crate::db::{now, DbConn};
use crate::error::ApiError;

/// Who did it: a user, or someone who only gave a username (a failed login).
#[derive(Debug, Clone)]
pub struct Actor {
    /// The user's id, when known.
    pub user_id: Option<i64>,
    /// Their username (or the one tried).
    pub name: String,
}

impl Actor {
    /// The service itself (start-up, seeding).
    pub fn system() -> Self {
        Actor {
            user_id: None,
            name: "system".to_owned(),
        }
    }
}

/// One entry of the audit log.
#[derive(Debug, Clone, Queryable, Serialize, ToSchema)]
pub struct AuditEntry {
    /// The entry's id.
    pub id: i64,
    /// When the write committed (UTC).
    #[serde(serialize_with = "utc")]
    #[schema(value_type = String, format = DateTime)]
    pub at: NaiveDateTime,
    /// The user who made it; null for failed logins of unknown users and for the system.
    pub user_id: Option<i64>,
    /// Their username.
    pub actor: String,
    /// What was done: `create`, `update`, `delete`, `transfer`, `separation`, `enroll`, `confer`, `revoke`, `login`, `login_failed`…
    pub action: String,
    /// The kind of record: `unit`, `official`, `enrollment`, `user`…
    pub entity: String,
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

#[derive(Debug, Insertable)]
#[diesel(table_name = audit_log)]
struct NewAuditEntry {
    at: NaiveDateTime,
    user_id: Option<i64>,
    actor: String,
    action: String,
    entity: String,
    entity_id: Option<i64>,
    before: Option<String>,
    after: Option<String>,
}

/// The entries a write transaction records; they are inserted before it commits, and a
/// write that records none fails, so no write goes unlogged.
#[derive(Debug)]
pub struct Audit {
    actor: Actor,
    entries: Vec<NewAuditEntry>,
}

fn json<T: Serialize>(record: Option<&T>) -> Result<Option<String>, ApiError> {
    record
        .map(|r| serde_json::to_string(r).map_err(ApiError::internal))
        .transpose()
}

impl Audit {
    /// An empty record of what `actor` does.
    pub fn new(actor: Actor) -> Self {
        Audit {
            actor,
            entries: Vec::new(),
        }
    }

    /// Records an action on a record, with its state before and after.
    pub fn record<B: Serialize, A: Serialize>(
        &mut self,
        action: &str,
        entity: &str,
        entity_id: Option<i64>,
        before: Option<&B>,
        after: Option<&A>,
    ) -> Result<(), ApiError> {
        self.entries.push(NewAuditEntry {
            at: now(),
            user_id: self.actor.user_id,
            actor: self.actor.name.clone(),
            action: action.to_owned(),
            entity: entity.to_owned(),
            entity_id,
            before: json(before)?,
            after: json(after)?,
        });
        Ok(())
    }

    /// Records a creation.
    pub fn created<A: Serialize>(&mut self, entity: &str, id: i64, after: &A) -> Result<(), ApiError> {
        self.record::<(), A>("create", entity, Some(id), None, Some(after))
    }

    /// Records a change.
    pub fn updated<B: Serialize, A: Serialize>(
        &mut self,
        entity: &str,
        id: i64,
        before: &B,
        after: &A,
    ) -> Result<(), ApiError> {
        self.record("update", entity, Some(id), Some(before), Some(after))
    }

    /// Records a deletion.
    pub fn deleted<B: Serialize>(&mut self, entity: &str, id: i64, before: &B) -> Result<(), ApiError> {
        self.record::<B, ()>("delete", entity, Some(id), Some(before), None)
    }

    /// Inserts the entries; called inside the transaction, after the work.
    pub fn commit(self, conn: &mut DbConn) -> Result<(), ApiError> {
        if self.entries.is_empty() {
            return Err(ApiError::internal("a write recorded no audit entry"));
        }
        for entry in &self.entries {
            diesel::insert_into(audit_log::table).values(entry).execute(conn)?;
        }
        Ok(())
    }
}

/// Filters of `GET /audit-log`.
#[derive(Debug, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub user_id: Option<i64>,
    pub action: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
}

impl AuditEntry {
    /// A page of entries, newest first, and the total matching.
    pub fn list(
        conn: &mut DbConn,
        filter: &AuditFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<AuditEntry>, i64), ApiError> {
        let build = || {
            let mut query = audit_log::table.into_boxed();
            if let Some(entity) = &filter.entity {
                query = query.filter(audit_log::entity.eq(entity.clone()));
            }
            if let Some(id) = filter.entity_id {
                query = query.filter(audit_log::entity_id.eq(id));
            }
            if let Some(user) = filter.user_id {
                query = query.filter(audit_log::user_id.eq(user));
            }
            if let Some(action) = &filter.action {
                query = query.filter(audit_log::action.eq(action.clone()));
            }
            if let Some(from) = filter.from {
                query = query.filter(audit_log::at.ge(from));
            }
            if let Some(to) = filter.to {
                query = query.filter(audit_log::at.lt(to));
            }
            query
        };
        let total = build().count().get_result(conn)?;
        let items = build()
            .order_by((audit_log::at.desc(), audit_log::id.desc()))
            .limit(limit)
            .offset(offset)
            .load(conn)?;
        Ok((items, total))
    }
}
