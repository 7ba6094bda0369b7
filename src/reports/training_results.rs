//! The year's training results (kết quả đào tạo, bồi dưỡng), as the paper form reports them:
//! the officials sent by units of a subtree who completed training in a period, by content
//! and level — I. training (degrees by where, political theory by how), II. refresher
//! training — split by the level of the unit that sent them, with the leaders and the women
//! among them and what their training cost; and, per content, the classes the subtree
//! organized and their learners. Every figure is counted in the database.

use chrono::NaiveDate;
use diesel::sql_types::{BigInt, Date, Nullable, Text};
use serde::Serialize;
use utoipa::ToSchema;

use super::training::{organized, OrganizedRow};
use super::{codes_in, counted_statuses, held_classes, subtree, vietnamese_day};
use crate::db::DbConn;
use crate::domain::{
    CourseKind, Dimension, EnrollmentStatus, Gender, StudyMode, Tier, Track, TrainingLocation, UnitKind,
};
use crate::error::ApiError;
use crate::files::{column, Cell, Column, ColumnGroup, Table};
use crate::model::unit::{Subtree, Unit};

/// Which courses a row of the form counts.
#[derive(Debug, Clone, Copy)]
enum Content {
    /// Courses that confer this level of this dimension.
    Level(Dimension, &'static str),
    /// Courses of this kind, or that confer a level of this dimension.
    Kind(CourseKind, Option<Dimension>),
    /// What no other row counts.
    Other,
}

/// How a row splits its content: by where the training took place, or by how.
#[derive(Debug, Clone, Copy)]
enum Split {
    All,
    Location(TrainingLocation),
    Mode(StudyMode),
}

/// One row of the form.
struct FormRow {
    key: &'static str,
    label: &'static str,
    section: Track,
    content: Content,
    split: Split,
}

const fn row(key: &'static str, label: &'static str, section: Track, content: Content, split: Split) -> FormRow {
    FormRow {
        key,
        label,
        section,
        content,
        split,
    }
}

use Content::{Kind, Level};
use Split::{All, Location, Mode};
use Track::{Refresher as R, Training as T};

const DOMESTIC: Split = Location(TrainingLocation::Domestic);
const ABROAD: Split = Location(TrainingLocation::Abroad);
const FULL_TIME: Split = Mode(StudyMode::FullTime);
const PART_TIME: Split = Mode(StudyMode::PartTime);
const EDUCATION: Dimension = Dimension::Education;
const THEORY: Dimension = Dimension::PoliticalTheory;
const MANAGEMENT: Dimension = Dimension::StateManagement;

/// The form's rows, in its order.
#[rustfmt::skip]
const ROWS: [FormRow; 24] = [
    row("education_university_domestic", "Đại học — trong nước", T, Level(EDUCATION, "university"), DOMESTIC),
    row("education_university_abroad", "Đại học — nước ngoài", T, Level(EDUCATION, "university"), ABROAD),
    row("education_master_domestic", "Thạc sĩ — trong nước", T, Level(EDUCATION, "master"), DOMESTIC),
    row("education_master_abroad", "Thạc sĩ — nước ngoài", T, Level(EDUCATION, "master"), ABROAD),
    row("education_doctorate_domestic", "Tiến sĩ — trong nước", T, Level(EDUCATION, "doctorate"), DOMESTIC),
    row("education_doctorate_abroad", "Tiến sĩ — nước ngoài", T, Level(EDUCATION, "doctorate"), ABROAD),
    row("political_theory_intermediate_full_time", "Trung cấp lý luận chính trị — tập trung", T, Level(THEORY, "intermediate"), FULL_TIME),
    row("political_theory_intermediate_part_time", "Trung cấp lý luận chính trị — không tập trung", T, Level(THEORY, "intermediate"), PART_TIME),
    row("political_theory_advanced_full_time", "Cao cấp lý luận chính trị — tập trung", T, Level(THEORY, "advanced"), FULL_TIME),
    row("political_theory_advanced_part_time", "Cao cấp lý luận chính trị — không tập trung", T, Level(THEORY, "advanced"), PART_TIME),
    row("political_theory_bachelor_full_time", "Cử nhân lý luận chính trị — tập trung", T, Level(THEORY, "bachelor"), FULL_TIME),
    row("political_theory_bachelor_part_time", "Cử nhân lý luận chính trị — không tập trung", T, Level(THEORY, "bachelor"), PART_TIME),
    row("state_management_senior_specialist", "Quản lý nhà nước — chương trình chuyên viên cao cấp", R, Level(MANAGEMENT, "senior_specialist"), All),
    row("state_management_principal_specialist", "Quản lý nhà nước — chương trình chuyên viên chính", R, Level(MANAGEMENT, "principal_specialist"), All),
    row("state_management_specialist", "Quản lý nhà nước — chương trình chuyên viên", R, Level(MANAGEMENT, "specialist"), All),
    row("state_management_clerk", "Quản lý nhà nước — chương trình cán sự", R, Level(MANAGEMENT, "clerk"), All),
    row("defense_security", "Kiến thức quốc phòng — an ninh", R, Kind(CourseKind::DefenseSecurity, None), All),
    row("party", "Bồi dưỡng về Đảng (đối tượng Đảng, đảng viên mới)", R, Kind(CourseKind::Party, None), All),
    row("leadership", "Bồi dưỡng lãnh đạo, quản lý", R, Kind(CourseKind::Leadership, None), All),
    row("refresher", "Bồi dưỡng theo vị trí việc làm, chuyên môn, nghiệp vụ", R, Kind(CourseKind::Refresher, None), All),
    row("it", "Tin học", R, Kind(CourseKind::It, Some(Dimension::It)), All),
    row("foreign_language_domestic", "Ngoại ngữ — trong nước", R, Kind(CourseKind::ForeignLanguage, Some(Dimension::ForeignLanguage)), DOMESTIC),
    row("foreign_language_abroad", "Ngoại ngữ — nước ngoài", R, Kind(CourseKind::ForeignLanguage, Some(Dimension::ForeignLanguage)), ABROAD),
    row("other", "Khác", R, Content::Other, All),
];

/// SQL: the key of the row that counts a course `co` taken on the terms of `terms` (the alias
/// of a class, or of any row with a `location` and a `study_mode`). A conferred level decides
/// first, then a conferred dimension, then the course's kind; what none takes is `other`.
/// The codes are the enums' own literals.
fn row_key(terms: &str) -> String {
    let priority = |content: Content| match content {
        Level(..) => 0,
        Kind(_, Some(_)) => 1,
        Kind(_, None) => 2,
        Content::Other => 3,
    };
    let mut rows: Vec<&FormRow> = ROWS.iter().filter(|r| priority(r.content) < 3).collect();
    rows.sort_by_key(|r| priority(r.content));
    let mut sql = String::from("CASE");
    for r in rows {
        let content = match r.content {
            Level(dimension, level) => format!("co.confers_dimension = '{dimension}' AND co.confers_level = '{level}'"),
            Kind(kind, Some(dimension)) => format!("(co.kind = '{kind}' OR co.confers_dimension = '{dimension}')"),
            Kind(kind, None) => format!("co.kind = '{kind}'"),
            Content::Other => continue,
        };
        let split = match r.split {
            All => String::new(),
            Location(location) => format!(" AND {terms}.location = '{location}'"),
            Mode(mode) => format!(" AND {terms}.study_mode = '{mode}'"),
        };
        sql.push_str(&format!(" WHEN {content}{split} THEN '{}'", r.key));
    }
    sql.push_str(" ELSE 'other' END");
    sql
}

/// The figures of one row.
#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema)]
pub struct ResultValues {
    /// Officials who completed training of this content in the period.
    pub total: i64,
    /// Of them, sent by a unit of the province level (the province, its agencies, the country).
    pub province: i64,
    /// Sent by a unit of the district level (a city, town or district, or its agencies).
    pub district: i64,
    /// Sent by a unit of the commune level (a ward, commune or township).
    pub commune: i64,
    /// Of them, holding a leading or managing post on the day they completed it.
    pub leaders: i64,
    /// Of them, women.
    pub women: i64,
    /// What their training cost, in đồng (the sum of their enrollments' `cost_vnd`).
    pub cost_vnd: i64,
    /// Classes of this content organized by units of the subtree, held and starting in the period.
    pub classes: i64,
    /// Their learners: enrolled, completed or failed enrollments plus external learners.
    pub learners: i64,
}

/// One row of the form.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResultRow {
    /// The row's key, e.g. `education_master_abroad`, `political_theory_advanced_part_time`,
    /// `state_management_specialist`, `defense_security`, `it`, `other`.
    pub key: &'static str,
    /// The row as the paper form heads it.
    pub label: &'static str,
    /// `training` (I. Đào tạo) or `refresher` (II. Bồi dưỡng).
    pub section: Track,
    /// Its figures.
    pub values: ResultValues,
}

