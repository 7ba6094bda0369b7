//! Running an import: a sheet's rows become the API's own writes. Each row is read into the
//! body the API takes for the same change (ids looked up from the codes the row names),
//! and that body goes through the API's own parsing, validation and write — creation, a
//! change of the fields that differ, a transfer — with the caller's rights, so an import
//! can do nothing the API would refuse. Each such row runs in a savepoint: a row that fails
//! is undone alone and its errors are collected, and the file is written only when no row
//! failed (a dry run never is). A row bringing in a new official is checked by the same
//! rules in memory and written with others ([`super::bulk`]). What a row names that is not
//! a column, a cell that is not of its column's kind, a key already stored in `create`
//! mode: every error is reported, with its row, column and cell.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::Connection;
use serde_json::{json, Map, Value as Json};

use super::bulk::{Newcomer, Newcomers, Places, WRITE_EVERY};
use crate::api::enrollments::{change_enrollment, enroll, Nominee, UpdateEnrollment};
use crate::api::extract::{parse_into, parse_json, IfMatch};
use crate::api::officials::{
    admit, change_official, check_rank_day, locked_official, transfer, Award, OfficialDraft, RankChange, Transfer,
    UpdateOfficial,
};
use crate::api::plans::{
    add_item, change_need, change_plan_item, editable_plan, locked_plan, register, start_plan, ItemInput, NeedInput,
    PlanInput, UpdateNeed, UpdatePlanItem,
};
use crate::api::positions::{change_position, UpdatePosition};
use crate::api::units::{change_unit, create_unit_in, UpdateUnit};
use crate::auth::Scope;
use crate::db::{Audit, DbConn};
use crate::domain::personal::{is_masked_national_id, NATIONAL_ID};
use crate::domain::{
    fold, AuditEntity, Dimension, EnrollmentStatus, Funding, ImportKind, ImportMode, NationalId, StudyMode,
    TrainingLocation,
};
use crate::error::{ApiError, Checks, ConflictKind, RowError};
use crate::exchange::read::{column_letters, Raw, Sheet, SheetRow};
use crate::exchange::{Field, Use, Value};
use crate::model::course::Course;
use crate::model::enrollment::{Enrollment, TrainingTerms};
use crate::model::keys;
use crate::model::official::{Official, OfficialInput};
use crate::model::plan::{Plan as TrainingPlan, PlanItem};
use crate::model::plan_need::PlanNeed;
use crate::model::position::{NewPosition, Position};
use crate::model::qualification::{NewQualification, Qualification, QualificationInput};
use crate::model::rank::RankRecord;
use crate::model::unit::{NewUnit, Unit};

/// What an import asks for.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// What the file brings in.
    pub kind: ImportKind,
    /// Create only, or create and update.
    pub mode: ImportMode,
    /// Check everything, write nothing.
    pub dry_run: bool,
}

/// What the rows did (or, in a dry run, would do).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Rows read.
    pub rows: i64,
    /// Records created.
    pub created: i64,
    /// Records changed.
    pub updated: i64,
    /// Rows identical to what is stored.
    pub unchanged: i64,
}

/// What one row did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// The columns of each kind's files.
pub fn fields(kind: ImportKind) -> &'static [Field] {
    match kind {
        ImportKind::Units => crate::exchange::UNITS,
        ImportKind::Positions => crate::exchange::POSITIONS,
        ImportKind::Officials => crate::exchange::OFFICIALS,
        ImportKind::Qualifications => crate::exchange::QUALIFICATIONS,
        ImportKind::Enrollments => crate::exchange::ENROLLMENTS,
        ImportKind::PlanItems => crate::exchange::PLAN_ITEMS,
        ImportKind::PlanNeeds => crate::exchange::PLAN_NEEDS,
    }
}

/// The sheet's columns, each matched to a field of the kind (by Vietnamese label or by key,
/// ignoring case, diacritics and spaces).
struct Columns {
    /// For each column of the sheet, its field (None for an empty header).
    fields: Vec<Option<&'static Field>>,
    /// The header as written, by field key.
    headers: HashMap<&'static str, (usize, String)>,
}

fn match_headers(kind: ImportKind, sheet: &Sheet) -> Result<Columns, ApiError> {
    let fields = fields(kind);
    let mut errors = Vec::new();
    let mut matched = Vec::with_capacity(sheet.headers.len());
    let mut headers = HashMap::new();
    for (index, header) in sheet.headers.iter().enumerate() {
        let cell = format!("{}{}", column_letters(index), sheet.header_row);
        if header.trim().is_empty() {
            matched.push(None);
            continue;
        }
        let folded = fold(header);
        let field = fields.iter().find(|f| fold(f.label) == folded || fold(f.key) == folded);
        match field {
            Some(field) if headers.contains_key(field.key) => errors.push(RowError {
                row: sheet.header_row,
                column: header.clone(),
                cell,
                value: header.clone(),
                message: format!("the column {} is given twice", field.key),
            }),
            Some(field) => {
                headers.insert(field.key, (index, header.clone()));
                matched.push(Some(field));
            }
            None => {
                let known: Vec<&str> = fields.iter().map(|f| f.label).collect();
                errors.push(RowError {
                    row: sheet.header_row,
                    column: header.clone(),
                    cell,
                    value: header.clone(),
                    message: format!("is not a column of {kind}: the columns are {}", known.join(", ")),
                });
                matched.push(None);
            }
        }
    }
    for field in fields.iter().filter(|f| f.import == Use::Required) {
        if !headers.contains_key(field.key) {
            errors.push(RowError {
                row: sheet.header_row,
                column: field.label.to_owned(),
                cell: sheet.header_row.to_string(),
                value: String::new(),
                message: format!("the column {} ({}) is missing", field.label, field.key),
            });
        }
    }
    if errors.is_empty() {
        Ok(Columns {
            fields: matched,
            headers,
        })
    } else {
        Err(ApiError::Rows(errors))
    }
}

/// One row's values: by field key, the cell's value as the API's JSON takes it (null when
/// empty), with where it came from.
struct RowValues<'a> {
    row: &'a SheetRow,
    columns: &'a Columns,
    values: HashMap<&'static str, Json>,
    /// Columns whose cell holds a masked value (a national ID as lists show it): read as if
    /// the file had no such column, so that the stored value stays.
    masked: Vec<&'static str>,
}

