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
//! Names are invented, except Lê Minh Công and Phan Thanh Hải, whom the article names.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::schema::{classes, courses, officials, positions, units};
use crate::db::{audited, Actor, Db, DbConn};
use crate::domain::{
    Category, ClassStatus, CourseKind, Dimension, EducationLevel, EnrollmentStatus, Gender, OfficialStatus,
    PoliticalTheoryLevel, StateManagementLevel, UnitKind,
};
use crate::error::{ApiError, ConflictKind};
use crate::model::class::{ClassInput, NewClass, TrainingClass};
use crate::model::course::{Course, CourseInput, NewCourse};
use crate::model::enrollment::{Enrollment, EnrollmentUpdate};
use crate::model::official::{Move, NewOfficial, Official, OfficialInput};
use crate::model::position::{NewPosition, Position};
use crate::model::qualification::{NewQualification, Qualification, QualificationInput};
use crate::model::unit::{NewUnit, Unit};

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
        audit.record::<(), ()>("seed_demo", "database", None, None, None)?;
        Ok(Seeded::Loaded)
    })
}

fn day(text: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| ApiError::internal(format!("demo date {text}: {e}")))
}

/// What became of an enrollment.
#[derive(Clone, Copy)]
enum Outcome {
    Nominated,
    Completed,
    Failed,
    Withdrawn,
}

struct Builder<'a> {
    conn: &'a mut DbConn,
}

impl Builder<'_> {
    fn unit(&mut self, code: &str, name: &str, kind: UnitKind, parent: Option<i64>) -> Result<i64, ApiError> {
        Ok(Unit::create(
            self.conn,
            NewUnit::new(code.into(), name.into(), kind, parent, None, None),
        )?
        .id)
    }

    fn position(
        &mut self,
        code: &str,
        title: &str,
        category: Category,
        standards: (
            Option<EducationLevel>,
            Option<PoliticalTheoryLevel>,
            Option<StateManagementLevel>,
        ),
    ) -> Result<Position, ApiError> {
        let (education, theory, state) = standards;
        Position::create(
            self.conn,
            &NewPosition::new(code.into(), title.into(), category, education, theory, state),
        )
    }

    /// Registers `(code, name, gender, born)` in `unit`, in `position`, from `started`.
    fn official(
        &mut self,
        (code, name, gender, born): (&str, &str, Gender, &str),
        unit: i64,
        position: &Position,
        started: &str,
    ) -> Result<i64, ApiError> {
        let new = NewOfficial::new(OfficialInput {
            code: code.into(),
            full_name: name.into(),
            gender,
            date_of_birth: Some(day(born)?),
            unit_id: unit,
            position_id: Some(position.id),
            category: position.category,
            party_joined_on: None,
        });
        Ok(Official::create(self.conn, &new, day(started)?)?.id)
    }

    fn qualify(
        &mut self,
        official: i64,
        dimension: Dimension,
        level: &str,
        on: &str,
        field: Option<&str>,
    ) -> Result<(), ApiError> {
        let new = NewQualification::new(QualificationInput {
            official_id: official,
            dimension,
            level: level.into(),
            field: field.map(str::to_owned),
            institution: None,
            awarded_on: day(on)?,
            certificate_no: None,
            enrollment_id: None,
        })?;
        Qualification::create(self.conn, &new)?;
        Ok(())
    }

    fn transfer(&mut self, official: i64, unit: i64, position: &Position, on: &str) -> Result<(), ApiError> {
        let current = Official::find(self.conn, official)?;
        let to = Move {
            unit_id: unit,
            position_id: Some(position.id),
            category: position.category,
            effective_on: day(on)?,
        };
        Official::transfer(self.conn, &current, to, current.version)?;
        Ok(())
    }

    fn retire(&mut self, official: i64, on: &str) -> Result<(), ApiError> {
        let current = Official::find(self.conn, official)?;
        Official::separate(self.conn, &current, OfficialStatus::Retired, day(on)?, current.version)?;
        Ok(())
    }

    fn course(
        &mut self,
        code: &str,
        title: &str,
        kind: CourseKind,
        confers: Option<(Dimension, &str)>,
        field: Option<&str>,
        provider: &str,
    ) -> Result<i64, ApiError> {
        let new = NewCourse::new(CourseInput {
            code: code.into(),
            title: title.into(),
            kind,
            track: None,
            confers_dimension: confers.map(|(d, _)| d),
            confers_level: confers.map(|(_, l)| l.to_owned()),
            field: field.map(str::to_owned),
            provider: Some(provider.into()),
        });
        Ok(Course::create(self.conn, &new)?.id)
    }

    /// Opens the class `(code, name)` of `course`, organized by `organizer`.
    fn class(
        &mut self,
        (code, name): (&str, &str),
        course: i64,
        organizer: i64,
        dates: (&str, &str),
        external: i32,
        status: ClassStatus,
    ) -> Result<TrainingClass, ApiError> {
        let new = NewClass::new(ClassInput {
            code: code.into(),
            name: name.into(),
            course_id: course,
            organizer_unit_id: organizer,
            provider: None,
            starts_on: day(dates.0)?,
            ends_on: day(dates.1)?,
            capacity: None,
            external_learners: external,
            status,
        });
        TrainingClass::create(self.conn, &new)
    }

    /// Sends officials to a class; the sending unit comes from their assignment history.
    fn send(&mut self, class: &TrainingClass, officials: &[i64], outcome: Outcome) -> Result<(), ApiError> {
        for official in officials {
            let person = Official::find(self.conn, *official)?;
            let mut enrollment = Enrollment::create(self.conn, class, &person, None)?;
            let steps: &[EnrollmentStatus] = match outcome {
                Outcome::Nominated => &[],
                Outcome::Completed => &[EnrollmentStatus::Enrolled, EnrollmentStatus::Completed],
                Outcome::Failed => &[EnrollmentStatus::Enrolled, EnrollmentStatus::Failed],
                Outcome::Withdrawn => &[EnrollmentStatus::Withdrawn],
            };
            for status in steps {
                let update = EnrollmentUpdate {
                    status: Some(*status),
                    ..Default::default()
                };
                enrollment = Enrollment::update(self.conn, &enrollment, update, enrollment.version)?.0;
            }
        }
        Ok(())
    }
}

