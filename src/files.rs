//! Files people open in spreadsheets. A download is a [`Table`] — title lines, columns,
//! rows of typed cells — written by a [`TableWriter`] as its rows come, as CSV by the `csv`
//! crate or as XLSX by `rust_xlsxwriter` (in memory for a report, to a [`Spooled`] temporary
//! file for a list of any length):
//! headers and enumeration values in Vietnamese unless codes are asked for, numbers as
//! numbers, days as days, shares as percentages, never as text a spreadsheet would misread.

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};

use actix_web::body::SizedStream;
use actix_web::http::header;
use actix_web::HttpResponse;
use chrono::{NaiveDate, NaiveDateTime};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::ApiError;

/// The media type of an XLSX workbook.
pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// The media type of CSV, as the service writes it.
pub const CSV_TYPE: &str = "text/csv; charset=utf-8";

/// The format of a file an operation offers for download.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    /// CSV: UTF-8 with a byte-order mark, comma-separated, rows ended by CRLF, one header row.
    #[default]
    Csv,
    /// An Excel workbook (XLSX): a title, a frozen header, typed cells.
    Xlsx,
}

impl FileFormat {
    /// The format an `Accept` header asks for, if it names one of ours.
    pub fn accepted(accept: &str) -> Option<FileFormat> {
        let types: Vec<&str> = accept
            .split(',')
            .map(|part| part.split(';').next().unwrap_or("").trim())
            .collect();
        if types.iter().any(|t| t.eq_ignore_ascii_case(XLSX_TYPE)) {
            Some(FileFormat::Xlsx)
        } else if types.iter().any(|t| t.eq_ignore_ascii_case("text/csv")) {
            Some(FileFormat::Csv)
        } else {
            None
        }
    }

    fn extension(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Xlsx => "xlsx",
        }
    }

    fn media_type(self) -> &'static str {
        match self {
            FileFormat::Csv => CSV_TYPE,
            FileFormat::Xlsx => XLSX_TYPE,
        }
    }
}

/// How headers and enumeration values are written in a file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Labels {
    /// Vietnamese labels (`Đại học`, `Lý luận chính trị`) and decimal commas, for people.
    #[default]
    Vi,
    /// The API's codes (`university`, `political_theory`), field keys and decimal points, for programs.
    Codes,
}

/// A download's file options, resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileOptions {
    /// The format.
    pub format: FileFormat,
    /// Labels or codes.
    pub labels: Labels,
}

/// One column: its field key and its Vietnamese header.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The key, as the API names the field.
    pub key: &'static str,
    /// The header a person reads.
    pub label: &'static str,
}

/// A column keyed `key`, headed `label`.
pub const fn column(key: &'static str, label: &'static str) -> Column {
    Column { key, label }
}

/// One cell, typed so that each format writes it as what it is.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text, written as text (never as a formula).
    Text(String),
    /// A whole number.
    Number(i64),
    /// An amount of đồng: a whole number, shown in XLSX with thousands grouped (`85,000,000`).
    Amount(i64),
    /// A number with a fraction (a score).
    Decimal(f64),
    /// A share, as a fraction (0.9 is 90 %): a percentage in CSV (`90,91` for Vietnamese
    /// readers, whose spreadsheets take the comma as the decimal mark and read `90.91` as text;
    /// `90.91` with codes, for programs), a percent-formatted number in XLSX.
    Percent(f64),
    /// A day.
    Date(NaiveDate),
    /// An instant (UTC).
    Instant(NaiveDateTime),
    /// A value of an enumeration: its code, or its Vietnamese label.
    Code {
        /// The API's code.
        code: &'static str,
        /// The Vietnamese label.
        label: &'static str,
    },
}

impl Cell {
    /// `part / whole` as a percentage; empty when there is no whole.
    pub fn share(part: i64, whole: i64) -> Cell {
        if whole == 0 {
            Cell::Empty
        } else {
            // Counts are far below 2^52: exact as f64.
            #[allow(clippy::cast_precision_loss)]
            Cell::Percent(part as f64 / whole as f64)
        }
    }