impl RowValues<'_> {
    /// Whether the file has the column.
    fn has(&self, key: &str) -> bool {
        self.columns.headers.contains_key(key) && !self.masked.contains(&key)
    }

    /// The value of a column the file has (null when empty or absent).
    fn get(&self, key: &str) -> Json {
        self.values.get(key).cloned().unwrap_or(Json::Null)
    }

    /// The text of a column, if any.
    fn text(&self, key: &str) -> Option<String> {
        self.values.get(key).and_then(Json::as_str).map(str::to_owned)
    }

    /// An error at the column of `field` (an API field name, or a column key).
    fn error(&self, field: &str, message: impl Into<String>) -> RowError {
        let key = column_of(field);
        match self.columns.headers.get(key) {
            Some((index, header)) => RowError {
                row: self.row.number,
                column: header.clone(),
                cell: format!("{}{}", column_letters(*index), self.row.number),
                value: self.row.cells.get(*index).map(Raw::text).unwrap_or_default(),
                message: message.into(),
            },
            None => RowError {
                row: self.row.number,
                column: String::new(),
                cell: self.row.number.to_string(),
                value: String::new(),
                message: if field.is_empty() {
                    message.into()
                } else {
                    format!("{field}: {}", message.into())
                },
            },
        }
    }

    /// The errors an API error stands for, at their columns.
    fn errors_of(&self, error: ApiError) -> Result<Vec<RowError>, ApiError> {
        Ok(match error {
            ApiError::Validation(fields) => fields
                .into_iter()
                .flat_map(|(field, messages)| messages.into_iter().map(|m| self.error(&field, m)).collect::<Vec<_>>())
                .collect(),
            ApiError::Duplicate { field, detail } => vec![self.error(field, detail)],
            ApiError::Rows(rows) => rows,
            ApiError::Forbidden(message)
            | ApiError::NotFound(message)
            | ApiError::Conflict(_, message)
            | ApiError::PreconditionFailed(message) => vec![self.error("", message)],
            other => return Err(other),
        })
    }
}

/// The column a field of the API's body is read from.
fn column_of(field: &str) -> &str {
    match field {
        "parent_id" => "parent_code",
        "unit_id" => "unit_code",
        "position_id" => "position_code",
        "official_id" => "official_code",
        "class_id" => "class_code",
        "course_id" => "course_code",
        "effective_on" => "started_on",
        // A rank's day, as `POST /officials/{id}/ranks` names it.
        "since" => "rank_since",
        other => other,
    }
}

/// Reads a row's cells by their fields' kinds; the errors name each cell that does not fit.
fn read_row<'a>(row: &'a SheetRow, columns: &'a Columns) -> Result<RowValues<'a>, Vec<RowError>> {
    let mut values = RowValues {
        row,
        columns,
        values: HashMap::new(),
        masked: Vec::new(),
    };
    let mut errors = Vec::new();
    for (index, field) in columns.fields.iter().enumerate() {
        let Some(field) = field else { continue };
        if field.import == Use::Written {
            continue;
        }
        let raw = row.cells.get(index).cloned().unwrap_or(Raw::Empty);
        if field.key == NATIONAL_ID && is_masked_national_id(&raw.text()) {
            values.masked.push(field.key);
            values.values.insert(field.key, Json::Null);
            continue;
        }
        if raw.is_empty() {
            if field.import == Use::Required {
                errors.push(values.error(field.key, "is required"));
            }
            values.values.insert(field.key, Json::Null);
            continue;
        }
        match cell_value(field, &raw, &values) {
            Ok(value) => {
                values.values.insert(field.key, value);
            }
            Err(message) => errors.push(values.error(field.key, message)),
        }
    }
    if errors.is_empty() {
        Ok(values)
    } else {
        Err(errors)
    }
}

/// A cell as the JSON value of its field.
fn cell_value(field: &Field, raw: &Raw, row: &RowValues) -> Result<Json, String> {
    if let Raw::Error(e) = raw {
        return Err(format!("holds the error {e}"));
    }
    match field.value {
        Value::Text => Ok(Json::String(raw.text())),
        Value::Digits(width) => Ok(Json::String(digits(raw, width))),
        Value::Flag => flag(raw).map(Json::Bool),
        Value::Number => match raw {
            Raw::Number(n) => Ok(json!(n)),
            other => other
                .text()
                .replace(',', ".")
                .parse::<f64>()
                .map(|n| json!(n))
                .map_err(|_| "is not a number".to_owned()),
        },
        Value::Whole => whole(raw).map(|n| json!(n)),
        Value::Amount => amount(raw).map(|n| json!(n)),
        Value::Day => day(raw).map(|d| Json::String(d.to_string())),
        Value::Choice(values) => choose(&raw.text(), &values()),
        Value::Level(dimension) => choose(&raw.text(), &dimension.levels()),
        Value::AnyLevel => {
            let dimension = row
                .text("dimension")
                .and_then(|d| Dimension::ALL.iter().copied().find(|x| x.code() == d));
            match dimension {
                Some(dimension) => choose(&raw.text(), &dimension.levels()),
                None => Ok(Json::String(raw.text())),
            }
        }
    }
}

/// The text of a cell of `width` digits: a number cell with the leading zeros a spreadsheet
/// dropped put back.
fn digits(raw: &Raw, width: usize) -> String {
    match raw {
        // A whole number below 10^15 is exact in an f64 and fits a u64.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Raw::Number(n) if n.fract() == 0.0 && (0.0..1e15).contains(n) => format!("{:0width$}", *n as u64),
        other => other.text(),
    }
}

/// A whole number: a number cell without a fraction, or its digits (with a sign).
fn whole(raw: &Raw) -> Result<i64, String> {
    const WRONG: &str = "is not a whole number";
    match raw {
        // A whole number below 10^15 is exact in an f64 and fits an i64.
        #[allow(clippy::cast_possible_truncation)]
        Raw::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Ok(*n as i64),
        Raw::Number(_) => Err(WRONG.to_owned()),
        other => other.text().trim().parse::<i64>().map_err(|_| WRONG.to_owned()),
    }
}

/// A whole amount of đồng: a whole number cell, or digits in groups of three separated by
/// dots, commas or spaces (`1.500.000`, `1,500,000`), with an optional `đ`, `đồng` or `VND`.
fn amount(raw: &Raw) -> Result<i64, String> {
    const WRONG: &str = "is not an amount of đồng: write it 1500000 or 1.500.000";
    if let Raw::Number(n) = raw {
        // A whole number below 10^15 is exact in an f64 and fits an i64.
        #[allow(clippy::cast_possible_truncation)]
        return if n.fract() == 0.0 && (0.0..1e15).contains(n) {
            Ok(*n as i64)
        } else {
            Err(WRONG.to_owned())
        };
    }
    let text = raw.text();
    let lower = text.to_lowercase();
    let number = ["đồng", "đ", "vnd"]
        .iter()
        .find_map(|unit| lower.strip_suffix(unit))
        .unwrap_or(&lower)
        .trim();
    let groups: Vec<&str> = number.split(['.', ',', ' ', '\u{a0}']).collect();
    let grouped = groups.len() == 1
        || (!groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    if !grouped || !groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit())) {
        return Err(WRONG.to_owned());
    }
    groups.concat().parse::<i64>().map_err(|_| WRONG.to_owned())
}

