//! The year's training results (kết quả đào tạo, bồi dưỡng), as the paper form reports them:
//! the officials sent by units of a subtree who completed training in a period, by content
//! and level — I. training (degrees by where, political theory by how), II. refresher
//! training — split by the level of the unit that sent them, with the leaders and the women
//! among them and what their training cost; and, per content, the classes the subtree
//! organized and their learners. Every figure is counted in the database.

use chrono::NaiveDate;
use diesel::sql_types::{BigInt, Date, Text};
use diesel::QueryableByName;
use serde::Serialize;
use utoipa::ToSchema;

use super::training::{held_classes_from, organized_rows, OrganizedByCourse, OrganizedRow};
use super::{codes_in, subtree, vietnamese_day};
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

/// Every combination of terms a row of the form can split by, in a fixed order.
fn term_pairs() -> impl Iterator<Item = (TrainingLocation, StudyMode)> {
    TrainingLocation::ALL
        .iter()
        .flat_map(|location| StudyMode::ALL.iter().map(move |mode| (*location, *mode)))
}

/// SQL: the index in [`ROWS`] of the row that counts a course `co` taken in `location` and
/// `mode`. A conferred level decides first, then a conferred dimension, then the course's
/// kind; what none takes is `other`. The codes are the enums' own literals.
fn row_of(location: TrainingLocation, mode: StudyMode) -> String {
    let priority = |content: Content| match content {
        Level(..) => 0,
        Kind(_, Some(_)) => 1,
        Kind(_, None) => 2,
        Content::Other => 3,
    };
    let mut rows: Vec<(usize, &FormRow)> = ROWS
        .iter()
        .enumerate()
        .filter(|(_, r)| match r.split {
            All => true,
            Location(l) => l == location,
            Mode(m) => m == mode,
        })
        .collect();
    rows.sort_by_key(|(_, r)| priority(r.content));
    let mut sql = String::from("CASE");
    let mut other = None;
    for (index, r) in rows {
        let content = match r.content {
            Level(dimension, level) => format!("co.confers_dimension = '{dimension}' AND co.confers_level = '{level}'"),
            Kind(kind, Some(dimension)) => format!("(co.kind = '{kind}' OR co.confers_dimension = '{dimension}')"),
            Kind(kind, None) => format!("co.kind = '{kind}'"),
            Content::Other => {
                other = Some(index);
                continue;
            }
        };
        sql.push_str(&format!(" WHEN {content} THEN {index}"));
    }
    sql.push_str(&format!(" ELSE {} END", other.unwrap_or(ROWS.len() - 1)));
    sql
}

/// SQL: `forms`, each course's row of the form on every terms (`r0`, `r1`, … in the order
/// of [`term_pairs`]): the form's rules worked out once per course, not once per completion.
fn forms() -> String {
    let columns: Vec<String> = term_pairs()
        .enumerate()
        .map(|(n, (location, mode))| format!("{} AS r{n}", row_of(location, mode)))
        .collect();
    format!(
        "forms AS MATERIALIZED (SELECT co.id AS course_id, {} FROM courses co)",
        columns.join(", ")
    )
}

