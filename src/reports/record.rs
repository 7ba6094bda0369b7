//! The personnel record (sơ yếu lý lịch, "Mẫu 2C"): everything about one person in one
//! document, with names — identity, current post and rank, levels in each dimension, the work
//! history, the rank history and the training history — as JSON, as an XLSX sheet laid out
//! like the paper form, and as a print-ready A4 page in Vietnamese.

use askama::Template;
use chrono::NaiveDate;
use diesel::prelude::*;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{assignments, classes, courses, enrollments, positions, units};
use crate::db::DbConn;
use crate::domain::{CourseKind, Dimension, EnrollmentStatus};
use crate::error::ApiError;
use crate::files::Labelled;
use crate::model::official::{Assignment, Official};
use crate::model::qualification::Qualification;
use crate::model::rank::RankRecord;
use crate::model::unit::Unit;

/// A coded value with its Vietnamese label.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct Coded {
    /// The API's code.
    pub code: &'static str,
    /// The Vietnamese label.
    pub label: &'static str,
}

impl Coded {
    fn of<T: Labelled>(value: T) -> Coded {
        Coded {
            code: value.code(),
            label: value.label(),
        }
    }

    fn level(dimension: Dimension, code: &str) -> Option<Coded> {
        dimension
            .levels()
            .into_iter()
            .find(|level| level.code == code)
            .map(|level| Coded {
                code: level.code,
                label: level.label,
            })
    }
}

/// Who the person is.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Identity {
    /// Full name.
    pub full_name: String,
    /// Gender.
    pub gender: Coded,
    /// Date of birth.
    pub date_of_birth: Option<NaiveDate>,
    /// The 12-digit personal identification number; masked (`••••••••1234`) for a reader who
    /// may not see it in full (auditors).
    pub national_id: Option<String>,
    /// The ethnic group. Sensitive: left out for a reader who may not see it (auditors).
    pub ethnicity: Option<Coded>,
    /// The religion. Sensitive: left out for a reader who may not see it (auditors).
    pub religion: Option<Coded>,
    /// When they joined the Party. Sensitive: left out for a reader who may not see it (auditors).
    pub party_joined_on: Option<NaiveDate>,
}

/// Where the person is now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CurrentPost {
    /// Their unit.
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// Their post, if any.
    pub position_id: Option<i64>,
    /// Its title.
    pub position_title: Option<String>,
    /// Whether it is a leading or managing post.
    pub leadership: bool,
    /// Their category.
    pub category: Coded,
    /// Their civil-service rank.
    pub rank: Option<Coded>,
    /// Its number in the list of ranks (mã ngạch), e.g. `01.003`.
    pub rank_number: Option<&'static str>,
    /// Since when they hold it.
    pub rank_since: Option<NaiveDate>,
    /// Whether they still serve.
    pub status: Coded,
    /// When they stopped serving.
    pub separated_on: Option<NaiveDate>,
}

/// The level held in one dimension, with the record that gives it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LevelHeld {
    /// The dimension.
    pub dimension: Coded,
    /// The highest level held.
    pub level: Coded,
    /// The field of the qualification that gives it (chuyên ngành).
    pub field: Option<String>,
    /// Who awarded it.
    pub institution: Option<String>,
    /// When.
    pub awarded_on: Option<NaiveDate>,
}

/// One period of work.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkPeriod {
    /// First day.
    pub from: NaiveDate,
    /// Last day (the next period starts the day after); open when null.
    pub to: Option<NaiveDate>,
    /// The unit.
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// The post's title, if any.
    pub position_title: Option<String>,
    /// The category in that post.
    pub category: Coded,
    /// Why the period ended.
    pub end_reason: Option<Coded>,
}

/// One rank held.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RankPeriod {
    /// The rank.
    pub rank: Coded,
    /// Its number (mã ngạch).
    pub number: &'static str,
    /// From when.
    pub since: NaiveDate,
    /// Until when (the day before the next rank); open when null.
    pub until: Option<NaiveDate>,
}