    /// A level of `dimension`, by code and label.
    pub fn level(dimension: crate::domain::Dimension, code: &str) -> Cell {
        match dimension.levels().into_iter().find(|level| level.code == code) {
            Some(level) => Cell::Code {
                code: level.code,
                label: level.label,
            },
            None => Cell::Text(code.to_owned()),
        }
    }

    /// The cell as CSV text.
    fn csv_text(&self, labels: Labels) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => neutralise(text),
            Cell::Number(n) | Cell::Amount(n) => n.to_string(),
            Cell::Decimal(x) => match labels {
                Labels::Vi => x.to_string().replace('.', ","),
                Labels::Codes => x.to_string(),
            },
            Cell::Percent(fraction) => {
                let percent = format!("{:.2}", fraction * 100.0);
                match labels {
                    Labels::Vi => percent.replace('.', ","),
                    Labels::Codes => percent,
                }
            }
            Cell::Date(day) => day.to_string(),
            Cell::Instant(at) => crate::clock::rfc3339(*at),
            Cell::Code { code, label } => match labels {
                Labels::Vi => (*label).to_owned(),
                Labels::Codes => (*code).to_owned(),
            },
        }
    }

    /// Its width in characters, for the XLSX column.
    fn width(&self, labels: Labels) -> usize {
        match self {
            Cell::Date(_) => 10,
            Cell::Instant(_) => 19,
            Cell::Percent(_) => 8,
            // Grouped: a separator per three digits.
            Cell::Amount(n) => {
                let digits = n.unsigned_abs().to_string().len();
                digits + (digits - 1) / 3
            }
            other => other.csv_text(labels).chars().count(),
        }
    }
}

/// Cells from values: `Option`s are empty when absent.
impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        Cell::Number(n)
    }
}

impl From<i32> for Cell {
    fn from(n: i32) -> Cell {
        Cell::Number(i64::from(n))
    }
}

impl From<f64> for Cell {
    fn from(x: f64) -> Cell {
        Cell::Decimal(x)
    }
}

/// Yes or no, as a value of an enumeration: `Có` / `Không` for people, `true` / `false` for programs.
impl From<bool> for Cell {
    fn from(yes: bool) -> Cell {
        if yes {
            Cell::Code {
                code: "true",
                label: "Có",
            }
        } else {
            Cell::Code {
                code: "false",
                label: "Không",
            }
        }
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::Text(text.to_owned())
    }
}

impl From<NaiveDate> for Cell {
    fn from(day: NaiveDate) -> Cell {
        Cell::Date(day)
    }
}

impl From<NaiveDateTime> for Cell {
    fn from(at: NaiveDateTime) -> Cell {
        Cell::Instant(at)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(value: Option<T>) -> Cell {
        value.map_or(Cell::Empty, Into::into)
    }
}

/// A value of an enumeration as a cell (`Cell::from(Gender::Female)`).
pub trait Labelled: Copy {
    /// The API's code.
    fn code(self) -> &'static str;
    /// The Vietnamese label.
    fn label(self) -> &'static str;
}

impl<T: Labelled> From<T> for Cell {
    fn from(value: T) -> Cell {
        Cell::Code {
            code: value.code(),
            label: value.label(),
        }
    }
}

/// A cell that a spreadsheet would run as a formula — one that begins with `=`, `+`, `-`,
/// `@`, a tab or a carriage return (OWASP's list for CSV injection) — gets a leading `'`,
/// so that it is shown as the text it is. An official named `=HYPERLINK(…)`, or a login
/// attempted with such a username, reaches the audit log and the reports; in an auditor's
/// spreadsheet it must stay text. (XLSX cells are typed: text is never a formula there.)
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// The text of a CSV cell as it was before [`neutralise`]: the `'` it added is taken off.
pub fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// A table to download: title lines (XLSX only), columns and rows.
#[derive(Debug)]
pub struct Table {
    name: String,
    title: Vec<String>,
    columns: Vec<Column>,
    rows: Vec<Vec<Cell>>,
    /// For a paper form's header (XLSX only): the group above each run of columns.
    groups: Vec<ColumnGroup>,
    /// Whether a row numbering the columns (1, 2, 3…) follows the header (XLSX only).
    numbered: bool,
}

/// A run of columns under one heading, as paper forms head them: `span` columns from
/// `first`, headed `label` above their own headers.
#[derive(Debug, Clone)]
pub struct ColumnGroup {
    /// The first column of the run.
    pub first: usize,
    /// How many columns it covers.
    pub span: usize,
    /// The heading above them.
    pub label: String,
}

/// The widest an XLSX column is made, in characters.
const MAX_WIDTH: usize = 50;
/// How much of a header a column is made wide enough for; longer headers wrap.
const MIN_HEADER_WIDTH: usize = 14;
/// The same in a paper form's header (grouped columns).
const FORM_HEADER_WIDTH: usize = 8;
/// How many rows are measured for the column widths.
const MEASURED_ROWS: usize = 1000;

impl Table {
    /// A table whose file is named `name` (a safe file name is made of it).
    pub fn new(name: impl Into<String>, columns: &[Column]) -> Table {
        Table {
            name: name.into(),
            title: Vec::new(),
            columns: columns.to_vec(),
            rows: Vec::new(),
            groups: Vec::new(),
            numbered: false,
        }
    }

