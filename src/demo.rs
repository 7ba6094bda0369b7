//! The demo data set: Phúc Yên city (Vĩnh Phúc province) as a 2019 report describes it.
//!
//! Built through the same model code the API uses, in one transaction. The reports give
//! the article's figures on it exactly:
//! - ward Phúc Thắng on 2019-05-30: 11 full-time cadres, 10 with a university degree and
//!   1 with an intermediate one, 10 at intermediate political theory or above;
//! - Phúc Thắng from 2015 to 2019-05-30: 16 officials sent to degree and political-theory
//!   training, 22 to refresher courses;
//! - the city in 2018: 4 officials sent to advanced political theory, 3 to master's
//!   programmes, 2 to the principal-specialist programme; it organized 1 intermediate
//!   political-theory class of 70 learners, 1 refresher for party committee members of
//!   296, and 17 refresher and party classes of 2,634.
//!
//! - the training plans of Phúc Thắng and of the city for 2018 and 2019: what the ward
//!   planned in 2018 (three to intermediate political theory, four party committee members
//!   to their refresher, a degree for Bùi Văn Lợi) it did, but for the degree, still open.
//!
//! Names are invented, except Lê Minh Công and Phan Thanh Hải, whom the article names.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::schema::{classes, courses, officials, positions, units};
use crate::db::{audited, Actor, Db, DbConn};
use crate::domain::{
    AuditAction, AuditEntity, Category, CivilServiceRank, ClassStatus, CourseKind, Dimension, EducationLevel,
    EnrollmentStatus, Ethnicity, Funding, Gender, NationalId, NeedReason, OfficialStatus, PlanStatus,
    PoliticalTheoryLevel, Religion, StateManagementLevel, StudyMode, TrainingLocation, UnitKind,
};
use crate::error::{ApiError, ConflictKind};
use crate::model::class::{ClassInput, NewClass, TrainingClass};
use crate::model::course::{Course, CourseInput, NewCourse};
use crate::model::enrollment::{Enrollment, EnrollmentUpdate, TrainingTerms};
use crate::model::official::{Move, NewOfficial, Official, OfficialInput};
use crate::model::plan::{NewPlanItem, Plan, PlanChanges, PlanItem};
use crate::model::plan_need::{NewNeed, PlanNeed};
use crate::model::position::{NewPosition, Position};
use crate::model::qualification::{NewQualification, Qualification, QualificationInput};
use crate::model::rank::RankRecord;
use crate::model::unit::{NewUnit, Unit, UnitChanges};

/// The code of the unit whose presence says the demo is loaded.
const MARKER: &str = "VP-PY-PT";

/// What seeding did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seeded {
    /// The data set was loaded.
    Loaded,
    /// It was already there; nothing changed.
    AlreadyLoaded,
}

/// Loads the demo data set. Idempotent; refuses a database holding other records unless `force`.
pub fn seed(db: &Db, force: bool) -> Result<Seeded, ApiError> {
    let mut conn = db.connection()?;
    let present: i64 = units::table
        .filter(units::code.eq(MARKER))
        .count()
        .get_result(&mut conn)?;
    if present > 0 {
        return Ok(Seeded::AlreadyLoaded);
    }
    // A load that started meanwhile makes the database non-empty: this one is then refused.
    audited(&mut conn, Actor::system(), |conn, audit| {
        let records: i64 = units::table.count().get_result::<i64>(conn)?
            + positions::table.count().get_result::<i64>(conn)?
            + officials::table.count().get_result::<i64>(conn)?
            + courses::table.count().get_result::<i64>(conn)?
            + classes::table.count().get_result::<i64>(conn)?;
        if records > 0 && !force {
            return Err(ApiError::Conflict(ConflictKind::NotEmpty, format!(
                "the database already holds {records} records: seed the demo only into an empty database, or pass --force"
            )));
        }
        build(conn)?;
        audit.record::<(), ()>(AuditAction::SeedDemo, AuditEntity::Database, None, None, None)?;
        Ok(Seeded::Loaded)
    })
}

// The data set. Records refer to each other by code; the loaders below turn codes into ids.

/// The minimum levels a post requires: education, political theory, state management.
type Standard = (
    Option<EducationLevel>,
    Option<PoliticalTheoryLevel>,
    Option<StateManagementLevel>,
);
/// Ward cadres need a university degree and intermediate political theory.
const WARD_CADRE: Standard = (
    Some(EducationLevel::University),
    Some(PoliticalTheoryLevel::Intermediate),
    None,
);
/// Ward civil servants need an intermediate education.
const WARD_SERVANT: Standard = (Some(EducationLevel::Intermediate), None, None);
/// Part-time posts have no standard.
const NO_STANDARD: Standard = (None, None, None);

const F: Gender = Gender::Female;
const M: Gender = Gender::Male;

/// A person: code, full name, gender, date of birth, unit, post, first day.
type PersonRow = (
    &'static str,
    &'static str,
    Gender,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// A class: code, name, course, organizer, first day, last day, external learners, status.
type ClassRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i32,
    ClassStatus,
);

/// A course: code, title, kind, the level completing it confers, field of study, provider.
type CourseRow = (
    &'static str,
    &'static str,
    CourseKind,
    Option<(Dimension, &'static str)>,
    Option<&'static str>,
    &'static str,
);

/// A step of a career after the first post.
enum Event {
    /// The official (code) moves to a unit and a post on a day.
    Move(&'static str, &'static str, &'static str, &'static str),
    /// The official (code) retires on a day.
    Retire(&'static str, &'static str),
}

/// What became of an enrollment.
#[derive(Clone, Copy)]
enum Outcome {
    Nominated,
    Completed,
    Failed,
    Withdrawn,
}

impl Outcome {
    /// The status changes after the nomination that lead to it.
    fn steps(self) -> &'static [EnrollmentStatus] {
        match self {
            Outcome::Nominated => &[],
            Outcome::Completed => &[EnrollmentStatus::Enrolled, EnrollmentStatus::Completed],
            Outcome::Failed => &[EnrollmentStatus::Enrolled, EnrollmentStatus::Failed],
            Outcome::Withdrawn => &[EnrollmentStatus::Withdrawn],
        }
    }
}

/// The administrative tree, parents first: code, name, kind, the parent's code.
#[rustfmt::skip]
const UNITS: &[(&str, &str, UnitKind, Option<&str>)] = &[
    ("VP", "Tỉnh Vĩnh Phúc", UnitKind::Province, None),
    ("VP-SNV", "Sở Nội vụ tỉnh Vĩnh Phúc", UnitKind::Agency, Some("VP")),
    ("VP-TU", "Tỉnh ủy Vĩnh Phúc", UnitKind::Agency, Some("VP")),
    ("VP-VY", "Thành phố Vĩnh Yên", UnitKind::City, Some("VP")),
    ("VP-PY", "Thành phố Phúc Yên", UnitKind::City, Some("VP")),
    ("VP-PY-TU", "Thành ủy Phúc Yên", UnitKind::Agency, Some("VP-PY")),
    ("VP-PY-UB", "Ủy ban nhân dân thành phố Phúc Yên", UnitKind::Agency, Some("VP-PY")),
    ("VP-PY-PT", "Phường Phúc Thắng", UnitKind::Ward, Some("VP-PY")),
    ("VP-PY-HV", "Phường Hùng Vương", UnitKind::Ward, Some("VP-PY")),
    ("VP-PY-TT", "Phường Trưng Trắc", UnitKind::Ward, Some("VP-PY")),
    ("VP-PY-TN", "Phường Trưng Nhị", UnitKind::Ward, Some("VP-PY")),
    ("VP-PY-XH", "Phường Xuân Hòa", UnitKind::Ward, Some("VP-PY")),
    ("VP-PY-DX", "Phường Đồng Xuân", UnitKind::Ward, Some("VP-PY")),
    ("VP-PY-CM", "Xã Cao Minh", UnitKind::Commune, Some("VP-PY")),
    ("VP-PY-NV", "Xã Nam Viêm", UnitKind::Commune, Some("VP-PY")),
    ("VP-PY-NT", "Xã Ngọc Thanh", UnitKind::Commune, Some("VP-PY")),
    ("VP-PY-TC", "Xã Tiền Châu", UnitKind::Commune, Some("VP-PY")),
];