fn build(conn: &mut DbConn) -> Result<(), ApiError> {
    let mut b = Builder { conn };
    let tree = tree(&mut b)?;
    let posts = posts(&mut b)?;
    let ward = ward(&mut b, &tree, &posts)?;
    let city = city(&mut b, &tree, &posts)?;
    let courses = courses(&mut b)?;
    ward_training(&mut b, &tree, &courses, &ward)?;
    city_training(&mut b, &tree, &courses, &ward, &city)
}

/// The units of the demo.
struct Tree {
    home_affairs: i64,
    provincial_party: i64,
    city_party: i64,
    city_hall: i64,
    phuc_thang: i64,
    hung_vuong: i64,
    trung_trac: i64,
    trung_nhi: i64,
    xuan_hoa: i64,
    dong_xuan: i64,
}

/// The posts of the demo, with their standards.
struct Posts {
    bt: Position,
    pbt: Position,
    ct_hdnd: Position,
    pct_hdnd: Position,
    ct_ubnd: Position,
    pct_ubnd: Position,
    ct_mttq: Position,
    bt_doan: Position,
    ct_pn: Position,
    ct_nd: Position,
    ct_ccb: Position,
    pct_mttq: Position,
    pct_ccb: Position,
    cc_qs: Position,
    cc_vp: Position,
    cc_dc: Position,
    cc_tc: Position,
    cc_tp: Position,
    cc_vh: Position,
    city_leader: Position,
    head_of_office: Position,
    specialist: Position,
}

/// The people of Phúc Thắng: its cadres (c), a retired cadre (r1), a part-time officer (lmc) and its civil servants (s).
struct WardPeople {
    c1: i64,
    c2: i64,
    c3: i64,
    c4: i64,
    c5: i64,
    c6: i64,
    c7: i64,
    c8: i64,
    c9: i64,
    c10: i64,
    c11: i64,
    r1: i64,
    lmc: i64,
    s: Vec<i64>,
}

/// The people of the city outside Phúc Thắng: its party committee (tu), its hall (ub) and other wards.
struct CityPeople {
    tu1: i64,
    tu2: i64,
    tu3: i64,
    ub: Vec<i64>,
    hv1: i64,
    hv2: i64,
    hv3: i64,
    tt1: i64,
    tt2: i64,
    tt3: i64,
    xh1: i64,
    xh2: i64,
    tn1: i64,
    dx1: i64,
}

/// The courses of the demo.
struct Courses {
    tc: i64,
    cc: i64,
    law: i64,
    admin: i64,
    master: i64,
    cv: i64,
    cvc: i64,
    it: i64,
    commune: i64,
    topical: i64,
    committee: i64,
    candidates: i64,
    new_members: i64,
}