    /// Heads runs of columns as a paper form does (XLSX): each group's label, merged above its
    /// columns' headers; a column in no group has its header merged down over both rows. CSV
    /// keeps one flat header.
    pub fn grouped(mut self, groups: Vec<ColumnGroup>) -> Table {
        self.groups = groups;
        self
    }

    /// Adds a row numbering the columns (1, 2, 3…) below the header, as paper forms do (XLSX).
    pub fn numbered(mut self) -> Table {
        self.numbered = true;
        self
    }

    /// Adds a title line, written above the header of an XLSX file.
    pub fn title(mut self, line: impl Into<String>) -> Table {
        self.title.push(line.into());
        self
    }

    /// Appends a row; short rows are padded with empty cells.
    pub fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(cells);
    }

    /// Leaves out the columns whose keys `keep` refuses, with their cells (a file that must
    /// not carry a field: a re-import of it leaves the field as stored).
    pub fn retain_columns(&mut self, keep: impl Fn(&str) -> bool) {
        let kept: Vec<bool> = self.columns.iter().map(|column| keep(column.key)).collect();
        if kept.iter().all(|k| *k) {
            return;
        }
        let mut at = kept.iter();
        self.columns.retain(|_| *at.next().unwrap_or(&true));
        for row in &mut self.rows {
            let mut at = kept.iter();
            row.retain(|_| *at.next().unwrap_or(&true));
        }
    }

    /// The header the file shows for each column.
    fn headers(&self, labels: Labels) -> Vec<&'static str> {
        self.columns
            .iter()
            .map(|c| match labels {
                Labels::Vi => c.label,
                Labels::Codes => c.key,
            })
            .collect()
    }

    /// Each column as wide as the widest of the rows kept (and at least a short header
    /// word), within bounds; the header row is as tall as its longest wrapped header.
    fn set_widths(&self, sheet: &mut Worksheet, header_row: u32, labels: Labels) -> Result<(), XlsxError> {
        let mut lines = 1;
        for (col, header) in (0u16..).zip(self.headers(labels)) {
            let index = usize::from(col);
            let widest = self
                .rows
                .iter()
                .take(MEASURED_ROWS)
                .filter_map(|row| row.get(index))
                .map(|cell| cell.width(labels))
                .max()
                .unwrap_or(0);
            let header_chars = header.chars().count();
            // A paper form's many narrow columns wrap their headers sooner.
            let header_room = if self.groups.is_empty() {
                MIN_HEADER_WIDTH
            } else {
                FORM_HEADER_WIDTH
            };
            let width = widest.max(header_chars.min(header_room)).clamp(6, MAX_WIDTH) + 2;
            lines = lines.max(header_chars.div_ceil(width - 2));
            sheet.set_column_width(col, u32::try_from(width).unwrap_or(30))?;
        }
        sheet.set_row_height(header_row, 15 * u32::try_from(lines).unwrap_or(1))?;
        Ok(())
    }

    /// A paper form's two header rows from `top`: each group's label merged over its columns,
    /// their headers below; a column in no group headed over both rows. (Written row by row:
    /// a sheet in constant memory takes no cell above the last row written.)
    fn write_grouped_header(
        &self,
        sheet: &mut Worksheet,
        top: u32,
        labels: Labels,
        format: &Format,
    ) -> Result<(), XlsxError> {
        let headers = self.headers(labels);
        let col = |index: usize| u16::try_from(index).unwrap_or(u16::MAX);
        let group_of = |index: usize| {
            self.groups
                .iter()
                .find(|g| (g.first..g.first + g.span).contains(&index))
        };
        for (index, header) in headers.iter().enumerate() {
            match group_of(index) {
                Some(group) if group.first == index => {
                    let last = col(group.first + group.span - 1);
                    if last == col(index) {
                        sheet.write_string_with_format(top, col(index), &group.label, format)?;
                    } else {
                        sheet.merge_range(top, col(index), top, last, &group.label, format)?;
                    }
                }
                Some(_) => {}
                None => {
                    sheet.merge_range(top, col(index), top + 1, col(index), header, format)?;
                }
            }
        }
        for (index, header) in headers.iter().enumerate() {
            if group_of(index).is_some() {
                sheet.write_string_with_format(top + 1, col(index), *header, format)?;
            }
        }
        Ok(())
    }

    /// The file in the format asked for, made in memory (a report, a template).
    pub fn render(self, file: FileOptions) -> Result<Rendered, ApiError> {
        let mut writer = TableWriter::new(&self, file, Vec::new())?;
        let name = self.name.clone();
        writer.append(self)?;
        Ok(Rendered {
            name,
            format: file.format,
            bytes: writer.finish()?,
        })
    }

    /// The response: the file, offered as a download named after the table.
    pub fn respond(self, file: FileOptions) -> Result<HttpResponse, ApiError> {
        Ok(self.render(file)?.respond())
    }
}

