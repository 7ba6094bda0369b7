//! A synthetic country for benchmarks: 34 provinces, their district-level units until the
//! 2025 reform, 3,321 commune-level units, agencies, and as many officials as asked, with
//! qualifications, assignment histories, classes and enrollments. Deterministic for a
//! seed; loaded with multi-row inserts in batched transactions.

use std::collections::HashMap;
use std::time::Instant;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::clock::now;
use diesel::prelude::*;

use crate::db::schema::{
    assignments, classes, enrollments, official_ranks, officials, qualifications, workforce_counts,
};
use crate::db::{
    audited, create_again, drop_revision_triggers, drop_secondary_indexes, index_search_words, insert_many, max_id,
    sync_id_sequences, write_transaction, Actor, Db, DbConn,
};
use crate::domain::{
    fold, given_name_key, AuditAction, AuditEntity, Category, CivilServiceRank, ClassStatus, CourseKind, Dimension,
    EducationLevel, EndReason, EnrollmentResult, EnrollmentStatus, Ethnicity, Funding, Gender, NationalId,
    OfficialStatus, PoliticalTheoryLevel, QualificationSource, Religion, StateManagementLevel, StudyMode,
    TrainingLocation, UnitKind,
};
use crate::error::{ApiError, ConflictKind};
use crate::model::course::{Course, CourseInput, NewCourse};
use crate::model::position::{NewPosition, Position};
use crate::model::rows::{AssignmentRow, ClassRow, EnrollmentRow, OfficialRow, QualificationRow, RankRow};
use crate::model::unit::{NewUnit, Unit, UnitChanges};

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// How many officials.
    pub officials: usize,
    /// How many years of training history, ending with 2025.
    pub years: i32,
    /// The random seed.
    pub seed: u64,
}

/// How much was loaded, and how fast.
#[derive(Debug, Default, Clone, Copy)]
pub struct Loaded {
    /// Rows inserted in all.
    pub rows: u64,
    /// Seconds taken.
    pub seconds: f64,
}

const PROVINCES: [&str; 34] = [
    "Hà Nội",
    "Huế",
    "Lai Châu",
    "Điện Biên",
    "Sơn La",
    "Lạng Sơn",
    "Quảng Ninh",
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Cao Bằng",
    "Tuyên Quang",
    "Lào Cai",
    "Thái Nguyên",
    "Phú Thọ",
    "Bắc Ninh",
    "Hưng Yên",
    "Hải Phòng",
    "Ninh Bình",
    "Quảng Trị",
    "Đà Nẵng",
    "Quảng Ngãi",
    "Gia Lai",
    "Khánh Hòa",
    "Lâm Đồng",
    "Đắk Lắk",
    "Hồ Chí Minh",
    "Đồng Nai",
    "Tây Ninh",
    "Cần Thơ",
    "Vĩnh Long",
    "Đồng Tháp",
    "Cà Mau",
    "An Giang",
];
const COMMUNE_LEVEL_UNITS: usize = 3_321;
const DISTRICTS_PER_PROVINCE: usize = 20;
const AGENCIES_PER_PROVINCE: usize = 15;
const FAMILY: [&str; 16] = [
    "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô",
];
const MIDDLE: [&str; 10] = [
    "Văn", "Thị", "Đức", "Minh", "Thanh", "Quang", "Hữu", "Ngọc", "Thu", "Kim",
];
const GIVEN: [&str; 24] = [
    "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiền", "Hòa", "Hùng", "Hương", "Khánh", "Lan",
    "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phúc", "Sơn", "Thảo", "Tuấn",
];

/// The day the district level was abolished.
fn reform_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or_default()
}

fn day(year: i32, ordinal: u32) -> NaiveDate {
    NaiveDate::from_yo_opt(year, ordinal.clamp(1, 365)).unwrap_or_default()
}

/// Picks an index from cumulative weights in percent.
fn pick(rng: &mut StdRng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    index_at(weights, rng.gen_range(0..total.max(1)))
}

/// The index whose share of the weights' total holds `roll` (below the total).
fn index_at(weights: &[u32], mut roll: u32) -> usize {
    for (i, w) in weights.iter().enumerate() {
        if roll < *w {
            return i;
        }
        roll -= w;
    }
    weights.len() - 1
}

struct Tree {
    country: i64,
    provinces: Vec<ProvinceUnits>,
}

struct ProvinceUnits {
    id: i64,
    districts: Vec<i64>,
    communes: Vec<i64>,
    agencies: Vec<i64>,
}