/// The tree: the province, its agencies and cities, Phúc Yên's wards and communes.
fn tree(b: &mut Builder<'_>) -> Result<Tree, ApiError> {
    use UnitKind::*;
    // The tree.
    let province = b.unit("VP", "Tỉnh Vĩnh Phúc", Province, None)?;
    let home_affairs = b.unit("VP-SNV", "Sở Nội vụ tỉnh Vĩnh Phúc", Agency, Some(province))?;
    let provincial_party = b.unit("VP-TU", "Tỉnh ủy Vĩnh Phúc", Agency, Some(province))?;
    b.unit("VP-VY", "Thành phố Vĩnh Yên", City, Some(province))?;
    let city = b.unit("VP-PY", "Thành phố Phúc Yên", City, Some(province))?;
    let city_party = b.unit("VP-PY-TU", "Thành ủy Phúc Yên", Agency, Some(city))?;
    let city_hall = b.unit("VP-PY-UB", "Ủy ban nhân dân thành phố Phúc Yên", Agency, Some(city))?;
    let phuc_thang = b.unit(MARKER, "Phường Phúc Thắng", Ward, Some(city))?;
    let hung_vuong = b.unit("VP-PY-HV", "Phường Hùng Vương", Ward, Some(city))?;
    let trung_trac = b.unit("VP-PY-TT", "Phường Trưng Trắc", Ward, Some(city))?;
    let trung_nhi = b.unit("VP-PY-TN", "Phường Trưng Nhị", Ward, Some(city))?;
    let xuan_hoa = b.unit("VP-PY-XH", "Phường Xuân Hòa", Ward, Some(city))?;
    let dong_xuan = b.unit("VP-PY-DX", "Phường Đồng Xuân", Ward, Some(city))?;
    for (code, name) in [
        ("VP-PY-CM", "Xã Cao Minh"),
        ("VP-PY-NV", "Xã Nam Viêm"),
        ("VP-PY-NT", "Xã Ngọc Thanh"),
        ("VP-PY-TC", "Xã Tiền Châu"),
    ] {
        b.unit(code, name, Commune, Some(city))?;
    }
    // The district level was abolished on 2025-07-01; reports about 2019 still see the city.
    let current = Unit::find(b.conn, city)?;
    Unit::update(
        b.conn,
        &current,
        crate::model::unit::UnitChanges {
            dissolved_on: Some(Some(day("2025-07-01")?)),
            ..Default::default()
        },
        current.version,
    )?;
    Ok(Tree {
        home_affairs,
        provincial_party,
        city_party,
        city_hall,
        phuc_thang,
        hung_vuong,
        trung_trac,
        trung_nhi,
        xuan_hoa,
        dong_xuan,
    })
}

/// The posts and their standards.
fn posts(b: &mut Builder<'_>) -> Result<Posts, ApiError> {
    use Category::*;
    // Posts and their standards: ward cadres need a university degree and intermediate
    // political theory; ward civil servants an intermediate education.
    let cadre_standard = (
        Some(EducationLevel::University),
        Some(PoliticalTheoryLevel::Intermediate),
        None,
    );
    let servant_standard = (Some(EducationLevel::Intermediate), None, None);
    let bt = b.position("P-BT", "Bí thư Đảng ủy phường", Cadre, cadre_standard)?;
    let pbt = b.position("P-PBT", "Phó Bí thư Đảng ủy phường", Cadre, cadre_standard)?;
    let ct_hdnd = b.position("P-CT-HDND", "Chủ tịch Hội đồng nhân dân phường", Cadre, cadre_standard)?;
    let pct_hdnd = b.position(
        "P-PCT-HDND",
        "Phó Chủ tịch Hội đồng nhân dân phường",
        Cadre,
        cadre_standard,
    )?;
    let ct_ubnd = b.position("P-CT-UBND", "Chủ tịch Ủy ban nhân dân phường", Cadre, cadre_standard)?;
    let pct_ubnd = b.position(
        "P-PCT-UBND",
        "Phó Chủ tịch Ủy ban nhân dân phường",
        Cadre,
        cadre_standard,
    )?;
    let ct_mttq = b.position("P-CT-MTTQ", "Chủ tịch Ủy ban MTTQ phường", Cadre, cadre_standard)?;
    let bt_doan = b.position(
        "P-BT-DOAN",
        "Bí thư Đoàn TNCS Hồ Chí Minh phường",
        Cadre,
        cadre_standard,
    )?;
    let ct_pn = b.position("P-CT-PN", "Chủ tịch Hội Liên hiệp Phụ nữ phường", Cadre, cadre_standard)?;
    let ct_nd = b.position("P-CT-ND", "Chủ tịch Hội Nông dân phường", Cadre, cadre_standard)?;
    let ct_ccb = b.position("P-CT-CCB", "Chủ tịch Hội Cựu chiến binh phường", Cadre, cadre_standard)?;
    let pct_mttq = b.position(
        "P-PCT-MTTQ",
        "Phó Chủ tịch Ủy ban MTTQ phường",
        PartTime,
        (None, None, None),
    )?;
    let pct_ccb = b.position(
        "P-PCT-CCB",
        "Phó Chủ tịch Hội Cựu chiến binh phường",
        PartTime,
        (None, None, None),
    )?;
    let cc_qs = b.position(
        "P-CC-QS",
        "Chỉ huy trưởng Quân sự phường",
        CivilServant,
        servant_standard,
    )?;
    let cc_vp = b.position(
        "P-CC-VP",
        "Công chức Văn phòng - Thống kê",
        CivilServant,
        servant_standard,
    )?;
    let cc_dc = b.position(
        "P-CC-DC",
        "Công chức Địa chính - Xây dựng - Đô thị và Môi trường",
        CivilServant,
        servant_standard,
    )?;
    let cc_tc = b.position(
        "P-CC-TC",
        "Công chức Tài chính - Kế toán",
        CivilServant,
        servant_standard,
    )?;
    let cc_tp = b.position("P-CC-TP", "Công chức Tư pháp - Hộ tịch", CivilServant, servant_standard)?;
    let cc_vh = b.position("P-CC-VH", "Công chức Văn hóa - Xã hội", CivilServant, servant_standard)?;
    let city_leader = b.position(
        "TP-UVBTV",
        "Ủy viên Ban Thường vụ Thành ủy",
        Cadre,
        (
            Some(EducationLevel::University),
            Some(PoliticalTheoryLevel::Advanced),
            None,
        ),
    )?;
    let head_of_office = b.position(
        "TP-TRP",
        "Trưởng phòng chuyên môn thành phố",
        CivilServant,
        (
            Some(EducationLevel::University),
            Some(PoliticalTheoryLevel::Intermediate),
            Some(StateManagementLevel::Specialist),
        ),
    )?;
    let specialist = b.position(
        "TP-CV",
        "Chuyên viên",
        CivilServant,
        (
            Some(EducationLevel::University),
            None,
            Some(StateManagementLevel::Specialist),
        ),
    )?;
    Ok(Posts {
        bt,
        pbt,
        ct_hdnd,
        pct_hdnd,
        ct_ubnd,
        pct_ubnd,
        ct_mttq,
        bt_doan,
        ct_pn,
        ct_nd,
        ct_ccb,
        pct_mttq,
        pct_ccb,
        cc_qs,
        cc_vp,
        cc_dc,
        cc_tc,
        cc_tp,
        cc_vh,
        city_leader,
        head_of_office,
        specialist,
    })
}

