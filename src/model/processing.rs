//! The processing log: one append-only entry per response that disclosed a person's sensitive
//! data or full national ID (who, when, through which request, which fields, how many people),
//! with the people it named beside it. Written by [`Disclosure::record`]; no endpoint changes or
//! deletes an entry.

use std::collections::BTreeSet;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Serialize, Serializer};
use utoipa::ToSchema;

use super::keyset::{Column, KeyKind, Listed, Order, Window};
use super::UtcTime;
use crate::clock::now;
use crate::db::schema::{processing_log, processing_log_subjects};
use crate::db::{insert_many, write_transaction, Actor, DbConn};
use crate::domain::personal::protected_fields;
use crate::error::ApiError;

/// One entry of the processing log: a response that disclosed protected personal data.
#[derive(Debug, Clone, Queryable, Serialize, ToSchema)]
pub struct ProcessingEntry {
    /// The entry's id.
    pub id: i64,
    /// When the response was made (UTC).
    pub at: UtcTime,
    /// The user it was made for; null when they are no longer known.
    pub user_id: Option<i64>,
    /// Their username.
    pub actor: String,
    /// The operation, as the OpenAPI document names it: `GET /api/v1/officials/{id}`.
    pub endpoint: String,
    /// The request itself, with its filters: `GET /api/v1/officials?unit_id=3&include=sensitive`.
    pub request: String,
    /// The protected fields it disclosed (sensitive ones, and `national_id` when in full).
    #[serde(serialize_with = "listed")]
    #[schema(value_type = Vec<String>)]
    pub fields: String,
    /// How many people's data it disclosed.
    pub people: i64,
}

/// The stored comma-separated fields as a JSON array.
fn listed<S: Serializer>(fields: &str, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(fields.split(',').filter(|field| !field.is_empty()))
}

#[derive(Debug, Insertable)]
#[diesel(table_name = processing_log)]
struct NewEntry<'a> {
    at: NaiveDateTime,
    user_id: Option<i64>,
    actor: &'a str,
    endpoint: &'a str,
    request: &'a str,
    fields: String,
    people: i64,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = processing_log_subjects)]
struct Subject {
    official_id: i64,
    entry_id: i64,
}

/// What one response disclosed: the protected fields shown with a value, and whose.
#[derive(Debug, Default)]
pub struct Disclosure {
    fields: BTreeSet<&'static str>,
    people: BTreeSet<i64>,
}

impl Disclosure {
    /// Notes that the response shows `fields` (protected, with a value) of the official `id`.
    pub fn note(&mut self, id: i64, fields: impl IntoIterator<Item = &'static str>) {
        let mut any = false;
        for field in fields {
            self.fields.insert(field);
            any = true;
        }
        if any {
            self.people.insert(id);
        }
    }

