//! Reports: each is a few aggregate queries in the database, answered as JSON or CSV.
//! The SQL here is the same on both backends (`$n` parameters, first used in order).

pub mod compliance;
pub mod qualifications;
pub mod training;

use actix_web::http::header;
use actix_web::HttpResponse;

use crate::domain::{ClassStatus, EnrollmentStatus};
use crate::error::ApiError;
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

/// Builds a CSV document with the `csv` crate: UTF-8 with a byte-order mark so that Excel
/// reads Vietnamese right, rows ended by CRLF, and every cell that a spreadsheet would take
/// for a formula neutralised (see [`neutralise`]).
#[derive(Debug)]
pub struct Csv {
    writer: csv::Writer<Vec<u8>>,
    failed: Option<csv::Error>,
}

impl Csv {
    /// A document with its header row.
    pub fn new(header: &[&str]) -> Self {
        let writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer("\u{feff}".as_bytes().to_vec());
        let mut csv = Csv { writer, failed: None };
        csv.row(header.iter().map(|h| h.to_string()));
        csv
    }

    /// Appends a row; the writer quotes fields that need it.
    pub fn row(&mut self, fields: impl IntoIterator<Item = String>) {
        let cells: Vec<String> = fields.into_iter().map(|field| neutralise(&field)).collect();
        if let Err(error) = self.writer.write_record(&cells) {
            self.failed.get_or_insert(error);
        }
    }

    /// The response, offered as a download named `name`.csv.
    pub fn respond(self, name: &str) -> Result<HttpResponse, ApiError> {
        if let Some(error) = self.failed {
            return Err(ApiError::internal(error));
        }
        let body = self.writer.into_inner().map_err(ApiError::internal)?;
        let safe: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        Ok(HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{safe}.csv\""),
            ))
            .body(body))
    }
}

/// A cell that a spreadsheet would run as a formula — one that begins with `=`, `+`, `-`,
/// `@`, a tab or a carriage return (OWASP's list for CSV injection) — gets a leading `'`,
/// so that it is shown as the text it is. An official named `=HYPERLINK(…)`, or a login
/// attempted with such a username, reaches the audit log and the reports; in an auditor's
/// spreadsheet it must stay text. (No number the service writes is negative.)
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// An optional value as a CSV field.
pub fn field<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// `"part/whole"`, the share as reports write it.
pub(crate) fn share(part: i64, whole: i64) -> String {
    format!("{part}/{whole}")
}