/// Units dissolved since (code, day): reports about earlier days still see them.
#[rustfmt::skip]
const DISSOLVED: &[(&str, &str)] = &[
    ("VP-PY", "2025-07-01"),
];

/// Posts and their standards: code, title, category, and the minimum education,
/// political theory and state management their holders need.
#[rustfmt::skip]
const POSTS: &[(&str, &str, Category, Standard)] = &[
    ("P-BT", "Bí thư Đảng ủy phường", Category::Cadre, WARD_CADRE),
    ("P-PBT", "Phó Bí thư Đảng ủy phường", Category::Cadre, WARD_CADRE),
    ("P-CT-HDND", "Chủ tịch Hội đồng nhân dân phường", Category::Cadre, WARD_CADRE),
    ("P-PCT-HDND", "Phó Chủ tịch Hội đồng nhân dân phường", Category::Cadre, WARD_CADRE),
    ("P-CT-UBND", "Chủ tịch Ủy ban nhân dân phường", Category::Cadre, WARD_CADRE),
    ("P-PCT-UBND", "Phó Chủ tịch Ủy ban nhân dân phường", Category::Cadre, WARD_CADRE),
    ("P-CT-MTTQ", "Chủ tịch Ủy ban MTTQ phường", Category::Cadre, WARD_CADRE),
    ("P-BT-DOAN", "Bí thư Đoàn TNCS Hồ Chí Minh phường", Category::Cadre, WARD_CADRE),
    ("P-CT-PN", "Chủ tịch Hội Liên hiệp Phụ nữ phường", Category::Cadre, WARD_CADRE),
    ("P-CT-ND", "Chủ tịch Hội Nông dân phường", Category::Cadre, WARD_CADRE),
    ("P-CT-CCB", "Chủ tịch Hội Cựu chiến binh phường", Category::Cadre, WARD_CADRE),
    ("P-PCT-MTTQ", "Phó Chủ tịch Ủy ban MTTQ phường", Category::PartTime, NO_STANDARD),
    ("P-PCT-CCB", "Phó Chủ tịch Hội Cựu chiến binh phường", Category::PartTime, NO_STANDARD),
    ("P-CC-QS", "Chỉ huy trưởng Quân sự phường", Category::CivilServant, WARD_SERVANT),
    ("P-CC-VP", "Công chức Văn phòng - Thống kê", Category::CivilServant, WARD_SERVANT),
    ("P-CC-DC", "Công chức Địa chính - Xây dựng - Đô thị và Môi trường", Category::CivilServant, WARD_SERVANT),
    ("P-CC-TC", "Công chức Tài chính - Kế toán", Category::CivilServant, WARD_SERVANT),
    ("P-CC-TP", "Công chức Tư pháp - Hộ tịch", Category::CivilServant, WARD_SERVANT),
    ("P-CC-VH", "Công chức Văn hóa - Xã hội", Category::CivilServant, WARD_SERVANT),
    ("TP-UVBTV", "Ủy viên Ban Thường vụ Thành ủy", Category::Cadre, (Some(EducationLevel::University), Some(PoliticalTheoryLevel::Advanced), None)),
    ("TP-TRP", "Trưởng phòng chuyên môn thành phố", Category::CivilServant, (Some(EducationLevel::University), Some(PoliticalTheoryLevel::Intermediate), Some(StateManagementLevel::Specialist))),
    ("TP-CV", "Chuyên viên", Category::CivilServant, (Some(EducationLevel::University), None, Some(StateManagementLevel::Specialist))),
];

