//! Reports: each is a few aggregate queries in the database, answered as JSON, or as a
//! [`Table`](crate::files::Table) for CSV and XLSX.
//! The SQL here is the same on both backends (`$n` parameters, first used in order).

pub mod compliance;
pub mod plans;
pub mod qualifications;
pub mod record;
pub mod training;
pub mod training_results;
pub mod workforce;

use crate::domain::{ClassStatus, EnrollmentStatus};
use crate::model::unit::Subtree;

/// The units of the subtree whose root has the path `$1`, materialised first so that both
/// backends start from them.
pub(crate) fn subtree() -> String {
    format!(
        "sub AS MATERIALIZED (SELECT id FROM units WHERE {})",
        Subtree::sql("path", "$1")
    )
}

/// SQL: the codes of `values`, as the list of an `IN (…)`. The codes are the enums' own
/// literals, never client input: a domain rule is stated once, in Rust, and the SQL follows.
pub(crate) fn codes_in<T: std::fmt::Display>(values: impl IntoIterator<Item = T>) -> String {
    let codes: Vec<String> = values.into_iter().map(|value| format!("'{value}'")).collect();
    format!("({})", codes.join(", "))
}

/// SQL: the enrollment statuses of an official really sent ([`EnrollmentStatus::counts_as_learner`]).
pub(crate) fn counted_statuses() -> String {
    codes_in(EnrollmentStatus::ALL.iter().filter(|status| status.counts_as_learner()))
}

/// SQL: the statuses of a class that was (or is to be) held ([`ClassStatus::is_held`]).
pub(crate) fn held_classes() -> String {
    codes_in(ClassStatus::ALL.iter().filter(|status| status.is_held()))
}

/// How a report is evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evaluation {
    /// From the current levels kept on each official when the day is today or later (they
    /// equal the history then, and are read in one pass), else from the history.
    PreferCurrentLevels,
    /// Always from the assignment history and the qualification records.
    FromHistory,
}

impl Evaluation {
    /// Whether a report about `as_of` may read the current levels: an active official's open
    /// assignment began by today (moves are never dated ahead) and every qualification was
    /// awarded by today, so for today the current levels equal the history.
    pub(crate) fn reads_current_levels(self, as_of: chrono::NaiveDate) -> bool {
        self == Evaluation::PreferCurrentLevels && as_of >= crate::clock::today()
    }
}

/// Named values as one JSON object, in their order (a report's fixed set of keys).
pub(crate) fn serialize_entries<S: serde::Serializer, V: serde::Serialize>(
    entries: &[(&'static str, V)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(Some(entries.len()))?;
    for (key, value) in entries {
        map.serialize_entry(key, value)?;
    }
    map.end()
}

/// A report's table about one unit on one day, titled: its heading, the unit and the day, and
/// the category when one was chosen.
pub(crate) fn titled_on_day(
    table: crate::files::Table,
    heading: &str,
    unit_name: &str,
    as_of: chrono::NaiveDate,
    category: Option<crate::domain::Category>,
) -> crate::files::Table {
    let table = table
        .title(heading)
        .title(format!("Đơn vị: {unit_name} — tại ngày {}", vietnamese_day(as_of)));
    match category {
        Some(category) => table.title(format!("Đối tượng: {}", category.label())),
        None => table,
    }
}

/// A day as a title line writes it (`31/12/2019`).
pub(crate) fn vietnamese_day(day: chrono::NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

/// `"part/whole"`, the share as the JSON writes it (files give the numbers and a percentage).
pub(crate) fn share(part: i64, whole: i64) -> String {
    format!("{part}/{whole}")
}
