//! Training activity over classes that start in a period: who was sent, to what, and
//! what the subtree organized.

use chrono::NaiveDate;
use diesel::sql_types::{BigInt, Date, Nullable, Text};
use serde::Serialize;
use utoipa::ToSchema;

use super::{counted_statuses, field, held_classes, subtree, Csv};
use crate::db::DbConn;
use crate::domain::{CourseKind, Dimension, Track};
use crate::error::ApiError;
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
    level: Option<String>,
    #[diesel(sql_type = BigInt)]
    officials: i64,
    #[diesel(sql_type = BigInt)]
    enrollments: i64,
}

/// The classes of one kind of course at one level organized, and their learners.
#[derive(diesel::QueryableByName)]
struct OrganizedByCourse {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Nullable<Text>)]
    level: Option<String>,
    #[diesel(sql_type = BigInt)]
    classes: i64,
    #[diesel(sql_type = BigInt)]
    learners: i64,
}

/// Enrollments that count, sent by units of the subtree `$1`, in classes starting in [`$2`, `$3`]
/// (each enrollment carries its class's first day: one range of the `enrollments_sent` index per unit).
/// `CROSS JOIN` keeps SQLite starting from the subtree's units (PostgreSQL plans it as the
/// inner join it is).
fn sent_from() -> String {
    let counted = counted_statuses();
    format!(
        "FROM (SELECT e.official_id AS official_id, cl.course_id AS course_id \
               FROM sub CROSS JOIN enrollments e JOIN classes cl ON cl.id = e.class_id \
               WHERE e.sending_unit_id = sub.id AND e.starts_on >= $2 AND e.starts_on <= $3 AND e.status IN {counted} \
                 AND cl.starts_on >= $2 AND cl.starts_on <= $3) e \
         JOIN courses co ON co.id = e.course_id"
    )
}

fn parse_kind(code: &str) -> Result<CourseKind, ApiError> {
    CourseKind::parse(code).ok_or_else(|| ApiError::internal(format!("unknown course kind {code:?} in the database")))
}

/// Orders rows by kind, then by conferred level, highest first, none last.
fn level_key(kind: CourseKind, level: &Option<String>) -> (usize, i32) {
    let kind_index = CourseKind::ALL.iter().position(|k| *k == kind).unwrap_or(usize::MAX);
    let order = level
        .as_deref()
        .and_then(|l| Dimension::ALL.iter().find_map(|d| d.order_of(l)))
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
        "WITH {subtree} SELECT co.kind AS kind, co.confers_level AS level, COUNT(DISTINCT e.official_id) AS officials, \
         COUNT(*) AS enrollments {} \
         GROUP BY co.kind, co.confers_level",
        sent_from()
    ))
    .load(conn)?;
    let mut by_course = courses
        .into_iter()
        .map(|r| {
            Ok(CourseRow {
                kind: parse_kind(&r.kind)?,
                level: r.level,
                officials: r.officials,
                enrollments: r.enrollments,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    by_course.sort_by_key(|r| level_key(r.kind, &r.level));

    let (counted, held) = (counted_statuses(), held_classes());
    let organized: Vec<OrganizedByCourse> = bind(format!(
        "WITH {subtree} \
         SELECT t.kind AS kind, t.level AS level, COUNT(*) AS classes, CAST(SUM(t.external + t.enrolled) AS BIGINT) AS learners FROM ( \
           SELECT co.kind AS kind, co.confers_level AS level, cl.external_learners AS external, \
             (SELECT COUNT(*) FROM enrollments e WHERE e.class_id = cl.id AND e.status IN {counted}) AS enrolled \
           FROM sub CROSS JOIN classes cl JOIN courses co ON co.id = cl.course_id \
           WHERE cl.organizer_unit_id = sub.id AND cl.starts_on >= $2 AND cl.starts_on <= $3 AND cl.status IN {held} \
         ) t GROUP BY t.kind, t.level"
    ))
    .load(conn)?;
    let mut organized = organized
        .into_iter()
        .map(|r| {
            Ok(OrganizedRow {
                kind: parse_kind(&r.kind)?,
                level: r.level,
                classes: r.classes,
                learners: r.learners,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    organized.sort_by_key(|r| level_key(r.kind, &r.level));

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

/// The report as CSV: one row per figure, with the section it belongs to.
pub fn to_csv(report: &TrainingReport) -> Csv {
    let mut csv = Csv::new(&[
        "unit_id",
        "unit_name",
        "from",
        "to",
        "section",
        "track",
        "kind",
        "level",
        "officials",
        "enrollments",
        "classes",
        "learners",
    ]);
    let head = || {
        vec![
            report.unit_id.to_string(),
            report.unit_name.clone(),
            report.from.to_string(),
            report.to.to_string(),
        ]
    };
    for (track, n) in [("training", report.sent.training), ("refresher", report.sent.refresher)] {
        let mut row = head();
        row.extend([
            "sent".into(),
            track.into(),
            String::new(),
            String::new(),
            n.to_string(),
            String::new(),
            String::new(),
            String::new(),
        ]);
        csv.row(row);
    }
    for r in &report.by_course {
        let mut row = head();
        row.extend([
            "by_course".into(),
            String::new(),
            r.kind.to_string(),
            field(r.level.as_deref()),
            r.officials.to_string(),
            r.enrollments.to_string(),
            String::new(),
            String::new(),
        ]);
        csv.row(row);
    }
    for r in &report.organized {
        let mut row = head();
        row.extend([
            "organized".into(),
            String::new(),
            r.kind.to_string(),
            field(r.level.as_deref()),
            String::new(),
            String::new(),
            r.classes.to_string(),
            r.learners.to_string(),
        ]);
        csv.row(row);
    }
    csv
}