/// Writes a table's file as its rows come, so that a file of any length is made in constant
/// memory: CSV — a byte-order mark (so that Excel reads UTF-8), the header row, then the rows,
/// ended by CRLF, every formula-like cell neutralised — or an XLSX workbook of one sheet,
/// written by rust_xlsxwriter in constant memory: the title lines in bold above a frozen, bold
/// header row, typed cells (days as dates, shares as percentages), column widths fitted to
/// the header and the first rows (kept until then), printed on A4 landscape one page wide.
pub struct TableWriter<W: Write + Send> {
    /// The name, title and columns; for XLSX, the first rows until the sheet is begun.
    head: Table,
    labels: Labels,
    output: Output<W>,
}

enum Output<W: Write + Send> {
    Csv(Box<csv::Writer<W>>),
    Xlsx {
        workbook: Box<Workbook>,
        formats: Box<Formats>,
        out: W,
        /// The last row written, once the sheet is begun.
        row: Option<u32>,
    },
}

impl<W: Write + Send> TableWriter<W> {
    /// A file with the name, title and columns of `table` (not its rows), written to `out`.
    pub fn new(table: &Table, file: FileOptions, mut out: W) -> Result<Self, ApiError> {
        let head = Table {
            name: table.name.clone(),
            title: table.title.clone(),
            columns: table.columns.clone(),
            rows: Vec::new(),
            groups: table.groups.clone(),
            numbered: table.numbered,
        };
        let output = match file.format {
            FileFormat::Csv => {
                out.write_all("\u{feff}".as_bytes()).map_err(ApiError::internal)?;
                let mut writer = csv::WriterBuilder::new()
                    .terminator(csv::Terminator::CRLF)
                    .flexible(false)
                    .from_writer(out);
                writer
                    .write_record(head.headers(file.labels))
                    .map_err(ApiError::internal)?;
                Output::Csv(Box::new(writer))
            }
            FileFormat::Xlsx => {
                let mut workbook = Workbook::new();
                workbook
                    .add_worksheet_with_constant_memory()
                    .and_then(|sheet| sheet.set_name(sheet_name(&head.name)))
                    .map_err(ApiError::internal)?;
                Output::Xlsx {
                    workbook: Box::new(workbook),
                    formats: Box::new(Formats::new()),
                    out,
                    row: None,
                }
            }
        };
        Ok(TableWriter {
            head,
            labels: file.labels,
            output,
        })
    }