/// SQL: the row of the form of a course `f` (its `forms` row) taken on the terms of `terms`
/// (the alias of an enrollment or a class).
fn form_row(terms: &str) -> String {
    let mut sql = String::from("CASE");
    for (n, (location, mode)) in term_pairs().enumerate() {
        sql.push_str(&format!(
            " WHEN {terms}.location = '{location}' AND {terms}.study_mode = '{mode}' THEN f.r{n}"
        ));
    }
    sql.push_str(" END");
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
    /// Of them, holding a leading or managing post on the day they completed it (the post of
    /// their assignment covering that day, or their current post when none does).
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

/// The completions of one row of the form (its index in [`ROWS`]).
#[derive(diesel::QueryableByName)]
struct Completed {
    #[diesel(sql_type = BigInt)]
    form_row: i64,
    #[diesel(sql_type = BigInt)]
    people: i64,
    #[diesel(sql_type = BigInt)]
    province: i64,
    #[diesel(sql_type = BigInt)]
    district: i64,
    #[diesel(sql_type = BigInt)]
    commune: i64,
    #[diesel(sql_type = BigInt)]
    women: i64,
    #[diesel(sql_type = BigInt)]
    leaders: i64,
    #[diesel(sql_type = BigInt)]
    cost_vnd: i64,
}

/// The classes of one course kind and level and one row of the form organized, and their
/// learners.
#[derive(QueryableByName)]
struct Organized {
    #[diesel(embed)]
    course: OrganizedByCourse,
    #[diesel(sql_type = BigInt)]
    form_row: i64,
}

/// SQL: the kinds of unit of `tier`.
fn kinds_of(tier: Tier) -> String {
    codes_in(UnitKind::ALL.iter().filter(|kind| kind.tier() == Some(tier)))
}

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
    // a completion — its course, its official's gender and the post they held on the day of
    // completion included — so the range is read from the index alone, and whether the post
    // leads from the few positions. (Each person's gender was one probe of the officials' key,
    // 0.4 s for 114,266 completions at 3,000,000, and joining each completion to the
    // assignments of its day kept the statement at 0.5–0.7 s.) Each person is grouped once per
    // row of the form, by its index, with what the figures need of them: the levels that sent
    // them, woman, leader, cost.
    let sub = format!(
        "sub AS MATERIALIZED (SELECT u.id AS id, t.tier AS tier FROM units u JOIN tiers t ON t.id = u.id WHERE {})",
        Subtree::sql("u.path", "$3"),
    );
    let sent_by = |tier: Tier| format!("MAX(CASE WHEN sub.tier = '{tier}' THEN 1 ELSE 0 END) AS {tier}");
    let completed: Vec<Completed> = diesel::sql_query(format!(
        "WITH RECURSIVE tiers(id, tier) AS ( \
           SELECT id, CAST($1 AS TEXT) FROM units WHERE id = $2 \
           UNION ALL \
           SELECT u.id, {tier_of_kind} FROM units u JOIN tiers t ON u.parent_id = t.id \
         ), \
         {sub}, {forms}, \
         per AS MATERIALIZED ( \
           SELECT {form_row} AS form_row, e.official_id AS official_id, {province}, {district}, {commune}, \
             MAX(CASE WHEN e.official_gender = '{female}' THEN 1 ELSE 0 END) AS woman, \
             MAX(CASE WHEN p.leadership = TRUE THEN 1 ELSE 0 END) AS leader, SUM(e.cost_vnd) AS cost_vnd \
           FROM sub CROSS JOIN enrollments e \
             JOIN forms f ON f.course_id = e.course_id \
             LEFT JOIN positions p ON p.id = e.official_position_id \
           WHERE e.sending_unit_id = sub.id AND e.status = '{completed}' \
             AND e.completed_on >= $4 AND e.completed_on <= $5 \
           GROUP BY form_row, e.official_id \
         ) \
         SELECT CAST(form_row AS BIGINT) AS form_row, COUNT(*) AS people, \
           CAST(SUM(province) AS BIGINT) AS province, CAST(SUM(district) AS BIGINT) AS district, \
           CAST(SUM(commune) AS BIGINT) AS commune, CAST(SUM(woman) AS BIGINT) AS women, \
           CAST(SUM(leader) AS BIGINT) AS leaders, CAST(SUM(cost_vnd) AS BIGINT) AS cost_vnd \
         FROM per GROUP BY form_row",
        forms = forms(),
        form_row = form_row("e"),
        province = sent_by(Tier::Province),
        district = sent_by(Tier::District),
        commune = sent_by(Tier::Commune),
        female = Gender::Female,
        completed = EnrollmentStatus::Completed,
    ))
    .bind::<Text, _>(unit.tier(conn)?.code())
    .bind::<BigInt, _>(unit.id)
    .bind::<Text, _>(unit.path.clone())
    .bind::<Date, _>(from)
    .bind::<Date, _>(to)
    .load(conn)?;

    // The classes organized, per course and row of the form: both the form's columns and
    // the list per kind and level are summed from it.
    let classes: Vec<Organized> = diesel::sql_query(format!(
        "WITH {subtree}, {forms} \
         SELECT kind, dimension, level, CAST(form_row AS BIGINT) AS form_row, COUNT(*) AS classes, \
           CAST(SUM(external + enrolled) AS BIGINT) AS learners FROM ( \
           SELECT co.kind AS kind, co.confers_dimension AS dimension, co.confers_level AS level, \
             {form_row} AS form_row, cl.external_learners AS external, {classes} \
         ) t GROUP BY kind, dimension, level, form_row",
        subtree = subtree(),
        forms = forms(),
        form_row = form_row("cl"),
        classes = held_classes_from("JOIN forms f ON f.course_id = cl.course_id"),
    ))
    .bind::<Text, _>(unit.path.clone())
    .bind::<Date, _>(from)
    .bind::<Date, _>(to)
    .load(conn)?;

    let organized = organized_rows(classes.iter().map(|o| &o.course))?;
    let rows = ROWS
        .iter()
        .enumerate()
        .map(|(index, form)| {
            let index = i64::try_from(index).unwrap_or(i64::MAX);
            let mut values = ResultValues::default();
            if let Some(c) = completed.iter().find(|c| c.form_row == index) {
                values.total = c.people;
                values.province = c.province;
                values.district = c.district;
                values.commune = c.commune;
                values.women = c.women;
                values.leaders = c.leaders;
                values.cost_vnd = c.cost_vnd;
            }
            for o in classes.iter().filter(|o| o.form_row == index) {
                values.classes += o.course.classes;
                values.learners += o.course.learners;
            }
            ResultRow {
                key: form.key,
                label: form.label,
                section: form.section,
                values,
            }
        })
        .collect();
    Ok(TrainingResultsReport {
        unit_id: unit.id,
        unit_name: unit.name.clone(),
        from,
        to,
        rows,
        organized,
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
