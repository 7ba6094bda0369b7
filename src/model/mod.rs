//! One module per table: the record, its insert and update forms, and its queries.

pub mod audit;
pub mod class;
pub mod course;
pub mod enrollment;
pub mod import;
pub mod keys;
pub mod keyset;
pub mod login_throttle;
pub mod official;
pub mod plan;
pub mod plan_need;
pub mod position;
pub mod processing;
pub mod qualification;
pub mod rank;
pub mod rows;
pub mod search;
pub mod unit;
pub mod user;

use chrono::NaiveDateTime;
use diesel::backend::Backend;
use diesel::deserialize::FromSql;
use diesel::sql_types::Timestamp;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::RefOr;

/// Serializes a stored UTC timestamp as RFC 3339 with a `Z`.
pub fn utc<S: Serializer>(at: &NaiveDateTime, serializer: S) -> Result<S::Ok, S::Error> {
    UtcTime(*at).serialize(serializer)
}

/// A moment as a record stores it (UTC, to the microsecond), shown as RFC 3339 with a `Z`:
/// the type of every record's `created_at` and `updated_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, diesel::deserialize::FromSqlRow)]
pub struct UtcTime(pub NaiveDateTime);

impl<DB> FromSql<Timestamp, DB> for UtcTime
where
    DB: Backend,
    NaiveDateTime: FromSql<Timestamp, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
        NaiveDateTime::from_sql(bytes).map(UtcTime)
    }
}

impl std::fmt::Display for UtcTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::clock::rfc3339(self.0))
    }
}

impl Serialize for UtcTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl utoipa::PartialSchema for UtcTime {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .description(Some("A moment in UTC, RFC 3339 with a `Z`, to the microsecond."))
            .into()
    }
}

impl utoipa::ToSchema for UtcTime {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("UtcTime")
    }
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

/// The guarded writes every versioned table has, which the record's own `create`, `update`
/// and `delete` build on with the rules of the record: `insert` (the row as given),
/// `write` (an UPDATE that requires the version the writer expects, bumps it and stamps
/// `updated_at`: no row is a 412) and `remove` (a DELETE guarded the same way). The
/// version is checked by the statement itself, never by an earlier read.
macro_rules! record_writes {
    ($record:ident, $table:ident, $entity:literal, $new:ty, $changes:ty) => {
        impl $record {
            #[doc = concat!("Inserts the ", $entity, " as given.")]
            fn insert(conn: &mut DbConn, new: &$new) -> Result<$record, ApiError> {
                Ok(diesel::insert_into($table::table)
                    .values(new)
                    .returning($table::all_columns)
                    .get_result(conn)?)
            }

            #[doc = concat!("Writes `changes` to the ", $entity, " `id` if it is still at version `expected`.")]
            fn write(conn: &mut DbConn, id: i64, changes: &$changes, expected: i32) -> Result<$record, ApiError> {
                let updated = diesel::update($table::table.find(id).filter($table::version.eq(expected)))
                    .set((
                        changes,
                        $table::updated_at.eq($crate::clock::now()),
                        $table::version.eq($table::version + 1),
                    ))
                    .returning($table::all_columns)
                    .get_result(conn)
                    .optional()?;
                $crate::model::at_version(updated, $entity, id, expected)
            }

            #[doc = concat!("Deletes the ", $entity, " `id` if it is still at version `expected`; `referenced` ")]
            #[doc = "says why a row that others still reference cannot go (a foreign key refused it)."]
            fn remove(conn: &mut DbConn, id: i64, expected: i32, referenced: &str) -> Result<(), ApiError> {
                let deleted = diesel::delete($table::table.find(id).filter($table::version.eq(expected)))
                    .execute(conn)
                    .map_err(|e| match ApiError::from(e) {
                        ApiError::Conflict(..) => ApiError::Conflict(
                            $crate::error::ConflictKind::StillReferenced,
                            format!(concat!($entity, " {} {}"), id, referenced),
                        ),
                        other => other,
                    })?;
                $crate::model::deleted_at_version(deleted, $entity, id, expected)
            }
        }
    };
}
pub(crate) use record_writes;

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

impl Versioned for class::ClassView {
    fn version(&self) -> i32 {
        self.class.version
    }
}

impl Versioned for plan::PlanView {
    fn version(&self) -> i32 {
        self.plan.version
    }
}