    /// Writes the rows of `table` (its columns are those of the file).
    pub fn append(&mut self, table: Table) -> Result<(), ApiError> {
        for cells in table.rows {
            self.row(cells)?;
        }
        Ok(())
    }

    /// Writes a row; short rows are padded with empty cells, long ones cut.
    pub fn row(&mut self, cells: Vec<Cell>) -> Result<(), ApiError> {
        let width = self.head.columns.len();
        match &mut self.output {
            Output::Csv(writer) => {
                let mut texts: Vec<String> = cells
                    .iter()
                    .take(width)
                    .map(|cell| cell.csv_text(self.labels))
                    .collect();
                texts.resize(width, String::new());
                writer.write_record(&texts).map_err(ApiError::internal)
            }
            Output::Xlsx { row: None, .. } => {
                self.head.rows.push(cells);
                if self.head.rows.len() >= MEASURED_ROWS {
                    self.begin_sheet().map_err(ApiError::internal)?;
                }
                Ok(())
            }
            Output::Xlsx {
                workbook,
                formats,
                row: Some(row),
                ..
            } => {
                *row += 1;
                let sheet = workbook.worksheet_from_index(0).map_err(ApiError::internal)?;
                for (col, cell) in (0u16..).zip(cells.iter().take(width)) {
                    write_cell(sheet, *row, col, cell, self.labels, formats).map_err(ApiError::internal)?;
                }
                Ok(())
            }
        }
    }

    /// Writes the title, the header and the rows kept, the columns as wide as those rows.
    fn begin_sheet(&mut self) -> Result<(), XlsxError> {
        let Output::Xlsx {
            workbook,
            formats,
            row: last,
            ..
        } = &mut self.output
        else {
            return Ok(());
        };
        let sheet = workbook.worksheet_from_index(0)?;
        let last_column = u16::try_from(self.head.columns.len().saturating_sub(1)).unwrap_or(u16::MAX);
        let mut row: u32 = 0;
        for (i, line) in self.head.title.iter().enumerate() {
            let format = if i == 0 { &formats.title } else { &formats.subtitle };
            if last_column > 0 {
                sheet.merge_range(row, 0, row, last_column, line, format)?;
            } else {
                sheet.write_string_with_format(row, 0, line, format)?;
            }
            row += 1;
        }
        if !self.head.title.is_empty() {
            row += 1;
        }
        let header_top = row;
        if self.head.groups.is_empty() {
            self.head.set_widths(sheet, row, self.labels)?;
            for (col, header) in (0u16..).zip(self.head.headers(self.labels)) {
                sheet.write_string_with_format(row, col, header, &formats.header)?;
            }
        } else {
            row += 1;
            self.head.set_widths(sheet, row, self.labels)?;
            self.head
                .write_grouped_header(sheet, header_top, self.labels, &formats.header)?;
        }
        if self.head.numbered {
            row += 1;
            for col in 0..u16::try_from(self.head.columns.len()).unwrap_or(u16::MAX) {
                sheet.write_number_with_format(row, col, f64::from(col) + 1.0, &formats.numbering)?;
            }
        }
        sheet.set_freeze_panes(row + 1, 0)?;
        // Printed: A4 landscape, as wide as one page, the header on every page.
        sheet
            .set_paper_size(9)
            .set_landscape()
            .set_print_fit_to_pages(1, 0)
            .set_repeat_rows(header_top, row)?;
        let width = self.head.columns.len();
        for cells in std::mem::take(&mut self.head.rows) {
            row += 1;
            for (col, cell) in (0u16..).zip(cells.iter().take(width)) {
                write_cell(sheet, row, col, cell, self.labels, formats)?;
            }
        }
        *last = Some(row);
        Ok(())
    }

    /// The file's format.
    fn format(&self) -> FileFormat {
        match self.output {
            Output::Csv(_) => FileFormat::Csv,
            Output::Xlsx { .. } => FileFormat::Xlsx,
        }
    }

    /// Ends the file and gives its output back.
    pub fn finish(mut self) -> Result<W, ApiError> {
        if let Output::Xlsx { row: None, .. } = self.output {
            self.begin_sheet().map_err(ApiError::internal)?;
        }
        match self.output {
            Output::Csv(writer) => writer.into_inner().map_err(|e| ApiError::internal(e.into_error())),
            Output::Xlsx {
                mut workbook, mut out, ..
            } => {
                workbook.save_to_writer(&mut out).map_err(ApiError::internal)?;
                Ok(out)
            }
        }
    }
}