/// Phúc Thắng's people, their posts over the years and what they held before 2015.
fn ward(b: &mut Builder<'_>, tree: &Tree, posts: &Posts) -> Result<WardPeople, ApiError> {
    use Dimension::{Education as Edu, PoliticalTheory as Pt};
    use Gender::{Female as F, Male as M};
    let Tree {
        city_hall,
        phuc_thang,
        xuan_hoa,
        ..
    } = *tree;
    let Posts {
        bt,
        pbt,
        ct_hdnd,
        pct_hdnd,
        ct_ubnd,
        pct_ubnd,
        ct_mttq,
        bt_doan,
        ct_pn,
        ct_nd,
        ct_ccb,
        pct_mttq,
        pct_ccb,
        cc_qs,
        cc_vp,
        cc_dc,
        cc_tc,
        cc_tp,
        cc_vh,
        head_of_office,
        ..
    } = posts;
    // Ward Phúc Thắng: its eleven full-time cadres (c), civil servants (s), a part-time
    // officer, and a cadre who retired in 2017.
    let pt = phuc_thang;
    let c1 = b.official(("PT-C01", "Nguyễn Thị Thu Hà", F, "1972-04-12"), pt, bt, "2010-07-01")?;
    let c2 = b.official(
        ("PT-C02", "Phan Thanh Hải", M, "1975-09-03"),
        xuan_hoa,
        pct_ubnd,
        "2010-01-04",
    )?;
    b.transfer(c2, pt, pbt, "2016-09-01")?;
    let c3 = b.official(("PT-C03", "Trần Văn Bình", M, "1968-02-20"), pt, ct_hdnd, "2011-05-01")?;
    let c4 = b.official(("PT-C04", "Lê Thị Hồng", F, "1979-11-08"), pt, pct_hdnd, "2011-05-01")?;
    let c5 = b.official(("PT-C05", "Đỗ Văn Hùng", M, "1974-06-15"), pt, ct_ubnd, "2011-05-01")?;
    let c6 = b.official(
        ("PT-C06", "Nguyễn Văn Dũng", M, "1981-01-25"),
        pt,
        pct_ubnd,
        "2012-03-01",
    )?;
    let c7 = b.official(("PT-C07", "Hoàng Thị Lan", F, "1976-07-30"), pt, ct_mttq, "2014-10-01")?;
    let c8 = b.official(("PT-C08", "Vũ Thị Mai", F, "1983-05-19"), pt, ct_pn, "2014-10-01")?;
    let c9 = b.official(("PT-C09", "Ngô Văn Thắng", M, "1970-12-02"), pt, ct_nd, "2013-06-01")?;
    let c10 = b.official(("PT-C10", "Đặng Quốc Tuấn", M, "1990-03-14"), pt, bt_doan, "2015-01-05")?;
    let c11 = b.official(("PT-C11", "Bùi Văn Lợi", M, "1960-08-22"), pt, pct_ccb, "2013-01-02")?;
    let r1 = b.official(("PT-R01", "Nguyễn Văn Tùng", M, "1957-03-10"), pt, ct_ccb, "2008-01-02")?;
    b.retire(r1, "2017-06-30")?;
    b.transfer(c11, pt, ct_ccb, "2017-07-01")?;
    // The chairman of the people's committee moved to the city hall in 2020: in 2019 he was here.
    b.transfer(c5, city_hall, head_of_office, "2020-01-02")?;
    let lmc = b.official(("PT-K01", "Lê Minh Công", M, "1978-10-05"), pt, pct_mttq, "2014-06-01")?;
    let servant_posts = [
        &cc_qs, &cc_vp, &cc_vp, &cc_dc, &cc_dc, &cc_tc, &cc_tc, &cc_tp, &cc_tp, &cc_vh, &cc_vh, &cc_vh,
    ];
    let servant_names = [
        ("Nguyễn Văn Cường", M),
        ("Phạm Thị Hương", F),
        ("Trịnh Thị Ngọc", F),
        ("Lê Văn Nam", M),
        ("Đào Văn Sơn", M),
        ("Nguyễn Thị Thủy", F),
        ("Kiều Thị Yến", F),
        ("Trần Thị Thanh", F),
        ("Dương Văn Khánh", M),
        ("Phùng Thị Nga", F),
        ("Hà Văn Long", M),
        ("Lương Thị Quyên", F),
    ];
    let mut s = Vec::new();
    for (i, ((name, gender), post)) in servant_names.iter().zip(servant_posts).enumerate() {
        let code = format!("PT-S{:02}", i + 1);
        s.push(b.official(
            (&code, name, *gender, &format!("{}-0{}-1{}", 1978 + i, 1 + i % 9, i % 9)),
            pt,
            post,
            "2012-01-03",
        )?);
    }

    // What they held before 2015.
    for c in [c1, c2, c3, c4, c5, c6, c7, c8, c10] {
        b.qualify(c, Edu, "university", "2004-06-30", Some("Hành chính học"))?;
    }
    b.qualify(c9, Edu, "intermediate", "1995-06-30", Some("Kế toán"))?;
    b.qualify(c11, Edu, "intermediate", "1990-06-30", Some("Quân sự"))?;
    b.qualify(r1, Edu, "intermediate", "1985-06-30", None)?;
    b.qualify(lmc, Edu, "university", "2001-06-30", Some("Luật"))?;
    b.qualify(c1, Pt, "intermediate", "2009-06-30", None)?;
    b.qualify(c2, Pt, "advanced", "2013-12-20", None)?;
    b.qualify(c5, Pt, "intermediate", "2012-06-30", None)?;
    b.qualify(c9, Pt, "intermediate", "2013-06-30", None)?;
    b.qualify(c10, Pt, "elementary", "2014-08-30", None)?;
    b.qualify(c11, Pt, "intermediate", "2008-06-30", None)?;
    b.qualify(r1, Pt, "intermediate", "2000-06-30", None)?;
    for (i, servant) in s.iter().enumerate() {
        let level = if matches!(i, 5 | 6) {
            "intermediate"
        } else {
            "university"
        };
        b.qualify(*servant, Edu, level, "2008-06-30", None)?;
        b.qualify(*servant, Dimension::It, "basic", "2010-06-30", None)?;
    }
    Ok(WardPeople {
        c1,
        c2,
        c3,
        c4,
        c5,
        c6,
        c7,
        c8,
        c9,
        c10,
        c11,
        r1,
        lmc,
        s,
    })
}

