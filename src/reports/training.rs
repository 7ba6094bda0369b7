//! Training activity over classes that start in a period: who was sent, to what, and
//! what the subtree organized.

use chrono::NaiveDate;
use diesel::sql_types::{BigInt, Date, Nullable, Text};
use serde::Serialize;
use utoipa::ToSchema;

use super::{counted_statuses, held_classes, subtree, vietnamese_day};
use crate::db::DbConn;
use crate::domain::{CourseKind, Dimension, Track};
use crate::error::ApiError;
use crate::files::{column, Cell, Column, Labelled, Table};
use crate::model::unit::Unit;

/// Distinct officials sent, per track.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct SentByTrack {
    /// To training (diploma) courses.
    pub training: i64,
    /// To refresher courses.
    pub refresher: i64,
}

/// Officials sent to one kind of course at one conferred level.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CourseRow {
    /// The course kind.
    pub kind: CourseKind,
    /// The dimension the courses confer a level in; null for courses that confer none.
    pub dimension: Option<Dimension>,
    /// The level the courses confer; null for courses that confer none.
    #[schema(value_type = Option<crate::domain::Level>)]
    pub level: Option<String>,
    /// Distinct officials.
    pub officials: i64,
    /// Enrollments.
    pub enrollments: i64,
}

/// Classes organized, of one kind of course at one conferred level.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrganizedRow {
    /// The course kind.
    pub kind: CourseKind,
    /// The dimension the courses confer a level in; null for courses that confer none.
    pub dimension: Option<Dimension>,
    /// The level the courses confer; null for courses that confer none.
    #[schema(value_type = Option<crate::domain::Level>)]
    pub level: Option<String>,
    /// Classes (cancelled ones excluded).
    pub classes: i64,
    /// Their learners: enrolled, completed or failed enrollments plus external learners.
    pub learners: i64,
}

/// The training report of one unit's subtree over a period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrainingReport {
    /// The unit.
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// First day of the period (classes starting then or later).
    pub from: NaiveDate,
    /// Last day of the period.
    pub to: NaiveDate,
    /// Distinct officials sent by units of the subtree, per track.
    pub sent: SentByTrack,
    /// Officials sent, per course kind and conferred level.
    pub by_course: Vec<CourseRow>,
    /// Classes organized by units of the subtree, per course kind and conferred level.
    pub organized: Vec<OrganizedRow>,
}

#[derive(diesel::QueryableByName)]
struct TrackRow {
    #[diesel(sql_type = Text)]
    track: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Who was sent to one kind of course at one level, as the database counts them.
#[derive(diesel::QueryableByName)]
struct SentByCourse {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Nullable<Text>)]
    dimension: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    level: Option<String>,
    #[diesel(sql_type = BigInt)]
    officials: i64,
    #[diesel(sql_type = BigInt)]
    enrollments: i64,
}

/// The classes of one kind of course at one level organized, and their learners.
#[derive(diesel::QueryableByName)]
pub(crate) struct OrganizedByCourse {
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub dimension: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub level: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub classes: i64,
    #[diesel(sql_type = BigInt)]
    pub learners: i64,
}

/// Enrollments that count, sent by units of the subtree `$1`, in classes starting in [`$2`, `$3`]
/// (each enrollment carries its class's first day and course: one range of the
/// `enrollments_sent` index per unit, read from the index alone). `CROSS JOIN` keeps SQLite
/// starting from the subtree's units (PostgreSQL plans it as the inner join it is).
fn sent_from() -> String {
    let counted = counted_statuses();
    format!(
        "FROM (SELECT e.official_id AS official_id, e.course_id AS course_id \
               FROM sub CROSS JOIN enrollments e \
               WHERE e.sending_unit_id = sub.id AND e.starts_on >= $2 AND e.starts_on <= $3 AND e.status IN {counted}) e \
         JOIN courses co ON co.id = e.course_id"
    )
}

fn parse_kind(code: &str) -> Result<CourseKind, ApiError> {
    CourseKind::parse(code).ok_or_else(|| ApiError::internal(format!("unknown course kind {code:?} in the database")))
}

fn parse_dimension(code: Option<&str>) -> Result<Option<Dimension>, ApiError> {
    code.map(|code| {
        Dimension::parse(code).ok_or_else(|| ApiError::internal(format!("unknown dimension {code:?} in the database")))
    })
    .transpose()
}