impl Versioned for plan_need::NeedView {
    fn version(&self) -> i32 {
        self.need.version
    }
}

impl Versioned for plan::PlanContents {
    fn version(&self) -> i32 {
        self.plan.version
    }
}

impl Versioned for enrollment::EnrollmentView {
    fn version(&self) -> i32 {
        self.enrollment.version
    }
}

versioned!(
    rank::RankRecord,
    unit::Unit,
    position::Position,
    official::Official,
    qualification::Qualification,
    course::Course,
    class::TrainingClass,
    enrollment::Enrollment,
    plan::Plan,
    plan::PlanItem,
    plan_need::PlanNeed,
    user::User
);

/// How a list is ordered: a column and a direction. As a query parameter it is the column's
/// name, prefixed by `-` for descending (`sort=-code`), read and checked where the query is
/// read; absent, the list's first column, ascending.
#[derive(Debug, Clone, Copy)]
pub struct Sort<C> {
    /// The column.
    pub column: C,
    /// True for descending.
    pub descending: bool,
}

/// The columns a list can be sorted by, with the names `sort` gives them.
pub trait SortColumn: Copy + PartialEq + 'static {
    /// Each column's name in `sort`; the first is the default order.
    const NAMES: &'static [(&'static str, Self)];
}

/// Declares the columns of a list's `sort`: an enum, and the name of each in the query.
macro_rules! sort_columns {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $key:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($variant),+
        }

        impl $crate::model::SortColumn for $name {
            const NAMES: &'static [(&'static str, Self)] = &[$(($key, $name::$variant)),+];
        }
    };
}
pub(crate) use sort_columns;

impl<C: SortColumn> Sort<C> {
    /// Reads `name` or `-name`; else says which names there are.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let (name, descending) = match raw.strip_prefix('-') {
            Some(name) => (name, true),
            None => (raw, false),
        };
        C::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, column)| Sort {
                column: *column,
                descending,
            })
            .ok_or_else(|| {
                let names: Vec<&str> = C::NAMES.iter().map(|(n, _)| *n).collect();
                format!("must be one of {}, optionally prefixed by '-'", names.join(", "))
            })
    }

    /// As `sort` names it (`-code`).
    pub fn name(&self) -> String {
        let name = C::NAMES.iter().find(|(_, c)| *c == self.column).map_or("", |(n, _)| *n);
        if self.descending {
            format!("-{name}")
        } else {
            name.to_owned()
        }
    }

    /// Every value it takes, as the OpenAPI document lists them: each column, ascending then
    /// descending (`-`).
    pub fn values() -> Vec<String> {
        C::NAMES
            .iter()
            .flat_map(|(name, _)| [(*name).to_owned(), format!("-{name}")])
            .collect()
    }
}

impl<C: SortColumn> Default for Sort<C> {
    fn default() -> Self {
        Sort {
            column: C::NAMES[0].1,
            descending: false,
        }
    }
}

impl<'de, C: SortColumn> Deserialize<'de> for Sort<C> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Sort::parse(&raw).map_err(serde::de::Error::custom)
    }
}

impl<C: SortColumn> Sort<C> {
    /// The parameter's schema: the enumeration of the values it takes.
    pub fn schema() -> Schema {
        let names: Vec<String> = C::NAMES.iter().map(|(n, _)| format!("`{n}`")).collect();
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(format!(
                "Order by one of {}; prefix with `-` for descending.",
                names.join(", ")
            )))
            .enum_values(Some(Sort::<C>::values()))
            .into()
    }
}

/// Applies a sort to a boxed query, with `id` as the tie-breaker so pages are stable.
macro_rules! order_by_sort {
    ($query:expr, $sort:expr, $id:expr, { $($variant:path => $column:expr),+ $(,)? }) => {{
        let query = $query;
        let sort = $sort;
        let query = match (sort.column, sort.descending) {
            $(
                ($variant, false) => query.then_order_by($column.asc()),
                ($variant, true) => query.then_order_by($column.desc()),
            )+
        };
        if sort.descending { query.then_order_by($id.desc()) } else { query.then_order_by($id.asc()) }
    }};
}
pub(crate) use order_by_sort;

impl From<UtcTime> for crate::files::Cell {
    fn from(at: UtcTime) -> Self {
        crate::files::Cell::Instant(at.0)
    }
}
