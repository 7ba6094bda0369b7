//! Reading a spreadsheet a client sends: the first sheet of an XLSX or ODS workbook
//! (calamine, which reads formulas' cached values and never evaluates them) or a CSV file
//! (the `csv` crate; UTF-8 with or without a byte-order mark, comma or semicolon), as a
//! header and numbered rows of raw cells. Hostile files are bounded before they are read:
//! the bytes by the caller, a workbook's unpacked size here, the rows on both.

use std::io::Cursor;

use calamine::{Data, Reader};
use chrono::NaiveDate;

use crate::error::ApiError;
use crate::files::{unneutralise, XLSX_TYPE};

/// The media type of an OpenDocument spreadsheet.
pub const ODS_TYPE: &str = "application/vnd.oasis.opendocument.spreadsheet";

/// The formats an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetFormat {
    /// CSV.
    Csv,
    /// An Excel workbook.
    Xlsx,
    /// An OpenDocument spreadsheet.
    Ods,
}

impl SheetFormat {
    /// The format a `Content-Type` names, if it is one an import reads.
    pub fn from_content_type(content_type: &str) -> Option<SheetFormat> {
        let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        match essence.as_str() {
            "text/csv" => Some(SheetFormat::Csv),
            XLSX_TYPE => Some(SheetFormat::Xlsx),
            ODS_TYPE => Some(SheetFormat::Ods),
            _ => None,
        }
    }

    /// The format a file's name suggests (for the command line).
    pub fn from_file_name(name: &str) -> Option<SheetFormat> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            Some(SheetFormat::Csv)
        } else if lower.ends_with(".xlsx") {
            Some(SheetFormat::Xlsx)
        } else if lower.ends_with(".ods") {
            Some(SheetFormat::Ods)
        } else {
            None
        }
    }
}

/// A cell as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    /// Nothing.
    Empty,
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
    /// A real date cell.
    Date(NaiveDate),
    /// A true/false cell.
    Bool(bool),
    /// A cell whose formula failed (`#N/A`…).
    Error(String),
}

impl Raw {
    /// Whether the cell holds nothing (or only spaces).
    pub fn is_empty(&self) -> bool {
        match self {
            Raw::Empty => true,
            Raw::Text(text) => text.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as the text a person sees.
    pub fn text(&self) -> String {
        match self {
            Raw::Empty => String::new(),
            Raw::Text(text) => text.trim().to_owned(),
            // Whole numbers are written without a fraction (a code typed as a number).
            Raw::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{n:.0}"),
            Raw::Number(n) => n.to_string(),
            Raw::Date(day) => day.to_string(),
            Raw::Bool(b) => b.to_string(),
            Raw::Error(e) => e.clone(),
        }
    }
}

/// One row of the sheet: its number as the spreadsheet shows it, and its cells.
#[derive(Debug, Clone)]
pub struct SheetRow {
    /// The row's number (1 is the first row of the sheet).
    pub number: u32,
    /// Its cells, from column A.
    pub cells: Vec<Raw>,
}

/// The first sheet: the header row (the first of two cells or more: title lines above it
/// are passed over) and the rows below it (empty rows left out).
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The header row's number.
    pub header_row: u32,
    /// The header, as written.
    pub headers: Vec<String>,
    /// The rows below it.
    pub rows: Vec<SheetRow>,
}

/// What a file may hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The most bytes a workbook may unpack to (its parts together).
    pub max_unpacked: u64,
    /// The most rows below the header.
    pub max_rows: usize,
}

/// Reads the first sheet of `bytes`.
pub fn read(bytes: &[u8], format: SheetFormat, limits: Limits) -> Result<Sheet, ApiError> {
    let rows = match format {
        SheetFormat::Csv => read_csv(bytes, limits)?,
        SheetFormat::Xlsx | SheetFormat::Ods => read_workbook(bytes, format, limits)?,
    };
    // Title lines above the header (one cell each, as the service's own files have them)
    // are passed over: the header is the first row of two cells or more.
    let mut rows = rows.into_iter().filter(|row| !row.cells.iter().all(Raw::is_empty));
    let header = rows
        .by_ref()
        .find(|row| row.cells.iter().filter(|c| !c.is_empty()).count() >= 2)
        .ok_or_else(|| {
            ApiError::field(
                "file",
                "has no header: its first row of two cells or more names the columns",
            )
        })?;
    let rows: Vec<SheetRow> = rows.collect();
    if rows.len() > limits.max_rows {
        return Err(ApiError::PayloadTooLarge(format!(
            "the file has more than {} rows: split it",
            limits.max_rows
        )));
    }
    Ok(Sheet {
        header_row: header.number,
        headers: header.cells.iter().map(Raw::text).collect(),
        rows,
    })
}