/// The people, as first registered: code, full name, gender, date of birth, unit, post,
/// first day.
#[rustfmt::skip]
const PEOPLE: &[PersonRow] = &[
    // Ward Phúc Thắng: its eleven full-time cadres (C), a cadre who retired in 2017 (R), a
    // part-time officer (K) and its civil servants (S).
    ("PT-C01", "Nguyễn Thị Thu Hà", F, "1972-04-12", "VP-PY-PT", "P-BT", "2010-07-01"),
    ("PT-C02", "Phan Thanh Hải", M, "1975-09-03", "VP-PY-XH", "P-PCT-UBND", "2010-01-04"),
    ("PT-C03", "Trần Văn Bình", M, "1968-02-20", "VP-PY-PT", "P-CT-HDND", "2011-05-01"),
    ("PT-C04", "Lê Thị Hồng", F, "1979-11-08", "VP-PY-PT", "P-PCT-HDND", "2011-05-01"),
    ("PT-C05", "Đỗ Văn Hùng", M, "1974-06-15", "VP-PY-PT", "P-CT-UBND", "2011-05-01"),
    ("PT-C06", "Nguyễn Văn Dũng", M, "1981-01-25", "VP-PY-PT", "P-PCT-UBND", "2012-03-01"),
    ("PT-C07", "Hoàng Thị Lan", F, "1976-07-30", "VP-PY-PT", "P-CT-MTTQ", "2014-10-01"),
    ("PT-C08", "Vũ Thị Mai", F, "1983-05-19", "VP-PY-PT", "P-CT-PN", "2014-10-01"),
    ("PT-C09", "Ngô Văn Thắng", M, "1970-12-02", "VP-PY-PT", "P-CT-ND", "2013-06-01"),
    ("PT-C10", "Đặng Quốc Tuấn", M, "1990-03-14", "VP-PY-PT", "P-BT-DOAN", "2015-01-05"),
    ("PT-C11", "Bùi Văn Lợi", M, "1960-08-22", "VP-PY-PT", "P-PCT-CCB", "2013-01-02"),
    ("PT-R01", "Nguyễn Văn Tùng", M, "1957-03-10", "VP-PY-PT", "P-CT-CCB", "2008-01-02"),
    ("PT-K01", "Lê Minh Công", M, "1978-10-05", "VP-PY-PT", "P-PCT-MTTQ", "2014-06-01"),
    ("PT-S01", "Nguyễn Văn Cường", M, "1978-01-10", "VP-PY-PT", "P-CC-QS", "2012-01-03"),
    ("PT-S02", "Phạm Thị Hương", F, "1979-02-11", "VP-PY-PT", "P-CC-VP", "2012-01-03"),
    ("PT-S03", "Trịnh Thị Ngọc", F, "1980-03-12", "VP-PY-PT", "P-CC-VP", "2012-01-03"),
    ("PT-S04", "Lê Văn Nam", M, "1981-04-13", "VP-PY-PT", "P-CC-DC", "2012-01-03"),
    ("PT-S05", "Đào Văn Sơn", M, "1982-05-14", "VP-PY-PT", "P-CC-DC", "2012-01-03"),
    ("PT-S06", "Nguyễn Thị Thủy", F, "1983-06-15", "VP-PY-PT", "P-CC-TC", "2012-01-03"),
    ("PT-S07", "Kiều Thị Yến", F, "1984-07-16", "VP-PY-PT", "P-CC-TC", "2012-01-03"),
    ("PT-S08", "Trần Thị Thanh", F, "1985-08-17", "VP-PY-PT", "P-CC-TP", "2012-01-03"),
    ("PT-S09", "Dương Văn Khánh", M, "1986-09-18", "VP-PY-PT", "P-CC-TP", "2012-01-03"),
    ("PT-S10", "Phùng Thị Nga", F, "1987-01-10", "VP-PY-PT", "P-CC-VH", "2012-01-03"),
    ("PT-S11", "Hà Văn Long", M, "1988-02-11", "VP-PY-PT", "P-CC-VH", "2012-01-03"),
    ("PT-S12", "Lương Thị Quyên", F, "1989-03-12", "VP-PY-PT", "P-CC-VH", "2012-01-03"),
    // The city's party committee and hall, and people of the other wards.
    ("TP-01", "Nguyễn Đức Toàn", M, "1970-05-05", "VP-PY-TU", "TP-UVBTV", "2010-01-04"),
    ("TP-02", "Lê Thị Phương", F, "1975-02-11", "VP-PY-TU", "TP-UVBTV", "2012-01-03"),
    ("TP-03", "Trần Quang Huy", M, "1980-09-09", "VP-PY-TU", "TP-CV", "2013-01-03"),
    ("TP-UB01", "Phạm Văn Đông", M, "1980-03-01", "VP-PY-UB", "TP-TRP", "2011-01-03"),
    ("TP-UB02", "Nguyễn Thị Vân", F, "1981-03-02", "VP-PY-UB", "TP-TRP", "2011-01-03"),
    ("TP-UB03", "Hoàng Văn Minh", M, "1982-03-03", "VP-PY-UB", "TP-CV", "2011-01-03"),
    ("TP-UB04", "Lê Thị Thảo", F, "1983-03-04", "VP-PY-UB", "TP-CV", "2011-01-03"),
    ("TP-UB05", "Vũ Văn Tài", M, "1984-03-05", "VP-PY-UB", "TP-CV", "2011-01-03"),
    ("TP-UB06", "Đinh Thị Hạnh", F, "1985-03-06", "VP-PY-UB", "TP-CV", "2011-01-03"),
    ("PY-HV-01", "Nguyễn Văn Hòa", M, "1982-06-01", "VP-PY-HV", "P-CT-UBND", "2012-01-03"),
    ("PY-HV-02", "Trần Thị Liên", F, "1982-06-01", "VP-PY-HV", "P-CC-VP", "2012-01-03"),
    ("PY-HV-03", "Lê Văn Quý", M, "1982-06-01", "VP-PY-HV", "P-CC-TP", "2012-01-03"),
    ("PY-TT-01", "Phạm Thị Hoa", F, "1982-06-01", "VP-PY-TT", "P-PCT-UBND", "2012-01-03"),
    ("PY-TT-02", "Đỗ Văn Khôi", M, "1982-06-01", "VP-PY-TT", "P-CC-DC", "2012-01-03"),
    ("PY-TT-03", "Ngô Thị Hiền", F, "1982-06-01", "VP-PY-TT", "P-CC-VH", "2012-01-03"),
    ("PY-XH-01", "Bùi Thị Dung", F, "1982-06-01", "VP-PY-XH", "P-CT-MTTQ", "2012-01-03"),
    ("PY-XH-02", "Trịnh Văn Phúc", M, "1982-06-01", "VP-PY-XH", "P-PBT", "2012-01-03"),
    ("PY-TN-01", "Lương Văn Bắc", M, "1982-06-01", "VP-PY-TN", "P-CC-TC", "2012-01-03"),
    ("PY-DX-01", "Kim Thị Oanh", F, "1982-06-01", "VP-PY-DX", "P-CC-TP", "2012-01-03"),
];

/// What happened to them since, in order: moves to another post, and retirements.
#[rustfmt::skip]
const CAREERS: &[Event] = &[
    Event::Move("PT-C02", "VP-PY-PT", "P-PBT", "2016-09-01"),
    Event::Retire("PT-R01", "2017-06-30"),
    Event::Move("PT-C11", "VP-PY-PT", "P-CT-CCB", "2017-07-01"),
    // The chairman of the ward's people's committee moved to the city hall in 2020: in 2019
    // he was still in the ward.
    Event::Move("PT-C05", "VP-PY-UB", "TP-TRP", "2020-01-02"),
];