/// The city's people outside Phúc Thắng.
fn city(b: &mut Builder<'_>, tree: &Tree, posts: &Posts) -> Result<CityPeople, ApiError> {
    use Dimension::{Education as Edu, PoliticalTheory as Pt, StateManagement as Sm};
    use Gender::{Female as F, Male as M};
    let Tree {
        city_party,
        city_hall,
        hung_vuong,
        trung_trac,
        trung_nhi,
        xuan_hoa,
        dong_xuan,
        ..
    } = *tree;
    let Posts {
        pbt,
        ct_ubnd,
        pct_ubnd,
        ct_mttq,
        cc_vp,
        cc_dc,
        cc_tc,
        cc_tp,
        cc_vh,
        city_leader,
        head_of_office,
        specialist,
        ..
    } = posts;
    // City officials outside the ward.
    let tu1 = b.official(
        ("TP-01", "Nguyễn Đức Toàn", M, "1970-05-05"),
        city_party,
        city_leader,
        "2010-01-04",
    )?;
    let tu2 = b.official(
        ("TP-02", "Lê Thị Phương", F, "1975-02-11"),
        city_party,
        city_leader,
        "2012-01-03",
    )?;
    let tu3 = b.official(
        ("TP-03", "Trần Quang Huy", M, "1980-09-09"),
        city_party,
        specialist,
        "2013-01-03",
    )?;
    let mut ub = Vec::new();
    for (i, (name, gender)) in [
        ("Phạm Văn Đông", M),
        ("Nguyễn Thị Vân", F),
        ("Hoàng Văn Minh", M),
        ("Lê Thị Thảo", F),
        ("Vũ Văn Tài", M),
        ("Đinh Thị Hạnh", F),
    ]
    .iter()
    .enumerate()
    {
        let post = if i < 2 { &head_of_office } else { &specialist };
        ub.push(b.official(
            (
                &format!("TP-UB{:02}", i + 1),
                name,
                *gender,
                &format!("198{i}-03-0{}", i + 1),
            ),
            city_hall,
            post,
            "2011-01-03",
        )?);
    }
    let ward_people = [
        ("HV-01", "Nguyễn Văn Hòa", M, hung_vuong, &ct_ubnd),
        ("HV-02", "Trần Thị Liên", F, hung_vuong, &cc_vp),
        ("HV-03", "Lê Văn Quý", M, hung_vuong, &cc_tp),
        ("TT-01", "Phạm Thị Hoa", F, trung_trac, &pct_ubnd),
        ("TT-02", "Đỗ Văn Khôi", M, trung_trac, &cc_dc),
        ("TT-03", "Ngô Thị Hiền", F, trung_trac, &cc_vh),
        ("XH-01", "Bùi Thị Dung", F, xuan_hoa, &ct_mttq),
        ("XH-02", "Trịnh Văn Phúc", M, xuan_hoa, &pbt),
        ("TN-01", "Lương Văn Bắc", M, trung_nhi, &cc_tc),
        ("DX-01", "Kim Thị Oanh", F, dong_xuan, &cc_tp),
    ];
    let mut w = Vec::new();
    for (code, name, gender, unit, post) in ward_people {
        w.push(b.official(
            (&format!("PY-{code}"), name, gender, "1982-06-01"),
            unit,
            post,
            "2012-01-03",
        )?);
    }
    let (hv1, hv2, hv3, tt1, tt2, tt3, xh1, xh2, tn1, dx1) =
        (w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9]);
    for person in [tu1, tu2, tu3].iter().chain(&ub).chain(&w) {
        b.qualify(*person, Edu, "university", "2005-06-30", None)?;
    }
    for person in [tu1, tu2, ub[0], ub[1]] {
        b.qualify(person, Pt, "intermediate", "2011-06-30", None)?;
    }
    for person in [tu3, ub[2], ub[3], ub[4], ub[5], ub[0], ub[1]] {
        b.qualify(person, Sm, "specialist", "2012-06-30", None)?;
    }
    Ok(CityPeople {
        tu1,
        tu2,
        tu3,
        ub,
        hv1,
        hv2,
        hv3,
        tt1,
        tt2,
        tt3,
        xh1,
        xh2,
        tn1,
        dx1,
    })
}

