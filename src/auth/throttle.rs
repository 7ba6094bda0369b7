use chrono::NaiveDateTime;

use super::ClientAddress;
use crate::db::{write_transaction, Db};
use crate::error::ApiError;
use crate::model::login_throttle::{Attempt, LoginThrottle};

/// A password attempt that was counted before its password is checked.
#[derive(Debug, Clone)]
pub struct Counted {
    /// The username tried.
    pub username: String,
    /// Where the attempt came from.
    pub address: String,
    /// The username's failures from this address in the window, this attempt included.
    pub failures: i32,
    /// The lock this attempt set, if it filled a limit.
    pub locks_until: Option<NaiveDateTime>,
}

/// Counts an attempt to check `username`'s password from `client`, in a transaction of its
/// own that commits before the (slow) check: the count holds whatever the outcome, and
/// attempts that arrive together are counted one at a time, so that no more than the limit
/// are ever checked. A 429 with `Retry-After` when the username is locked from that
/// address, or the address is.
pub async fn count_attempt(db: &Db, username: &str, client: ClientAddress) -> Result<Counted, ApiError> {
    let (name, address) = (username.to_owned(), client.to_string());
    let attempt = db
        .run(move |conn| write_transaction(conn, |conn| LoginThrottle::count(conn, &name, &address)))
        .await?;
    match attempt {
        Attempt::Counted { failures, locks_until } => Ok(Counted {
            username: username.to_owned(),
            address: client.to_string(),
            failures,
            locks_until,
        }),
        Attempt::Locked(until) => {
            let wait = (until - crate::clock::now()).num_seconds().max(1);
            tracing::warn!(username = ?username, address = %client, "refused: too many failed attempts");
            Err(ApiError::TooManyRequests(
                format!("too many failed attempts from your address: try again in {wait} seconds"),
                u64::try_from(wait).unwrap_or(1),
            ))
        }
    }
}

impl Counted {
    /// What the audit log keeps of a failed attempt: where it came from, how many failures
    /// the window holds, and the lock it set. (Only counted attempts are logged, so an
    /// attack adds at most as many entries as the limits let through.)
    pub fn failure_record(&self) -> serde_json::Value {
        serde_json::json!({
            "address": self.address,
            "failures": self.failures,
            "locked_until": self.locks_until.map(|at| at.and_utc().to_rfc3339()),
        })
    }
}
