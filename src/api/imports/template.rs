//! `GET /imports/templates/{kind}`: the file an office fills in. As XLSX: one column per
//! field an import reads, headed by its Vietnamese label, a frozen header, day columns
//! formatted as days, drop-downs of the Vietnamese labels for enumerations, a sheet that
//! explains each column and a hidden sheet holding the drop-downs' lists. As CSV: the header.

use rust_xlsxwriter::{DataValidation, Format, Formula, Workbook, XlsxError};

use super::fields;
use crate::api::prelude::*;
use crate::domain::ImportKind;
use crate::exchange::{Field, Use, Value};
use crate::files::{attachment, FileFormat, Labels, Table};

/// Parameters of `GET /imports/templates/{kind}`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TemplateQuery {
    /// `xlsx` (default: with drop-downs and explanations) or `csv` (the header row alone).
    pub format: Option<FileFormat>,
}

/// How many rows of a template carry the drop-downs and day formats.
const TEMPLATE_ROWS: u32 = 5000;

/// The file to fill in for an import of `kind`.
#[utoipa::path(
    tag = "imports",
    params(("kind" = ImportKind, Path, description = "What the file will bring in."), TemplateQuery),
    responses(FileDownload, BadRequest, Unauthorized, NotFound, Unprocessable)
)]
#[get("/imports/templates/{kind}")]
pub async fn import_template(
    caller: Caller,
    db: web::Data<Db>,
    kind: web::Path<ImportKind>,
    ValidQuery(query): ValidQuery<TemplateQuery>,
) -> Result<HttpResponse, ApiError> {
    // The token is checked against the user like every call's, though nothing is read.
    db.run_as(&caller, |_, _| Ok(())).await?;
    let kind = kind.into_inner();
    let name = format!("template-{kind}");
    let imported: Vec<&Field> = fields(kind).iter().filter(|f| f.import != Use::Written).collect();
    match query.format.unwrap_or(FileFormat::Xlsx) {
        FileFormat::Csv => {
            let columns: Vec<_> = imported.iter().map(|f| f.column()).collect();
            Table::new(name, &columns).respond(crate::files::FileOptions {
                format: FileFormat::Csv,
                labels: Labels::Vi,
            })
        }
        FileFormat::Xlsx => {
            let bytes = web::block(move || workbook(kind, &imported))
                .await
                .map_err(ApiError::internal)?
                .map_err(ApiError::internal)?;
            Ok(attachment(&name, FileFormat::Xlsx, bytes))
        }
    }
}

/// What a column takes, in words.
fn kind_of(value: Value) -> &'static str {
    match value {
        Value::Text => "Văn bản",
        Value::Digits(_) => "Dãy chữ số (văn bản)",
        Value::Day => "Ngày (dd/mm/yyyy)",
        Value::Number => "Số",
        Value::Whole => "Số nguyên",
        Value::Amount => "Số tiền (đồng)",
        Value::Flag => "Có / Không",
        Value::Choice(_) | Value::Level(_) | Value::AnyLevel => "Chọn trong danh mục",
    }
}

/// The labels a column's drop-down offers.
fn choices(value: Value) -> Vec<&'static str> {
    match value {
        Value::Choice(values) => values().iter().map(|v| v.label).collect(),
        Value::Level(dimension) => dimension.levels().iter().map(|v| v.label).collect(),
        Value::AnyLevel => {
            let mut labels = Vec::new();
            for dimension in crate::domain::Dimension::ALL {
                for level in dimension.levels() {
                    if !labels.contains(&level.label) {
                        labels.push(level.label);
                    }
                }
            }
            labels
        }
        Value::Flag => vec!["Có", "Không"],
        Value::Text | Value::Digits(_) | Value::Day | Value::Number | Value::Whole | Value::Amount => Vec::new(),
    }
}

fn workbook(kind: ImportKind, fields: &[&Field]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(0x00DD_EBF7);
    let day = Format::new().set_num_format("dd/mm/yyyy");
    let text = Format::new().set_num_format("@");
    // The drop-downs' lists live on a hidden sheet after the others (an import reads the
    // first sheet: it must be the data).
    let lists: Vec<Vec<&str>> = fields.iter().map(|field| choices(field.value)).collect();
    let ranges: Vec<Option<String>> = lists
        .iter()
        .enumerate()
        .map(|(col, labels)| {
            (!labels.is_empty()).then(|| {
                let letters = crate::exchange::read::column_letters(col);
                format!("='Danh mục'!${letters}$2:${letters}${}", labels.len() + 1)
            })
        })
        .collect();

    let data = book.add_worksheet();
    data.set_name("Dữ liệu")?;
    for (col, field) in (0u16..).zip(fields.iter()) {
        data.write_string_with_format(0, col, field.label, &header)?;
        data.set_column_width(col, 22)?;
        match field.value {
            Value::Day => {
                data.set_column_format(col, &day)?;
            }
            Value::Text | Value::Digits(_) => {
                data.set_column_format(col, &text)?;
            }
            _ => {}
        }
        if let Some(Some(range)) = ranges.get(usize::from(col)) {
            let validation = DataValidation::new()
                .allow_list_formula(Formula::new(range))
                .set_error_title("Giá trị không có trong danh mục")?
                .set_error_message(format!("Chọn một giá trị của cột {} trong danh sách.", field.label))?;
            data.add_data_validation(1, col, TEMPLATE_ROWS, col, &validation)?;
        }
    }
    data.set_row_height(0, 32)?;
    data.set_freeze_panes(1, 0)?;
    data.set_active(true);

    let help = book.add_worksheet();
    help.set_name("Hướng dẫn")?;
    let title = format!(
        "Mẫu nhập {}: mỗi dòng một bản ghi; dòng đầu là tiêu đề cột.",
        kind.label().to_lowercase()
    );
    help.write_string_with_format(0, 0, title, &Format::new().set_bold())?;
    for (col, heading) in (0u16..).zip(["Cột", "Khóa", "Bắt buộc", "Kiểu", "Giá trị", "Giải thích"]) {
        help.write_string_with_format(2, col, heading, &header)?;
    }
    for (row, field) in (3u32..).zip(fields.iter()) {
        help.write_string(row, 0, field.label)?;
        help.write_string(row, 1, field.key)?;
        help.write_string(row, 2, if field.import == Use::Required { "Có" } else { "Không" })?;
        help.write_string(row, 3, kind_of(field.value))?;
        help.write_string(row, 4, choices(field.value).join("; "))?;
        help.write_string(row, 5, field.help)?;
    }
    for (col, width) in [(0u16, 30), (1, 22), (2, 10), (3, 20), (4, 60), (5, 70)] {
        help.set_column_width(col, width)?;
    }
    let sheet = book.add_worksheet();
    sheet.set_name("Danh mục")?;
    for (col, (field, labels)) in (0u16..).zip(fields.iter().zip(&lists)) {
        if labels.is_empty() {
            continue;
        }
        sheet.write_string_with_format(0, col, field.label, &header)?;
        for (row, label) in (1u32..).zip(labels.iter()) {
            sheet.write_string(row, col, *label)?;
        }
    }
    sheet.set_hidden(true);
    book.save_to_buffer()
}