/// What they held before the window the reports look at: official, dimension, level,
/// day awarded, field of study.
#[rustfmt::skip]
const HELD: &[(&str, Dimension, &str, &str, Option<&str>)] = &[
    ("PT-C01", Dimension::Education, "university", "2004-06-30", Some("Hành chính học")),
    ("PT-C02", Dimension::Education, "university", "2004-06-30", Some("Hành chính học")),
    ("PT-C03", Dimension::Education, "university", "2004-06-30", Some("Hành chính học")),
    ("PT-C04", Dimension::Education, "university", "2004-06-30", Some("Hành chính học")),
    ("PT-C05", Dimension::Education, "university", "2004-06-30", Some("Hành chính học")),
    ("PT-C06", Dimension::Education, "university", "2004-06-30", Some("Hành chính học")),
    ("PT-C07", Dimension::Education, "university", "2004-06-30", Some("Hành chính học")),
    ("PT-C08", Dimension::Education, "university", "2004-06-30", Some("Hành chính học")),
    ("PT-C10", Dimension::Education, "university", "2004-06-30", Some("Hành chính học")),
    ("PT-C09", Dimension::Education, "intermediate", "1995-06-30", Some("Kế toán")),
    ("PT-C11", Dimension::Education, "intermediate", "1990-06-30", Some("Quân sự")),
    ("PT-R01", Dimension::Education, "intermediate", "1985-06-30", None),
    ("PT-K01", Dimension::Education, "university", "2001-06-30", Some("Luật")),
    ("PT-C01", Dimension::PoliticalTheory, "intermediate", "2009-06-30", None),
    ("PT-C02", Dimension::PoliticalTheory, "advanced", "2013-12-20", None),
    ("PT-C05", Dimension::PoliticalTheory, "intermediate", "2012-06-30", None),
    ("PT-C09", Dimension::PoliticalTheory, "intermediate", "2013-06-30", None),
    ("PT-C10", Dimension::PoliticalTheory, "elementary", "2014-08-30", None),
    ("PT-C11", Dimension::PoliticalTheory, "intermediate", "2008-06-30", None),
    ("PT-R01", Dimension::PoliticalTheory, "intermediate", "2000-06-30", None),
    ("PT-S01", Dimension::Education, "university", "2008-06-30", None),
    ("PT-S01", Dimension::It, "basic", "2010-06-30", None),
    ("PT-S02", Dimension::Education, "university", "2008-06-30", None),
    ("PT-S02", Dimension::It, "basic", "2010-06-30", None),
    ("PT-S03", Dimension::Education, "university", "2008-06-30", None),
    ("PT-S03", Dimension::It, "basic", "2010-06-30", None),
    ("PT-S04", Dimension::Education, "university", "2008-06-30", None),
    ("PT-S04", Dimension::It, "basic", "2010-06-30", None),
    ("PT-S05", Dimension::Education, "university", "2008-06-30", None),
    ("PT-S05", Dimension::It, "basic", "2010-06-30", None),
    ("PT-S06", Dimension::Education, "intermediate", "2008-06-30", None),
    ("PT-S06", Dimension::It, "basic", "2010-06-30", None),
    ("PT-S07", Dimension::Education, "intermediate", "2008-06-30", None),
    ("PT-S07", Dimension::It, "basic", "2010-06-30", None),
    ("PT-S08", Dimension::Education, "university", "2008-06-30", None),
    ("PT-S08", Dimension::It, "basic", "2010-06-30", None),
    ("PT-S09", Dimension::Education, "university", "2008-06-30", None),
    ("PT-S09", Dimension::It, "basic", "2010-06-30", None),
    ("PT-S10", Dimension::Education, "university", "2008-06-30", None),
    ("PT-S10", Dimension::It, "basic", "2010-06-30", None),
    ("PT-S11", Dimension::Education, "university", "2008-06-30", None),
    ("PT-S11", Dimension::It, "basic", "2010-06-30", None),
    ("PT-S12", Dimension::Education, "university", "2008-06-30", None),
    ("PT-S12", Dimension::It, "basic", "2010-06-30", None),
    ("TP-01", Dimension::Education, "university", "2005-06-30", None),
    ("TP-02", Dimension::Education, "university", "2005-06-30", None),
    ("TP-03", Dimension::Education, "university", "2005-06-30", None),
    ("TP-UB01", Dimension::Education, "university", "2005-06-30", None),
    ("TP-UB02", Dimension::Education, "university", "2005-06-30", None),
    ("TP-UB03", Dimension::Education, "university", "2005-06-30", None),
    ("TP-UB04", Dimension::Education, "university", "2005-06-30", None),
    ("TP-UB05", Dimension::Education, "university", "2005-06-30", None),
    ("TP-UB06", Dimension::Education, "university", "2005-06-30", None),
    ("PY-HV-01", Dimension::Education, "university", "2005-06-30", None),
    ("PY-HV-02", Dimension::Education, "university", "2005-06-30", None),
    ("PY-HV-03", Dimension::Education, "university", "2005-06-30", None),
    ("PY-TT-01", Dimension::Education, "university", "2005-06-30", None),
    ("PY-TT-02", Dimension::Education, "university", "2005-06-30", None),
    ("PY-TT-03", Dimension::Education, "university", "2005-06-30", None),
    ("PY-XH-01", Dimension::Education, "university", "2005-06-30", None),
    ("PY-XH-02", Dimension::Education, "university", "2005-06-30", None),
    ("PY-TN-01", Dimension::Education, "university", "2005-06-30", None),
    ("PY-DX-01", Dimension::Education, "university", "2005-06-30", None),
    ("TP-01", Dimension::PoliticalTheory, "intermediate", "2011-06-30", None),
    ("TP-02", Dimension::PoliticalTheory, "intermediate", "2011-06-30", None),
    ("TP-UB01", Dimension::PoliticalTheory, "intermediate", "2011-06-30", None),
    ("TP-UB02", Dimension::PoliticalTheory, "intermediate", "2011-06-30", None),
    ("TP-03", Dimension::StateManagement, "specialist", "2012-06-30", None),
    ("TP-UB03", Dimension::StateManagement, "specialist", "2012-06-30", None),
    ("TP-UB04", Dimension::StateManagement, "specialist", "2012-06-30", None),
    ("TP-UB05", Dimension::StateManagement, "specialist", "2012-06-30", None),
    ("TP-UB06", Dimension::StateManagement, "specialist", "2012-06-30", None),
    ("TP-UB01", Dimension::StateManagement, "specialist", "2012-06-30", None),
    ("TP-UB02", Dimension::StateManagement, "specialist", "2012-06-30", None),
];

/// Courses: code, title, kind, what completing it confers, field of study, provider.
#[rustfmt::skip]
const COURSES: &[CourseRow] = &[
    ("TC-LLCT", "Trung cấp lý luận chính trị - hành chính", CourseKind::PoliticalTheory, Some((Dimension::PoliticalTheory, "intermediate")), Some("Lý luận chính trị"), "Trường Chính trị tỉnh Vĩnh Phúc"),
    ("CC-LLCT", "Cao cấp lý luận chính trị", CourseKind::PoliticalTheory, Some((Dimension::PoliticalTheory, "advanced")), Some("Lý luận chính trị"), "Học viện Chính trị khu vực I"),
    ("DH-LUAT", "Đại học Luật (vừa làm vừa học)", CourseKind::Degree, Some((Dimension::Education, "university")), Some("Luật"), "Trường Đại học Luật Hà Nội"),
    ("DH-HC", "Đại học Hành chính (vừa làm vừa học)", CourseKind::Degree, Some((Dimension::Education, "university")), Some("Hành chính học"), "Học viện Hành chính Quốc gia"),
    ("THS-QLC", "Thạc sĩ Quản lý công", CourseKind::Degree, Some((Dimension::Education, "master")), Some("Quản lý công"), "Học viện Hành chính Quốc gia"),
    ("QLNN-CV", "Bồi dưỡng quản lý nhà nước ngạch chuyên viên", CourseKind::StateManagement, Some((Dimension::StateManagement, "specialist")), None, "Trường Chính trị tỉnh Vĩnh Phúc"),
    ("QLNN-CVC", "Bồi dưỡng quản lý nhà nước ngạch chuyên viên chính", CourseKind::StateManagement, Some((Dimension::StateManagement, "principal_specialist")), None, "Học viện Hành chính Quốc gia"),
    ("TH-CB", "Ứng dụng công nghệ thông tin cơ bản", CourseKind::It, Some((Dimension::It, "basic")), None, "Trường Chính trị tỉnh Vĩnh Phúc"),
    ("BD-CBCC-XA", "Bồi dưỡng cán bộ, công chức cấp xã theo vị trí việc làm", CourseKind::Refresher, None, None, "Trường Chính trị tỉnh Vĩnh Phúc"),
    ("BD-CD", "Bồi dưỡng nghiệp vụ, chuyên đề", CourseKind::Refresher, None, None, "Trung tâm Bồi dưỡng chính trị thành phố Phúc Yên"),
    ("BD-CUV", "Bồi dưỡng nghiệp vụ cấp ủy viên chi, đảng bộ trực thuộc", CourseKind::Leadership, None, None, "Trường Chính trị tỉnh Vĩnh Phúc"),
    ("DANG-DT", "Bồi dưỡng nhận thức về Đảng (đối tượng Đảng)", CourseKind::Party, None, None, "Trung tâm Bồi dưỡng chính trị thành phố Phúc Yên"),
    ("DANG-DVM", "Bồi dưỡng đảng viên mới", CourseKind::Party, None, None, "Trung tâm Bồi dưỡng chính trị thành phố Phúc Yên"),
];