/// The training results of one unit's subtree over a period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrainingResultsReport {
    /// The unit.
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period.
    pub to: NaiveDate,
    /// Every row of the form, in its order, zeros included.
    pub rows: Vec<ResultRow>,
    /// Classes organized by units of the subtree, held and starting in the period, per course
    /// kind and conferred level (as the training report counts them).
    pub organized: Vec<OrganizedRow>,
}

/// The completions of one row sent by units of one level (`tier` null: of every level).
#[derive(diesel::QueryableByName)]
struct Completed {
    #[diesel(sql_type = Text)]
    row_key: String,
    #[diesel(sql_type = Nullable<Text>)]
    tier: Option<String>,
    #[diesel(sql_type = BigInt)]
    people: i64,
    #[diesel(sql_type = BigInt)]
    women: i64,
    #[diesel(sql_type = BigInt)]
    leaders: i64,
    #[diesel(sql_type = BigInt)]
    cost_vnd: i64,
}

/// The classes of one row organized, and their learners.
#[derive(diesel::QueryableByName)]
struct Organized {
    #[diesel(sql_type = Text)]
    row_key: String,
    #[diesel(sql_type = BigInt)]
    classes: i64,
    #[diesel(sql_type = BigInt)]
    learners: i64,
}

/// SQL: the kinds of unit of `tier`.
fn kinds_of(tier: Tier) -> String {
    codes_in(UnitKind::ALL.iter().filter(|kind| kind.tier() == Some(tier)))
}