/// One course attended.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrainingEntry {
    /// Who taught it: the class's provider, else the course's.
    pub provider: Option<String>,
    /// The course.
    pub course_title: String,
    /// What it teaches.
    pub kind: Coded,
    /// The class.
    pub class_name: String,
    /// The class's first day.
    pub from: NaiveDate,
    /// The class's last day.
    pub to: NaiveDate,
    /// Full-time or part-time.
    pub study_mode: Coded,
    /// Domestic or abroad.
    pub location: Coded,
    /// How it went.
    pub status: Coded,
    /// The grade.
    pub result: Option<Coded>,
    /// When they completed it.
    pub completed_on: Option<NaiveDate>,
    /// The diploma or certificate obtained: the level the course confers, once completed.
    pub conferred: Option<Coded>,
    /// Its number.
    pub certificate_no: Option<String>,
}

/// The personnel record of one official.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonnelRecord {
    /// The official's id.
    pub official_id: i64,
    /// Their staff number.
    pub code: String,
    /// Who they are.
    pub identity: Identity,
    /// Where they are now.
    pub post: CurrentPost,
    /// General education: the last grade completed over the system's grades (`12/12`).
    pub general_education: Option<String>,
    /// The highest level held in each dimension: education (the highest professional
    /// qualification), political theory, state management, foreign language, IT.
    pub levels: Vec<LevelHeld>,
    /// Where they worked, oldest first.
    pub work_history: Vec<WorkPeriod>,
    /// The ranks they held, oldest first.
    pub rank_history: Vec<RankPeriod>,
    /// The courses they attended (enrolled, completed or failed), oldest first.
    pub training_history: Vec<TrainingEntry>,
    /// Whether the sensitive fields are withheld from the reader (left out of the JSON's
    /// `identity`, "not shown" on the form).
    #[serde(skip)]
    pub withheld: bool,
}

/// The dimensions in the order of the form.
const DIMENSIONS: [Dimension; 5] = [
    Dimension::Education,
    Dimension::PoliticalTheory,
    Dimension::StateManagement,
    Dimension::ForeignLanguage,
    Dimension::It,
];

/// One enrollment with what the history shows of its class and course.
type Attended = (
    crate::model::enrollment::Enrollment,
    (String, NaiveDate, NaiveDate, Option<String>),
    (String, CourseKind, Option<String>, Option<Dimension>, Option<String>),
);

