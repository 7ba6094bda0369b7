//! One module per table: the record, its insert and update forms, and its queries.

pub mod audit;
pub mod class;
pub mod course;
pub mod enrollment;
pub mod login_throttle;
pub mod official;
pub mod position;
pub mod qualification;
pub mod unit;
pub mod user;

use chrono::NaiveDateTime;
use serde::Serializer;

/// Serializes a stored UTC timestamp as RFC 3339 with a `Z`.
pub fn utc<S: Serializer>(at: &NaiveDateTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&at.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
}

/// The outcome of an UPDATE guarded by the version the writer expects (`WHERE version = $n`):
/// no row means the record moved on since that version — a 412.
pub fn at_version<T>(updated: Option<T>, entity: &str, id: i64, expected: i32) -> Result<T, crate::error::ApiError> {
    updated.ok_or_else(|| crate::error::ApiError::stale(entity, id, expected))
}

/// The outcome of a DELETE guarded the same way: no row deleted is a 412.
pub fn deleted_at_version(deleted: usize, entity: &str, id: i64, expected: i32) -> Result<(), crate::error::ApiError> {
    at_version((deleted > 0).then_some(()), entity, id, expected)
}

/// The reads every table keyed by `id` has: `find` (a 404 naming the record),
/// `find_referenced` (a 422 on the request field that named it) and `lock` (the row locked for
/// the rest of the write transaction, then read: see `db::write_transaction` for the order in
/// which writers take locks, and why).
macro_rules! record_reads {
    ($record:ident, $table:ident, $entity:literal, $lock:expr) => {
        impl $record {
            #[doc = concat!("The ", $entity, " with this id.")]
            pub fn find(conn: &mut DbConn, id: i64) -> Result<$record, ApiError> {
                $table::table
                    .find(id)
                    .first(conn)
                    .optional()?
                    .ok_or_else(|| ApiError::not_found($entity, id))
            }

            #[doc = concat!("The ", $entity, " with this id, or a 422 on `field` when there is none.")]
            pub fn find_referenced(conn: &mut DbConn, id: i64, field: &str) -> Result<$record, ApiError> {
                $record::find(conn, id).map_err(|e| e.on_field(field))
            }

            #[doc = concat!("Locks the ", $entity, "'s row for the rest of the write transaction, then reads it.")]
            pub fn lock(conn: &mut DbConn, id: i64) -> Result<$record, ApiError> {
                lock_row(conn, $lock, id)?;
                $record::find(conn, id)
            }
        }
    };
}
pub(crate) use record_reads;

/// A record that carries a version for optimistic concurrency.
pub trait Versioned {
    /// The version as stored.
    fn version(&self) -> i32;
}

macro_rules! versioned {
    ($($record:ty),+) => {
        $(impl Versioned for $record {
            fn version(&self) -> i32 {
                self.version
            }
        })+
    };
}

versioned!(
    unit::Unit,
    position::Position,
    official::Official,
    qualification::Qualification,
    course::Course,
    class::TrainingClass,
    enrollment::Enrollment,
    user::User
);

/// How a list is ordered: a column and a direction.
#[derive(Debug, Clone, Copy)]
pub struct Sort<C> {
    /// The column.
    pub column: C,
    /// True for descending.
    pub descending: bool,
}

/// Parses `sort` (`name`, `-name`) against the columns a list allows; the default
/// when absent; a 422 naming the allowed values otherwise.
pub fn parse_sort<C: Copy>(
    raw: Option<&str>,
    allowed: &[(&str, C)],
    default: C,
) -> Result<Sort<C>, crate::error::ApiError> {
    let Some(raw) = raw else {
        return Ok(Sort {
            column: default,
            descending: false,
        });
    };
    let (name, descending) = match raw.strip_prefix('-') {
        Some(name) => (name, true),
        None => (raw, false),
    };
    allowed
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, column)| Sort {
            column: *column,
            descending,
        })
        .ok_or_else(|| {
            let names: Vec<&str> = allowed.iter().map(|(n, _)| *n).collect();
            crate::error::ApiError::field(
                "sort",
                format!("must be one of {}, optionally prefixed by '-'", names.join(", ")),
            )
        })
}

/// Applies a sort to a boxed query, with `id` as the tie-breaker so pages are stable.
macro_rules! order_by_sort {
    ($query:expr, $sort:expr, $id:expr, { $($variant:path => $column:expr),+ $(,)? }) => {{
        let query = $query;
        let sort = $sort;
        let query = match (sort.column, sort.descending) {
            $(
                ($variant, false) => query.order_by($column.asc()),
                ($variant, true) => query.order_by($column.desc()),
            )+
        };
        if sort.descending { query.then_order_by($id.desc()) } else { query.then_order_by($id.asc()) }
    }};
}
pub(crate) use order_by_sort;