/// The courses, with what they confer.
fn courses(b: &mut Builder<'_>) -> Result<Courses, ApiError> {
    use Dimension::{Education as Edu, PoliticalTheory as Pt, StateManagement as Sm};
    // Courses.
    let school = "Trường Chính trị tỉnh Vĩnh Phúc";
    let academy = "Học viện Chính trị khu vực I";
    let napa = "Học viện Hành chính Quốc gia";
    let tc = b.course(
        "TC-LLCT",
        "Trung cấp lý luận chính trị - hành chính",
        CourseKind::PoliticalTheory,
        Some((Pt, "intermediate")),
        Some("Lý luận chính trị"),
        school,
    )?;
    let cc = b.course(
        "CC-LLCT",
        "Cao cấp lý luận chính trị",
        CourseKind::PoliticalTheory,
        Some((Pt, "advanced")),
        Some("Lý luận chính trị"),
        academy,
    )?;
    let law = b.course(
        "DH-LUAT",
        "Đại học Luật (vừa làm vừa học)",
        CourseKind::Degree,
        Some((Edu, "university")),
        Some("Luật"),
        "Trường Đại học Luật Hà Nội",
    )?;
    let admin = b.course(
        "DH-HC",
        "Đại học Hành chính (vừa làm vừa học)",
        CourseKind::Degree,
        Some((Edu, "university")),
        Some("Hành chính học"),
        napa,
    )?;
    let master = b.course(
        "THS-QLC",
        "Thạc sĩ Quản lý công",
        CourseKind::Degree,
        Some((Edu, "master")),
        Some("Quản lý công"),
        napa,
    )?;
    let cv = b.course(
        "QLNN-CV",
        "Bồi dưỡng quản lý nhà nước ngạch chuyên viên",
        CourseKind::StateManagement,
        Some((Sm, "specialist")),
        None,
        school,
    )?;
    let cvc = b.course(
        "QLNN-CVC",
        "Bồi dưỡng quản lý nhà nước ngạch chuyên viên chính",
        CourseKind::StateManagement,
        Some((Sm, "principal_specialist")),
        None,
        napa,
    )?;
    let it = b.course(
        "TH-CB",
        "Ứng dụng công nghệ thông tin cơ bản",
        CourseKind::It,
        Some((Dimension::It, "basic")),
        None,
        school,
    )?;
    let commune = b.course(
        "BD-CBCC-XA",
        "Bồi dưỡng cán bộ, công chức cấp xã theo vị trí việc làm",
        CourseKind::Refresher,
        None,
        None,
        school,
    )?;
    let topical = b.course(
        "BD-CD",
        "Bồi dưỡng nghiệp vụ, chuyên đề",
        CourseKind::Refresher,
        None,
        None,
        "Trung tâm Bồi dưỡng chính trị thành phố Phúc Yên",
    )?;
    let committee = b.course(
        "BD-CUV",
        "Bồi dưỡng nghiệp vụ cấp ủy viên chi, đảng bộ trực thuộc",
        CourseKind::Leadership,
        None,
        None,
        school,
    )?;
    let candidates = b.course(
        "DANG-DT",
        "Bồi dưỡng nhận thức về Đảng (đối tượng Đảng)",
        CourseKind::Party,
        None,
        None,
        "Trung tâm Bồi dưỡng chính trị thành phố Phúc Yên",
    )?;
    let new_members = b.course(
        "DANG-DVM",
        "Bồi dưỡng đảng viên mới",
        CourseKind::Party,
        None,
        None,
        "Trung tâm Bồi dưỡng chính trị thành phố Phúc Yên",
    )?;
    Ok(Courses {
        tc,
        cc,
        law,
        admin,
        master,
        cv,
        cvc,
        it,
        commune,
        topical,
        committee,
        candidates,
        new_members,
    })
}

