//! Login throttling: the failed attempts of a window, per username and client address, and
//! per client address whatever the username. Each attempt locks its two rows and counts
//! itself before its password is checked, so that no more attempts than the limit are ever
//! checked, however many arrive at once; one that succeeds is taken back.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use serde::Serialize;

use super::utc;
use crate::clock::now;
use crate::db::schema::login_throttles;
use crate::db::{lock_row, DbConn, Table};
use crate::error::ApiError;

/// Failed attempts for one username from one address that lock that pair…
pub const ACCOUNT_FAILURES: i32 = 5;
/// …failed attempts from one address, whatever the usernames, that lock the address…
pub const ADDRESS_FAILURES: i32 = 30;
/// …within a window of this many minutes, for as long again.
pub const WINDOW_MINUTES: i64 = 15;

/// The username of the row that counts every username from an address.
const ANY_USERNAME: &str = "";

/// One counter: a username from an address, or (username `""`) the address itself.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct LoginThrottle {
    #[serde(skip)]
    pub id: i64,
    /// The username tried; empty for the address's own counter.
    pub username: String,
    /// The client address.
    pub address: String,
    /// When the window began.
    #[serde(serialize_with = "utc")]
    pub window_started_at: NaiveDateTime,
    /// Failed (or not yet settled) attempts in the window.
    pub failures: i32,
    /// Attempts are refused until then.
    #[serde(serialize_with = "optional_utc")]
    pub locked_until: Option<NaiveDateTime>,
}

fn optional_utc<S: serde::Serializer>(at: &Option<NaiveDateTime>, serializer: S) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => utc(at, serializer),
        None => serializer.serialize_none(),
    }
}

/// What counting an attempt decided.
#[derive(Debug, Clone)]
pub enum Attempt {
    /// The attempt may check its password; it is counted as a failure until it succeeds.
    Counted {
        /// The username's failures from this address in the window, this one included.
        failures: i32,
        /// When this attempt filled a limit: the lock it set.
        locks_until: Option<NaiveDateTime>,
    },
    /// Refused until then, without checking anything.
    Locked(NaiveDateTime),
}

impl LoginThrottle {
    /// Counts an attempt of `username` from `address`, in the caller's write transaction.
    pub fn count(conn: &mut DbConn, username: &str, address: &str) -> Result<Attempt, ApiError> {
        let at = now();
        // The address's row first, then the username's: every attempt locks in that order.
        let by_address = LoginThrottle::current(conn, ANY_USERNAME, address, at)?;
        let by_account = LoginThrottle::current(conn, username, address, at)?;
        if let Some(until) = [by_address.locked_until, by_account.locked_until]
            .into_iter()
            .flatten()
            .max()
        {
            return Ok(Attempt::Locked(until));
        }
        let address_lock = by_address.add_failure(conn, ADDRESS_FAILURES, at)?;
        let account_lock = by_account.add_failure(conn, ACCOUNT_FAILURES, at)?;
        LoginThrottle::forget_expired(conn, at)?;
        Ok(Attempt::Counted {
            failures: by_account.failures + 1,
            locks_until: address_lock.or(account_lock),
        })
    }