/// Yes or no: a true/false cell, `Có` / `Không`, `true` / `false`, `x`, `1` / `0`.
fn flag(raw: &Raw) -> Result<bool, String> {
    if let Raw::Bool(yes) = raw {
        return Ok(*yes);
    }
    match fold(&raw.text()).as_str() {
        "co" | "true" | "x" | "1" => Ok(true),
        "khong" | "false" | "0" => Ok(false),
        _ => Err("is not yes or no: write Có or Không".to_owned()),
    }
}

/// A day: a date cell, `1980-05-30`, or `30/05/1980`.
fn day(raw: &Raw) -> Result<NaiveDate, String> {
    if let Raw::Date(day) = raw {
        return Ok(*day);
    }
    let text = raw.text();
    text.parse::<NaiveDate>()
        .or_else(|_| NaiveDate::parse_from_str(&text, "%d/%m/%Y"))
        .map_err(|_| "is not a day: write it 30/05/1980 or 1980-05-30".to_owned())
}

/// An enumeration's code, from its code or its Vietnamese label; a code of digits also
/// without the leading zeros a spreadsheet drops (`1` for `01`).
fn choose(text: &str, values: &[crate::domain::EnumValue]) -> Result<Json, String> {
    if let Some(value) = values.iter().find(|v| v.code == text || v.label == text) {
        return Ok(Json::String(value.code.to_owned()));
    }
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        let digits = text.trim_start_matches('0');
        if let Some(value) = values
            .iter()
            .find(|v| v.code.bytes().all(|b| b.is_ascii_digit()) && v.code.trim_start_matches('0') == digits)
        {
            return Ok(Json::String(value.code.to_owned()));
        }
    }
    let folded = fold(text);
    values
        .iter()
        .find(|v| fold(v.label) == folded || fold(v.code) == folded)
        .map(|v| Json::String(v.code.to_owned()))
        .ok_or_else(|| {
            let labels: Vec<&str> = values.iter().map(|v| v.label).collect();
            format!("is not one of: {}", labels.join("; "))
        })
}

/// Codes looked up as rows go (a unit an earlier row created is found by the next).
struct Lookup {
    units: HashMap<String, i64>,
    positions: HashMap<String, i64>,
    /// For an officials file: the stored officials its rows name, by code (with those the
    /// file brings in, once written).
    officials: HashMap<String, i64>,
    /// For an officials file: the units and positions its new officials are placed in.
    places: Places,
}

impl Lookup {
    fn id(map: &HashMap<String, i64>, row: &RowValues, key: &'static str, what: &str) -> Result<Option<i64>, ApiError> {
        match row.text(key) {
            None => Ok(None),
            Some(code) => map
                .get(&code)
                .copied()
                .map(Some)
                .ok_or_else(|| ApiError::field(key, format!("no {what} has the code {code}"))),
        }
    }
}

/// A row read, and, for an officials row whose code was not stored when the file was
/// opened, its check as a new official: made on a second thread while the first writes the
/// rows before it (the check reads nothing the writes change).
struct Checked<'a> {
    values: Result<RowValues<'a>, Vec<RowError>>,
    newcomer: Option<Result<Newcomer, ApiError>>,
}

fn check<'a>(row: &'a SheetRow, columns: &'a Columns, ahead: Option<(&Scope, &Lookup)>) -> Checked<'a> {
    let values = read_row(row, columns);
    let newcomer = match (&values, ahead) {
        (Ok(values), Some((scope, lookup))) => {
            let code = values.text("code").unwrap_or_default();
            (!lookup.officials.contains_key(&code)).then(|| newcomer(scope, values, lookup))
        }
        _ => None,
    };
    Checked { values, newcomer }
}