    /// Whether the response discloses nothing protected.
    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    /// The fields disclosed, in the classification's order.
    fn fields(&self) -> String {
        protected_fields()
            .filter(|field| self.fields.contains(field))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Records the disclosure made for `actor` through `request` (`endpoint` its operation),
    /// with the people it named, inside the caller's transaction; nothing when it disclosed
    /// nothing.
    pub fn record(&self, conn: &mut DbConn, actor: &Actor, endpoint: &str, request: &str) -> Result<(), ApiError> {
        if self.is_empty() {
            return Ok(());
        }
        self.entry(actor, endpoint, request).insert(conn)
    }

    /// Records the disclosure as [`Disclosure::record`] does, in a transaction of its own that
    /// has committed when this returns, shared with the disclosures of reads made at the same
    /// time ([`GroupCommit`]): the answer of a read waits for its entry's commit, and a
    /// hundred reads at once cost a few commits, not a hundred.
    pub fn record_committed(
        &self,
        conn: &mut DbConn,
        actor: &Actor,
        endpoint: &str,
        request: &str,
    ) -> Result<(), ApiError> {
        if self.is_empty() {
            return Ok(());
        }
        READS.commit(conn, self.entry(actor, endpoint, request))
    }

    fn entry(&self, actor: &Actor, endpoint: &str, request: &str) -> Entry {
        Entry {
            at: now(),
            user_id: actor.user_id,
            actor: actor.name.clone(),
            endpoint: endpoint.to_owned(),
            request: request.to_owned(),
            fields: self.fields(),
            people: self.people.iter().copied().collect(),
        }
    }
}

/// One entry to write, with the people it names.
#[derive(Debug, Clone)]
struct Entry {
    at: NaiveDateTime,
    user_id: Option<i64>,
    actor: String,
    endpoint: String,
    request: String,
    fields: String,
    people: Vec<i64>,
}

impl Entry {
    /// Inserts the entry and its subjects in the caller's transaction.
    fn insert(&self, conn: &mut DbConn) -> Result<(), ApiError> {
        let entry_id: i64 = diesel::insert_into(processing_log::table)
            .values(&NewEntry {
                at: self.at,
                user_id: self.user_id,
                actor: &self.actor,
                endpoint: &self.endpoint,
                request: &self.request,
                fields: self.fields.clone(),
                people: i64::try_from(self.people.len()).unwrap_or(i64::MAX),
            })
            .returning(processing_log::id)
            .get_result(conn)?;
        let subjects: Vec<Subject> = self
            .people
            .iter()
            .map(|&official_id| Subject { official_id, entry_id })
            .collect();
        insert_many!(conn, processing_log_subjects, &subjects);
        Ok(())
    }
}

/// The reads' entries of this process, committed together.
static READS: GroupCommit = GroupCommit::new();

/// Group commit of the reads' processing-log entries. A read's entry must be committed before
/// its answer leaves, and each commit waits for the disk (and on SQLite for the single write
/// lock): one transaction per read bounded a logged read at a quarter of an unlogged one
/// (benches/RESULTS.md). Here a read puts its entry in the open batch; if no batch is being
/// committed it leads — takes the open batch (its entry and every other waiting one) and
/// commits it on its own connection — otherwise it waits, and leads the next batch if its own
/// has not been taken when the current one ends. One batch is committed at a time, so while
/// one commits, the next gathers every read that arrives meanwhile.
///
/// A batch that fails to commit leaves nothing; each of its reads then writes its own entry
/// alone, so that one entry's error is its own read's and no other's.
struct GroupCommit {
    state: Mutex<Batches>,
    settled: Condvar,
}

struct Batches {
    /// The entries of the open batch.
    waiting: Vec<Entry>,
    /// The open batch's number.
    open: u64,
    /// Whether a batch is being committed now (it is then `open - 1`).
    committing: bool,
    /// The batches before this one have committed or failed.
    settled: u64,
    /// The failed batches not yet settled by each of their reads: number, reads left.
    failed: Vec<(u64, usize)>,
}

impl GroupCommit {
    const fn new() -> Self {
        GroupCommit {
            state: Mutex::new(Batches {
                waiting: Vec::new(),
                open: 0,
                committing: false,
                settled: 0,
                failed: Vec::new(),
            }),
            settled: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Batches> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Commits `entry` in a batch; returns once that batch has committed.
    fn commit(&self, conn: &mut DbConn, entry: Entry) -> Result<(), ApiError> {
        let mut state = self.lock();
        let batch = state.open;
        state.waiting.push(entry.clone());
        while state.settled <= batch {
            if state.committing {
                state = self.settled.wait(state).unwrap_or_else(PoisonError::into_inner);
                continue;
            }
            // No batch is committing and ours has not settled: ours is the open one (batches
            // settle in order, and the open one is taken only by a leader), so lead it.
            let entries = std::mem::take(&mut state.waiting);
            state.open += 1;
            state.committing = true;
            drop(state);
            // A panic while committing must not leave the batch committing for ever (every
            // later read would wait): the batch is settled as failed, then the panic goes on.
            let written = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                write_transaction(conn, |conn| entries.iter().try_for_each(|entry| entry.insert(conn)))
            }));
            state = self.lock();
            state.committing = false;
            state.settled = batch + 1;
            let written = match written {
                Ok(written) => written,
                Err(panic) => {
                    // The others write theirs alone; this read's answer is the panic.
                    if entries.len() > 1 {
                        state.failed.push((batch, entries.len() - 1));
                    }
                    drop(state);
                    self.settled.notify_all();
                    std::panic::resume_unwind(panic);
                }
            };
            let alone = entries.len() == 1;
            if written.is_err() && !alone {
                state.failed.push((batch, entries.len()));
            }
            self.settled.notify_all();
            if written.is_ok() || alone {
                return written;
            }
        }
        let failed = state.failed.iter().position(|&(number, _)| number == batch);
        if let Some(at) = failed {
            state.failed[at].1 -= 1;
            if state.failed[at].1 == 0 {
                state.failed.swap_remove(at);
            }
            drop(state);
            return write_transaction(conn, |conn| entry.insert(conn));
        }
        Ok(())
    }
}

/// Filters of `GET /processing-log`.
#[derive(Debug, Default)]
pub struct ProcessingFilter {
    pub official_id: Option<i64>,
    pub user_id: Option<i64>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
}

impl ProcessingEntry {
    /// A page of entries, newest first (from a cursor's place, or an offset), and the total
    /// matching unless not counted.
    pub fn list(
        conn: &mut DbConn,
        filter: &ProcessingFilter,
        window: &Window,
    ) -> Result<Listed<ProcessingEntry>, ApiError> {
        let build = || {
            let mut query = processing_log::table.into_boxed();
            if let Some(official) = filter.official_id {
                query = query.filter(
                    processing_log::id.eq_any(
                        processing_log_subjects::table
                            .filter(processing_log_subjects::official_id.eq(official))
                            .select(processing_log_subjects::entry_id),
                    ),
                );
            }
            if let Some(user) = filter.user_id {
                query = query.filter(processing_log::user_id.eq(user));
            }
            if let Some(from) = filter.from {
                query = query.filter(processing_log::at.ge(from));
            }
            if let Some(to) = filter.to {
                query = query.filter(processing_log::at.lt(to));
            }
            query
        };
        let total = window.total(|| build().count().get_result(conn))?;
        let order = Order::fixed(
            "newest",
            vec![
                Column::desc("processing_log.at", KeyKind::Time),
                Column::desc("processing_log.id", KeyKind::Int),
            ],
        );
        let rows = order
            .apply(build(), window)?
            .then_order_by((processing_log::at.desc(), processing_log::id.desc()))
            .limit(window.rows())
            .offset(window.offset)
            .load(conn)?;
        Ok(order.page(window, rows, total, |entry: &ProcessingEntry| {
            vec![entry.at.into(), entry.id.into()]
        }))
    }
}