/// A course: its id, kind, what it confers, and how many days a class of it lasts.
type CourseSpec = (i64, CourseKind, Option<(Dimension, &'static str)>, u32);

/// The classes of one year and course: id, first and last day, and how they are held.
type ClassList = Vec<(i64, NaiveDate, NaiveDate, Terms)>;

/// One place to fill: (the index of a person, a year, the index of a course).
type Seat = (usize, i32, usize);

/// The classes of each (year, course index).
type Classes = HashMap<(i32, usize), ClassList>;

struct Catalogue {
    commune_cadre: Position,
    commune_servant: Position,
    district_servant: Position,
    agency_head: Position,
    agency_specialist: Position,
    agency_employee: Position,
    commune_leader: Position,
    /// (id, kind, conferred dimension and level order/rank/code, days long)
    courses: Vec<CourseSpec>,
}

/// Loads the synthetic country into an empty database.
pub fn seed(db: &Db, plan: Plan, progress: &mut dyn FnMut(&str)) -> Result<Loaded, ApiError> {
    let started = Instant::now();
    let mut conn = db.connection()?;
    for table in ["units", "officials", "classes"] {
        if max_id(&mut conn, table)? > 0 {
            return Err(ApiError::Conflict(
                ConflictKind::NotEmpty,
                format!("the database already holds {table}: the synthetic data loads into an empty database"),
            ));
        }
    }
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let (tree, catalogue) = write_transaction(&mut conn, |conn| -> Result<_, ApiError> {
        let tree = build_tree(conn)?;
        let catalogue = build_catalogue(conn)?;
        Ok((tree, catalogue))
    })?;
    progress(&format!(
        "tree: {} provinces, {} district-level units (until 2025-06-30), {} commune-level units",
        tree.provinces.len(),
        tree.provinces.iter().map(|p| p.districts.len()).sum::<usize>(),
        tree.provinces.iter().map(|p| p.communes.len()).sum::<usize>()
    ));
    let tables = &REINDEXED_TABLES[..LOADED_TABLES];
    let indexes = drop_secondary_indexes(&mut conn, &REINDEXED_TABLES)?;
    let triggers = drop_revision_triggers(&mut conn)?;
    progress(&format!(
        "{} secondary indexes and {} revision triggers dropped for the load",
        indexes.len(),
        triggers.len()
    ));
    let outcome = load_provinces(&mut conn, &mut rng, plan, &tree, &catalogue, started, progress).and_then(|rows| {
        let indexing = Instant::now();
        let words = index_search_words(&mut conn)?;
        progress(&format!(
            "{words} search words written in {:.1} s",
            indexing.elapsed().as_secs_f64()
        ));
        Ok(rows)
    });
    // Put the indexes and triggers back even when the load failed, so that the database
    // stays usable; workforce counts a report kept meanwhile are forgotten below.
    let rebuilding = Instant::now();
    create_again(&mut conn, &indexes)?;
    create_again(&mut conn, &triggers)?;
    progress(&format!(
        "{} indexes built in {:.1} s",
        indexes.len(),
        rebuilding.elapsed().as_secs_f64()
    ));
    let rows = outcome?;
    // Fresh statistics, so that the planners know the sizes of the tables (the plans'
    // statements below join the largest of them).
    diesel::connection::SimpleConnection::batch_execute(&mut conn, "ANALYZE")?;
    let planning = Instant::now();
    let planned = write_transaction(&mut conn, |conn| write_plans(conn, &catalogue, PLAN_YEAR))?;
    progress(&format!(
        "{PLAN_YEAR} plans: {} plans, {} items, {} needs in {:.1} s",
        planned.0,
        planned.1,
        planned.2,
        planning.elapsed().as_secs_f64()
    ));
    let rows = rows + planned.0 + planned.1 + planned.2;
    audited(&mut conn, Actor::system(), |conn, audit| {
        sync_id_sequences(conn, tables)?;
        // Loaded without the revision triggers: no kept workforce count may outlive the load.
        diesel::delete(workforce_counts::table).execute(conn)?;
        let summary = serde_json::json!({"officials": plan.officials, "years": plan.years, "seed": plan.seed, "country": tree.country});
        audit.record::<(), _>(
            AuditAction::SeedSynthetic,
            AuditEntity::Database,
            None,
            None,
            Some(&summary),
        )
    })?;
    Ok(Loaded {
        rows,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Generates and inserts each province's people in its own transaction; returns the rows.
fn load_provinces(
    conn: &mut DbConn,
    rng: &mut StdRng,
    plan: Plan,
    tree: &Tree,
    catalogue: &Catalogue,
    started: Instant,
    progress: &mut dyn FnMut(&str),
) -> Result<u64, ApiError> {
    let mut ids = Ids {
        official: 0,
        assignment: 0,
        qualification: 0,
        class: 0,
        enrollment: 0,
        rank: 0,
    };
    let mut rows: u64 = 0;
    let provinces = tree.provinces.len();
    for (index, province) in tree.provinces.iter().enumerate() {
        let share = plan.officials / provinces + usize::from(index < plan.officials % provinces);
        let batch = generate_province(rng, plan, index, province, catalogue, share, &mut ids);
        rows += batch.rows();
        write_transaction(conn, |conn| batch.insert(conn))?;
        let elapsed = started.elapsed().as_secs_f64();
        progress(&format!(
            "province {}/{provinces} ({}): {} officials so far, {rows} rows, {:.0} rows/s",
            index + 1,
            PROVINCES[index],
            ids.official,
            rows as f64 / elapsed.max(0.001)
        ));
    }
    Ok(rows)
}

/// The year the generated plans plan: the last of the history.
const PLAN_YEAR: i32 = 2025;

/// The training plans of `year`, approved: one for each commune-level unit and each province
/// (whose plan holds its agencies' people). Each plans every course of the catalogue that
/// confers a level and the job-position refresher course; its needs are those it sent people
/// to that year (each active official enrolled in a class of such a course that started in
/// the year, for that course's item: met, in progress or not yet, as the enrollment went) and,
/// for one in 25 of the commune-level officials not already registered for it, the
/// intermediate political theory their succession planning calls for (mostly open). Seats
/// are the needs registered plus a margin, and the cost the seats at a price by course.
/// Written by statements over what is loaded (the same SQL on both backends); answers the
/// plans, items and needs written.
fn write_plans(conn: &mut DbConn, catalogue: &Catalogue, year: i32) -> Result<(u64, u64, u64), ApiError> {
    use diesel::connection::SimpleConnection;
    let at = format!("'{year}-01-20 08:00:00'");
    let (first, last) = (format!("'{year}-01-01'"), format!("'{year}-12-31'"));
    let mut sql = format!(
        "INSERT INTO plans (unit_id, year, status, submitted_at, approved_at, created_at, updated_at) \
         SELECT id, {year}, 'approved', {at}, {at}, {at}, {at} FROM units \
         WHERE kind IN ('province', 'ward', 'commune') AND dissolved_on IS NULL;\n"
    );
    // The plan of an official's unit: its own for a commune-level unit, else its province's.
    let plan_of = format!(
        "JOIN units u ON u.id = o.unit_id \
         JOIN plans p ON p.year = {year} AND p.unit_id = CASE WHEN u.kind IN ('ward', 'commune') THEN u.id ELSE u.parent_id END"
    );
    let refresher = catalogue
        .courses
        .iter()
        .find(|c| c.1 == CourseKind::Refresher)
        .map(|c| c.0);
    for &(course_id, kind, confers, _) in &catalogue.courses {
        let (dimension, level) = match confers {
            Some((dimension, level)) => (format!("'{}'", dimension.code()), format!("'{level}'")),
            None if Some(course_id) == refresher => ("NULL".into(), "NULL".into()),
            None => continue,
        };
        sql.push_str(&format!(
            "INSERT INTO plan_items (plan_id, course_id, kind, dimension, level, seats, quarter, cost_vnd, purpose, created_at, updated_at) \
             SELECT id, {course_id}, '{kind}', {dimension}, {level}, 0, {quarter}, 0, 'Đào tạo, bồi dưỡng theo tiêu chuẩn chức danh', {at}, {at} \
             FROM plans WHERE year = {year};\n",
            kind = kind.code(),
            quarter = course_id % 4 + 1,
        ));
    }
    // The planners learn the new tables' sizes before the joins below.
    sql.push_str("ANALYZE plans;\nANALYZE plan_items;\n");
    for &(course_id, _, confers, _) in &catalogue.courses {
        let Some((dimension, level)) = confers else {
            continue;
        };
        let rank = dimension
            .rank_of(level)
            .map_or_else(|| "NULL".to_owned(), |r| r.to_string());
        let (dimension, level) = (format!("'{}'", dimension.code()), format!("'{level}'"));
        sql.push_str(&format!(
            "INSERT INTO plan_needs (plan_id, official_id, item_id, year, dimension, level, level_rank, reason, created_at, updated_at) \
             SELECT p.id, o.id, MIN(i.id), {year}, {dimension}, {level}, {rank}, 'standard', {at}, {at} \
             FROM classes c JOIN enrollments e ON e.class_id = c.id JOIN officials o ON o.id = e.official_id {plan_of} \
             JOIN plan_items i ON i.plan_id = p.id AND i.course_id = {course_id} \
             WHERE c.course_id = {course_id} AND c.starts_on BETWEEN {first} AND {last} AND o.status = 'active' \
             AND NOT EXISTS (SELECT 1 FROM plan_needs n WHERE n.official_id = o.id AND n.year = {year} \
                 AND n.dimension = {dimension} AND n.level = {level}) \
             GROUP BY p.id, o.id;\n"
        ));
    }
    // Succession: intermediate political theory for one in 25 of the communes' people.
    let Some(&(course_id, ..)) = catalogue
        .courses
        .iter()
        .find(|c| c.2 == Some((Dimension::PoliticalTheory, "intermediate")))
    else {
        return Err(ApiError::internal(
            "the catalogue has no intermediate political theory course",
        ));
    };
    let rank = Dimension::PoliticalTheory.rank_of("intermediate").unwrap_or_default();
    sql.push_str(&format!(
        "INSERT INTO plan_needs (plan_id, official_id, item_id, year, dimension, level, level_rank, reason, created_at, updated_at) \
         SELECT p.id, o.id, i.id, {year}, 'political_theory', 'intermediate', {rank}, 'succession', {at}, {at} \
         FROM officials o {plan_of} \
         JOIN plan_items i ON i.plan_id = p.id AND i.course_id = {course_id} \
         WHERE o.status = 'active' AND u.kind IN ('ward', 'commune') AND o.id % 25 = 0 \
         AND NOT EXISTS (SELECT 1 FROM plan_needs n WHERE n.official_id = o.id AND n.year = {year} \
             AND n.dimension = 'political_theory' AND n.level = 'intermediate');\n\
         UPDATE plan_items SET seats = (SELECT COUNT(*) FROM plan_needs n WHERE n.item_id = plan_items.id) + plan_items.id % 3 + 1 \
         WHERE plan_id IN (SELECT id FROM plans WHERE year = {year});\n\
         UPDATE plan_items SET cost_vnd = CAST(seats AS BIGINT) * CASE kind WHEN 'degree' THEN 20000000 WHEN 'political_theory' THEN 6000000 \
             WHEN 'state_management' THEN 3000000 WHEN 'it' THEN 1500000 ELSE 500000 END \
         WHERE plan_id IN (SELECT id FROM plans WHERE year = {year});\n\
         ANALYZE plan_needs;\n"
    ));
    conn.batch_execute(&sql)?;
    let count = |conn: &mut DbConn, table: &str| -> Result<u64, ApiError> {
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let found: N = diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}")).get_result(conn)?;
        Ok(u64::try_from(found.n).unwrap_or_default())
    };
    Ok((
        count(conn, "plans")?,
        count(conn, "plan_items")?,
        count(conn, "plan_needs")?,
    ))
}

fn build_tree(conn: &mut DbConn) -> Result<Tree, ApiError> {
    let unit = |conn: &mut DbConn, code: String, name: String, kind: UnitKind, parent: i64| -> Result<i64, ApiError> {
        Ok(Unit::create(conn, NewUnit::new(code, name, kind, Some(parent), None, None))?.id)
    };
    let country = Unit::create(
        conn,
        NewUnit::new("VN".into(), "Cả nước".into(), UnitKind::Country, None, None, None),
    )?
    .id;
    let mut provinces = Vec::new();
    let mut commune_number = 0;
    for (p, name) in PROVINCES.iter().enumerate() {
        let code = format!("P{:02}", p + 1);
        let id = unit(conn, code.clone(), format!("Tỉnh {name}"), UnitKind::Province, country)?;
        let mut districts = Vec::new();
        for d in 0..DISTRICTS_PER_PROVINCE {
            let district = unit(
                conn,
                format!("{code}-H{:02}", d + 1),
                format!("Huyện {} số {}", name, d + 1),
                UnitKind::District,
                id,
            )?;
            let current = Unit::find(conn, district)?;
            Unit::update(
                conn,
                &current,
                UnitChanges {
                    dissolved_on: Some(Some(reform_day())),
                    ..Default::default()
                },
                current.version,
            )?;
            districts.push(district);
        }
        let communes_here =
            COMMUNE_LEVEL_UNITS / PROVINCES.len() + usize::from(p < COMMUNE_LEVEL_UNITS % PROVINCES.len());
        let mut communes = Vec::new();
        for c in 0..communes_here {
            commune_number += 1;
            let (kind, label) = if c % 10 < 3 {
                (UnitKind::Ward, "Phường")
            } else {
                (UnitKind::Commune, "Xã")
            };
            communes.push(unit(
                conn,
                format!("{code}-X{:03}", c + 1),
                format!("{label} {name} {commune_number}"),
                kind,
                id,
            )?);
        }
        let mut agencies = Vec::new();
        for a in 0..AGENCIES_PER_PROVINCE {
            agencies.push(unit(
                conn,
                format!("{code}-S{:02}", a + 1),
                format!("Sở số {} tỉnh {name}", a + 1),
                UnitKind::Agency,
                id,
            )?);
        }
        provinces.push(ProvinceUnits {
            id,
            districts,
            communes,
            agencies,
        });
    }
    Ok(Tree { country, provinces })
}

/// The leading posts (lãnh đạo, quản lý): a department head in a provincial agency, a
/// commune's leaders.
const LEADING_POSTS: [&str; 2] = ["S-SO-TP", "S-XA-LD"];

fn build_catalogue(conn: &mut DbConn) -> Result<Catalogue, ApiError> {
    use EducationLevel as E;
    use PoliticalTheoryLevel as P;
    use StateManagementLevel as S;
    let mut position = |code: &str, title: &str, category: Category, e: Option<E>, p: Option<P>, s: Option<S>| {
        let leading = LEADING_POSTS.contains(&code);
        Position::create(
            conn,
            &NewPosition::new(code.into(), title.into(), category, e, p, s).leading(leading),
        )
    };
    let commune_cadre = position(
        "S-XA-CB",
        "Cán bộ chuyên trách cấp xã",
        Category::Cadre,
        Some(E::University),
        Some(P::Intermediate),
        None,
    )?;
    let commune_servant = position(
        "S-XA-CC",
        "Công chức cấp xã",
        Category::CivilServant,
        Some(E::University),
        None,
        Some(S::Clerk),
    )?;
    let district_servant = position(
        "S-HUYEN-CV",
        "Chuyên viên cấp huyện",
        Category::CivilServant,
        Some(E::University),
        None,
        Some(S::Specialist),
    )?;
    let agency_head = position(
        "S-SO-TP",
        "Trưởng phòng cấp sở",
        Category::CivilServant,
        Some(E::University),
        Some(P::Intermediate),
        Some(S::PrincipalSpecialist),
    )?;
    let agency_specialist = position(
        "S-SO-CV",
        "Chuyên viên cấp sở",
        Category::CivilServant,
        Some(E::University),
        None,
        Some(S::Specialist),
    )?;
    let agency_employee = position(
        "S-VC",
        "Viên chức sự nghiệp",
        Category::PublicEmployee,
        Some(E::College),
        None,
        None,
    )?;
    let commune_leader = position(
        "S-XA-LD",
        "Lãnh đạo chủ chốt cấp xã (bí thư, chủ tịch, phó)",
        Category::Cadre,
        Some(E::University),
        Some(P::Intermediate),
        None,
    )?;
    let mut courses = Vec::new();
    for (code, title, kind, confers, days) in [
        (
            "S-TC",
            "Trung cấp lý luận chính trị - hành chính",
            CourseKind::PoliticalTheory,
            Some((Dimension::PoliticalTheory, "intermediate")),
            240,
        ),
        (
            "S-CC",
            "Cao cấp lý luận chính trị",
            CourseKind::PoliticalTheory,
            Some((Dimension::PoliticalTheory, "advanced")),
            540,
        ),
        (
            "S-THS",
            "Thạc sĩ quản lý công",
            CourseKind::Degree,
            Some((Dimension::Education, "master")),
            700,
        ),
        (
            "S-DH",
            "Đại học vừa làm vừa học",
            CourseKind::Degree,
            Some((Dimension::Education, "university")),
            1200,
        ),
        (
            "S-CV",
            "Bồi dưỡng ngạch chuyên viên",
            CourseKind::StateManagement,
            Some((Dimension::StateManagement, "specialist")),
            60,
        ),
        (
            "S-CVC",
            "Bồi dưỡng ngạch chuyên viên chính",
            CourseKind::StateManagement,
            Some((Dimension::StateManagement, "principal_specialist")),
            90,
        ),
        (
            "S-TH",
            "Ứng dụng CNTT cơ bản",
            CourseKind::It,
            Some((Dimension::It, "basic")),
            30,
        ),
        ("S-BD", "Bồi dưỡng theo vị trí việc làm", CourseKind::Refresher, None, 5),
        ("S-CD", "Bồi dưỡng chuyên đề", CourseKind::Refresher, None, 3),
        ("S-DANG", "Bồi dưỡng đảng viên mới", CourseKind::Party, None, 5),
        ("S-LD", "Bồi dưỡng lãnh đạo, quản lý", CourseKind::Leadership, None, 10),
        ("S-NN", "Tiếng Anh giao tiếp", CourseKind::ForeignLanguage, None, 60),
    ] {
        let new = NewCourse::new(CourseInput {
            code: code.into(),
            title: title.into(),
            kind,
            track: None,
            confers_dimension: confers.map(|(d, _)| d),
            confers_level: confers.map(|(_, l)| l.to_owned()),
            field: None,
            provider: Some("Trường Chính trị tỉnh".into()),
        });
        courses.push((Course::create(conn, &new)?.id, kind, confers, days));
    }
    Ok(Catalogue {
        commune_cadre,
        commune_servant,
        district_servant,
        agency_head,
        agency_specialist,
        agency_employee,
        commune_leader,
        courses,
    })
}

struct Ids {
    official: i64,
    assignment: i64,
    qualification: i64,
    class: i64,
    enrollment: i64,
    rank: i64,
}

#[derive(Default)]
struct Batch {
    officials: Vec<OfficialRow>,
    assignments: Vec<AssignmentRow>,
    qualifications: Vec<QualificationRow>,
    classes: Vec<ClassRow>,
    enrollments: Vec<EnrollmentRow>,
    ranks: Vec<RankRow>,
}

impl Batch {
    fn rows(&self) -> u64 {
        (self.officials.len()
            + self.assignments.len()
            + self.qualifications.len()
            + self.classes.len()
            + self.enrollments.len()
            + self.ranks.len()) as u64
    }

    fn insert(&self, conn: &mut DbConn) -> Result<(), ApiError> {
        insert_many!(conn, officials, &self.officials);
        insert_many!(conn, assignments, &self.assignments);
        insert_many!(conn, classes, &self.classes);
        insert_many!(conn, enrollments, &self.enrollments);
        insert_many!(conn, qualifications, &self.qualifications);
        insert_many!(conn, official_ranks, &self.ranks);
        Ok(())
    }
}

/// The results a completion is given, drawn evenly.
const RESULTS: [EnrollmentResult; 4] = [
    EnrollmentResult::Excellent,
    EnrollmentResult::Good,
    EnrollmentResult::Fair,
    EnrollmentResult::Average,
];

/// One official being generated: where they are, and what they hold.
struct Person {
    id: i64,
    /// (unit, position, category, from, to)
    posts: Vec<(i64, i64, Category, NaiveDate, Option<NaiveDate>)>,
    /// Best level order per dimension, with the rank.
    levels: HashMap<Dimension, (u8, u8, &'static str)>,
    separated_on: Option<NaiveDate>,
}

impl Person {
    /// The post held on `on`, or the last one when none covers it (as the service reads a
    /// day outside their history: by their current post).
    fn post_on(&self, on: NaiveDate) -> Option<&(i64, i64, Category, NaiveDate, Option<NaiveDate>)> {
        self.posts
            .iter()
            .find(|(_, _, _, from, to)| *from <= on && to.is_none_or(|to| to > on))
            .or(self.posts.last())
    }

    fn unit_on(&self, on: NaiveDate) -> i64 {
        self.post_on(on).map_or(0, |p| p.0)
    }
}

fn qualification_row(
    ids: &mut Ids,
    official: i64,
    dimension: Dimension,
    level: &'static str,
    on: NaiveDate,
    enrollment: Option<i64>,
    at: NaiveDateTime,
) -> QualificationRow {
    ids.qualification += 1;
    QualificationRow {
        id: ids.qualification,
        official_id: official,
        dimension,
        level,
        field: None,
        institution: None,
        awarded_on: on,
        certificate_no: None,
        source: if enrollment.is_some() {
            QualificationSource::Enrollment
        } else {
            QualificationSource::Manual
        },
        created_at: at,
        updated_at: at,
        version: 1,
        enrollment_id: enrollment,
        level_order: i32::from(dimension.order_of(level).unwrap_or(0)),
        level_rank: i32::from(dimension.rank_of(level).unwrap_or(0)),
    }
}

/// What generating one province works with, and the rows it makes.
struct Generation<'a> {
    rng: &'a mut StdRng,
    index: usize,
    province: &'a ProvinceUnits,
    catalogue: &'a Catalogue,
    ids: &'a mut Ids,
    batch: Batch,
    at: NaiveDateTime,
    first_year: i32,
    window_start: NaiveDate,
    reform: NaiveDate,
}

/// One province's share of the country: its people, its classes, its enrollments, then the
/// rows of its officials and assignments, in that order (the random draws follow it, so a
/// seed gives one country).
fn generate_province(
    rng: &mut StdRng,
    plan: Plan,
    index: usize,
    province: &ProvinceUnits,
    catalogue: &Catalogue,
    count: usize,
    ids: &mut Ids,
) -> Batch {
    let first_year = 2026 - plan.years;
    let mut g = Generation {
        rng,
        index,
        province,
        catalogue,
        ids,
        batch: Batch::default(),
        at: now(),
        first_year,
        window_start: day(first_year, 1),
        reform: reform_day(),
    };
    let mut people = generate_people(&mut g, count);
    let (enrolment_plan, classes) = generate_classes(&mut g, &people);
    generate_enrollments(&mut g, &mut people, enrolment_plan, &classes);
    write_officials(&mut g, &people);
    g.batch
}

/// The people: where they serve, the levels they held before the window, and their history
/// (the reform's moves, transfers, retirements).
fn generate_people(g: &mut Generation<'_>, count: usize) -> Vec<(Person, NaiveDate)> {
    let Generation {
        ref mut rng,
        province,
        catalogue,
        ref mut ids,
        ref mut batch,
        at,
        first_year,
        window_start,
        reform,
        ..
    } = *g;
    let mut people = Vec::with_capacity(count);
    for _ in 0..count {
        ids.official += 1;
        let id = ids.official;
        let born_year = rng.gen_range(1962..2000);
        let born = day(born_year, rng.gen_range(1..365));
        let started = day(
            (born_year + rng.gen_range(22..30)).min(first_year - 1),
            rng.gen_range(1..365),
        );
        // Where they serve: about 7.6% at commune level, 10% at district level until the
        // reform (then moved to a commune or an agency), the rest in provincial agencies.
        let roll = rng.gen_range(0..1000);
        let (mut unit, position, commune_level) = if roll < 76 {
            let cadre = rng.gen_bool(0.45);
            let post = if cadre {
                // About a third of a commune's cadres lead it (drawn apart from the stream).
                if fixed_pick(id, 8, &[350, 650]) == 0 {
                    &catalogue.commune_leader
                } else {
                    &catalogue.commune_cadre
                }
            } else {
                &catalogue.commune_servant
            };
            (province.communes[rng.gen_range(0..province.communes.len())], post, true)
        } else if roll < 176 {
            (
                province.districts[rng.gen_range(0..province.districts.len())],
                &catalogue.district_servant,
                false,
            )
        } else {
            let post = match rng.gen_range(0..10) {
                0 => &catalogue.agency_head,
                1..=3 => &catalogue.agency_specialist,
                _ => &catalogue.agency_employee,
            };
            (
                province.agencies[rng.gen_range(0..province.agencies.len())],
                post,
                false,
            )
        };
        let mut posts = vec![(unit, position.id, position.category, started, None)];
        let mut person = Person {
            id,
            posts: Vec::new(),
            levels: HashMap::new(),
            separated_on: None,
        };

        // Levels held before the window, as real reports spread them.
        let education = if commune_level {
            [
                ("none", 1),
                ("intermediate", 4),
                ("college", 3),
                ("university", 85),
                ("master", 7),
            ]
        } else {
            [
                ("intermediate", 5),
                ("college", 8),
                ("university", 70),
                ("master", 15),
                ("doctorate", 2),
            ]
        };
        let theory = [
            ("none", 15),
            ("elementary", 25),
            ("intermediate", 50),
            ("advanced", 9),
            ("bachelor", 1),
        ];
        let state = [
            ("none", 35),
            ("clerk", 10),
            ("specialist", 45),
            ("principal_specialist", 9),
            ("senior_specialist", 1),
        ];
        let it = [("none", 20), ("basic", 70), ("advanced", 10)];
        let language = [
            ("none", 30),
            ("level_1", 10),
            ("level_2", 30),
            ("level_3", 25),
            ("level_4", 5),
        ];
        for (dimension, table) in [
            (Dimension::Education, &education[..]),
            (Dimension::PoliticalTheory, &theory[..]),
            (Dimension::StateManagement, &state[..]),
            (Dimension::It, &it[..]),
            (Dimension::ForeignLanguage, &language[..]),
        ] {
            let weights: Vec<u32> = table.iter().map(|(_, w)| *w).collect();
            let level = table[pick(rng, &weights)].0;
            if level != "none" {
                let awarded = day(rng.gen_range(born_year + 18..first_year), rng.gen_range(1..365)).min(window_start);
                batch
                    .qualifications
                    .push(qualification_row(ids, id, dimension, level, awarded, None, at));
                let order = dimension.order_of(level).unwrap_or(0);
                let rank = dimension.rank_of(level).unwrap_or(0);
                person.levels.insert(dimension, (order, rank, level));
            }
        }

        // History: the reform moves district-level staff; about 5% move each year; some retire.
        let mut current = 0;
        for year in first_year..=2025 {
            let move_on = if posts[current].0 == unit && province.districts.contains(&unit) && year == 2025 {
                Some(reform)
            } else if rng.gen_range(0..100) < 5 {
                Some(day(year, rng.gen_range(2..360)))
            } else {
                None
            };
            if let Some(on) = move_on {
                if on > posts[current].3 {
                    let to = if rng.gen_bool(0.5) {
                        province.agencies[rng.gen_range(0..province.agencies.len())]
                    } else {
                        province.communes[rng.gen_range(0..province.communes.len())]
                    };
                    posts[current].4 = Some(on);
                    let (position_id, category) = (posts[current].1, posts[current].2);
                    posts.push((to, position_id, category, on, None));
                    current += 1;
                    unit = to;
                }
            }
            if born_year + 60 == year {
                let on = day(year, born.ordinal());
                if on > posts[current].3 {
                    posts[current].4 = Some(on);
                    person.separated_on = Some(on);
                    break;
                }
            }
        }
        person.posts = posts;
        people.push((person, born));
    }
    people
}

/// Who is sent to which course each year, and classes of about 60 to seat them.
fn generate_classes(g: &mut Generation<'_>, people: &[(Person, NaiveDate)]) -> (Vec<Seat>, Classes) {
    let Generation {
        ref mut rng,
        index,
        province,
        catalogue,
        ref mut ids,
        ref mut batch,
        at,
        first_year,
        ..
    } = *g;
    // Classes: for each year and course, enough classes of about 60 to seat the enrollments.
    let years: Vec<i32> = (first_year..=2025).collect();
    let mut enrolment_plan: Vec<Seat> = Vec::new();
    for (p, (person, _)) in people.iter().enumerate() {
        for year in &years {
            let start = day(*year, 1);
            if person.separated_on.is_some_and(|s| s <= start) {
                continue;
            }
            let k = 1 + pick(rng, &[50, 35, 15]);
            let mut courses: Vec<usize> = (0..catalogue.courses.len()).collect();
            for _ in 0..k {
                let c = courses.swap_remove(rng.gen_range(0..courses.len()));
                enrolment_plan.push((p, *year, c));
            }
        }
    }
    let mut seats: HashMap<(i32, usize), usize> = HashMap::new();
    for (_, year, course) in &enrolment_plan {
        *seats.entry((*year, *course)).or_default() += 1;
    }
    let mut classes: Classes = HashMap::new();
    let mut keys: Vec<(i32, usize)> = seats.keys().copied().collect();
    keys.sort_unstable();
    for key in keys {
        let (year, course) = key;
        let (course_id, kind, confers, days) = catalogue.courses[course];
        let wanted = seats[&key].div_ceil(60);
        let list = classes.entry(key).or_default();
        for n in 0..wanted {
            ids.class += 1;
            let starts = day(year, rng.gen_range(10..300));
            let ends = starts + chrono::TimeDelta::days(i64::from(days));
            let organizer = if rng.gen_bool(0.7) {
                province.agencies[rng.gen_range(0..province.agencies.len())]
            } else {
                province.id
            };
            let name = format!("Lớp {} {} số {}", kind.label(), year, n + 1);
            let terms = Terms::of_class(ids.class, kind, confers);
            batch.classes.push(ClassRow {
                id: ids.class,
                code: format!("K{:02}-{year}-{course}-{n}", index + 1),
                search_name: fold(&name),
                name,
                course_id,
                organizer_unit_id: organizer,
                provider: None,
                starts_on: starts,
                ends_on: ends,
                capacity: None,
                // Drawn as an i64, as it always was: a seed keeps giving the same country.
                external_learners: i32::from(rng.gen_range(0..40_i64) as u8),
                status: if ends < day(2026, 1) {
                    ClassStatus::Finished
                } else {
                    ClassStatus::InProgress
                },
                created_at: at,
                updated_at: at,
                version: 1,
                location: terms.location,
                study_mode: terms.study_mode,
                funding: terms.funding,
                cost_vnd: terms.class_cost_vnd,
                learner_cost_vnd: terms.learner_cost_vnd,
            });
            list.push((ids.class, starts, ends, terms));
        }
    }
    (enrolment_plan, classes)
}

/// The enrollments, each in the next class of its year and course.
fn generate_enrollments(
    g: &mut Generation<'_>,
    people: &mut [(Person, NaiveDate)],
    enrolment_plan: Vec<Seat>,
    classes: &Classes,
) {
    let Generation {
        ref mut rng,
        catalogue,
        ref mut ids,
        ref mut batch,
        at,
        ..
    } = *g;
    // Enrollments, each in the next class of its year and course; completions of courses
    // that raise a level confer it.
    let mut cursor: HashMap<(i32, usize), usize> = HashMap::new();
    for (p, year, course) in enrolment_plan {
        let list = &classes[&(year, course)];
        let slot = cursor.entry((year, course)).or_default();
        let (class_id, starts, ends, terms) = list[*slot % list.len()];
        *slot += 1;
        let (person, _) = &mut people[p];
        if person.separated_on.is_some_and(|s| s <= starts) {
            continue;
        }
        ids.enrollment += 1;
        let (course_id, _, confers, _) = catalogue.courses[course];
        let status = match pick(rng, &[85, 3, 4, 5, 3]) {
            0 if ends < day(2026, 1) => EnrollmentStatus::Completed,
            0 | 3 => EnrollmentStatus::Enrolled,
            1 => EnrollmentStatus::Failed,
            2 => EnrollmentStatus::Withdrawn,
            _ => EnrollmentStatus::Nominated,
        };
        let completed = (status == EnrollmentStatus::Completed).then_some(ends);
        batch.enrollments.push(EnrollmentRow {
            id: ids.enrollment,
            class_id,
            official_id: person.id,
            sending_unit_id: person.unit_on(starts),
            status,
            result: completed.map(|_| RESULTS[rng.gen_range(0..RESULTS.len())]),
            score: completed.map(|_| f64::from(rng.gen_range(50..100)) / 10.0),
            certificate_no: None,
            completed_on: completed,
            created_at: at,
            updated_at: at,
            version: 1,
            starts_on: starts,
            location: terms.location,
            study_mode: terms.study_mode,
            funding: terms.funding,
            cost_vnd: terms.learner_cost_vnd,
            course_id,
            // The names, and with them the genders, are drawn after the enrollments:
            // `write_officials` sets it.
            official_gender: Gender::Male,
            official_position_id: completed.and_then(|on| person.post_on(on)).map(|p| p.1),
        });
        if let (Some(on), Some((dimension, level))) = (completed, confers) {
            let order = dimension.order_of(level).unwrap_or(0);
            let rank = dimension.rank_of(level).unwrap_or(0);
            batch.qualifications.push(qualification_row(
                ids,
                person.id,
                dimension,
                level,
                on,
                Some(ids.enrollment),
                at,
            ));
            let best = person.levels.entry(dimension).or_insert((order, rank, level));
            if order > best.0 {
                *best = (order, rank, level);
            }
        }
    }
}

/// Where and how a class is held, and what it costs; its enrollments copy them.
#[derive(Debug, Clone, Copy)]
struct Terms {
    location: TrainingLocation,
    study_mode: StudyMode,
    funding: Funding,
    learner_cost_vnd: i64,
    class_cost_vnd: i64,
}

impl Terms {
    /// A class's terms, drawn apart from the generator's stream: degree courses are mostly
    /// studied while working and paid by the learner or the agency, some master's abroad;
    /// political theory is as often part-time as full-time; refresher courses are short,
    /// full-time and paid by the state, their classes costing the organizer the hall and the
    /// lecturers.
    fn of_class(id: i64, kind: CourseKind, confers: Option<(Dimension, &str)>) -> Terms {
        use Funding as F;
        let level = confers.map(|(_, level)| level);
        let abroad_per_mille = match (kind, level) {
            (CourseKind::Degree, Some("master" | "doctorate")) => 60,
            (CourseKind::ForeignLanguage, _) => 30,
            (CourseKind::Degree, _) => 5,
            _ => 0,
        };
        let location = [TrainingLocation::Abroad, TrainingLocation::Domestic]
            [fixed_pick(id, 5, &[abroad_per_mille, 1000 - abroad_per_mille])];
        let part_time_per_mille = match (kind, level) {
            (CourseKind::Degree, _) => 850,
            (CourseKind::PoliticalTheory, Some("advanced")) => 600,
            (CourseKind::PoliticalTheory, _) => 450,
            (CourseKind::ForeignLanguage, _) => 300,
            _ => 0,
        };
        let study_mode = if location == TrainingLocation::Abroad {
            StudyMode::FullTime
        } else {
            [StudyMode::PartTime, StudyMode::FullTime]
                [fixed_pick(id, 6, &[part_time_per_mille, 1000 - part_time_per_mille])]
        };
        let funding = if kind == CourseKind::Degree {
            [F::SelfFunded, F::Agency, F::StateBudget, F::Sponsor][fixed_pick(id, 7, &[550, 250, 120, 80])]
        } else {
            [F::StateBudget, F::Agency][fixed_pick(id, 7, &[900, 100])]
        };
        let learner_cost_vnd: i64 = match (kind, level) {
            (CourseKind::Degree, Some("master")) => 45_000_000,
            (CourseKind::Degree, _) => 30_000_000,
            (CourseKind::PoliticalTheory, Some("advanced")) => 24_000_000,
            (CourseKind::PoliticalTheory, _) => 8_500_000,
            (CourseKind::StateManagement, Some("principal_specialist")) => 6_200_000,
            (CourseKind::StateManagement, _) => 3_600_000,
            (CourseKind::ForeignLanguage, _) => 4_000_000,
            (CourseKind::Leadership, _) => 2_000_000,
            (CourseKind::It, _) => 1_500_000,
            (CourseKind::Party, _) => 100_000,
            _ => 300_000,
        };
        let learner_cost_vnd = if location == TrainingLocation::Abroad {
            learner_cost_vnd * 5
        } else {
            learner_cost_vnd
        };
        let class_cost_vnd = match kind {
            CourseKind::Refresher | CourseKind::Party | CourseKind::Leadership => 15_000_000,
            _ => 0,
        };
        Terms {
            location,
            study_mode,
            funding,
            learner_cost_vnd,
            class_cost_vnd,
        }
    }
}

/// General education: twelve grades for those born from 1975; before, the north's ten-grade
/// system for about half; a few commune officials with nine grades.
fn general_education(born: NaiveDate, id: i64) -> &'static str {
    if born.year() < 1975 && fixed_pick(id, 9, &[500, 500]) == 0 {
        "10/10"
    } else if fixed_pick(id, 10, &[15, 985]) == 0 {
        "9/12"
    } else {
        "12/12"
    }
}

/// An index picked by `weights` (in per mille) with a draw fixed by `id` and `salt`, apart
/// from the generator's stream: the identity fields leave every other draw, and so the
/// benchmarks' data, as they were.
fn fixed_pick(id: i64, salt: u64, weights: &[u32]) -> usize {
    // SplitMix64's finaliser.
    let mut z = id.cast_unsigned() ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    let total: u32 = weights.iter().sum();
    index_at(weights, u32::try_from(z % u64::from(total.max(1))).unwrap_or(0))
}

/// A personal identification number: a code for the province (one of 001–096), and a
/// serial the id makes unique within it (a province has fewer than a million people).
fn national_id(province: usize, female: bool, born: NaiveDate, id: i64) -> String {
    let code = u32::try_from(1 + (province * 3) % 96).unwrap_or(1);
    NationalId::compose(code, female, born, u32::try_from(id % 1_000_000).unwrap_or(0))
}

/// The ethnic group: the minorities concentrated in some provinces (one in five, the
/// mountainous north and the highlands, where they are most of the cadres of many communes),
/// few elsewhere.
fn ethnicity(province: usize, id: i64) -> Option<Ethnicity> {
    // Tày, Thái, Hoa, Khơ-me, Mường, Nùng, HMông, Dao, Gia-rai, Ê-đê, Sán Dìu.
    const MINORITIES: [(&str, u32); 11] = [
        ("02", 190),
        ("03", 180),
        ("04", 70),
        ("05", 130),
        ("06", 150),
        ("07", 100),
        ("08", 120),
        ("09", 80),
        ("10", 40),
        ("12", 40),
        ("18", 20),
    ];
    let share = if province % 5 == 1 { 550 } else { 40 };
    let code = if fixed_pick(id, 1, &[share, 1000 - share]) == 0 {
        MINORITIES[fixed_pick(id, 2, &MINORITIES.map(|(_, w)| w))].0
    } else {
        Ethnicity::KINH
    };
    Ethnicity::parse(code)
}

/// The civil-service rank of a civil servant or a cadre (public employees and part-time
/// workers hold none): specialists most, then principal specialists and clerks.
fn rank(category: Category, id: i64) -> Option<CivilServiceRank> {
    let weights: [u32; 5] = match category {
        Category::CivilServant => [20, 180, 600, 150, 50],
        Category::Cadre => [10, 150, 600, 140, 100],
        Category::PublicEmployee | Category::PartTime => return None,
    };
    Some(CivilServiceRank::ALL[fixed_pick(id, 4, &weights)])
}

/// The religion: most have none; Buddhists and Catholics most of the rest.
fn religion(id: i64) -> Option<Religion> {
    const RELIGIONS: [(&str, u32); 6] = [
        (Religion::NONE, 820),
        ("01", 90),
        ("02", 65),
        ("03", 10),
        ("04", 10),
        ("05", 5),
    ];
    let code = RELIGIONS[fixed_pick(id, 3, &RELIGIONS.map(|(_, w)| w))].0;
    Religion::parse(code)
}

/// The tables whose secondary indexes a load drops and builds again after it: the tables it
/// fills row by row (the first [`LOADED_TABLES`]), then the index of words search reads,
/// written after the load in one statement.
pub const REINDEXED_TABLES: [&str; 7] = [
    "officials",
    "assignments",
    "qualifications",
    "classes",
    "enrollments",
    "official_ranks",
    "search_words",
];

/// How many of [`REINDEXED_TABLES`] the load fills row by row (with explicit ids).
const LOADED_TABLES: usize = 6;

/// The rows of the officials and their assignments.
fn write_officials(g: &mut Generation<'_>, people: &[(Person, NaiveDate)]) {
    let Generation {
        ref mut rng,
        ref mut ids,
        ref mut batch,
        at,
        index,
        ..
    } = *g;
    // The officials and their assignments, with current levels the maximum of their records.
    for (person, born) in people {
        let (unit, position_id, category, _, _) = person.posts[person.posts.len() - 1];
        let middle = MIDDLE[rng.gen_range(0..MIDDLE.len())];
        let name = format!(
            "{} {middle} {}",
            FAMILY[rng.gen_range(0..FAMILY.len())],
            GIVEN[rng.gen_range(0..GIVEN.len())]
        );
        let female = match middle {
            "Thị" => true,
            "Văn" | "Đức" | "Hữu" => false,
            _ => rng.gen_bool(0.5),
        };
        let level = |d: Dimension| person.levels.get(&d).map_or("none", |l| l.2);
        // Civil servants and cadres hold a rank from their first post on.
        let rank = rank(category, person.id);
        if let Some(rank) = rank {
            ids.rank += 1;
            batch.ranks.push(RankRow {
                id: ids.rank,
                official_id: person.id,
                rank,
                since: person.posts[0].3,
                created_at: at,
                version: 1,
            });
        }
        batch.officials.push(OfficialRow {
            id: person.id,
            code: format!("CB{:08}", person.id),
            search_name: fold(&name),
            given_name_key: given_name_key(&name),
            full_name: name,
            gender: if female { Gender::Female } else { Gender::Male },
            date_of_birth: Some(*born),
            unit_id: unit,
            position_id: Some(position_id),
            category,
            party_joined_on: None,
            status: if person.separated_on.is_some() {
                OfficialStatus::Retired
            } else {
                OfficialStatus::Active
            },
            separated_on: person.separated_on,
            education: level(Dimension::Education),
            political_theory: level(Dimension::PoliticalTheory),
            state_management: level(Dimension::StateManagement),
            it: level(Dimension::It),
            foreign_language: level(Dimension::ForeignLanguage),
            created_at: at,
            updated_at: at,
            version: 1,
            national_id: Some(national_id(index, female, *born, person.id)),
            ethnicity: ethnicity(index, person.id),
            religion: religion(person.id),
            rank,
            general_education: Some(general_education(*born, person.id).to_owned()),
        });
        let last = person.posts.len() - 1;
        for (i, (unit, position_id, category, from, to)) in person.posts.iter().enumerate() {
            ids.assignment += 1;
            let end_reason = match to {
                None => None,
                Some(_) if i == last => Some(EndReason::Retired),
                Some(_) => Some(EndReason::Transfer),
            };
            batch.assignments.push(AssignmentRow {
                id: ids.assignment,
                official_id: person.id,
                unit_id: *unit,
                position_id: Some(*position_id),
                category: *category,
                started_on: *from,
                ended_on: *to,
                end_reason,
                created_at: at,
                updated_at: at,
            });
        }
    }
    // Each enrollment carries its official's gender.
    let genders: HashMap<i64, Gender> = batch.officials.iter().map(|o| (o.id, o.gender)).collect();
    for enrollment in &mut batch.enrollments {
        if let Some(gender) = genders.get(&enrollment.official_id) {
            enrollment.official_gender = *gender;
        }
    }
}