/// Runs every row of `sheet` (in a savepoint of the caller's transaction) and answers the
/// counts: `Err(Rows)` lists every error when a row failed, and nothing is kept; a dry run
/// keeps nothing either.
pub fn run(
    conn: &mut DbConn,
    audit: &mut Audit,
    scope: &Scope,
    plan: Plan,
    sheet: &Sheet,
    progress: &mut dyn FnMut(usize),
) -> Result<Counts, ApiError> {
    let columns = match_headers(plan.kind, sheet)?;
    // What the transaction recorded before stays out of the rows' savepoints.
    audit.flush(conn)?;
    // For an officials file: who holds each personal identification number its rows give,
    // by code (the stored officials, then the rows written), so that a number given twice is
    // an error at its row.
    let mut national_ids: HashMap<String, String> = HashMap::new();
    let mut lookup = Lookup {
        units: keys::unit_ids(conn)?,
        positions: keys::position_ids(conn)?,
        officials: HashMap::new(),
        places: Places::default(),
    };
    // An officials file's rows are checked on a second thread, ahead of the writes, against
    // the codes and places as they stood before the file (see `Checked`).
    let ahead = if plan.kind == ImportKind::Officials {
        let codes: Vec<String> = match columns.headers.get("code") {
            Some((index, _)) => sheet
                .rows
                .iter()
                .filter_map(|row| row.cells.get(*index).map(Raw::text))
                .collect(),
            None => Vec::new(),
        };
        lookup.officials = keys::official_ids(conn, &codes)?;
        let numbers: Vec<String> = match columns.headers.get("national_id") {
            Some((index, _)) => sheet
                .rows
                .iter()
                .filter_map(|row| row.cells.get(*index))
                .filter_map(|raw| NationalId::parse(&digits(raw, 12)).ok().map(NationalId::into_inner))
                .collect(),
            None => Vec::new(),
        };
        national_ids = keys::national_id_holders(conn, &numbers)?;
        Some(Lookup {
            units: lookup.units.clone(),
            positions: lookup.positions.clone(),
            officials: lookup.officials.clone(),
            places: Places::load(conn)?,
        })
    } else {
        None
    };
    let mut newcomers = Newcomers::default();
    let mut rows = |conn: &mut DbConn| -> Result<Counts, Stop> {
        let mut counts = Counts {
            rows: i64::try_from(sheet.rows.len()).unwrap_or(i64::MAX),
            ..Counts::default()
        };
        let mut errors = Vec::new();
        std::thread::scope(|threads| -> Result<(), Stop> {
            let checked: Box<dyn Iterator<Item = Checked<'_>>> = match &ahead {
                Some(ahead) => {
                    let (sender, receiver) = std::sync::mpsc::sync_channel(WRITE_EVERY);
                    let columns = &columns;
                    threads.spawn(move || {
                        for row in &sheet.rows {
                            // The writer stopped (an error): nothing more to check.
                            if sender.send(check(row, columns, Some((scope, ahead)))).is_err() {
                                break;
                            }
                        }
                    });
                    Box::new(receiver.into_iter())
                }
                None => Box::new(sheet.rows.iter().map(|row| check(row, &columns, None))),
            };
            for (done, checked) in checked.enumerate() {
                if done % 1000 == 0 {
                    progress(done);
                }
                let values = match checked.values {
                    Ok(values) => values,
                    Err(found) => {
                        errors.extend(found);
                        continue;
                    }
                };
                if let Some(ahead) = &ahead {
                    let code = values.text("code").unwrap_or_default();
                    if !lookup.officials.contains_key(&code) && !newcomers.holds(&code) {
                        // Checked ahead, unless the code was stored then (and is not now).
                        let newcomer = checked.newcomer.unwrap_or_else(|| newcomer(scope, &values, ahead));
                        match newcomer
                            .and_then(|row| hold_national_id(&mut national_ids, &row.official.input).map(|()| row))
                        {
                            Ok(row) => {
                                newcomers.add(row);
                                counts.created += 1;
                            }
                            Err(error) => errors.extend(values.errors_of(error)?),
                        }
                        if !plan.dry_run && newcomers.len() >= WRITE_EVERY {
                            newcomers.write(conn, audit, &mut lookup.officials)?;
                        }
                        continue;
                    }
                    // A stored official, or one an earlier row brings in: the rows before are
                    // written first, and this one goes through the API's writes.
                    newcomers.write(conn, audit, &mut lookup.officials)?;
                }
                // The row's audit entries are written in its savepoint, and undone with it.
                let outcome = conn.transaction::<Outcome, ApiError, _>(|conn| {
                    let outcome = apply(conn, audit, scope, plan, &values, &mut lookup)?;
                    audit.flush(conn)?;
                    Ok(outcome)
                });
                if let (Ok(_), Some(number)) = (&outcome, values.text("national_id")) {
                    if let (Some(code), Ok(number)) = (values.text("code"), NationalId::parse(&number)) {
                        national_ids.insert(number.into_inner(), code);
                    }
                }
                match outcome {
                    Ok(Outcome::Created) => counts.created += 1,
                    Ok(Outcome::Updated) => counts.updated += 1,
                    Ok(Outcome::Unchanged) => counts.unchanged += 1,
                    Err(error) => {
                        audit.discard();
                        // A failed row may have added a code to the lookup: read them again.
                        lookup.units = keys::unit_ids(conn)?;
                        lookup.positions = keys::position_ids(conn)?;
                        errors.extend(values.errors_of(error)?);
                    }
                }
            }
            Ok(())
        })?;
        if errors.is_empty() && !plan.dry_run {
            newcomers.write(conn, audit, &mut lookup.officials)?;
        }
        progress(sheet.rows.len());
        if errors.is_empty() {
            Ok(counts)
        } else {
            errors.sort_by_key(|e| e.row);
            Err(Stop::Failed(errors))
        }
    };
    // A dry run's rows are written in a savepoint rolled back at the end, and the import
    // still recorded; a real run's need none (a failed file rolls back the caller's
    // transaction whole), which spares SQLite a copy of each page they change.
    let result = if plan.dry_run {
        conn.transaction::<Counts, Stop, _>(|conn| Err(Stop::DryRun(rows(conn)?)))
    } else {
        rows(conn)
    };
    match result {
        Ok(counts) => Ok(counts),
        Err(Stop::DryRun(counts)) => Ok(counts),
        Err(Stop::Failed(errors)) => Err(ApiError::Rows(errors)),
        Err(Stop::Error(error)) => Err(error),
    }
}

/// Records that the new official `input` holds their personal identification number, or
/// refuses it when another official (stored, or brought in by an earlier row) holds it.
fn hold_national_id(holders: &mut HashMap<String, String>, input: &OfficialInput) -> Result<(), ApiError> {
    let Some(number) = &input.national_id else {
        return Ok(());
    };
    match holders.get(number) {
        Some(code) if *code != input.code => Err(ApiError::Duplicate {
            field: "national_id",
            detail: format!("the official {code} already has this national_id"),
        }),
        _ => {
            holders.insert(number.clone(), input.code.clone());
            Ok(())
        }
    }
}

/// Why the rows' savepoint is rolled back.
enum Stop {
    Failed(Vec<RowError>),
    DryRun(Counts),
    Error(ApiError),
}

impl From<diesel::result::Error> for Stop {
    fn from(error: diesel::result::Error) -> Self {
        Stop::Error(error.into())
    }
}

impl From<ApiError> for Stop {
    fn from(error: ApiError) -> Self {
        Stop::Error(error)
    }
}

fn apply(
    conn: &mut DbConn,
    audit: &mut Audit,
    scope: &Scope,
    plan: Plan,
    row: &RowValues,
    lookup: &mut Lookup,
) -> Result<Outcome, ApiError> {
    match plan.kind {
        ImportKind::Units => unit_row(conn, audit, scope, plan.mode, row, lookup),
        ImportKind::Positions => position_row(conn, audit, plan.mode, row, lookup),
        ImportKind::Officials => {
            let code = row.text("code").unwrap_or_default();
            let id =
                lookup.officials.get(&code).copied().ok_or_else(|| {
                    ApiError::internal(format!("the official {code} was to be written before this row"))
                })?;
            official_row(conn, audit, scope, plan.mode, row, lookup, id)
        }
        ImportKind::Qualifications => qualification_row(conn, audit, scope, plan.mode, row),
        ImportKind::Enrollments => enrollment_row(conn, audit, scope, plan.mode, row),
        ImportKind::PlanItems => plan_item_row(conn, audit, scope, plan.mode, row, lookup),
        ImportKind::PlanNeeds => plan_need_row(conn, audit, scope, plan.mode, row, lookup),
    }
}

/// A JSON body as bytes, for the API's parsers.
fn bytes(body: &impl serde::Serialize) -> Vec<u8> {
    serde_json::to_vec(body).unwrap_or_default()
}