/// A file made from a table, ready to send.
#[derive(Debug)]
pub struct Rendered {
    name: String,
    format: FileFormat,
    bytes: Vec<u8>,
}

impl Rendered {
    /// The response: the bytes as an attachment named `name`.`extension`.
    pub fn respond(self) -> HttpResponse {
        attachment(&self.name, self.format, self.bytes)
    }
}

/// A file written to disk ([`TableWriter`] on a temporary file, removed when dropped), sent
/// from there in chunks: a download of any length is never held in memory.
#[derive(Debug)]
pub struct Spooled {
    name: String,
    format: FileFormat,
    file: File,
}

/// What writes a [`Spooled`] file.
pub type SpoolWriter = TableWriter<BufWriter<File>>;

/// How much of a spooled file is read at a time.
const CHUNK: usize = 256 * 1024;

impl Spooled {
    /// A writer of `table`'s file (name, title, columns) into a new temporary file.
    pub fn writer(table: &Table, file: FileOptions) -> Result<SpoolWriter, ApiError> {
        let spool = tempfile::tempfile().map_err(ApiError::internal)?;
        TableWriter::new(table, file, BufWriter::new(spool))
    }

    /// The file `writer` wrote, ended.
    pub fn finish(writer: SpoolWriter) -> Result<Spooled, ApiError> {
        let (name, format) = (writer.head.name.clone(), writer.format());
        let mut file = writer
            .finish()?
            .into_inner()
            .map_err(|e| ApiError::internal(e.into_error()))?;
        file.seek(SeekFrom::Start(0)).map_err(ApiError::internal)?;
        Ok(Spooled { name, format, file })
    }

    /// The file's bytes, read back.
    #[cfg(test)]
    pub fn into_bytes(mut self) -> Vec<u8> {
        let mut bytes = Vec::new();
        self.file
            .read_to_end(&mut bytes)
            .expect("the spooled file is read back");
        bytes
    }

    /// The response: the file as an attachment named `name`.`extension`, its length given,
    /// read in chunks on the blocking pool as the client takes them.
    pub fn respond(self) -> Result<HttpResponse, ApiError> {
        let length = self.file.metadata().map_err(ApiError::internal)?.len();
        let chunks = futures_util::stream::unfold(Some(self.file), |file| async move {
            let mut file = file?;
            let read = actix_web::web::block(move || {
                let mut chunk = vec![0; CHUNK];
                let n = file.read(&mut chunk)?;
                chunk.truncate(n);
                Ok::<_, std::io::Error>((file, chunk))
            })
            .await
            .map_err(std::io::Error::other)
            .and_then(|read| read);
            match read {
                Ok((_, chunk)) if chunk.is_empty() => None,
                Ok((file, chunk)) => Some((Ok(actix_web::web::Bytes::from(chunk)), Some(file))),
                Err(error) => Some((Err(error), None)),
            }
        });
        Ok(attachment_headers(&self.name, self.format).body(SizedStream::new(length, chunks)))
    }
}

/// A file's bytes as a download named `name`.`extension`.
pub fn attachment(name: &str, format: FileFormat, body: Vec<u8>) -> HttpResponse {
    attachment_headers(name, format).body(body)
}

/// A `200 OK` that offers its body as a file named `name`.`extension` (made safe).
fn attachment_headers(name: &str, format: FileFormat) -> actix_web::HttpResponseBuilder {
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
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::CONTENT_TYPE, format.media_type()))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{safe}.{}\"", format.extension()),
        ));
    response
}

/// A worksheet's name from a file's, as Excel allows it: at most 31 UTF-16 code units (a
/// character beyond the Basic Multilingual Plane, which a unit's code may hold, counts two),
/// none of `[]:*?/\`, no apostrophe at either end (a unit's code may put one there), not the
/// reserved `History`.
fn sheet_name(name: &str) -> String {
    let mut units = 0;
    let cleaned: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take_while(|c| {
            units += c.len_utf16();
            units <= 31
        })
        .collect();
    let cleaned = cleaned.trim_matches(|c: char| c == '\'' || c.is_whitespace());
    if cleaned.is_empty() || cleaned.eq_ignore_ascii_case("history") {
        "Sheet1".to_owned()
    } else {
        cleaned.to_owned()
    }
}