/// SQL: 1 when the official `e.official_id` held a leading post on `e.completed_on`
/// — by the assignment covering that day, or by their current post when none does (records
/// are often entered years later) — else 0. The covering assignment is most often one of the
/// subtree's (`c`, joined by `cov`, with its post's `leadership` as `c.leading`); only when
/// it is not is it looked for across the country, one probe of the assignments' index, and
/// the current post only when that finds nothing. (An official's assignments never overlap:
/// at most one covers a day.)
const LEADER_ON_COMPLETION: &str = "CASE WHEN c.official_id IS NOT NULL THEN c.leading ELSE COALESCE( \
       (SELECT CASE WHEN p.leadership = TRUE THEN 1 ELSE 0 END \
        FROM assignments a LEFT JOIN positions p ON p.id = a.position_id \
        WHERE a.official_id = e.official_id AND a.started_on <= e.completed_on \
          AND (a.ended_on IS NULL OR a.ended_on > e.completed_on) \
        ORDER BY a.started_on DESC LIMIT 1), \
       (SELECT CASE WHEN p.leadership = TRUE THEN 1 ELSE 0 END FROM officials o \
        JOIN positions p ON p.id = o.position_id WHERE o.id = e.official_id), \
       0) END";

/// The training results of the subtree of `unit`: completions in [`from`, `to`], classes
/// organized that start in it.
pub fn report(
    conn: &mut DbConn,
    unit: &Unit,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<TrainingResultsReport, ApiError> {
    use diesel::RunQueryDsl;
    // Each unit of the subtree with its level: its kind's, or its parent's for an agency.
    let tier_of_kind = format!(
        "CASE WHEN u.kind IN {} THEN '{}' WHEN u.kind IN {} THEN '{}' WHEN u.kind IN {} THEN '{}' ELSE t.tier END",
        kinds_of(Tier::Province),
        Tier::Province,
        kinds_of(Tier::District),
        Tier::District,
        kinds_of(Tier::Commune),
        Tier::Commune,
    );
    // The subtree by its paths (one index range, well estimated), each unit labelled with its
    // level by the recursive walk, drives one range of the completions' index per unit (joined
    // to the walk itself, whose size PostgreSQL guesses a hundred times too big, the
    // completions were sorted to a merge join, on disk); the index holds all the form reads of
    // a completion, its course included, so the range is read from the index alone. `cov`:
    // the subtree's assignments, one range of their index per unit, for the leading posts on
    // the days of completion. `forms`: the form's row of every course on every terms, the
    // row's CASE worked out once per course rather than per completion. Each person's gender
    // is one probe of the officials' key (joined, PostgreSQL hashed all of them: 1.3 s at
    // 3,000,000). `per`: each person once per row and level, by hashing, not three sorts for
    // three distinct counts.
    let sub = format!(
        "sub AS MATERIALIZED (SELECT u.id AS id, t.tier AS tier FROM units u JOIN tiers t ON t.id = u.id WHERE {}), \
         cov AS MATERIALIZED (SELECT a.official_id AS official_id, a.started_on AS started_on, a.ended_on AS ended_on, \
           CASE WHEN p.leadership = TRUE THEN 1 ELSE 0 END AS leading \
           FROM sub CROSS JOIN assignments a LEFT JOIN positions p ON p.id = a.position_id WHERE a.unit_id = sub.id)",
        Subtree::sql("u.path", "$3")
    );
    let terms = TrainingLocation::ALL
        .iter()
        .flat_map(|location| {
            StudyMode::ALL
                .iter()
                .map(move |mode| format!("SELECT '{location}' AS location, '{mode}' AS study_mode"))
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let completed: Vec<Completed> = diesel::sql_query(format!(
        "WITH RECURSIVE tiers(id, tier) AS ( \
           SELECT id, CAST($1 AS TEXT) FROM units WHERE id = $2 \
           UNION ALL \
           SELECT u.id, {tier_of_kind} FROM units u JOIN tiers t ON u.parent_id = t.id \
         ), \
         {sub}, \
         forms AS MATERIALIZED ( \
           SELECT co.id AS course_id, t.location AS location, t.study_mode AS study_mode, {key} AS row_key \
           FROM courses co CROSS JOIN ({terms}) t \
         ), \
         done AS MATERIALIZED ( \
           SELECT e.official_id AS official_id, sub.tier AS tier, f.row_key AS row_key, e.cost_vnd AS cost_vnd, \
             CASE WHEN (SELECT o.gender FROM officials o WHERE o.id = e.official_id) = '{female}' THEN 1 ELSE 0 END AS woman, \
             {leader} AS leader \
           FROM sub CROSS JOIN enrollments e \
             JOIN forms f ON f.course_id = e.course_id AND f.location = e.location AND f.study_mode = e.study_mode \
             LEFT JOIN cov c ON c.official_id = e.official_id AND c.started_on <= e.completed_on \
               AND (c.ended_on IS NULL OR c.ended_on > e.completed_on) \
           WHERE e.sending_unit_id = sub.id AND e.status = '{completed}' \
             AND e.completed_on >= $4 AND e.completed_on <= $5 \
         ), \
         per AS MATERIALIZED ( \
           SELECT row_key, tier, official_id, MAX(woman) AS woman, MAX(leader) AS leader, SUM(cost_vnd) AS cost_vnd \
           FROM done GROUP BY row_key, tier, official_id \
         ) \
         SELECT row_key, tier, {figures} FROM per GROUP BY row_key, tier \
         UNION ALL \
         SELECT row_key, CAST(NULL AS TEXT) AS tier, {figures} FROM ( \
           SELECT row_key, official_id, MAX(woman) AS woman, MAX(leader) AS leader, SUM(cost_vnd) AS cost_vnd \
           FROM per GROUP BY row_key, official_id \
         ) people GROUP BY row_key",
        key = row_key("t"),
        female = Gender::Female,
        leader = LEADER_ON_COMPLETION,
        completed = EnrollmentStatus::Completed,
        figures = "COUNT(*) AS people, CAST(SUM(woman) AS BIGINT) AS women, CAST(SUM(leader) AS BIGINT) AS leaders, \
                   CAST(SUM(cost_vnd) AS BIGINT) AS cost_vnd",
    ))
    .bind::<Text, _>(unit.tier(conn)?.code())
    .bind::<BigInt, _>(unit.id)
    .bind::<Text, _>(unit.path.clone())
    .bind::<Date, _>(from)
    .bind::<Date, _>(to)
    .load(conn)?;

    let (counted, held) = (counted_statuses(), held_classes());
    let classes: Vec<Organized> = diesel::sql_query(format!(
        "WITH {subtree} \
         SELECT row_key, COUNT(*) AS classes, CAST(SUM(external + enrolled) AS BIGINT) AS learners FROM ( \
           SELECT {key} AS row_key, cl.external_learners AS external, \
             (SELECT COUNT(*) FROM enrollments e WHERE e.class_id = cl.id AND e.status IN {counted}) AS enrolled \
           FROM sub CROSS JOIN classes cl JOIN courses co ON co.id = cl.course_id \
           WHERE cl.organizer_unit_id = sub.id AND cl.starts_on >= $2 AND cl.starts_on <= $3 AND cl.status IN {held} \
         ) t GROUP BY row_key",
        subtree = subtree(),
        key = row_key("cl"),
    ))
    .bind::<Text, _>(unit.path.clone())
    .bind::<Date, _>(from)
    .bind::<Date, _>(to)
    .load(conn)?;

    let rows = ROWS
        .iter()
        .map(|form| {
            let mut values = ResultValues::default();
            for c in completed.iter().filter(|c| c.row_key == form.key) {
                match c.tier.as_deref().map(Tier::parse) {
                    None => {
                        values.total = c.people;
                        values.women = c.women;
                        values.leaders = c.leaders;
                        values.cost_vnd = c.cost_vnd;
                    }
                    Some(Some(Tier::Province)) => values.province = c.people,
                    Some(Some(Tier::District)) => values.district = c.people,
                    Some(Some(Tier::Commune)) => values.commune = c.people,
                    Some(None) => return Err(ApiError::internal(format!("unknown level {:?} of a unit", c.tier))),
                }
            }
            if let Some(o) = classes.iter().find(|o| o.row_key == form.key) {
                values.classes = o.classes;
                values.learners = o.learners;
            }
            Ok(ResultRow {
                key: form.key,
                label: form.label,
                section: form.section,
                values,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(TrainingResultsReport {
        unit_id: unit.id,
        unit_name: unit.name.clone(),
        from,
        to,
        rows,
        organized: organized(conn, unit, from, to)?,
    })
}

/// The columns of the form after its row heading: each figure of [`ResultValues`].
const FIGURES: [Column; 9] = [
    column("total", "Tổng số"),
    column("province", "Cấp tỉnh"),
    column("district", "Cấp huyện"),
    column("commune", "Cấp xã"),
    column("leaders", "Lãnh đạo, quản lý"),
    column("women", "Nữ"),
    column("cost_vnd", "Kinh phí (đồng)"),
    column("classes", "Số lớp"),
    column("learners", "Số học viên"),
];

impl ResultValues {
    fn cells(&self) -> [Cell; 9] {
        [
            Cell::from(self.total),
            self.province.into(),
            self.district.into(),
            self.commune.into(),
            self.leaders.into(),
            self.women.into(),
            Cell::Amount(self.cost_vnd),
            self.classes.into(),
            self.learners.into(),
        ]
    }
}

/// The report laid out as the paper form: a title, the unit and the period, two header rows
/// (the level of the sending unit, "of whom", the classes organized, each merged over its
/// columns), a row numbering the columns, then section I (training) and section II
/// (refresher training), each headed by a row of its own and numbered within. CSV: one flat
/// header; the rows' keys with codes.
pub fn to_table(report: &TrainingResultsReport, name: String) -> Table {
    let mut columns = vec![column("no", "STT"), column("content", "Nội dung")];
    columns.extend(FIGURES);
    let group = |first: usize, span: usize, label: &str| ColumnGroup {
        first,
        span,
        label: label.to_owned(),
    };
    let groups = vec![
        group(3, 3, "Cấp của đơn vị cử đi học"),
        group(6, 2, "Trong đó"),
        group(9, 2, "Lớp do đơn vị tổ chức"),
    ];
    let mut table = Table::new(name, &columns)
        .grouped(groups)
        .numbered()
        .title("Báo cáo kết quả đào tạo, bồi dưỡng cán bộ, công chức, viên chức")
        .title(format!(
            "Đơn vị: {} — hoàn thành từ {} đến {}",
            report.unit_name,
            vietnamese_day(report.from),
            vietnamese_day(report.to)
        ));
    for (numeral, section) in [("I", Track::Training), ("II", Track::Refresher)] {
        let mut heading = vec![Cell::from(numeral), section.into()];
        heading.extend(std::iter::repeat_n(Cell::Empty, FIGURES.len()));
        table.row(heading);
        for (no, r) in (1i64..).zip(report.rows.iter().filter(|r| r.section == section)) {
            let mut cells = vec![
                Cell::from(no),
                Cell::Code {
                    code: r.key,
                    label: r.label,
                },
            ];
            cells.extend(r.values.cells());
            table.row(cells);
        }
    }
    table
}
