//! The year's training results (issue #14), on a small province whose right answers are
//! counted by hand: completions in and out of the year, failures and unfinished enrollments,
//! people sent by the province, a city's agency and wards, leaders then and now, terms of an
//! enrollment that differ from its class's, classes organized inside and outside the subtree.

use std::collections::BTreeMap;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::TestApp;

/// A course: code, kind, and the level it confers.
async fn course(app: &TestApp, code: &str, kind: &str, confers: Option<(&str, &str)>) -> i64 {
    let mut body = json!({"code": code, "title": code, "kind": kind});
    if let Some((dimension, level)) = confers {
        body["confers_dimension"] = json!(dimension);
        body["confers_level"] = json!(level);
    }
    let reply = app.post("/api/v1/courses", body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.id()
}

/// A class of `course` organized by `organizer` from `starts` to `ends`, with more fields.
async fn class(app: &TestApp, course: i64, organizer: i64, starts: &str, ends: &str, more: Value) -> i64 {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let code = format!("L-{}", NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    let mut body = json!({"code": code, "name": code, "course_id": course, "organizer_unit_id": organizer,
                          "starts_on": starts, "ends_on": ends, "status": "finished"});
    for (key, value) in more.as_object().unwrap() {
        body[key] = value.clone();
    }
    let reply = app.post("/api/v1/classes", body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.id()
}

/// Sends `official` to `class` (with more fields) and takes the enrollment through `statuses`.
async fn sent(app: &TestApp, class: i64, official: i64, more: Value, statuses: &[&str]) {
    let mut body = json!({"class_id": class, "official_id": official});
    for (key, value) in more.as_object().unwrap() {
        body[key] = value.clone();
    }
    let reply = app.post("/api/v1/enrollments", body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let id = reply.id();
    for status in statuses {
        let changed = app
            .patch(&format!("/api/v1/enrollments/{id}"), json!({"status": status}))
            .await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    }
}

const COMPLETED: &[&str] = &["enrolled", "completed"];

/// The units: the province's tree, its agency, the city's agency, another province.
struct Units {
    province: i64,
    city: i64,
    ward_a: i64,
    ward_b: i64,
    province_agency: i64,
    city_agency: i64,
    elsewhere: i64,
}

async fn setting(app: &TestApp) -> Units {
    let tree = app.tree().await;
    let units = Units {
        province: tree.province,
        city: tree.city,
        ward_a: tree.ward_a,
        ward_b: tree.ward_b,
        province_agency: app.unit("VP-SNV", "Sở Nội vụ", "agency", Some(tree.province)).await,
        city_agency: app
            .unit(
                "VP-PY-UB",
                "Văn phòng HĐND và UBND thành phố",
                "agency",
                Some(tree.city),
            )
            .await,
        elsewhere: app.unit("HN", "Thành phố Hà Nội", "province", None).await,
    };
    let leading = |code: &str, title: &str, category: &str| json!({"code": code, "title": title, "category": category, "leadership": true});
    let chair = app
        .post("/api/v1/positions", leading("CT", "Chủ tịch UBND phường", "cadre"))
        .await
        .id();
    let head = app
        .post("/api/v1/positions", leading("TP", "Trưởng phòng", "civil_servant"))
        .await
        .id();
    let clerk = app.position("CV", "Chuyên viên", "civil_servant").await;
    let person = |code: &str, gender: &str, unit: i64, position: i64| {
        json!({"code": code, "full_name": code, "gender": gender, "date_of_birth": "1980-01-01",
               "unit_id": unit, "position_id": position, "started_on": "2010-01-01"})
    };
    let id = |v: Value| v["id"].as_i64().unwrap();
    // Lan: a woman who chairs ward A. Minh: a clerk of the city's agency. Hoa: a woman who
    // heads a department of the province's agency. Quang: a clerk of ward B. Sơn: a clerk of
    // ward A who became chairman of ward B in 2019 (not a leader when he completed in 2018).
    // Tuấn: of another province.
    let lan = id(app.official(person("LAN", "female", units.ward_a, chair)).await);
    let minh = id(app.official(person("MINH", "male", units.city_agency, clerk)).await);
    let hoa = id(app.official(person("HOA", "female", units.province_agency, head)).await);
    let quang = id(app.official(person("QUANG", "male", units.ward_b, clerk)).await);
    let son = id(app.official(person("SON", "male", units.ward_a, clerk)).await);
    let tuan = id(app.official(person("TUAN", "male", units.elsewhere, clerk)).await);
    let moved = app
        .post(
            &format!("/api/v1/officials/{son}/transfer"),
            json!({"unit_id": units.ward_b, "position_id": chair, "effective_on": "2019-03-01"}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);

    let master = course(app, "THS", "degree", Some(("education", "master"))).await;
    let university = course(app, "DH", "degree", Some(("education", "university"))).await;
    let college = course(app, "CD", "degree", Some(("education", "college"))).await;
    let intermediate = course(
        app,
        "TC",
        "political_theory",
        Some(("political_theory", "intermediate")),
    )
    .await;
    let advanced = course(app, "CC", "political_theory", Some(("political_theory", "advanced"))).await;
    let specialist = course(
        app,
        "QLNN",
        "state_management",
        Some(("state_management", "specialist")),
    )
    .await;
    let it = course(app, "TH", "it", Some(("it", "basic"))).await;
    let language = course(app, "NN", "foreign_language", None).await;
    let party = course(app, "DANG", "party", None).await;
    let defense = course(app, "QP", "defense_security", None).await;
    let refresher = course(app, "BD", "refresher", None).await;
    let other = course(app, "KH", "other", None).await;
    let cost = |vnd: i64| json!({"learner_cost_vnd": vnd});

    // Lan: a master's abroad (begun in 2016), intermediate political theory part-time, defence.
    let ths = class(
        app,
        master,
        units.province_agency,
        "2016-10-01",
        "2018-10-30",
        json!({"location": "abroad", "learner_cost_vnd": 200_000_000}),
    )
    .await;
    sent(app, ths, lan, json!({}), COMPLETED).await;
    let tc = class(
        app,
        intermediate,
        units.city_agency,
        "2018-03-01",
        "2018-11-30",
        json!({"study_mode": "part_time", "learner_cost_vnd": 8_500_000, "cost_vnd": 100_000_000,
                          "external_learners": 10}),
    )
    .await;
    sent(app, tc, lan, json!({}), COMPLETED).await;
    sent(app, tc, quang, json!({}), COMPLETED).await;
    sent(app, tc, son, json!({}), &["enrolled", "failed"]).await;
    let qp = class(
        app,
        defense,
        units.city_agency,
        "2018-09-10",
        "2018-09-20",
        cost(2_000_000),
    )
    .await;
    sent(app, qp, quang, json!({}), COMPLETED).await;
    sent(app, qp, lan, json!({}), COMPLETED).await;
    // Minh: a university degree (begun in 2015), state management, two IT classes.
    let dh = class(
        app,
        university,
        units.province_agency,
        "2015-09-01",
        "2018-06-30",
        json!({"study_mode": "part_time", "learner_cost_vnd": 30_000_000}),
    )
    .await;
    sent(app, dh, minh, json!({}), COMPLETED).await;
    let qlnn = class(
        app,
        specialist,
        units.province,
        "2018-05-01",
        "2018-06-01",
        cost(3_600_000),
    )
    .await;
    sent(app, qlnn, minh, json!({}), COMPLETED).await;
    sent(app, qlnn, son, json!({}), COMPLETED).await;
    for (starts, ends) in [("2018-02-01", "2018-02-28"), ("2018-09-01", "2018-09-30")] {
        let th = class(app, it, units.city_agency, starts, ends, cost(1_500_000)).await;
        sent(app, th, minh, json!({}), COMPLETED).await;
    }
    // Hoa: advanced political theory in another province's class, a language course abroad
    // that Quang took at home.
    let cc = class(
        app,
        advanced,
        units.elsewhere,
        "2018-01-10",
        "2018-12-20",
        cost(24_000_000),
    )
    .await;
    sent(app, cc, hoa, json!({}), COMPLETED).await;
    sent(app, cc, tuan, json!({}), COMPLETED).await;
    let nn = class(
        app,
        language,
        units.province_agency,
        "2018-04-01",
        "2018-07-01",
        json!({"location": "abroad", "learner_cost_vnd": 50_000_000}),
    )
    .await;
    sent(app, nn, hoa, json!({}), COMPLETED).await;
    sent(
        app,
        nn,
        quang,
        json!({"location": "domestic", "cost_vnd": 0}),
        COMPLETED,
    )
    .await;
    // Quang and Sơn: party, refresher and other courses; a college degree is "other".
    let dang = class(
        app,
        party,
        units.ward_b,
        "2018-08-01",
        "2018-08-01",
        json!({"learner_cost_vnd": 100_000, "external_learners": 20}),
    )
    .await;
    sent(app, dang, quang, json!({}), COMPLETED).await;
    let bd = class(app, refresher, units.ward_a, "2018-10-01", "2018-10-05", cost(300_000)).await;
    sent(app, bd, quang, json!({}), &["enrolled"]).await;
    sent(app, bd, son, json!({}), COMPLETED).await;
    let kh = class(app, other, units.ward_a, "2018-11-01", "2018-11-02", cost(500_000)).await;
    sent(app, kh, quang, json!({}), COMPLETED).await;
    let cd = class(
        app,
        college,
        units.city_agency,
        "2016-01-01",
        "2018-05-01",
        cost(20_000_000),
    )
    .await;
    sent(app, cd, son, json!({}), COMPLETED).await;
    // Outside the year: completed in 2017; a cancelled class organizes nothing.
    let bd17 = class(app, refresher, units.ward_a, "2017-10-01", "2017-10-05", cost(300_000)).await;
    sent(app, bd17, quang, json!({}), COMPLETED).await;
    class(
        app,
        refresher,
        units.ward_a,
        "2018-11-12",
        "2018-11-16",
        json!({"status": "cancelled"}),
    )
    .await;
    units
}

/// The figures of every row that is not all zeros, in the order of `ResultValues`:
/// total, province, district, commune, leaders, women, cost, classes, learners.
type Figures = [i64; 9];

fn figures(report: &Value) -> BTreeMap<String, Figures> {
    let keys = [
        "total", "province", "district", "commune", "leaders", "women", "cost_vnd", "classes", "learners",
    ];
    report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let values = keys.map(|key| row["values"][key].as_i64().unwrap());
            (row["key"].as_str().unwrap().to_owned(), values)
        })
        .filter(|(_, values)| values.iter().any(|v| *v != 0))
        .collect()
}

#[tokio::test]
async fn the_training_results_count_every_row_and_column_by_hand() {
    let app = TestApp::spawn().await;
    let units = setting(&app).await;
    let reply = app
        .get(&format!(
            "/api/v1/reports/training-results?unit_id={}&year=2018",
            units.province
        ))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let report = &reply.body;
    assert_eq!(
        (&report["from"], &report["to"]),
        (&json!("2018-01-01"), &json!("2018-12-31"))
    );
    let rows = report["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 24, "every row, zeros included");
    assert_eq!(rows[0]["key"], "education_university_domestic");
    assert_eq!(rows[0]["section"], "training");
    assert_eq!(rows[23]["key"], "other");
    assert_eq!(rows[23]["section"], "refresher");
    let expected: BTreeMap<String, Figures> = [
        // Minh, sent by the city's agency (district level).
        ("education_university_domestic", [1, 0, 1, 0, 0, 0, 30_000_000, 0, 0]),
        // Lan, a woman who leads, sent by ward A.
        ("education_master_abroad", [1, 0, 0, 1, 1, 1, 200_000_000, 0, 0]),
        // Lan and Quang; Sơn failed. The class: three learners and ten from outside.
        (
            "political_theory_intermediate_part_time",
            [2, 0, 0, 2, 1, 1, 17_000_000, 1, 13],
        ),
        // Hoa, from the province's agency; Tuấn is of another province.
        (
            "political_theory_advanced_full_time",
            [1, 1, 0, 0, 1, 1, 24_000_000, 0, 0],
        ),
        // Minh and Sơn (who led only from 2019).
        ("state_management_specialist", [2, 0, 1, 1, 0, 0, 7_200_000, 1, 2]),
        ("defense_security", [2, 0, 0, 2, 1, 1, 4_000_000, 1, 2]),
        ("party", [1, 0, 0, 1, 0, 0, 100_000, 1, 21]),
        // Sơn completed; Quang is still enrolled (a learner of the class, not a result).
        ("refresher", [1, 0, 0, 1, 0, 0, 300_000, 1, 2]),
        // Minh twice: one person, two costs, two classes.
        ("it", [1, 0, 1, 0, 0, 0, 3_000_000, 2, 2]),
        // The class abroad counts as abroad; Quang studied at home, at no cost.
        ("foreign_language_abroad", [1, 1, 0, 0, 1, 1, 50_000_000, 1, 2]),
        ("foreign_language_domestic", [1, 0, 0, 1, 0, 0, 0, 0, 0]),
        // Quang's other course and Sơn's college degree.
        ("other", [2, 0, 0, 2, 0, 0, 20_500_000, 1, 1]),
    ]
    .into_iter()
    .map(|(key, values)| (key.to_owned(), values))
    .collect();
    assert_eq!(figures(report), expected);
    // The classes organized, per course kind and level, as the training report counts them.
    let organized = report["organized"].as_array().unwrap();
    let intermediate = organized
        .iter()
        .find(|o| o["kind"] == "political_theory" && o["level"] == "intermediate")
        .unwrap();
    assert_eq!(
        (&intermediate["classes"], &intermediate["learners"]),
        (&json!(1), &json!(13))
    );
    let classes: i64 = organized.iter().map(|o| o["classes"].as_i64().unwrap()).sum();
    assert_eq!(classes, 9, "{organized:?}");

    // The city: its agency and wards; not the province's agency, nor its classes.
    let city = app
        .get(&format!(
            "/api/v1/reports/training-results?unit_id={}&year=2018",
            units.city
        ))
        .await
        .body;
    let city = figures(&city);
    assert_eq!(
        city["political_theory_intermediate_part_time"],
        [2, 0, 0, 2, 1, 1, 17_000_000, 1, 13]
    );
    assert_eq!(city["state_management_specialist"], [2, 0, 1, 1, 0, 0, 7_200_000, 0, 0]);
    assert_eq!(city["education_master_abroad"], [1, 0, 0, 1, 1, 1, 200_000_000, 0, 0]);
    assert!(!city.contains_key("political_theory_advanced_full_time"));
    assert_eq!(city["foreign_language_domestic"][0], 1);
    // An agency alone is of the level of the unit it belongs to.
    let agency = app
        .get(&format!(
            "/api/v1/reports/training-results?unit_id={}&year=2018",
            units.city_agency
        ))
        .await
        .body;
    let agency = figures(&agency);
    assert_eq!(agency["it"], [1, 0, 1, 0, 0, 0, 3_000_000, 2, 2]);
    assert_eq!(agency.len(), 5, "{agency:?}");

    // A period instead of a year: the first half of 2018.
    let half = app
        .get(&format!(
            "/api/v1/reports/training-results?unit_id={}&from=2018-01-01&to=2018-06-30",
            units.province
        ))
        .await
        .body;
    let half = figures(&half);
    assert_eq!(half["education_university_domestic"][0], 1);
    assert_eq!(half["it"], [1, 0, 1, 0, 0, 0, 1_500_000, 1, 1]);
    assert!(!half.contains_key("education_master_abroad"));

    // Bad periods.
    let path = format!("/api/v1/reports/training-results?unit_id={}", units.province);
    app.get(&format!("{path}&year=2018&from=2018-01-01"))
        .await
        .assert_fields(&["year"]);
    app.get(&format!("{path}&from=2018-06-01&to=2018-01-01"))
        .await
        .assert_fields(&["to"]);
    app.get(&format!("{path}&year=18000")).await.assert_fields(&["year"]);
    app.get("/api/v1/reports/training-results?year=2018")
        .await
        .assert_fields(&["unit_id"]);

    // The form as XLSX: sections I and II, every row, the JSON's figures.
    let xlsx = app
        .download(&format!(
            "/api/v1/reports/training-results/download?unit_id={}&year=2018&format=xlsx",
            units.province
        ))
        .await
        .xlsx();
    let text = |cell: &calamine::Data| cell.to_string();
    let number = |cell: &calamine::Data| match cell {
        calamine::Data::Float(x) => *x as i64,
        calamine::Data::Int(n) => *n,
        calamine::Data::Empty => 0,
        other => panic!("not a number: {other:?}"),
    };
    let headed = |label: &str| {
        xlsx.iter()
            .position(|row| row.get(1).map(text).as_deref() == Some(label))
            .unwrap_or_else(|| panic!("no row {label}"))
    };
    let training = headed("Đào tạo");
    let refresher = headed("Bồi dưỡng");
    assert_eq!(text(&xlsx[training][0]), "I");
    assert_eq!(text(&xlsx[refresher][0]), "II");
    assert_eq!(refresher - training, 13, "twelve training rows");
    for row in rows {
        let at = headed(row["label"].as_str().unwrap());
        let cells: Vec<i64> = xlsx[at][2..11].iter().map(number).collect();
        let key = row["key"].as_str().unwrap();
        let want = figures(report).get(key).copied().unwrap_or_default();
        assert_eq!(cells, want, "{key}");
    }
    // As CSV with codes: the rows' keys.
    let csv = app
        .download(&format!(
            "/api/v1/reports/training-results/download?unit_id={}&year=2018&labels=codes",
            units.province
        ))
        .await
        .csv();
    assert_eq!(csv[0][..4], ["no", "content", "total", "province"]);
    let master = csv.iter().find(|row| row[1] == "education_master_abroad").unwrap();
    assert_eq!(master[2..9], ["1", "0", "0", "1", "1", "1", "200000000"]);
}

/// The leading post on the day of completion where the subtree holds no assignment covering
/// that day: the one held elsewhere then, or, with none at all, the current post.
#[tokio::test]
async fn leaders_are_found_outside_the_subtree_and_by_the_current_post() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let elsewhere = app.unit("HN", "Thành phố Hà Nội", "province", None).await;
    let chair = app
        .post(
            "/api/v1/positions",
            json!({"code": "CT", "title": "Chủ tịch", "category": "cadre", "leadership": true}),
        )
        .await
        .id();
    let clerk = app.position("CV", "Chuyên viên", "civil_servant").await;
    let person = |code: &str, gender: &str, unit: i64, position: i64, started: &str| {
        json!({"code": code, "full_name": code, "gender": gender, "date_of_birth": "1980-01-01",
               "unit_id": unit, "position_id": position, "started_on": started})
    };
    // Tuấn chairs in Hà Nội, Khoa (a woman) is a clerk there; both were sent by ward A in 2018. Vân has
    // chaired ward B since 2020 only: on her day of completion no assignment of hers covers.
    let tuan = app
        .official(person("TUAN", "male", elsewhere, chair, "2010-01-01"))
        .await["id"]
        .as_i64()
        .unwrap();
    let khoa = app
        .official(person("KHOA", "female", elsewhere, clerk, "2010-01-01"))
        .await["id"]
        .as_i64()
        .unwrap();
    let van = app
        .official(person("VAN", "female", tree.ward_b, chair, "2020-01-01"))
        .await["id"]
        .as_i64()
        .unwrap();
    let refresher = course(&app, "BD", "refresher", None).await;
    let held = class(&app, refresher, tree.city, "2018-03-01", "2018-03-31", json!({})).await;
    for (official, sender) in [(tuan, tree.ward_a), (khoa, tree.ward_a), (van, tree.ward_b)] {
        sent(&app, held, official, json!({"sending_unit_id": sender}), COMPLETED).await;
    }
    let report = app
        .get(&format!(
            "/api/v1/reports/training-results?unit_id={}&year=2018",
            tree.city
        ))
        .await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    let row = report.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "refresher")
        .unwrap()
        .clone();
    assert_eq!(row["values"]["total"], 3, "{row}");
    assert_eq!(row["values"]["commune"], 3, "{row}");
    assert_eq!(
        row["values"]["leaders"], 2,
        "Tuấn by his post in Hà Nội, Vân by her current one: {row}"
    );
    assert_eq!(
        row["values"]["women"], 2,
        "Khoa, who works outside the subtree, and Vân: {row}"
    );
}

/// Each enrollment carries its class's course and its official's gender for the form's index:
/// a class whose course is corrected moves its completions, and the classes it counts, to the
/// new course's row; an official whose gender is corrected is counted anew.
#[tokio::test]
async fn completions_follow_their_class_and_their_official() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let clerk = app.position("CV", "Chuyên viên", "civil_servant").await;
    let refresher = course(&app, "BD", "refresher", None).await;
    let advanced = course(&app, "CC", "political_theory", Some(("political_theory", "advanced"))).await;
    let held = class(
        &app,
        refresher,
        tree.city,
        "2018-03-01",
        "2018-03-31",
        json!({"study_mode": "part_time"}),
    )
    .await;
    let mut sent_ids = Vec::new();
    for code in ["AN", "BINH"] {
        let official = app
            .official(
                json!({"code": code, "full_name": code, "gender": "female", "date_of_birth": "1980-01-01",
                             "unit_id": tree.ward_a, "position_id": clerk, "started_on": "2010-01-01"}),
            )
            .await["id"]
            .as_i64()
            .unwrap();
        sent(&app, held, official, json!({}), COMPLETED).await;
        sent_ids.push(official);
    }
    let path = format!("/api/v1/reports/training-results?unit_id={}&year=2018", tree.city);
    let before = figures(&app.get(&path).await.body);
    assert_eq!(
        before,
        BTreeMap::from([("refresher".to_owned(), [2, 0, 0, 2, 0, 2, 0, 1, 2])])
    );
    let changed = app
        .patch(&format!("/api/v1/classes/{held}"), json!({"course_id": advanced}))
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    // A full-time class of the same course, without learners: another row of the form, the
    // same line of the classes organized.
    class(
        &app,
        advanced,
        tree.city,
        "2018-09-01",
        "2018-12-31",
        json!({"study_mode": "full_time"}),
    )
    .await;
    let after = app.get(&path).await.body;
    assert_eq!(
        figures(&after),
        BTreeMap::from([
            (
                "political_theory_advanced_full_time".to_owned(),
                [0, 0, 0, 0, 0, 0, 0, 1, 0]
            ),
            (
                "political_theory_advanced_part_time".to_owned(),
                [2, 0, 0, 2, 0, 2, 0, 1, 2]
            ),
        ])
    );
    let training = app
        .get(&format!(
            "/api/v1/reports/training?unit_id={}&from=2018-01-01&to=2018-12-31",
            tree.city
        ))
        .await
        .body;
    assert_eq!(training["sent"], json!({"training": 2, "refresher": 0}), "{training}");
    assert_eq!(
        after["organized"],
        json!([{"kind": "political_theory", "dimension": "political_theory", "level": "advanced", "classes": 2, "learners": 2}])
    );
    assert_eq!(after["organized"], training["organized"]);

    // Each enrollment carries its official's gender too: corrected, it is counted anew.
    let an = sent_ids[0];
    let corrected = app
        .patch(&format!("/api/v1/officials/{an}"), json!({"gender": "male"}))
        .await;
    assert_eq!(corrected.status, StatusCode::OK, "{}", corrected.body);
    assert_eq!(
        figures(&app.get(&path).await.body)["political_theory_advanced_part_time"],
        [2, 0, 0, 2, 0, 1, 0, 1, 2]
    );
}

/// Each completion carries the post its official held on its day, for the leaders' column:
/// a post corrected later, a move recorded after the training, a current post that changes
/// (for those whose history does not reach back to that day) are each counted anew, and a
/// position's leadership corrected is read as it stands.
#[tokio::test]
async fn leaders_follow_the_history_written_after_the_completion() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let chair = app
        .post(
            "/api/v1/positions",
            json!({"code": "CT", "title": "Chủ tịch", "category": "cadre", "leadership": true}),
        )
        .await
        .id();
    let clerk = app.position("CV", "Chuyên viên", "civil_servant").await;
    let person = |code: &str, unit: i64, started: &str| {
        json!({"code": code, "full_name": code, "gender": "male", "date_of_birth": "1980-01-01",
               "unit_id": unit, "position_id": clerk, "started_on": started})
    };
    // Hùng has clerked in ward A since 2010; Long in ward B since 2020 only: on his day of
    // completion no assignment of his covers, and his current post counts.
    let hung = app.official(person("HUNG", tree.ward_a, "2010-01-01")).await["id"]
        .as_i64()
        .unwrap();
    let long = app.official(person("LONG", tree.ward_b, "2020-01-01")).await["id"]
        .as_i64()
        .unwrap();
    let refresher = course(&app, "BD", "refresher", None).await;
    let held = class(&app, refresher, tree.city, "2018-03-01", "2018-03-31", json!({})).await;
    for official in [hung, long] {
        sent(&app, held, official, json!({}), COMPLETED).await;
    }
    let path = format!("/api/v1/reports/training-results?unit_id={}&year=2018", tree.city);
    let leaders = || async {
        let report = app.get(&path).await;
        assert_eq!(report.status, StatusCode::OK, "{}", report.body);
        let row = report.body["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == "refresher")
            .unwrap()
            .clone();
        assert_eq!(row["values"]["total"], 2, "{row}");
        row["values"]["leaders"].as_i64().unwrap()
    };
    assert_eq!(leaders().await, 0);

    // Hùng's post since 2010 corrected: he chaired the ward then.
    let corrected = app
        .patch(&format!("/api/v1/officials/{hung}"), json!({"position_id": chair}))
        .await;
    assert_eq!(corrected.status, StatusCode::OK, "{}", corrected.body);
    assert_eq!(leaders().await, 1, "Hùng by his corrected post");

    // He moves back to a clerk's post in 2019: in March 2018 he still chaired.
    let moved = app
        .post(
            &format!("/api/v1/officials/{hung}/transfer"),
            json!({"unit_id": tree.ward_a, "position_id": clerk, "effective_on": "2019-06-01"}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(leaders().await, 1, "Hùng by the post of the day, not his current one");

    // Long becomes chairman in 2021: with no post of his covering March 2018, his current
    // post counts.
    let promoted = app
        .post(
            &format!("/api/v1/officials/{long}/transfer"),
            json!({"unit_id": tree.ward_b, "position_id": chair, "effective_on": "2021-01-01"}),
        )
        .await;
    assert_eq!(promoted.status, StatusCode::OK, "{}", promoted.body);
    assert_eq!(leaders().await, 2, "Long by his current post");

    // The chairman's post corrected as not leading: read as it stands, for both.
    let relabelled = app
        .patch(&format!("/api/v1/positions/{chair}"), json!({"leadership": false}))
        .await;
    assert_eq!(relabelled.status, StatusCode::OK, "{}", relabelled.body);
    assert_eq!(leaders().await, 0);
}
