//! The write side of the audit log: the entries a write transaction records, inserted in
//! that same transaction ([`super::audited`]). The log is read through `model::audit`.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::schema::audit_log;
use super::{insert_many, DbConn};
use crate::clock::now;
use crate::domain::{AuditAction, AuditEntity};
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

// Complete (no column left to a default), so that SQLite too takes many entries a statement.
#[derive(Debug, Insertable)]
#[diesel(table_name = audit_log, treat_none_as_default_value = false)]
struct NewAuditEntry {
    at: NaiveDateTime,
    user_id: Option<i64>,
    actor: String,
    action: AuditAction,
    entity: AuditEntity,
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

/// A record as the JSON object the log keeps (the log's contract: `before` and `after` are
/// objects or null); anything else is a bug of the write that recorded it. Serialized once:
/// serde_json writes an object, and only an object, starting with `{`.
fn json<T: Serialize>(record: Option<&T>) -> Result<Option<String>, ApiError> {
    record
        .map(|r| {
            let text = serde_json::to_string(r).map_err(ApiError::internal)?;
            if text.starts_with('{') {
                Ok(text)
            } else {
                Err(ApiError::internal(format!(
                    "an audit record must be an object, not {text}"
                )))
            }
        })
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

    /// Whom the entries name.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Forgets the entries recorded since the last flush (their work was undone).
    pub fn discard(&mut self) {
        self.entries.clear();
    }

    /// Inserts the entries recorded so far and forgets them, inside the transaction: a long
    /// piece of work (an import's rows, each in its savepoint) keeps no entry in memory, and
    /// a savepoint rolled back takes its entries with it.
    pub fn flush(&mut self, conn: &mut DbConn) -> Result<(), ApiError> {
        insert_many!(conn, audit_log, &self.entries);
        self.entries.clear();
        Ok(())
    }

    /// Records an action on a record, with its state before and after.
    pub fn record<B: Serialize, A: Serialize>(
        &mut self,
        action: AuditAction,
        entity: AuditEntity,
        entity_id: Option<i64>,
        before: Option<&B>,
        after: Option<&A>,
    ) -> Result<(), ApiError> {
        self.entries.push(NewAuditEntry {
            at: now(),
            user_id: self.actor.user_id,
            actor: self.actor.name.clone(),
            action,
            entity,
            entity_id,
            before: json(before)?,
            after: json(after)?,
        });
        Ok(())
    }

    /// Records a creation.
    pub fn created<A: Serialize>(&mut self, entity: AuditEntity, id: i64, after: &A) -> Result<(), ApiError> {
        self.record::<(), A>(AuditAction::Create, entity, Some(id), None, Some(after))
    }

    /// Records a change.
    pub fn updated<B: Serialize, A: Serialize>(
        &mut self,
        entity: AuditEntity,
        id: i64,
        before: &B,
        after: &A,
    ) -> Result<(), ApiError> {
        self.record(AuditAction::Update, entity, Some(id), Some(before), Some(after))
    }

    /// Records a deletion.
    pub fn deleted<B: Serialize>(&mut self, entity: AuditEntity, id: i64, before: &B) -> Result<(), ApiError> {
        self.record::<B, ()>(AuditAction::Delete, entity, Some(id), Some(before), None)
    }

    /// Inserts the entries; called inside the transaction, after the work.
    pub fn commit(self, conn: &mut DbConn) -> Result<(), ApiError> {
        if self.entries.is_empty() {
            return Err(ApiError::internal("a write recorded no audit entry"));
        }
        insert_many!(conn, audit_log, &self.entries);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::json;

    #[test]
    fn the_log_keeps_objects_only() {
        let object = serde_json::json!({"username": "clerk", "locks": [{"failures": 5}]});
        assert_eq!(
            json(Some(&object)).unwrap().as_deref(),
            Some(object.to_string().as_str())
        );
        assert_eq!(json::<()>(None).unwrap(), None);
        for not_an_object in [
            serde_json::json!([{"failures": 5}]),
            serde_json::json!("text"),
            serde_json::json!(null),
        ] {
            assert!(json(Some(&not_an_object)).is_err(), "{not_an_object}");
        }
    }
}