    /// An attempt that succeeded: the username's failures from the address start again, and
    /// the address's count gives the attempt back (lifting the lock it may have set).
    pub fn succeeded(conn: &mut DbConn, username: &str, address: &str) -> Result<(), ApiError> {
        let at = now();
        let by_address = LoginThrottle::current(conn, ANY_USERNAME, address, at)?;
        let by_account = LoginThrottle::current(conn, username, address, at)?;
        let failures = (by_address.failures - 1).max(0);
        diesel::update(login_throttles::table.find(by_address.id))
            .set((
                login_throttles::failures.eq(failures),
                login_throttles::locked_until.eq(by_address.locked_until.filter(|_| failures >= ADDRESS_FAILURES)),
            ))
            .execute(conn)?;
        diesel::update(login_throttles::table.find(by_account.id))
            .set((
                login_throttles::failures.eq(0),
                login_throttles::window_started_at.eq(at),
                login_throttles::locked_until.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
        Ok(())
    }

    /// Lifts every lock and count of `username`, from every address; returns what was cleared.
    pub fn clear(conn: &mut DbConn, username: &str) -> Result<Vec<LoginThrottle>, ApiError> {
        let rows: Vec<LoginThrottle> = login_throttles::table
            .filter(login_throttles::username.eq(username))
            .filter(
                login_throttles::failures
                    .gt(0)
                    .or(login_throttles::locked_until.is_not_null()),
            )
            .order_by(login_throttles::address)
            .load(conn)?;
        for row in &rows {
            lock_row(conn, Table::LoginThrottles, row.id)?;
            diesel::delete(login_throttles::table.find(row.id)).execute(conn)?;
        }
        Ok(rows)
    }

    /// Deletes counters whose window and lock are over: they count nothing any more (an
    /// expired counter starts again at zero), and the table stays as small as the last
    /// window's attempts. Each row is deleted once, so the work follows the attempts made.
    fn forget_expired(conn: &mut DbConn, at: NaiveDateTime) -> Result<(), ApiError> {
        let window_start = at - TimeDelta::minutes(WINDOW_MINUTES);
        diesel::delete(
            login_throttles::table
                .filter(login_throttles::window_started_at.le(window_start))
                .filter(
                    login_throttles::locked_until
                        .is_null()
                        .or(login_throttles::locked_until.le(at)),
                ),
        )
        .execute(conn)?;
        Ok(())
    }

    /// The counter of `username` at `address`, created if missing, locked for the rest of
    /// the transaction, and started again if its window (and any lock) is over.
    fn current(conn: &mut DbConn, username: &str, address: &str, at: NaiveDateTime) -> Result<LoginThrottle, ApiError> {
        // The same statement on both backends: a missing row is made, an existing one kept.
        diesel::sql_query(
            "INSERT INTO login_throttles (username, address, window_started_at, failures) \
             VALUES ($1, $2, $3, 0) ON CONFLICT (username, address) DO NOTHING",
        )
        .bind::<diesel::sql_types::Text, _>(username)
        .bind::<diesel::sql_types::Text, _>(address)
        .bind::<diesel::sql_types::Timestamp, _>(at)
        .execute(conn)?;
        let id: i64 = login_throttles::table
            .filter(login_throttles::username.eq(username))
            .filter(login_throttles::address.eq(address))
            .select(login_throttles::id)
            .first(conn)?;
        lock_row(conn, Table::LoginThrottles, id)?;
        let row: LoginThrottle = login_throttles::table.find(id).first(conn)?;
        let window_over = row.window_started_at + TimeDelta::minutes(WINDOW_MINUTES) <= at;
        let expired = match row.locked_until {
            Some(until) => until <= at,
            None => window_over,
        };
        if !expired {
            return Ok(row);
        }
        Ok(diesel::update(login_throttles::table.find(id))
            .set((
                login_throttles::failures.eq(0),
                login_throttles::window_started_at.eq(at),
                login_throttles::locked_until.eq(None::<NaiveDateTime>),
            ))
            .returning(login_throttles::all_columns)
            .get_result(conn)?)
    }

    /// Counts one more failure; at `limit`, locks the counter for a window and says until when.
    fn add_failure(&self, conn: &mut DbConn, limit: i32, at: NaiveDateTime) -> Result<Option<NaiveDateTime>, ApiError> {
        let failures = self.failures + 1;
        let locks_until = (failures >= limit).then(|| at + TimeDelta::minutes(WINDOW_MINUTES));
        diesel::update(login_throttles::table.find(self.id))
            .set((
                login_throttles::failures.eq(failures),
                login_throttles::locked_until.eq(locks_until),
            ))
            .execute(conn)?;
        Ok(locks_until)
    }
}