/// How each course's classes are held and paid for: course, study mode, funding, each
/// learner's cost and a class's own cost (đồng). Degree courses are studied while working and
/// paid for partly by the learner; the city's refresher and party classes cost it the hall and
/// the lecturers.
#[rustfmt::skip]
const COURSE_TERMS: &[(&str, StudyMode, Funding, i64, i64)] = &[
    ("TC-LLCT", StudyMode::PartTime, Funding::StateBudget, 8_500_000, 120_000_000),
    ("CC-LLCT", StudyMode::PartTime, Funding::StateBudget, 24_000_000, 0),
    ("DH-LUAT", StudyMode::PartTime, Funding::SelfFunded, 32_000_000, 0),
    ("DH-HC", StudyMode::PartTime, Funding::SelfFunded, 30_000_000, 0),
    ("THS-QLC", StudyMode::PartTime, Funding::Agency, 45_000_000, 0),
    ("QLNN-CV", StudyMode::FullTime, Funding::StateBudget, 3_600_000, 0),
    ("QLNN-CVC", StudyMode::FullTime, Funding::StateBudget, 6_200_000, 0),
    ("TH-CB", StudyMode::FullTime, Funding::StateBudget, 1_500_000, 0),
    ("BD-CBCC-XA", StudyMode::FullTime, Funding::StateBudget, 1_200_000, 18_000_000),
    ("BD-CD", StudyMode::FullTime, Funding::StateBudget, 150_000, 9_000_000),
    ("BD-CUV", StudyMode::FullTime, Funding::StateBudget, 600_000, 35_000_000),
    ("DANG-DT", StudyMode::FullTime, Funding::StateBudget, 100_000, 8_000_000),
    ("DANG-DVM", StudyMode::FullTime, Funding::StateBudget, 100_000, 8_000_000),
];

/// Classes: code, name, course, organizer, first and last day, learners who are not
/// officials kept here, status.
#[rustfmt::skip]
const CLASSES: &[ClassRow] = &[
    ("TC-2015", "Trung cấp LLCT-HC thị xã Phúc Yên khóa 2015", "TC-LLCT", "VP-PY-TU", "2015-09-07", "2016-06-30", 52, ClassStatus::Finished),
    ("TC-2017", "Trung cấp LLCT-HC thị xã Phúc Yên khóa 2017", "TC-LLCT", "VP-PY-TU", "2017-03-06", "2017-12-22", 48, ClassStatus::Finished),
    ("CC-2016", "Cao cấp LLCT hệ không tập trung khóa 2016", "CC-LLCT", "VP-TU", "2016-04-04", "2017-10-27", 95, ClassStatus::Finished),
    ("DH-LUAT-2015", "Đại học Luật vừa làm vừa học khóa 2015", "DH-LUAT", "VP-SNV", "2015-10-10", "2019-01-15", 60, ClassStatus::Finished),
    ("DH-HC-2016", "Đại học Hành chính vừa làm vừa học khóa 2016", "DH-HC", "VP-SNV", "2016-10-01", "2020-06-30", 70, ClassStatus::Finished),
    ("TC-2019", "Trung cấp LLCT-HC thành phố Phúc Yên khóa 2019", "TC-LLCT", "VP-PY-TU", "2019-09-09", "2020-05-29", 64, ClassStatus::Finished),
    ("BD-XA-2016", "Bồi dưỡng CBCC phường, xã năm 2016", "BD-CBCC-XA", "VP-PY-UB", "2016-05-09", "2016-05-20", 120, ClassStatus::Finished),
    ("QLNN-CV-2017", "Bồi dưỡng QLNN ngạch chuyên viên năm 2017", "QLNN-CV", "VP-SNV", "2017-05-15", "2017-08-25", 80, ClassStatus::Finished),
    ("TH-2017", "Ứng dụng CNTT cơ bản năm 2017", "TH-CB", "VP-SNV", "2017-09-11", "2017-10-20", 40, ClassStatus::Finished),
    ("CC-2018", "Cao cấp LLCT hệ không tập trung khóa 2018", "CC-LLCT", "VP-TU", "2018-09-10", "2020-06-30", 92, ClassStatus::Finished),
    ("THS-2018", "Thạc sĩ Quản lý công khóa 2018", "THS-QLC", "VP-SNV", "2018-10-15", "2020-12-20", 45, ClassStatus::Finished),
    ("QLNN-CVC-2018", "Bồi dưỡng QLNN ngạch chuyên viên chính năm 2018", "QLNN-CVC", "VP-SNV", "2018-06-04", "2018-08-31", 110, ClassStatus::Finished),
    ("TC-2018", "Trung cấp LLCT-HC thành phố Phúc Yên khóa 2018", "TC-LLCT", "VP-PY-TU", "2018-03-05", "2018-12-21", 60, ClassStatus::Finished),
    ("BD-CUV-2018", "Bồi dưỡng nghiệp vụ cấp ủy viên năm 2018", "BD-CUV", "VP-PY-TU", "2018-07-02", "2018-07-06", 290, ClassStatus::Finished),
    ("BD-CD-2018-01", "Bồi dưỡng chuyên đề số 1 năm 2018", "BD-CD", "VP-PY-UB", "2018-01-10", "2018-01-10", 177, ClassStatus::Finished),
    ("BD-CD-2018-02", "Bồi dưỡng chuyên đề số 2 năm 2018", "BD-CD", "VP-PY-UB", "2018-02-11", "2018-02-11", 165, ClassStatus::Finished),
    ("BD-CD-2018-03", "Bồi dưỡng chuyên đề số 3 năm 2018", "BD-CD", "VP-PY-UB", "2018-03-12", "2018-03-12", 142, ClassStatus::Finished),
    ("BD-CD-2018-04", "Bồi dưỡng chuyên đề số 4 năm 2018", "BD-CD", "VP-PY-TU", "2018-04-13", "2018-04-13", 210, ClassStatus::Finished),
    ("BD-CD-2018-05", "Bồi dưỡng chuyên đề số 5 năm 2018", "BD-CD", "VP-PY-TU", "2018-05-14", "2018-05-14", 155, ClassStatus::Finished),
    ("BD-CD-2018-06", "Bồi dưỡng chuyên đề số 6 năm 2018", "BD-CD", "VP-PY-UB", "2018-06-15", "2018-06-15", 130, ClassStatus::Finished),
    ("BD-CD-2018-07", "Bồi dưỡng chuyên đề số 7 năm 2018", "BD-CD", "VP-PY-UB", "2018-07-16", "2018-07-16", 175, ClassStatus::Finished),
    ("BD-CD-2018-08", "Bồi dưỡng chuyên đề số 8 năm 2018", "BD-CD", "VP-PY-TU", "2018-08-17", "2018-08-17", 160, ClassStatus::Finished),
    ("BD-CD-2018-09", "Bồi dưỡng chuyên đề số 9 năm 2018", "BD-CD", "VP-PY-HV", "2018-09-18", "2018-09-18", 148, ClassStatus::Finished),
    ("BD-CD-2018-10", "Bồi dưỡng chuyên đề số 10 năm 2018", "BD-CD", "VP-PY-PT", "2018-10-10", "2018-10-10", 138, ClassStatus::Finished),
    ("BD-CD-2018-11", "Bồi dưỡng chuyên đề số 11 năm 2018", "BD-CD", "VP-PY-PT", "2018-11-11", "2018-11-11", 120, ClassStatus::Finished),
    ("DANG-2018-01", "Lớp bồi dưỡng về Đảng số 1 năm 2018", "DANG-DT", "VP-PY-TU", "2018-02-20", "2018-02-20", 160, ClassStatus::Finished),
    ("DANG-2018-02", "Lớp bồi dưỡng về Đảng số 2 năm 2018", "DANG-DT", "VP-PY-TU", "2018-04-21", "2018-04-21", 148, ClassStatus::Finished),
    ("DANG-2018-03", "Lớp bồi dưỡng về Đảng số 3 năm 2018", "DANG-DT", "VP-PY-TU", "2018-06-22", "2018-06-22", 152, ClassStatus::Finished),
    ("DANG-2018-04", "Lớp bồi dưỡng về Đảng số 4 năm 2018", "DANG-DVM", "VP-PY-TU", "2018-08-23", "2018-08-23", 150, ClassStatus::Finished),
    ("DANG-2018-05", "Lớp bồi dưỡng về Đảng số 5 năm 2018", "DANG-DVM", "VP-PY-TU", "2018-10-24", "2018-10-24", 146, ClassStatus::Finished),
    ("DANG-2018-06", "Lớp bồi dưỡng về Đảng số 6 năm 2018", "DANG-DVM", "VP-PY-TU", "2018-12-25", "2018-12-25", 154, ClassStatus::Finished),
    // A class that was planned and cancelled organizes nothing.
    ("BD-KN-2018", "Bồi dưỡng kỹ năng (đã hủy)", "BD-CD", "VP-PY-UB", "2018-11-12", "2018-11-16", 50, ClassStatus::Cancelled),
];