/// The record of `official`, read in one snapshot.
pub fn record(conn: &mut DbConn, official: Official) -> Result<PersonnelRecord, ApiError> {
    let unit = Unit::find(conn, official.unit_id)?;
    let position: Option<(String, bool)> = match official.position_id {
        Some(id) => positions::table
            .find(id)
            .select((positions::title, positions::leadership))
            .first(conn)
            .optional()?,
        None => None,
    };
    // Oldest first (as `history` gives them): each held until the day before the next.
    let ranks = RankRecord::history(conn, official.id)?;
    let rank_history: Vec<RankPeriod> = ranks
        .iter()
        .enumerate()
        .map(|(i, r)| RankPeriod {
            rank: Coded::of(r.rank),
            number: r.rank.number(),
            since: r.since,
            until: ranks.get(i + 1).and_then(|next| next.since.pred_opt()),
        })
        .collect();
    let current_rank = rank_history
        .last()
        .filter(|r| Some(r.rank.code) == official.rank.map(|rank| rank.code()));

    let qualifications = Qualification::list(conn, official.id, None)?;
    let levels = DIMENSIONS
        .iter()
        .filter_map(|&dimension| {
            let code = official.level(dimension);
            let level = Coded::level(dimension, code)?;
            // The record that gives the level (the latest, when several do).
            let held = qualifications
                .iter()
                .find(|q| q.dimension == dimension && q.level == code);
            Some(LevelHeld {
                dimension: Coded::of(dimension),
                level,
                field: held.and_then(|q| q.field.clone()),
                institution: held.and_then(|q| q.institution.clone()),
                awarded_on: held.map(|q| q.awarded_on),
            })
        })
        .collect();

    let periods: Vec<(Assignment, String, Option<String>)> = assignments::table
        .inner_join(units::table.on(units::id.eq(assignments::unit_id)))
        .left_join(positions::table.on(positions::id.nullable().eq(assignments::position_id)))
        .filter(assignments::official_id.eq(official.id))
        .order_by((assignments::started_on.asc(), assignments::id.asc()))
        .select((assignments::all_columns, units::name, positions::title.nullable()))
        .load(conn)?;
    let work_history = periods
        .into_iter()
        .map(|(a, unit_name, position_title)| WorkPeriod {
            from: a.started_on,
            to: a.ended_on.and_then(|d| d.pred_opt()),
            unit_id: a.unit_id,
            unit_name,
            position_title,
            category: Coded::of(a.category),
            end_reason: a.end_reason.map(Coded::of),
        })
        .collect();

    let learned: Vec<EnrollmentStatus> = EnrollmentStatus::ALL
        .iter()
        .copied()
        .filter(|status| status.counts_as_learner())
        .collect();
    let attended: Vec<Attended> = enrollments::table
        .inner_join(classes::table.inner_join(courses::table))
        .filter(enrollments::official_id.eq(official.id))
        .filter(enrollments::status.eq_any(learned))
        .order_by((classes::starts_on.asc(), enrollments::id.asc()))
        .select((
            enrollments::all_columns,
            (classes::name, classes::starts_on, classes::ends_on, classes::provider),
            (
                courses::title,
                courses::kind,
                courses::provider,
                courses::confers_dimension,
                courses::confers_level,
            ),
        ))
        .load(conn)?;
    let training_history = attended
        .into_iter()
        .map(
            |(e, (class_name, from, to, class_provider), (course_title, kind, course_provider, dimension, level))| {
                let completed = e.status == EnrollmentStatus::Completed;
                TrainingEntry {
                    provider: class_provider.or(course_provider),
                    course_title,
                    kind: Coded::of(kind),
                    class_name,
                    from,
                    to,
                    study_mode: Coded::of(e.study_mode),
                    location: Coded::of(e.location),
                    status: Coded::of(e.status),
                    result: e.result.map(Coded::of),
                    completed_on: e.completed_on,
                    conferred: dimension
                        .zip(level)
                        .filter(|_| completed)
                        .and_then(|(dimension, level)| Coded::level(dimension, &level)),
                    certificate_no: e.certificate_no,
                }
            },
        )
        .collect();

    Ok(PersonnelRecord {
        official_id: official.id,
        code: official.code.clone(),
        identity: Identity {
            full_name: official.full_name.clone(),
            gender: Coded::of(official.gender),
            date_of_birth: official.date_of_birth,
            national_id: official.national_id.clone(),
            ethnicity: official.ethnicity.map(Coded::of),
            religion: official.religion.map(Coded::of),
            party_joined_on: official.party_joined_on,
        },
        withheld: false,
        post: CurrentPost {
            unit_id: unit.id,
            unit_name: unit.name,
            position_id: official.position_id,
            leadership: position.as_ref().is_some_and(|(_, leading)| *leading),
            position_title: position.map(|(title, _)| title),
            category: Coded::of(official.category),
            rank: official.rank.map(Coded::of),
            rank_number: official.rank.map(|rank| rank.number()),
            rank_since: current_rank.map(|r| r.since),
            status: Coded::of(official.status),
            separated_on: official.separated_on,
        },
        general_education: official.general_education.clone(),
        levels,
        work_history,
        rank_history,
        training_history,
    })
}

/// A day as the form writes it (`30/05/1980`); empty when none.
fn day(day: Option<NaiveDate>) -> String {
    day.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default()
}

/// `from – to` as the form writes a period (`nay` for an open one).
fn span(from: NaiveDate, to: Option<NaiveDate>) -> String {
    match to {
        Some(to) => format!("{} – {}", day(Some(from)), day(Some(to))),
        None => format!("{} – nay", day(Some(from))),
    }
}