/// CSV: the byte-order mark dropped, the separator the header uses (`;` when it has more
/// semicolons than commas), a cell a spreadsheet export neutralised (`'=…`) read back as written.
fn read_csv(bytes: &[u8], limits: Limits) -> Result<Vec<SheetRow>, ApiError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes)
        .map_err(|e| ApiError::field("file", format!("is not UTF-8 text (byte {})", e.valid_up_to())))?;
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // Newlines counted so far, up to the byte `counted_to` (each record's start is counted once).
    let (mut lines, mut counted_to) = (0usize, 0usize);
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|e| ApiError::field("file", format!("is not valid CSV: {e}")))?;
        // The row a spreadsheet shows: the line the record's text starts on (the reader skips
        // empty lines, and a record's position is where the previous one's ended).
        let line = match record.position() {
            Some(position) => {
                let from = usize::try_from(position.byte())
                    .unwrap_or(0)
                    .clamp(counted_to, text.len());
                let start = from + text[from..].len() - text[from..].trim_start_matches(['\r', '\n']).len();
                lines += bytecount(&text.as_bytes()[counted_to..start]);
                counted_to = start;
                lines + 1
            }
            None => index + 1,
        };
        if rows.len() > limits.max_rows + 1 {
            return Err(ApiError::PayloadTooLarge(format!(
                "the file has more than {} rows: split it",
                limits.max_rows
            )));
        }
        let cells = record
            .iter()
            .map(|cell| {
                if cell.is_empty() {
                    Raw::Empty
                } else {
                    Raw::Text(unneutralise(cell).to_owned())
                }
            })
            .collect();
        rows.push(SheetRow {
            number: u32::try_from(line).unwrap_or(u32::MAX),
            cells,
        });
    }
    Ok(rows)
}

/// How many newlines `bytes` holds.
fn bytecount(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| **b == b'\n').count()
}

/// A workbook: its parts' unpacked sizes are added up from the zip's directory and refused
/// past the limit before anything is unpacked (a zip bomb), then calamine reads the first
/// sheet (the zip reader never unpacks more than a part declares).
fn read_workbook(bytes: &[u8], format: SheetFormat, limits: Limits) -> Result<Vec<SheetRow>, ApiError> {
    let not_a_workbook =
        |e: &dyn std::fmt::Display| ApiError::field("file", format!("is not a readable workbook: {e}"));
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| not_a_workbook(&e))?;
    let mut unpacked: u64 = 0;
    for i in 0..archive.len() {
        let part = archive.by_index_raw(i).map_err(|e| not_a_workbook(&e))?;
        unpacked = unpacked.saturating_add(part.size());
    }
    if unpacked > limits.max_unpacked {
        return Err(ApiError::PayloadTooLarge(format!(
            "the workbook unpacks to {unpacked} bytes, more than the {} allowed",
            limits.max_unpacked
        )));
    }
    let range = match format {
        SheetFormat::Ods => {
            let mut book: calamine::Ods<_> =
                calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| not_a_workbook(&e))?;
            book.worksheet_range_at(0).map(|r| r.map_err(calamine::Error::from))
        }
        _ => {
            let mut book: calamine::Xlsx<_> =
                calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| not_a_workbook(&e))?;
            book.worksheet_range_at(0).map(|r| r.map_err(calamine::Error::from))
        }
    };
    let range = range
        .ok_or_else(|| ApiError::field("file", "has no sheet"))?
        .map_err(|e| not_a_workbook(&e))?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::with_capacity(range.height());
    for (i, cells) in range.rows().enumerate() {
        let mut row: Vec<Raw> = (0..first_col).map(|_| Raw::Empty).collect();
        row.extend(cells.iter().map(raw));
        rows.push(SheetRow {
            number: first_row + u32::try_from(i).unwrap_or(u32::MAX) + 1,
            cells: row,
        });
    }
    Ok(rows)
}

fn raw(cell: &Data) -> Raw {
    match cell {
        Data::Empty => Raw::Empty,
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => Raw::Text(text.clone()),
        #[allow(clippy::cast_precision_loss)]
        Data::Int(n) => Raw::Number(*n as f64),
        Data::Float(n) => Raw::Number(*n),
        Data::Bool(b) => Raw::Bool(*b),
        Data::DateTime(at) => match at.as_datetime() {
            Some(at) => Raw::Date(at.date()),
            None => Raw::Error(format!("{at}")),
        },
        Data::Error(e) => Raw::Error(format!("{e}")),
    }
}

/// `A`, `B`, … `Z`, `AA`…: a column's letters.
pub fn column_letters(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        max_unpacked: 1 << 20,
        max_rows: 10,
    };

    #[test]
    fn csv_with_semicolons_and_a_bom() {
        let sheet = read(
            "\u{feff}code;name\r\n\r\nA;Phường A\r\nB;'=1+1\r\n".as_bytes(),
            SheetFormat::Csv,
            LIMITS,
        )
        .unwrap();
        assert_eq!(sheet.headers, ["code", "name"]);
        assert_eq!(sheet.rows.len(), 2);
        assert_eq!(sheet.rows[0].number, 3, "the empty row 2 keeps its number");
        assert_eq!(sheet.rows[1].cells[1], Raw::Text("=1+1".into()));
    }

    #[test]
    fn too_many_rows_are_refused() {
        let mut text = String::from("code\n");
        for i in 0..20 {
            text.push_str(&format!("U{i}\n"));
        }
        let error = read(text.as_bytes(), SheetFormat::Csv, LIMITS).unwrap_err();
        assert!(matches!(error, ApiError::PayloadTooLarge(_)), "{error:?}");
    }

    #[test]
    fn columns_are_lettered() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
    }
}