/// Whom Phúc Thắng sent to training from 2015 to May 2019.
fn ward_training(b: &mut Builder<'_>, tree: &Tree, courses: &Courses, ward: &WardPeople) -> Result<(), ApiError> {
    use ClassStatus::Finished;
    use Outcome::*;
    let Tree {
        home_affairs,
        provincial_party,
        city_party,
        city_hall,
        ..
    } = *tree;
    let Courses {
        tc,
        cc,
        law,
        admin,
        cv,
        it,
        commune,
        ..
    } = *courses;
    let WardPeople {
        c1,
        c3,
        c4,
        c5,
        c6,
        c7,
        c8,
        c9,
        c10,
        c11,
        r1,
        lmc,
        ref s,
        ..
    } = *ward;
    // Phúc Thắng, 2015 to May 2019: sixteen sent to degree and political-theory training…
    let k = b.class(
        ("TC-2015", "Trung cấp LLCT-HC thị xã Phúc Yên khóa 2015"),
        tc,
        city_party,
        ("2015-09-07", "2016-06-30"),
        52,
        Finished,
    )?;
    b.send(&k, &[c3, c4, s[0]], Completed)?;
    let k = b.class(
        ("TC-2017", "Trung cấp LLCT-HC thị xã Phúc Yên khóa 2017"),
        tc,
        city_party,
        ("2017-03-06", "2017-12-22"),
        48,
        Finished,
    )?;
    b.send(&k, &[c6, c7, s[1], s[2]], Completed)?;
    b.send(&k, &[s[7]], Failed)?;
    b.send(&k, &[s[9]], Withdrawn)?;
    let k = b.class(
        ("CC-2016", "Cao cấp LLCT hệ không tập trung khóa 2016"),
        cc,
        provincial_party,
        ("2016-04-04", "2017-10-27"),
        95,
        Finished,
    )?;
    b.send(&k, &[c1], Completed)?;
    let k = b.class(
        ("DH-LUAT-2015", "Đại học Luật vừa làm vừa học khóa 2015"),
        law,
        home_affairs,
        ("2015-10-10", "2019-01-15"),
        60,
        Finished,
    )?;
    b.send(&k, &[c9, s[4]], Completed)?;
    let k = b.class(
        ("DH-HC-2016", "Đại học Hành chính vừa làm vừa học khóa 2016"),
        admin,
        home_affairs,
        ("2016-10-01", "2020-06-30"),
        70,
        Finished,
    )?;
    b.send(&k, &[s[5], s[6]], Completed)?;
    let k = b.class(
        ("TC-2019", "Trung cấp LLCT-HC thành phố Phúc Yên khóa 2019"),
        tc,
        city_party,
        ("2019-09-09", "2020-05-29"),
        64,
        Finished,
    )?;
    b.send(&k, &[s[8]], Completed)?;

    // …and twenty-two to refresher courses.
    let k = b.class(
        ("BD-XA-2016", "Bồi dưỡng CBCC phường, xã năm 2016"),
        commune,
        city_hall,
        ("2016-05-09", "2016-05-20"),
        120,
        Finished,
    )?;
    b.send(
        &k,
        &[c3, c4, c5, c6, c7, c8, c9, c10, c11, s[0], s[1], s[2], s[3], s[4]],
        Completed,
    )?;
    b.send(&k, &[r1], Nominated)?;
    let k = b.class(
        ("QLNN-CV-2017", "Bồi dưỡng QLNN ngạch chuyên viên năm 2017"),
        cv,
        home_affairs,
        ("2017-05-15", "2017-08-25"),
        80,
        Finished,
    )?;
    b.send(&k, &[s[6], s[7], s[8], s[9]], Completed)?;
    let k = b.class(
        ("TH-2017", "Ứng dụng CNTT cơ bản năm 2017"),
        it,
        home_affairs,
        ("2017-09-11", "2017-10-20"),
        40,
        Finished,
    )?;
    b.send(&k, &[s[10], lmc], Completed)?;
    b.send(&k, &[s[11]], Withdrawn)?;
    Ok(())
}