/// The fields of `wanted` whose values differ from `stored`, for a PATCH; only columns the
/// file has are compared.
fn changes(row: &RowValues, stored: &[(&'static str, Json)], wanted: &Map<String, Json>) -> Map<String, Json> {
    let mut changed = Map::new();
    for (key, current) in stored {
        let column = column_of(key);
        if !row.has(column) {
            continue;
        }
        let new = wanted.get(*key).cloned().unwrap_or(Json::Null);
        if !same(&new, current) {
            changed.insert((*key).to_owned(), new);
        }
    }
    changed
}

/// The PATCH body a row asks of a stored record: the fields whose values differ (see
/// [`changes`]) parsed as the API parses `B`, or none when the row is what is stored.
fn patch_of<B: serde::de::DeserializeOwned + validator::Validate>(
    row: &RowValues,
    stored: &[(&'static str, Json)],
    wanted: &Map<String, Json>,
) -> Result<Option<B>, ApiError> {
    let patch = changes(row, stored, wanted);
    if patch.is_empty() {
        Ok(None)
    } else {
        parse_json(&bytes(&patch)).map(Some)
    }
}

/// Equal as values (a number read as 8.0 equals a stored 8).
fn same(a: &Json, b: &Json) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-9,
        _ => a == b,
    }
}

/// A key already stored, in `create` mode.
fn taken(field: &'static str, what: &str) -> ApiError {
    ApiError::Duplicate {
        field,
        detail: format!("{what} with this code is already stored (mode=upsert updates it)"),
    }
}

fn unit_row(
    conn: &mut DbConn,
    audit: &mut Audit,
    scope: &Scope,
    mode: ImportMode,
    row: &RowValues,
    lookup: &mut Lookup,
) -> Result<Outcome, ApiError> {
    let code = row.text("code").unwrap_or_default();
    let parent_id = Lookup::id(&lookup.units, row, "parent_code", "unit")?;
    let mut body = Map::new();
    for key in ["code", "name", "kind", "established_on", "dissolved_on"] {
        body.insert(key.to_owned(), row.get(key));
    }
    body.insert("parent_id".to_owned(), json!(parent_id));
    match lookup.units.get(&code).copied() {
        None => {
            let new: NewUnit = parse_into(&bytes(&body))?;
            let unit = create_unit_in(conn, audit, scope, new)?;
            lookup.units.insert(unit.code.clone(), unit.id);
            Ok(Outcome::Created)
        }
        Some(_) if mode == ImportMode::Create => Err(taken("code", "a unit")),
        Some(id) => {
            let unit = Unit::find(conn, id)?;
            let stored = [
                ("name", json!(unit.name)),
                ("kind", json!(unit.kind)),
                ("parent_id", json!(unit.parent_id)),
                ("established_on", json!(unit.established_on)),
                ("dissolved_on", json!(unit.dissolved_on)),
            ];
            let Some(patch) = patch_of::<UpdateUnit>(row, &stored, &body)? else {
                return Ok(Outcome::Unchanged);
            };
            change_unit(conn, audit, scope, id, IfMatch(None), patch)?;
            Ok(Outcome::Updated)
        }
    }
}

fn position_row(
    conn: &mut DbConn,
    audit: &mut Audit,
    mode: ImportMode,
    row: &RowValues,
    lookup: &mut Lookup,
) -> Result<Outcome, ApiError> {
    let code = row.text("code").unwrap_or_default();
    let mut body = Map::new();
    for key in [
        "code",
        "title",
        "category",
        "min_education",
        "min_political_theory",
        "min_state_management",
        "leadership",
    ] {
        body.insert(key.to_owned(), row.get(key));
    }
    // An empty cell is "no", as the template says.
    if body["leadership"].is_null() {
        body.insert("leadership".to_owned(), json!(false));
    }
    match lookup.positions.get(&code).copied() {
        None => {
            let new: NewPosition = parse_into(&bytes(&body))?;
            let position = Position::create(conn, &new)?;
            audit.created(AuditEntity::Position, position.id, &position)?;
            lookup.positions.insert(position.code.clone(), position.id);
            Ok(Outcome::Created)
        }
        Some(_) if mode == ImportMode::Create => Err(taken("code", "a position")),
        Some(id) => {
            let position = Position::find(conn, id)?;
            let stored = [
                ("title", json!(position.title)),
                ("category", json!(position.category)),
                ("min_education", json!(position.min_education)),
                ("min_political_theory", json!(position.min_political_theory)),
                ("min_state_management", json!(position.min_state_management)),
                ("leadership", json!(position.leadership)),
            ];
            let Some(patch) = patch_of::<UpdatePosition>(row, &stored, &body)? else {
                return Ok(Outcome::Unchanged);
            };
            change_position(conn, audit, &Scope::All, id, IfMatch(None), patch)?;
            Ok(Outcome::Updated)
        }
    }
}

/// The level columns of an officials file.
const LEVELS: [Dimension; 5] = [
    Dimension::Education,
    Dimension::PoliticalTheory,
    Dimension::StateManagement,
    Dimension::It,
    Dimension::ForeignLanguage,
];

/// The body of `POST /officials` a row states: the person and their current post.
fn official_body(row: &RowValues, lookup: &Lookup) -> Result<Map<String, Json>, ApiError> {
    let unit_id = Lookup::id(&lookup.units, row, "unit_code", "unit")?;
    let position_id = Lookup::id(&lookup.positions, row, "position_code", "position")?;
    let mut body = Map::new();
    for key in [
        "code",
        "full_name",
        "gender",
        "date_of_birth",
        "party_joined_on",
        "national_id",
        "ethnicity",
        "religion",
        "general_education",
        "category",
    ] {
        body.insert(key.to_owned(), row.get(key));
    }
    body.insert("unit_id".to_owned(), json!(unit_id));
    body.insert("position_id".to_owned(), json!(position_id));
    body.insert("started_on".to_owned(), row.get("started_on"));
    Ok(body)
}

/// A row bringing in an official the database does not hold, checked by the rules of
/// `POST /officials` and of recording each level it states (see [`super::bulk`]).
fn newcomer(scope: &Scope, row: &RowValues, lookup: &Lookup) -> Result<Newcomer, ApiError> {
    let body = official_body(row, lookup)?;
    let draft: OfficialDraft = parse_into(&bytes(&body))?;
    let unit = lookup.places.unit(body["unit_id"].as_i64().unwrap_or_default());
    let position = body["position_id"].as_i64().map(|id| lookup.places.position(id));
    let (official, started_on) = admit(scope, draft, unit, position)?;
    let records = stated_levels(row, |_| "none", 0, started_on)?;
    let rank = match row.get("rank") {
        Json::Null => None,
        rank => {
            let since = match row.get("rank_since") {
                Json::Null => json!(started_on),
                since => since,
            };
            let change: RankChange = parse_into(&bytes(&json!({"rank": rank, "since": since})))?;
            check_rank_day(official.input.date_of_birth, None, change.since)?;
            Some((change.rank, change.since))
        }
    };
    Ok(Newcomer {
        official,
        started_on,
        records,
        rank,
    })
}

/// A row naming a stored official (`id`, in `upsert` mode): the fields that differ changed,
/// a move made a transfer, the levels it states above the records recorded.
fn official_row(
    conn: &mut DbConn,
    audit: &mut Audit,
    scope: &Scope,
    mode: ImportMode,
    row: &RowValues,
    lookup: &Lookup,
    id: i64,
) -> Result<Outcome, ApiError> {
    if mode == ImportMode::Create {
        return Err(taken("code", "an official"));
    }
    let body = official_body(row, lookup)?;
    let (unit_id, position_id) = (body["unit_id"].as_i64(), body["position_id"].as_i64());
    let started_on = row.text("started_on");
    let current = locked_official(conn, scope, id)?;
    let mut changed = false;
    let mut stored = vec![
        ("full_name", json!(current.full_name)),
        ("gender", json!(current.gender)),
        ("date_of_birth", json!(current.date_of_birth)),
        ("party_joined_on", json!(current.party_joined_on)),
        ("national_id", json!(current.national_id)),
        ("ethnicity", json!(current.ethnicity)),
        ("religion", json!(current.religion)),
        ("general_education", json!(current.general_education)),
    ];
    if row.get("category") != Json::Null {
        stored.push(("category", json!(current.category)));
    }
    if let Some(patch) = patch_of::<UpdateOfficial>(row, &stored, &body)? {
        change_official(conn, audit, scope, id, IfMatch(None), patch)?;
        changed = true;
    }
    let moved = (row.has("unit_code") && unit_id != Some(current.unit_id))
        || (row.has("position_code") && position_id != current.position_id);
    if moved {
        let Some(effective_on) = started_on.clone() else {
            return Err(ApiError::field(
                "started_on",
                "is required to move an official: the day the new post begins",
            ));
        };
        let body = json!({"unit_id": unit_id, "position_id": position_id, "effective_on": effective_on});
        let move_to: Transfer = parse_into(&bytes(&body))?;
        transfer(conn, audit, scope, id, IfMatch(None), move_to)?;
        changed = true;
    } else if let Some(day) = &started_on {
        let since = keys::posts_since(conn, &[id])?.get(&id).map(ToString::to_string);
        if since.as_deref() != Some(day.as_str()) {
            return Err(ApiError::field(
                "started_on",
                format!(
                    "differs from the current post's first day ({}) while the post is the same: a first day is not changed by an import",
                    since.unwrap_or_default()
                ),
            ));
        }
    }
    let official = Official::find(conn, id)?;
    let awarded_on = started_on
        .as_deref()
        .and_then(|day| day.parse::<NaiveDate>().ok())
        .unwrap_or_else(crate::clock::today);
    if let Some(rank) = row.text("rank") {
        let latest = keys::ranks_since(conn, &[id])?.get(&id).copied();
        let since = row.text("rank_since");
        let held = latest.is_some_and(|(held, from)| {
            held.code() == rank && since.as_deref().is_none_or(|day| day == from.to_string())
        });
        if !held {
            let Some(since) = since else {
                return Err(ApiError::field(
                    "rank_since",
                    "is required to record a rank: the day it is held from",
                ));
            };
            let change: RankChange = parse_into(&bytes(&json!({"rank": rank, "since": since})))?;
            check_rank_day(official.date_of_birth, official.separated_on, change.since)?;
            let record = RankRecord::create(conn, id, change.rank, change.since)?;
            audit.created(AuditEntity::Rank, record.id, &record)?;
            changed = true;
        }
    }
    let records = stated_levels(row, |dimension| official.level(dimension), id, awarded_on)?;
    if !records.is_empty() {
        // Locked (and checked against the caller's reach) once, before the first record.
        locked_official(conn, scope, id)?;
        for new in &records {
            let record = Qualification::create(conn, new)?;
            audit.created(AuditEntity::Qualification, record.id, &record)?;
        }
        changed = true;
    }
    Ok(if changed { Outcome::Updated } else { Outcome::Unchanged })
}

/// The level records an officials row asks for the official `official_id`, whose records
/// give the levels `held`: one for each level it states above (source `import`, awarded on
/// `awarded_on`: the row's `started_on`, else today). A level below is an error, since a
/// level follows from the records.
fn stated_levels(
    row: &RowValues,
    held: impl Fn(Dimension) -> &'static str,
    official_id: i64,
    awarded_on: NaiveDate,
) -> Result<Vec<NewQualification>, ApiError> {
    let mut records = Vec::new();
    for dimension in LEVELS {
        let Some(level) = row.text(dimension.code()) else {
            continue;
        };
        let current = held(dimension);
        if current == level {
            continue;
        }
        let (Some(wanted), Some(held)) = (dimension.rank_of(&level), dimension.rank_of(current)) else {
            continue;
        };
        if wanted < held {
            return Err(ApiError::field(
                dimension.code(),
                format!("the records give {current}: a level follows from the qualification records and an import does not lower it"),
            ));
        }
        // The record `POST /officials/{id}/qualifications` would make of the level alone:
        // its day is the row's first day of the post (checked with it) or today.
        let input = QualificationInput {
            official_id,
            dimension,
            level,
            field: None,
            institution: None,
            awarded_on,
            certificate_no: None,
            enrollment_id: None,
        };
        records.push(NewQualification::new(input)?.imported());
    }
    Ok(records)
}

/// The stored official a row names by `official_code`.
fn official_named(conn: &mut DbConn, row: &RowValues) -> Result<i64, ApiError> {
    let code = row.text("official_code").unwrap_or_default();
    keys::official_id(conn, &code)?
        .ok_or_else(|| ApiError::field("official_code", format!("no official has the code {code}")))
}

fn qualification_row(
    conn: &mut DbConn,
    audit: &mut Audit,
    scope: &Scope,
    mode: ImportMode,
    row: &RowValues,
) -> Result<Outcome, ApiError> {
    let official_id = official_named(conn, row)?;
    let mut body = Map::new();
    for key in [
        "dimension",
        "level",
        "awarded_on",
        "field",
        "institution",
        "certificate_no",
    ] {
        body.insert(key.to_owned(), row.get(key));
    }
    let award: Award = parse_into(&bytes(&body))?;
    let input: QualificationInput = award.into_input(official_id);
    locked_official(conn, scope, official_id)?;
    match keys::qualification_id(conn, official_id, input.dimension, &input.level, input.awarded_on)? {
        None => {
            let new = NewQualification::new(input)?.imported();
            let record = Qualification::create(conn, &new)?;
            audit.created(AuditEntity::Qualification, record.id, &record)?;
            Ok(Outcome::Created)
        }
        Some(_) if mode == ImportMode::Create => Err(ApiError::Conflict(
            ConflictKind::Other,
            "the official already has this record (same level, same day); mode=upsert leaves it".to_owned(),
        )),
        Some(id) => {
            let stored = Qualification::find(conn, official_id, id)?;
            let same_details = stored.field == input.field
                && stored.institution == input.institution
                && stored.certificate_no == input.certificate_no;
            if same_details {
                Ok(Outcome::Unchanged)
            } else {
                Err(ApiError::Conflict(
                    ConflictKind::PartOfHistory,
                    "a qualification record is not changed in place: delete it and import it again".to_owned(),
                ))
            }
        }
    }
}

fn enrollment_row(
    conn: &mut DbConn,
    audit: &mut Audit,
    scope: &Scope,
    mode: ImportMode,
    row: &RowValues,
) -> Result<Outcome, ApiError> {
    let class_code = row.text("class_code").unwrap_or_default();
    let official_id = official_named(conn, row)?;
    let class_id = keys::class_id(conn, &class_code)?
        .ok_or_else(|| ApiError::field("class_code", format!("no class has the code {class_code}")))?;
    let (id, outcome) = match keys::enrollment_id(conn, class_id, official_id)? {
        None => {
            let terms = TrainingTerms {
                location: row.text("location").and_then(|code| TrainingLocation::parse(&code)),
                study_mode: row.text("study_mode").and_then(|code| StudyMode::parse(&code)),
                funding: row.text("funding").and_then(|code| Funding::parse(&code)),
                cost_vnd: row.get("cost_vnd").as_i64(),
            };
            let view = enroll(
                conn,
                scope,
                audit,
                class_id,
                Nominee {
                    official_id,
                    sending_unit_id: None,
                    terms,
                },
            )?;
            (view.enrollment.id, Outcome::Created)
        }
        Some(_) if mode == ImportMode::Create => {
            return Err(ApiError::Conflict(
                ConflictKind::AlreadyEnrolled,
                "the official is already enrolled in this class (mode=upsert updates the enrollment)".to_owned(),
            ))
        }
        Some(id) => (id, Outcome::Unchanged),
    };
    let current = Enrollment::find(conn, id)?;
    let wanted = match row.text("status") {
        Some(code) => EnrollmentStatus::parse(&code).unwrap_or(current.status),
        None => current.status,
    };
    let mut details = Map::new();
    for key in ["result", "score", "certificate_no", "completed_on"] {
        if row.has(key) {
            details.insert(key.to_owned(), row.get(key));
        }
    }
    let mut stored = vec![
        ("result", json!(current.result)),
        ("score", json!(current.score)),
        ("certificate_no", json!(current.certificate_no)),
        ("completed_on", json!(current.completed_on)),
    ];
    // Where, how and at whose cost: an empty cell keeps what is stored (the class's terms
    // for a new enrollment).
    for (key, value) in [
        ("location", json!(current.location)),
        ("study_mode", json!(current.study_mode)),
        ("funding", json!(current.funding)),
        ("cost_vnd", json!(current.cost_vnd)),
    ] {
        if !row.get(key).is_null() {
            details.insert(key.to_owned(), row.get(key));
            stored.push((key, value));
        }
    }
    let mut patch = changes(row, &stored, &details);
    let steps = path(current.status, wanted).ok_or_else(|| {
        ApiError::Conflict(
            ConflictKind::IllegalTransition,
            format!("an enrollment cannot go from {} to {wanted}", current.status),
        )
    })?;
    if steps.is_empty() && patch.is_empty() {
        return Ok(outcome);
    }
    // Every step but the last changes the status alone; the last carries the details.
    let count = steps.len();
    for (i, status) in steps.into_iter().enumerate() {
        let mut body = Map::new();
        body.insert("status".to_owned(), json!(status));
        if i + 1 == count {
            body.append(&mut patch);
        }
        let body: UpdateEnrollment = parse_json(&bytes(&body))?;
        change_enrollment(conn, audit, scope, id, IfMatch(None), body)?;
    }
    if !patch.is_empty() {
        let body: UpdateEnrollment = parse_json(&bytes(&patch))?;
        change_enrollment(conn, audit, scope, id, IfMatch(None), body)?;
    }
    Ok(match outcome {
        Outcome::Unchanged => Outcome::Updated,
        other => other,
    })
}

/// The plan a row of plan items or needs names by its unit and year, locked: started as a
/// draft when the unit has none for that year, as `POST /plans` would. In `create` mode every
/// row writes, so the plan must take changes by the caller (see [`editable_plan`]); in
/// `upsert` mode it need only be visible, and a row that writes checks it then: a plan's own
/// file, re-imported after its approval, is unchanged row by row rather than refused.
fn row_plan(
    conn: &mut DbConn,
    audit: &mut Audit,
    scope: &Scope,
    mode: ImportMode,
    row: &RowValues,
    lookup: &Lookup,
) -> Result<TrainingPlan, ApiError> {
    let unit_id = Lookup::id(&lookup.units, row, "unit_code", "unit")?;
    let input: PlanInput = parse_into(&bytes(&json!({"unit_id": unit_id, "year": row.get("year")})))?;
    let id = match keys::plan_id(conn, input.unit_id, input.year)? {
        Some(id) => id,
        None => start_plan(conn, audit, scope, input)?.id,
    };
    match mode {
        ImportMode::Create => editable_plan(conn, scope, id),
        ImportMode::Upsert => locked_plan(conn, scope, id),
    }
}

/// A filled cell of a column that a referenced record gives (the course's kind, the item's
/// level) must say what the record says; it is then left out of the body.
fn agrees(checks: &mut Checks, row: &RowValues, key: &'static str, given_by: &str, stored: &Json) {
    let cell = row.get(key);
    checks.check(
        !cell.is_null() && !same(&cell, stored),
        key,
        format!(
            "differs from {given_by}, which gives {}: leave it empty",
            stored.as_str().map_or_else(|| stored.to_string(), str::to_owned)
        ),
    );
}

/// A row of plan items: added to its unit's plan of the year, or, in `upsert` mode, the item
/// its `id` names changed (an item has no natural key: a plan may plan one course twice).
fn plan_item_row(
    conn: &mut DbConn,
    audit: &mut Audit,
    scope: &Scope,
    mode: ImportMode,
    row: &RowValues,
    lookup: &Lookup,
) -> Result<Outcome, ApiError> {
    let plan = row_plan(conn, audit, scope, mode, row, lookup)?;
    let mut body = Map::new();
    let mut stored_keys = vec!["course_id"];
    match row.text("course_code") {
        Some(code) => {
            let course_id = keys::course_id(conn, &code)?
                .ok_or_else(|| ApiError::field("course_code", format!("no course has the code {code}")))?;
            let course = Course::find(conn, course_id)?;
            let given_by = format!("the course {code}");
            let mut checks = Checks::default();
            agrees(&mut checks, row, "kind", &given_by, &json!(course.kind));
            agrees(
                &mut checks,
                row,
                "dimension",
                &given_by,
                &json!(course.confers_dimension),
            );
            agrees(&mut checks, row, "level", &given_by, &json!(course.confers_level));
            checks.finish()?;
            body.insert("course_id".to_owned(), json!(course_id));
        }
        None => {
            body.insert("course_id".to_owned(), Json::Null);
            for key in ["kind", "dimension", "level"] {
                body.insert(key.to_owned(), row.get(key));
                stored_keys.push(key);
            }
        }
    }
    for key in ["seats", "quarter", "purpose"] {
        body.insert(key.to_owned(), row.get(key));
    }
    // An empty cost is none, as the template says.
    body.insert("cost_vnd".to_owned(), json!(row.get("cost_vnd").as_i64().unwrap_or(0)));
    stored_keys.extend(["seats", "quarter", "cost_vnd", "purpose"]);
    let Some(id) = row.get("id").as_i64() else {
        let input: ItemInput = parse_into(&bytes(&body))?;
        let plan = editable_plan(conn, scope, plan.id)?;
        add_item(conn, audit, &plan, input)?;
        return Ok(Outcome::Created);
    };
    if mode == ImportMode::Create {
        return Err(ApiError::field(
            "id",
            "names a stored item: mode=upsert updates it; leave id empty to add an item",
        ));
    }
    let item = PlanItem::find_referenced(conn, id, "id")?;
    if item.plan_id != plan.id {
        return Err(ApiError::field(
            "id",
            format!(
                "is an item of another plan than {}'s of {}",
                row.text("unit_code").unwrap_or_default(),
                plan.year
            ),
        ));
    }
    let item = serde_json::to_value(&item).map_err(ApiError::internal)?;
    let stored: Vec<(&'static str, Json)> = stored_keys.into_iter().map(|key| (key, item[key].clone())).collect();
    let Some(patch) = patch_of::<UpdatePlanItem>(row, &stored, &body)? else {
        return Ok(Outcome::Unchanged);
    };
    change_plan_item(conn, audit, scope, id, IfMatch(None), patch)?;
    Ok(Outcome::Updated)
}

/// A row of training needs: registered in its unit's plan of the year, or, in `upsert` mode,
/// the official's need of that year for the same level (or item) given the row's reason and note.
fn plan_need_row(
    conn: &mut DbConn,
    audit: &mut Audit,
    scope: &Scope,
    mode: ImportMode,
    row: &RowValues,
    lookup: &Lookup,
) -> Result<Outcome, ApiError> {
    let plan = row_plan(conn, audit, scope, mode, row, lookup)?;
    let official_id = official_named(conn, row)?;
    let mut body = Map::new();
    body.insert("official_id".to_owned(), json!(official_id));
    let item_id = row.get("item_id").as_i64();
    let level = match item_id {
        Some(item_id) => {
            let item = PlanItem::find_referenced(conn, item_id, "item_id")?;
            let given_by = format!("the item {item_id}");
            let mut checks = Checks::default();
            agrees(&mut checks, row, "dimension", &given_by, &json!(item.dimension));
            agrees(&mut checks, row, "level", &given_by, &json!(item.level));
            checks.finish()?;
            body.insert("item_id".to_owned(), json!(item_id));
            item.dimension.zip(item.level)
        }
        None => {
            body.insert("dimension".to_owned(), row.get("dimension"));
            body.insert("level".to_owned(), row.get("level"));
            row.text("dimension")
                .and_then(|code| Dimension::parse(&code))
                .zip(row.text("level"))
        }
    };
    body.insert("reason".to_owned(), row.get("reason"));
    body.insert("note".to_owned(), row.get("note"));
    let input: NeedInput = parse_into(&bytes(&body))?;
    let level = level.as_ref().map(|(dimension, level)| (*dimension, level.as_str()));
    let Some(id) = keys::need_id(conn, official_id, plan.year, level, item_id)? else {
        let plan = editable_plan(conn, scope, plan.id)?;
        let need = register(conn, &plan, input)?;
        audit.created(AuditEntity::PlanNeed, need.id, &need)?;
        return Ok(Outcome::Created);
    };
    let need = PlanNeed::find(conn, id)?;
    let other_item = row.has("item_id") && need.item_id != item_id;
    if mode == ImportMode::Create || need.plan_id != plan.id || other_item {
        let detail = if need.plan_id != plan.id {
            format!(
                "the official already has this need in {} (plan {})",
                need.year, need.plan_id
            )
        } else if other_item {
            "the official already has this need, for another item: what a need is for changes by deleting it and registering another".to_owned()
        } else {
            "the official already has this need (mode=upsert updates its reason and note)".to_owned()
        };
        return Err(ApiError::Duplicate {
            field: "official_id",
            detail,
        });
    }
    let stored = [("reason", json!(need.reason)), ("note", json!(need.note))];
    let Some(patch) = patch_of::<UpdateNeed>(row, &stored, &body)? else {
        return Ok(Outcome::Unchanged);
    };
    change_need(conn, audit, scope, id, IfMatch(None), patch)?;
    Ok(Outcome::Updated)
}

/// The shortest chain of legal status changes from `from` to `to` (empty when equal).
fn path(from: EnrollmentStatus, to: EnrollmentStatus) -> Option<Vec<EnrollmentStatus>> {
    let mut queue = std::collections::VecDeque::from([(from, Vec::new())]);
    let mut seen = vec![from];
    while let Some((status, steps)) = queue.pop_front() {
        if status == to {
            return Some(steps);
        }
        for next in EnrollmentStatus::ALL.iter().copied() {
            if status.can_become(next) && !seen.contains(&next) {
                seen.push(next);
                let mut more = steps.clone();
                more.push(next);
                queue.push_back((next, more));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enrollment_statuses_are_reached_by_legal_steps() {
        use EnrollmentStatus::*;
        assert_eq!(path(Nominated, Nominated), Some(vec![]));
        assert_eq!(path(Nominated, Completed), Some(vec![Enrolled, Completed]));
        assert_eq!(path(Completed, Failed), Some(vec![Enrolled, Failed]));
        assert_eq!(path(Withdrawn, Enrolled), None);
    }

    #[test]
    fn days_are_read_as_written() {
        let d = NaiveDate::from_ymd_opt(1980, 5, 30);
        assert_eq!(day(&Raw::Text("30/05/1980".into())).ok(), d);
        assert_eq!(day(&Raw::Text("1980-05-30".into())).ok(), d);
        assert!(day(&Raw::Text("1980-13-01".into())).is_err());
        assert!(day(&Raw::Text("31/02/1980".into())).is_err());
    }

    #[test]
    fn choices_take_codes_and_labels() {
        let levels = Dimension::Education.levels();
        assert_eq!(choose("Đại học", &levels), Ok(json!("university")));
        assert_eq!(choose("dai hoc", &levels), Ok(json!("university")));
        assert_eq!(choose("university", &levels), Ok(json!("university")));
        assert!(choose("bachelor", &levels).is_err());
        let groups = crate::domain::Ethnicity::values();
        assert_eq!(choose("Kinh", &groups), Ok(json!("01")));
        assert_eq!(choose("01", &groups), Ok(json!("01")));
        // A spreadsheet that took the code for a number dropped its zero.
        assert_eq!(choose("1", &groups), Ok(json!("01")));
        assert_eq!(choose("san diu", &groups), Ok(json!("18")));
        assert!(choose("99", &groups).is_err());
        assert!(choose("0", &crate::domain::Religion::values()) == Ok(json!("00")));
    }
}