/// Orders rows by kind, then by conferred level, highest first, none last.
fn level_key(kind: CourseKind, dimension: Option<Dimension>, level: &Option<String>) -> (usize, i32) {
    let kind_index = CourseKind::ALL.iter().position(|k| *k == kind).unwrap_or(usize::MAX);
    let order = dimension
        .zip(level.as_deref())
        .and_then(|(dimension, level)| dimension.order_of(level))
        .map_or(-1, |o| -i32::from(o));
    (kind_index, order)
}

/// The training report for the subtree of `unit` over classes starting in [`from`, `to`].
pub fn report(conn: &mut DbConn, unit: &Unit, from: NaiveDate, to: NaiveDate) -> Result<TrainingReport, ApiError> {
    use diesel::RunQueryDsl;
    let subtree = subtree();
    let bind = |sql: String| {
        diesel::sql_query(sql)
            .bind::<Text, _>(unit.path.clone())
            .bind::<Date, _>(from)
            .bind::<Date, _>(to)
    };

    let tracks: Vec<TrackRow> = bind(format!(
        "WITH {subtree} SELECT co.track AS track, COUNT(DISTINCT e.official_id) AS n {} GROUP BY co.track",
        sent_from()
    ))
    .load(conn)?;
    let mut sent = SentByTrack::default();
    for row in tracks {
        match Track::parse(&row.track) {
            Some(Track::Training) => sent.training = row.n,
            Some(Track::Refresher) => sent.refresher = row.n,
            None => {
                return Err(ApiError::internal(format!(
                    "unknown track {:?} in the database",
                    row.track
                )))
            }
        }
    }

    let courses: Vec<SentByCourse> = bind(format!(
        "WITH {subtree} SELECT co.kind AS kind, co.confers_dimension AS dimension, co.confers_level AS level, \
         COUNT(DISTINCT e.official_id) AS officials, COUNT(*) AS enrollments {} \
         GROUP BY co.kind, co.confers_dimension, co.confers_level",
        sent_from()
    ))
    .load(conn)?;
    let mut by_course = courses
        .into_iter()
        .map(|r| {
            Ok(CourseRow {
                kind: parse_kind(&r.kind)?,
                dimension: parse_dimension(r.dimension.as_deref())?,
                level: r.level,
                officials: r.officials,
                enrollments: r.enrollments,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    by_course.sort_by_key(|r| level_key(r.kind, r.dimension, &r.level));

    let organized = organized(conn, unit, from, to)?;

    Ok(TrainingReport {
        unit_id: unit.id,
        unit_name: unit.name.clone(),
        from,
        to,
        sent,
        by_course,
        organized,
    })
}

/// SQL: the classes organized by units of the subtree `$1` (the `sub` of [`subtree`]) that
/// start in [`$2`, `$3`] and are held, as `cl` with their course `co` (and what `joined`
/// joins), and `enrolled`, their learners enrolled, completed or failed (external learners
/// are `cl.external_learners`).
pub(crate) fn held_classes_from(joined: &str) -> String {
    let (counted, held) = (counted_statuses(), held_classes());
    format!(
        "(SELECT COUNT(*) FROM enrollments e WHERE e.class_id = cl.id AND e.status IN {counted}) AS enrolled \
         FROM sub CROSS JOIN classes cl JOIN courses co ON co.id = cl.course_id {joined} \
         WHERE cl.organizer_unit_id = sub.id AND cl.starts_on >= $2 AND cl.starts_on <= $3 AND cl.status IN {held}"
    )
}

/// The classes organized per course kind and conferred level, from counts of finer groups:
/// summed per kind and level, kinds in order, levels highest first.
pub(crate) fn organized_rows<'a>(
    groups: impl IntoIterator<Item = &'a OrganizedByCourse>,
) -> Result<Vec<OrganizedRow>, ApiError> {
    let mut organized: Vec<OrganizedRow> = Vec::new();
    for group in groups {
        let (kind, dimension) = (parse_kind(&group.kind)?, parse_dimension(group.dimension.as_deref())?);
        match organized
            .iter_mut()
            .find(|r| r.kind == kind && r.dimension == dimension && r.level == group.level)
        {
            Some(row) => {
                row.classes += group.classes;
                row.learners += group.learners;
            }
            None => organized.push(OrganizedRow {
                kind,
                dimension,
                level: group.level.clone(),
                classes: group.classes,
                learners: group.learners,
            }),
        }
    }
    organized.sort_by_key(|r| level_key(r.kind, r.dimension, &r.level));
    Ok(organized)
}

/// The classes organized by units of the subtree of `unit` that start in [`from`, `to`] and
/// are held, per course kind and conferred level, with their learners (enrolled, completed or
/// failed enrollments plus external learners); kinds in order, levels highest first.
pub fn organized(
    conn: &mut DbConn,
    unit: &Unit,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<OrganizedRow>, ApiError> {
    use diesel::RunQueryDsl;
    let groups: Vec<OrganizedByCourse> = diesel::sql_query(format!(
        "WITH {subtree} \
         SELECT t.kind AS kind, t.dimension AS dimension, t.level AS level, COUNT(*) AS classes, CAST(SUM(t.external + t.enrolled) AS BIGINT) AS learners FROM ( \
           SELECT co.kind AS kind, co.confers_dimension AS dimension, co.confers_level AS level, cl.external_learners AS external, {classes} \
         ) t GROUP BY t.kind, t.dimension, t.level",
        subtree = subtree(),
        classes = held_classes_from(""),
    ))
    .bind::<Text, _>(unit.path.clone())
    .bind::<Date, _>(from)
    .bind::<Date, _>(to)
    .load(conn)?;
    organized_rows(&groups)
}

/// The report as a table: one row per figure, with the section it belongs to (officials
/// sent per track, sent per course, classes organized).
pub fn to_table(report: &TrainingReport, name: String) -> Table {
    let mut table = Table::new(name, &COLUMNS)
        .title("Báo cáo đào tạo, bồi dưỡng cán bộ, công chức, viên chức")
        .title(format!(
            "Đơn vị: {} — các lớp khai giảng từ {} đến {}",
            report.unit_name,
            vietnamese_day(report.from),
            vietnamese_day(report.to)
        ));
    let head = |section: Section| -> Vec<Cell> {
        vec![
            report.unit_id.into(),
            report.unit_name.as_str().into(),
            report.from.into(),
            report.to.into(),
            section.into(),
        ]
    };
    for (track, n) in [
        (Track::Training, report.sent.training),
        (Track::Refresher, report.sent.refresher),
    ] {
        let mut row = head(Section::Sent);
        row.extend([track.into(), Cell::Empty, Cell::Empty, Cell::Empty, n.into()]);
        table.row(row);
    }
    for r in &report.by_course {
        let mut row = head(Section::ByCourse);
        row.extend([
            Cell::Empty,
            r.kind.into(),
            r.dimension.into(),
            level_cell(r.dimension, r.level.as_deref()),
            r.officials.into(),
            r.enrollments.into(),
        ]);
        table.row(row);
    }
    for r in &report.organized {
        let mut row = head(Section::Organized);
        row.extend([
            Cell::Empty,
            r.kind.into(),
            r.dimension.into(),
            level_cell(r.dimension, r.level.as_deref()),
            Cell::Empty,
            Cell::Empty,
            r.classes.into(),
            r.learners.into(),
        ]);
        table.row(row);
    }
    table
}

/// The conferred level, labelled in its dimension.
fn level_cell(dimension: Option<Dimension>, level: Option<&str>) -> Cell {
    match (dimension, level) {
        (Some(dimension), Some(level)) => Cell::level(dimension, level),
        (None, Some(level)) => level.into(),
        (_, None) => Cell::Empty,
    }
}

/// The sections of the training report's file.
#[derive(Debug, Clone, Copy)]
enum Section {
    Sent,
    ByCourse,
    Organized,
}

impl Labelled for Section {
    fn code(self) -> &'static str {
        match self {
            Section::Sent => "sent",
            Section::ByCourse => "by_course",
            Section::Organized => "organized",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Section::Sent => "Số người được cử đi học",
            Section::ByCourse => "Cử đi học theo loại khóa học",
            Section::Organized => "Lớp do đơn vị tổ chức",
        }
    }
}

/// The columns of the training report's file.
const COLUMNS: [Column; 13] = [
    column("unit_id", "Mã hệ thống đơn vị"),
    column("unit_name", "Đơn vị"),
    column("from", "Từ ngày"),
    column("to", "Đến ngày"),
    column("section", "Mục"),
    column("track", "Hình thức"),
    column("kind", "Loại khóa học"),
    column("dimension", "Lĩnh vực"),
    column("level", "Trình độ được cấp"),
    column("officials", "Số người"),
    column("enrollments", "Số lượt cử đi học"),
    column("classes", "Số lớp"),
    column("learners", "Số học viên"),
];