/// What the form shows of a record: each line and table as text, in the form's order.
struct FormText {
    /// The title's second line: the person's name.
    name: String,
    /// I. Identity and post, as (label, value).
    general: Vec<(&'static str, String)>,
    /// II. Levels, as (label, value).
    levels: Vec<(&'static str, String)>,
    /// III–V. The histories, each a heading, its columns and its rows.
    tables: Vec<FormTable>,
}

struct FormTable {
    heading: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<String>>,
}

/// What the form shows in place of a sensitive field withheld from its reader.
pub const WITHHELD: &str = "(không hiển thị: dữ liệu cá nhân nhạy cảm)";

/// The sections' headings, in the form's order.
pub const SECTIONS: [&str; 5] = [
    "I. THÔNG TIN CHUNG",
    "II. TRÌNH ĐỘ",
    "III. QUÁ TRÌNH CÔNG TÁC",
    "IV. QUÁ TRÌNH GIỮ NGẠCH CÔNG CHỨC",
    "V. ĐÀO TẠO, BỒI DƯỠNG",
];

impl FormText {
    fn of(record: &PersonnelRecord) -> FormText {
        let label = |coded: &Option<Coded>| coded.map(|c| c.label.to_owned()).unwrap_or_default();
        let sensitive = |text: String| {
            if record.withheld {
                WITHHELD.to_owned()
            } else {
                text
            }
        };
        let identity = &record.identity;
        let post = &record.post;
        let rank = match (&post.rank, post.rank_number) {
            (Some(rank), Some(number)) => match post.rank_since {
                Some(since) => format!("{} (mã ngạch {number}), từ {}", rank.label, day(Some(since))),
                None => format!("{} (mã ngạch {number})", rank.label),
            },
            _ => String::new(),
        };
        let general = vec![
            ("Họ và tên", identity.full_name.clone()),
            ("Số hiệu cán bộ", record.code.clone()),
            ("Giới tính", identity.gender.label.to_owned()),
            ("Ngày sinh", day(identity.date_of_birth)),
            ("Số định danh cá nhân", identity.national_id.clone().unwrap_or_default()),
            ("Dân tộc", sensitive(label(&identity.ethnicity))),
            ("Tôn giáo", sensitive(label(&identity.religion))),
            ("Ngày vào Đảng", sensitive(day(identity.party_joined_on))),
            ("Đơn vị công tác", post.unit_name.clone()),
            ("Chức vụ, chức danh", post.position_title.clone().unwrap_or_default()),
            ("Đối tượng", post.category.label.to_owned()),
            ("Ngạch công chức", rank),
            (
                "Tình trạng",
                match post.separated_on {
                    Some(on) => format!("{} từ {}", post.status.label, day(Some(on))),
                    None => post.status.label.to_owned(),
                },
            ),
        ];
        let schooling = (
            "Giáo dục phổ thông",
            record.general_education.clone().unwrap_or_default(),
        );
        let levels = std::iter::once(schooling)
            .chain(record.levels.iter().map(|held| {
                let heading = match Dimension::parse(held.dimension.code) {
                    Some(Dimension::Education) => "Trình độ chuyên môn cao nhất",
                    Some(Dimension::PoliticalTheory) => "Lý luận chính trị",
                    Some(Dimension::StateManagement) => "Quản lý nhà nước",
                    Some(Dimension::ForeignLanguage) => "Ngoại ngữ",
                    Some(Dimension::It) => "Tin học",
                    None => held.dimension.label,
                };
                let mut value = held.level.label.to_owned();
                if let Some(field) = &held.field {
                    value.push_str(&format!(", chuyên ngành {field}"));
                }
                if let Some(institution) = &held.institution {
                    value.push_str(&format!(" — {institution}"));
                }
                if let Some(on) = held.awarded_on {
                    value.push_str(&format!(" ({})", day(Some(on))));
                }
                (heading, value)
            }))
            .collect();
        let tables = vec![
            FormTable {
                heading: SECTIONS[2],
                columns: &["Từ ngày – đến ngày", "Chức vụ, chức danh", "Đơn vị", "Đối tượng"],
                rows: record
                    .work_history
                    .iter()
                    .map(|w| {
                        vec![
                            span(w.from, w.to),
                            w.position_title.clone().unwrap_or_default(),
                            w.unit_name.clone(),
                            w.category.label.to_owned(),
                        ]
                    })
                    .collect(),
            },
            FormTable {
                heading: SECTIONS[3],
                columns: &["Ngạch", "Mã ngạch", "Từ ngày – đến ngày"],
                rows: record
                    .rank_history
                    .iter()
                    .map(|r| vec![r.rank.label.to_owned(), r.number.to_owned(), span(r.since, r.until)])
                    .collect(),
            },
            FormTable {
                heading: SECTIONS[4],
                columns: &[
                    "Cơ sở đào tạo, bồi dưỡng",
                    "Khóa học",
                    "Từ ngày – đến ngày",
                    "Hình thức",
                    "Nơi học",
                    "Văn bằng, chứng chỉ",
                ],
                rows: record
                    .training_history
                    .iter()
                    .map(|t| {
                        let obtained = match (&t.conferred, &t.certificate_no) {
                            (Some(level), Some(no)) => format!("{} (số {no})", level.label),
                            (Some(level), None) => level.label.to_owned(),
                            (None, Some(no)) => format!("Chứng chỉ số {no}"),
                            (None, None) => t.status.label.to_owned(),
                        };
                        vec![
                            t.provider.clone().unwrap_or_default(),
                            t.course_title.clone(),
                            span(t.from, Some(t.to)),
                            t.study_mode.label.to_owned(),
                            t.location.label.to_owned(),
                            obtained,
                        ]
                    })
                    .collect(),
            },
        ];
        FormText {
            name: identity.full_name.clone(),
            general,
            levels,
            tables,
        }
    }
}

/// The page's template: `templates/record.html`, every value escaped.
#[derive(Template)]
#[template(path = "record.html")]
struct RecordPage<'a> {
    form: &'a FormText,
    sections: [&'static str; 5],
}

/// The record as a print-ready A4 page in Vietnamese.
pub fn to_html(record: &PersonnelRecord) -> Result<String, ApiError> {
    let form = FormText::of(record);
    RecordPage {
        form: &form,
        sections: SECTIONS,
    }
    .render()
    .map_err(ApiError::internal)
}

/// The record as an XLSX workbook of one sheet laid out like the paper form, printed on A4.
pub fn to_xlsx(record: &PersonnelRecord) -> Result<Vec<u8>, ApiError> {
    write_xlsx(&FormText::of(record)).map_err(ApiError::internal)
}

/// The sheet's column widths, in characters.
const WIDTHS: [f64; 6] = [24.0, 24.0, 30.0, 20.0, 14.0, 24.0];

/// The lines a row of wrapped cells takes in the sheet's columns.
fn lines_needed(cells: &[String]) -> u16 {
    cells
        .iter()
        .zip(WIDTHS)
        .map(|(text, width)| {
            // Widths are small whole numbers of characters.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let per_line = (width as usize).saturating_sub(2).max(1);
            u16::try_from(text.chars().count().div_ceil(per_line)).unwrap_or(u16::MAX)
        })
        .max()
        .unwrap_or(1)
        .max(1)
}

/// The columns the sheet spans (the widest table's).
const SHEET_COLUMNS: u16 = 6;

fn write_xlsx(form: &FormText) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Sơ yếu lý lịch")?;
    let title = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center);
    let subtitle = Format::new().set_italic().set_align(FormatAlign::Center);
    let heading = Format::new().set_bold();
    let label = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let value = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin);
    let cell = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    for (col, width) in (0u16..).zip(WIDTHS) {
        sheet.set_column_width(col, width)?;
    }
    let last = SHEET_COLUMNS - 1;
    sheet.merge_range(0, 0, 0, last, "SƠ YẾU LÝ LỊCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC", &title)?;
    sheet.merge_range(1, 0, 1, last, &form.name, &subtitle)?;
    let mut row: u32 = 3;
    let lines = |sheet: &mut Worksheet, row: &mut u32, section: &str, pairs: &[(&str, String)]| {
        sheet.write_string_with_format(*row, 0, section, &heading)?;
        *row += 1;
        for (name, text) in pairs {
            sheet.write_string_with_format(*row, 0, *name, &label)?;
            sheet.merge_range(*row, 1, *row, last, text, &value)?;
            *row += 1;
        }
        *row += 1;
        Ok::<(), XlsxError>(())
    };
    lines(sheet, &mut row, SECTIONS[0], &form.general)?;
    lines(sheet, &mut row, SECTIONS[1], &form.levels)?;
    for table in &form.tables {
        sheet.write_string_with_format(row, 0, table.heading, &heading)?;
        row += 1;
        for (col, name) in (0u16..).zip(table.columns.iter()) {
            sheet.write_string_with_format(row, col, *name, &header)?;
        }
        row += 1;
        for cells in &table.rows {
            for (col, text) in (0u16..).zip(cells) {
                sheet.write_string_with_format(row, col, text, &cell)?;
            }
            // Wrapped cells keep the height they are given: as many lines as the longest needs.
            sheet.set_row_height(row, 15.0 * f64::from(lines_needed(cells)))?;
            row += 1;
        }
        row += 1;
    }
    sheet.set_paper_size(9).set_print_fit_to_pages(1, 0);
    book.save_to_buffer()
}