/// Who was sent to which class, and how it ended: class, outcome, officials.
#[rustfmt::skip]
const SENT: &[(&str, Outcome, &[&str])] = &[
    // Phúc Thắng, 2015 to May 2019: sixteen sent to degree and political-theory training…
    ("TC-2015", Outcome::Completed, &["PT-C03", "PT-C04", "PT-S01"]),
    ("TC-2017", Outcome::Completed, &["PT-C06", "PT-C07", "PT-S02", "PT-S03"]),
    ("TC-2017", Outcome::Failed, &["PT-S08"]),
    ("TC-2017", Outcome::Withdrawn, &["PT-S10"]),
    ("CC-2016", Outcome::Completed, &["PT-C01"]),
    ("DH-LUAT-2015", Outcome::Completed, &["PT-C09", "PT-S05"]),
    ("DH-HC-2016", Outcome::Completed, &["PT-S06", "PT-S07"]),
    ("TC-2019", Outcome::Completed, &["PT-S09"]),
    // …and twenty-two to refresher courses.
    ("BD-XA-2016", Outcome::Completed, &["PT-C03", "PT-C04", "PT-C05", "PT-C06", "PT-C07", "PT-C08", "PT-C09", "PT-C10", "PT-C11", "PT-S01", "PT-S02", "PT-S03", "PT-S04", "PT-S05"]),
    ("BD-XA-2016", Outcome::Nominated, &["PT-R01"]),
    ("QLNN-CV-2017", Outcome::Completed, &["PT-S07", "PT-S08", "PT-S09", "PT-S10"]),
    ("TH-2017", Outcome::Completed, &["PT-S11", "PT-K01"]),
    ("TH-2017", Outcome::Withdrawn, &["PT-S12"]),
    // The city in 2018: sent to advanced political theory, master's, principal specialist…
    ("CC-2018", Outcome::Completed, &["TP-01", "TP-02", "TP-UB01", "TP-UB02"]),
    ("THS-2018", Outcome::Completed, &["TP-UB03", "PY-HV-01", "PY-TT-01"]),
    ("QLNN-CVC-2018", Outcome::Completed, &["TP-UB04", "TP-UB05"]),
    // …and its own classes: one intermediate political-theory class of 70 learners, one
    // refresher for party committee members of nearly 300, and seventeen refresher and
    // party classes of more than 2,600.
    ("TC-2018", Outcome::Completed, &["PT-C08", "PT-S04", "PT-K01", "PY-HV-02", "PY-HV-03", "PY-TT-02", "PY-TT-03", "PY-XH-01", "PY-TN-01", "PY-DX-01"]),
    ("BD-CUV-2018", Outcome::Completed, &["PT-C01", "PT-C02", "PT-C03", "PT-C05", "TP-03", "PY-XH-02"]),
    ("BD-CD-2018-01", Outcome::Completed, &["PT-C01", "TP-UB06", "PY-HV-02"]),
    ("DANG-2018-04", Outcome::Completed, &["PY-TT-03"]),
];

/// Training plans: unit, year, the status it reached, a note.
#[rustfmt::skip]
const PLANS: &[(&str, i32, PlanStatus, &str)] = &[
    ("VP-PY-PT", 2018, PlanStatus::Closed, "Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức phường năm 2018"),
    ("VP-PY", 2018, PlanStatus::Closed, "Kế hoạch đào tạo, bồi dưỡng cán bộ diện quy hoạch của thành phố năm 2018"),
    ("VP-PY-PT", 2019, PlanStatus::Approved, "Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức phường năm 2019"),
    ("VP-PY", 2019, PlanStatus::Submitted, "Kế hoạch năm 2019, trình Ban Tổ chức Tỉnh ủy"),
];