/// The city in 2018: whom it sent to training, and the classes it organized.
fn city_training(
    b: &mut Builder<'_>,
    tree: &Tree,
    courses: &Courses,
    ward: &WardPeople,
    city_people: &CityPeople,
) -> Result<(), ApiError> {
    use ClassStatus::Finished;
    use Outcome::*;
    let Tree {
        home_affairs,
        provincial_party,
        city_party,
        city_hall,
        phuc_thang,
        hung_vuong,
        ..
    } = *tree;
    let Courses {
        tc,
        cc,
        master,
        cvc,
        topical,
        committee,
        candidates,
        new_members,
        ..
    } = *courses;
    let WardPeople {
        c1,
        c2,
        c3,
        c5,
        c8,
        lmc,
        ref s,
        ..
    } = *ward;
    let CityPeople {
        tu1,
        tu2,
        tu3,
        ref ub,
        hv1,
        hv2,
        hv3,
        tt1,
        tt2,
        tt3,
        xh1,
        xh2,
        tn1,
        dx1,
    } = *city_people;
    // The city in 2018: sent to advanced political theory, master's, principal specialist.
    let k = b.class(
        ("CC-2018", "Cao cấp LLCT hệ không tập trung khóa 2018"),
        cc,
        provincial_party,
        ("2018-09-10", "2020-06-30"),
        92,
        Finished,
    )?;
    b.send(&k, &[tu1, tu2, ub[0], ub[1]], Completed)?;
    let k = b.class(
        ("THS-2018", "Thạc sĩ Quản lý công khóa 2018"),
        master,
        home_affairs,
        ("2018-10-15", "2020-12-20"),
        45,
        Finished,
    )?;
    b.send(&k, &[ub[2], hv1, tt1], Completed)?;
    let k = b.class(
        ("QLNN-CVC-2018", "Bồi dưỡng QLNN ngạch chuyên viên chính năm 2018"),
        cvc,
        home_affairs,
        ("2018-06-04", "2018-08-31"),
        110,
        Finished,
    )?;
    b.send(&k, &[ub[3], ub[4]], Completed)?;

    // …and organized: one intermediate political-theory class of 70 learners,
    let k = b.class(
        ("TC-2018", "Trung cấp LLCT-HC thành phố Phúc Yên khóa 2018"),
        tc,
        city_party,
        ("2018-03-05", "2018-12-21"),
        60,
        Finished,
    )?;
    b.send(&k, &[c8, s[3], lmc, hv2, hv3, tt2, tt3, xh1, tn1, dx1], Completed)?;
    // one refresher for party committee members of nearly 300,
    let k = b.class(
        ("BD-CUV-2018", "Bồi dưỡng nghiệp vụ cấp ủy viên năm 2018"),
        committee,
        city_party,
        ("2018-07-02", "2018-07-06"),
        290,
        Finished,
    )?;
    b.send(&k, &[c1, c2, c3, c5, tu3, xh2], Completed)?;
    // and seventeen refresher and party classes of more than 2,600.
    let refreshers: [(i64, i32); 11] = [
        (city_hall, 177),
        (city_hall, 165),
        (city_hall, 142),
        (city_party, 210),
        (city_party, 155),
        (city_hall, 130),
        (city_hall, 175),
        (city_party, 160),
        (hung_vuong, 148),
        (phuc_thang, 138),
        (phuc_thang, 120),
    ];
    for (i, (organizer, external)) in refreshers.iter().enumerate() {
        let month = format!("2018-{:02}-1{}", 1 + i, i % 9);
        let k = b.class(
            (
                &format!("BD-CD-2018-{:02}", i + 1),
                &format!("Bồi dưỡng chuyên đề số {} năm 2018", i + 1),
            ),
            topical,
            *organizer,
            (&month, &month),
            *external,
            Finished,
        )?;
        if i == 0 {
            b.send(&k, &[c1, ub[5], hv2], Completed)?;
        }
    }
    let party: [(i64, i32, i64); 6] = [
        (city_party, 160, candidates),
        (city_party, 148, candidates),
        (city_party, 152, candidates),
        (city_party, 150, new_members),
        (city_party, 146, new_members),
        (city_party, 154, new_members),
    ];
    for (i, (organizer, external, course)) in party.iter().enumerate() {
        let month = format!("2018-{:02}-2{}", 2 + i * 2, i % 8);
        let k = b.class(
            (
                &format!("DANG-2018-{:02}", i + 1),
                &format!("Lớp bồi dưỡng về Đảng số {} năm 2018", i + 1),
            ),
            *course,
            *organizer,
            (&month, &month),
            *external,
            Finished,
        )?;
        if i == 3 {
            b.send(&k, &[tt3], Completed)?;
        }
    }
    // A class that was planned and cancelled organizes nothing.
    b.class(
        ("BD-KN-2018", "Bồi dưỡng kỹ năng (đã hủy)"),
        topical,
        city_hall,
        ("2018-11-12", "2018-11-16"),
        50,
        ClassStatus::Cancelled,
    )?;
    Ok(())
}