/// The formats of a workbook's cells.
struct Formats {
    title: Format,
    subtitle: Format,
    header: Format,
    date: Format,
    instant: Format,
    percent: Format,
    amount: Format,
    numbering: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            subtitle: Format::new().set_italic(),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(0x00DD_EBF7))
                .set_border(FormatBorder::Thin),
            date: Format::new().set_num_format("dd/mm/yyyy"),
            instant: Format::new().set_num_format("dd/mm/yyyy hh:mm:ss"),
            percent: Format::new().set_num_format("0.00%"),
            amount: Format::new().set_num_format("#,##0"),
            numbering: Format::new()
                .set_italic()
                .set_align(FormatAlign::Center)
                .set_border(FormatBorder::Thin),
        }
    }
}

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    labels: Labels,
    formats: &Formats,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Empty => {}
        Cell::Text(text) => {
            sheet.write_string(row, col, text)?;
        }
        Cell::Number(n) => {
            // Counts and ids are far below 2^53: exact as f64.
            #[allow(clippy::cast_precision_loss)]
            sheet.write_number(row, col, *n as f64)?;
        }
        Cell::Amount(n) => {
            // Amounts are far below 2^53 đồng: exact as f64.
            #[allow(clippy::cast_precision_loss)]
            sheet.write_number_with_format(row, col, *n as f64, &formats.amount)?;
        }
        Cell::Decimal(x) => {
            sheet.write_number(row, col, *x)?;
        }
        Cell::Percent(fraction) => {
            sheet.write_number_with_format(row, col, *fraction, &formats.percent)?;
        }
        Cell::Date(day) => {
            sheet.write_datetime_with_format(row, col, day, &formats.date)?;
        }
        Cell::Instant(at) => {
            sheet.write_datetime_with_format(row, col, at, &formats.instant)?;
        }
        Cell::Code { .. } => {
            sheet.write_string(row, col, cell.csv_text(labels))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_restored() {
        for text in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            let written = neutralise(text);
            assert!(written.starts_with('\''), "{text:?}");
            assert_eq!(unneutralise(&written), text);
        }
        assert_eq!(neutralise("Nguyễn Văn An"), "Nguyễn Văn An");
        assert_eq!(unneutralise("'quoted"), "'quoted");
    }

    #[test]
    fn accept_names_a_format() {
        assert_eq!(FileFormat::accepted(XLSX_TYPE), Some(FileFormat::Xlsx));
        assert_eq!(FileFormat::accepted("text/csv;q=0.9, */*"), Some(FileFormat::Csv));
        assert_eq!(FileFormat::accepted("application/json"), None);
    }

    #[test]
    fn sheet_names_are_those_excel_accepts() {
        let code_ending_at_31 = format!("training-results-{}'x", "A".repeat(13));
        for name in [
            code_ending_at_31.as_str(),
            "'quoted'",
            "a[b]:c*d?e/f\\g",
            "History",
            "   ",
            "đơn vị — báo cáo năm 2018 của thành phố Phúc Yên",
            "training-results-𝟘𝟙𝟚𝟛𝟜𝟝𝟞𝟟-1984",
            "training-results-A𐀀𐀀𐀀𐀀𐀀𐀀𐀀",
        ] {
            let sheet = sheet_name(name);
            assert!(
                Workbook::new().add_worksheet().set_name(&sheet).is_ok(),
                "{name:?} gave {sheet:?}"
            );
        }
        assert_eq!(sheet_name("training-results-VP-PY"), "training-results-VP-PY");
    }

    #[test]
    fn shares_are_fractions_and_csv_writes_percentages() {
        assert_eq!(Cell::share(10, 11).csv_text(Labels::Vi), "90,91");
        assert_eq!(Cell::share(10, 11).csv_text(Labels::Codes), "90.91");
        assert_eq!(Cell::share(0, 0), Cell::Empty);
    }
}