/// What an item plans: a course, or a kind of course and the level it should confer.
enum Planned {
    Course(&'static str),
    Level(CourseKind, Dimension, &'static str),
}

/// A plan item of the data set: the plan (unit, year), a key the needs use, what it plans,
/// seats, quarter, cost (đồng: the course's cost per learner times the seats), purpose.
type ItemRow = (&'static str, i32, &'static str, Planned, i32, i32, i64, &'static str);

/// The plans' items.
#[rustfmt::skip]
const PLAN_ITEMS: &[ItemRow] = &[
    ("VP-PY-PT", 2018, "PT-2018-TC", Planned::Course("TC-LLCT"), 3, 1, 25_500_000, "Chuẩn hóa trình độ lý luận chính trị"),
    ("VP-PY-PT", 2018, "PT-2018-CUV", Planned::Course("BD-CUV"), 4, 3, 2_400_000, "Bồi dưỡng nghiệp vụ cấp ủy viên"),
    ("VP-PY-PT", 2018, "PT-2018-DH", Planned::Level(CourseKind::Degree, Dimension::Education, "university"), 1, 4, 32_000_000, "Chuẩn hóa trình độ chuyên môn theo tiêu chuẩn chức danh"),
    ("VP-PY", 2018, "PY-2018-CC", Planned::Course("CC-LLCT"), 4, 3, 96_000_000, "Đào tạo cao cấp lý luận chính trị cho cán bộ diện quy hoạch"),
    ("VP-PY", 2018, "PY-2018-THS", Planned::Course("THS-QLC"), 3, 4, 135_000_000, "Đào tạo thạc sĩ quản lý công"),
    ("VP-PY", 2018, "PY-2018-CVC", Planned::Course("QLNN-CVC"), 2, 2, 12_400_000, "Bồi dưỡng ngạch chuyên viên chính"),
    ("VP-PY-PT", 2019, "PT-2019-TC", Planned::Course("TC-LLCT"), 1, 3, 8_500_000, "Trung cấp lý luận chính trị theo vị trí việc làm"),
    ("VP-PY-PT", 2019, "PT-2019-DH", Planned::Level(CourseKind::Degree, Dimension::Education, "university"), 1, 4, 32_000_000, "Chuẩn hóa trình độ chuyên môn theo tiêu chuẩn chức danh"),
    ("VP-PY", 2019, "PY-2019-TC", Planned::Course("TC-LLCT"), 10, 3, 85_000_000, "Trung cấp lý luận chính trị cho cán bộ, công chức phường, xã"),
];

/// Registered needs: the plan (unit, year), the item (by key), the reason, the officials.
#[rustfmt::skip]
const NEEDS: &[(&str, i32, &str, NeedReason, &[&str])] = &[
    ("VP-PY-PT", 2018, "PT-2018-TC", NeedReason::Standard, &["PT-C08"]),
    ("VP-PY-PT", 2018, "PT-2018-TC", NeedReason::Job, &["PT-S04", "PT-K01"]),
    ("VP-PY-PT", 2018, "PT-2018-CUV", NeedReason::Job, &["PT-C01", "PT-C02", "PT-C03", "PT-C05"]),
    ("VP-PY-PT", 2018, "PT-2018-DH", NeedReason::Standard, &["PT-C11"]),
    ("VP-PY", 2018, "PY-2018-CC", NeedReason::Succession, &["TP-01", "TP-02", "TP-UB01", "TP-UB02"]),
    ("VP-PY", 2018, "PY-2018-THS", NeedReason::Job, &["TP-UB03", "PY-HV-01", "PY-TT-01"]),
    ("VP-PY", 2018, "PY-2018-CVC", NeedReason::Job, &["TP-UB04", "TP-UB05"]),
    ("VP-PY-PT", 2019, "PT-2019-TC", NeedReason::Job, &["PT-S09"]),
    ("VP-PY-PT", 2019, "PT-2019-DH", NeedReason::Standard, &["PT-C11"]),
];

// The loaders: one a kind of record, each through the model code the API uses.

/// The ids of what has been loaded, by code.
#[derive(Default)]
struct Loaded {
    units: HashMap<&'static str, i64>,
    posts: HashMap<&'static str, Position>,
    people: HashMap<&'static str, i64>,
    courses: HashMap<&'static str, i64>,
    classes: HashMap<&'static str, TrainingClass>,
}

/// The record a code names in the data set (a code that names nothing is a mistake in it).
fn by_code<'a, T>(records: &'a HashMap<&'static str, T>, code: &str) -> Result<&'a T, ApiError> {
    records
        .get(code)
        .ok_or_else(|| ApiError::internal(format!("the demo data names {code}, which it does not define")))
}

fn day(text: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| ApiError::internal(format!("demo date {text}: {e}")))
}

fn build(conn: &mut DbConn) -> Result<(), ApiError> {
    let mut loaded = Loaded::default();
    load_units(conn, &mut loaded)?;
    load_posts(conn, &mut loaded)?;
    load_people(conn, &mut loaded)?;
    load_careers(conn, &loaded)?;
    load_held(conn, &loaded)?;
    load_courses(conn, &mut loaded)?;
    load_classes(conn, &mut loaded)?;
    load_sent(conn, &loaded)?;
    load_plans(conn, &loaded)
}

fn load_units(conn: &mut DbConn, loaded: &mut Loaded) -> Result<(), ApiError> {
    for &(code, name, kind, parent) in UNITS {
        let parent = parent.map(|code| by_code(&loaded.units, code).copied()).transpose()?;
        let unit = Unit::create(conn, NewUnit::new(code.into(), name.into(), kind, parent, None, None))?;
        loaded.units.insert(code, unit.id);
    }
    for &(code, on) in DISSOLVED {
        let current = Unit::find(conn, *by_code(&loaded.units, code)?)?;
        let changes = UnitChanges {
            dissolved_on: Some(Some(day(on)?)),
            ..Default::default()
        };
        Unit::update(conn, &current, changes, current.version)?;
    }
    Ok(())
}

fn load_posts(conn: &mut DbConn, loaded: &mut Loaded) -> Result<(), ApiError> {
    for &(code, title, category, (education, theory, state)) in POSTS {
        // Secretaries, chairs, commanders, heads and their deputies lead.
        let leading = [
            "Bí thư",
            "Phó Bí thư",
            "Chủ tịch",
            "Phó Chủ tịch",
            "Chỉ huy trưởng",
            "Trưởng",
            "Ủy viên Ban Thường vụ",
        ]
        .iter()
        .any(|head| title.starts_with(head));
        let new = NewPosition::new(code.into(), title.into(), category, education, theory, state).leading(leading);
        loaded.posts.insert(code, Position::create(conn, &new)?);
    }
    Ok(())
}

/// A code of a reference list the demo names (Sán Dìu, `18`, is the minority of Phúc Yên's
/// Ngọc Thanh commune; Buddhists and Catholics the city's believers).
fn identity<T>(parse: fn(&str) -> Option<T>, code: &str) -> Result<Option<T>, ApiError> {
    parse(code)
        .map(Some)
        .ok_or_else(|| ApiError::internal(format!("{code} is not in the reference list")))
}

fn load_people(conn: &mut DbConn, loaded: &mut Loaded) -> Result<(), ApiError> {
    for (n, &(code, name, gender, born, unit, post, since)) in (1u32..).zip(PEOPLE) {
        let post = by_code(&loaded.posts, post)?;
        let born = day(born)?;
        let new = NewOfficial::new(OfficialInput {
            code: code.into(),
            full_name: name.into(),
            gender,
            date_of_birth: Some(born),
            unit_id: *by_code(&loaded.units, unit)?,
            position_id: Some(post.id),
            category: post.category,
            // Cadres joined the Party at 26, every other civil servant at 30 (by today).
            party_joined_on: match post.category {
                Category::Cadre => born.checked_add_months(chrono::Months::new(12 * 26)),
                Category::CivilServant if n % 2 == 0 => born.checked_add_months(chrono::Months::new(12 * 30)),
                _ => None,
            }
            .filter(|joined| !crate::clock::is_ahead(*joined)),
            // Vĩnh Phúc's code, 026.
            national_id: Some(NationalId::compose(
                26,
                gender == Gender::Female,
                born,
                100_000 + n * 7919,
            )),
            ethnicity: identity(Ethnicity::parse, if n % 12 == 5 { "18" } else { Ethnicity::KINH })?,
            religion: identity(
                Religion::parse,
                match n % 10 {
                    3 => "01",
                    7 => "02",
                    _ => Religion::NONE,
                },
            )?,
            // Those born before 1975 went to the north's ten-grade school.
            general_education: Some(
                if chrono::Datelike::year(&born) < 1975 {
                    "10/10"
                } else {
                    "12/12"
                }
                .to_owned(),
            ),
        });
        let official = Official::create(conn, &new, day(since)?)?;
        // Civil servants and cadres hold a rank from their post's first day: specialists
        // most, a principal specialist in six, a clerk in five.
        if matches!(post.category, Category::CivilServant | Category::Cadre) {
            let rank = match n % 30 {
                0 | 6 | 12 | 18 | 24 => CivilServiceRank::PrincipalSpecialist,
                5 | 10 | 15 | 20 | 25 => CivilServiceRank::Clerk,
                _ => CivilServiceRank::Specialist,
            };
            RankRecord::create(conn, official.id, rank, day(since)?)?;
        }
        loaded.people.insert(code, official.id);
    }
    Ok(())
}

fn load_careers(conn: &mut DbConn, loaded: &Loaded) -> Result<(), ApiError> {
    for event in CAREERS {
        match *event {
            Event::Move(person, unit, post, on) => {
                let current = Official::find(conn, *by_code(&loaded.people, person)?)?;
                let post = by_code(&loaded.posts, post)?;
                let to = Move {
                    unit_id: *by_code(&loaded.units, unit)?,
                    position_id: Some(post.id),
                    category: post.category,
                    effective_on: day(on)?,
                };
                Official::transfer(conn, &current, to, current.version)?;
            }
            Event::Retire(person, on) => {
                let current = Official::find(conn, *by_code(&loaded.people, person)?)?;
                Official::separate(conn, &current, OfficialStatus::Retired, day(on)?, current.version)?;
            }
        }
    }
    Ok(())
}

fn load_held(conn: &mut DbConn, loaded: &Loaded) -> Result<(), ApiError> {
    for &(person, dimension, level, on, field) in HELD {
        let new = NewQualification::new(QualificationInput {
            official_id: *by_code(&loaded.people, person)?,
            dimension,
            level: level.into(),
            field: field.map(str::to_owned),
            institution: None,
            awarded_on: day(on)?,
            certificate_no: None,
            enrollment_id: None,
        })?;
        Qualification::create(conn, &new)?;
    }
    Ok(())
}

fn load_courses(conn: &mut DbConn, loaded: &mut Loaded) -> Result<(), ApiError> {
    for &(code, title, kind, confers, field, provider) in COURSES {
        let new = NewCourse::new(CourseInput {
            code: code.into(),
            title: title.into(),
            kind,
            track: None,
            confers_dimension: confers.map(|(dimension, _)| dimension),
            confers_level: confers.map(|(_, level)| level.to_owned()),
            field: field.map(str::to_owned),
            provider: Some(provider.into()),
        });
        loaded.courses.insert(code, Course::create(conn, &new)?.id);
    }
    Ok(())
}

fn load_classes(conn: &mut DbConn, loaded: &mut Loaded) -> Result<(), ApiError> {
    for &(code, name, course, organizer, starts, ends, external, status) in CLASSES {
        let &(_, study_mode, funding, learner_cost_vnd, cost_vnd) = COURSE_TERMS
            .iter()
            .find(|terms| terms.0 == course)
            .ok_or_else(|| ApiError::internal(format!("the demo gives no terms for course {course}")))?;
        let new = NewClass::new(ClassInput {
            code: code.into(),
            name: name.into(),
            course_id: *by_code(&loaded.courses, course)?,
            organizer_unit_id: *by_code(&loaded.units, organizer)?,
            provider: None,
            starts_on: day(starts)?,
            ends_on: day(ends)?,
            capacity: None,
            external_learners: external,
            status,
            location: TrainingLocation::Domestic,
            study_mode,
            funding,
            cost_vnd,
            learner_cost_vnd,
        });
        loaded.classes.insert(code, TrainingClass::create(conn, &new)?);
    }
    Ok(())
}

/// The enrollments, nominated and then taken through their outcome's steps; the sending
/// unit comes from each official's assignment history.
fn load_sent(conn: &mut DbConn, loaded: &Loaded) -> Result<(), ApiError> {
    for &(class, outcome, people) in SENT {
        let class = by_code(&loaded.classes, class)?;
        for person in people {
            let official = Official::find(conn, *by_code(&loaded.people, person)?)?;
            let mut enrollment = Enrollment::create(conn, class, &official, None, TrainingTerms::default())?;
            for status in outcome.steps() {
                let update = EnrollmentUpdate {
                    status: Some(*status),
                    ..Default::default()
                };
                enrollment = Enrollment::update(conn, &enrollment, update, enrollment.version)?.0;
            }
        }
    }
    Ok(())
}

/// The plans, their items and needs, then each plan moved to the status it reached (stamped
/// at the start of the demo's load).
fn load_plans(conn: &mut DbConn, loaded: &Loaded) -> Result<(), ApiError> {
    let mut plans: HashMap<(&str, i32), Plan> = HashMap::new();
    for &(unit, year, _, note) in PLANS {
        let plan = Plan::create(conn, *by_code(&loaded.units, unit)?, year, Some(note.to_owned()))?;
        plans.insert((unit, year), plan);
    }
    let plan_of = |unit: &'static str, year: i32| {
        plans
            .get(&(unit, year))
            .ok_or_else(|| ApiError::internal(format!("the demo has no plan of {unit} for {year}")))
    };
    let mut items: HashMap<&str, PlanItem> = HashMap::new();
    let at = crate::clock::now();
    for (unit, year, key, planned, seats, quarter, cost_vnd, purpose) in PLAN_ITEMS {
        let (course_id, kind, dimension, level) = match planned {
            Planned::Course(code) => {
                let course = Course::find(conn, *by_code(&loaded.courses, code)?)?;
                (
                    Some(course.id),
                    course.kind,
                    course.confers_dimension,
                    course.confers_level,
                )
            }
            Planned::Level(kind, dimension, level) => (None, *kind, Some(*dimension), Some((*level).to_owned())),
        };
        let item = PlanItem::create(
            conn,
            &NewPlanItem {
                plan_id: plan_of(unit, *year)?.id,
                course_id,
                kind,
                dimension,
                level,
                seats: *seats,
                quarter: Some(*quarter),
                cost_vnd: *cost_vnd,
                purpose: Some((*purpose).to_owned()),
                created_at: at,
                updated_at: at,
            },
        )?;
        items.insert(key, item);
    }
    for &(unit, year, key, reason, people) in NEEDS {
        let item = by_code(&items, key)?;
        for person in people {
            PlanNeed::create(
                conn,
                &NewNeed {
                    plan_id: plan_of(unit, year)?.id,
                    official_id: *by_code(&loaded.people, person)?,
                    item_id: Some(item.id),
                    year,
                    dimension: item.dimension,
                    level: item.level.clone(),
                    level_rank: item
                        .dimension
                        .zip(item.level.as_deref())
                        .and_then(|(dimension, level)| dimension.rank_of(level))
                        .map(i32::from),
                    reason,
                    note: None,
                    created_at: at,
                    updated_at: at,
                },
            )?;
        }
    }
    for &(unit, year, status, _) in PLANS {
        let plan = plan_of(unit, year)?;
        let reached = |step: PlanStatus| {
            PLAN_STEPS.iter().position(|s| *s == step) <= PLAN_STEPS.iter().position(|s| *s == status)
        };
        let changes = PlanChanges {
            status: Some(status),
            submitted_at: Some(reached(PlanStatus::Submitted).then_some(at)),
            approved_at: Some(reached(PlanStatus::Approved).then_some(at)),
            closed_at: Some(reached(PlanStatus::Closed).then_some(at)),
            ..PlanChanges::default()
        };
        Plan::update(conn, plan.id, &changes, plan.version)?;
    }
    Ok(())
}

/// The statuses a plan passes through on its way to being closed.
const PLAN_STEPS: [PlanStatus; 4] = [
    PlanStatus::Draft,
    PlanStatus::Submitted,
    PlanStatus::Approved,
    PlanStatus::Closed,
];
