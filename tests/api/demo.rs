//! The demo data set reproduces the figures of the 2019 report on Phúc Yên.

use cadre_records::db::{Db, DbUrl};
use cadre_records::demo::{seed, Seeded};
use serde_json::{json, Value};

use crate::helpers::TestApp;

/// The service on a copy of the demo data set, loaded once per test run.
async fn seeded() -> TestApp {
    TestApp::spawn_demo().await
}

fn level<'a>(report: &'a Value, dimension: &str, code: &str) -> &'a Value {
    report["dimensions"][dimension]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["level"] == code)
        .unwrap()
}

fn row<'a>(rows: &'a Value, kind: &str, level: Option<&str>) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == kind && r["level"] == json!(level))
        .unwrap_or_else(|| panic!("no {kind}/{level:?} row in {rows}"))
}

#[tokio::test]
async fn phuc_thang_ward_on_30_may_2019() {
    let app = seeded().await;
    let ward = app.unit_id("VP-PY-PT").await;
    let report = app
        .get(&format!(
            "/api/v1/reports/qualifications?unit_id={ward}&category=cadre&as_of=2019-05-30"
        ))
        .await
        .body;
    assert_eq!(report["unit_name"], "Phường Phúc Thắng");
    assert_eq!(report["headcount"], 11, "11 full-time cadres");
    assert_eq!(
        level(&report, "education", "university")["at_least"],
        10,
        "10/11 hold a university degree"
    );
    assert_eq!(level(&report, "education", "university")["share"], "10/11");
    assert_eq!(
        level(&report, "education", "intermediate")["count"],
        1,
        "1 an intermediate one"
    );
    assert_eq!(
        level(&report, "political_theory", "intermediate")["at_least"],
        10,
        "10 at intermediate political theory or above"
    );

    let training = app
        .get(&format!(
            "/api/v1/reports/training?unit_id={ward}&from=2015-01-01&to=2019-05-30"
        ))
        .await
        .body;
    assert_eq!(training["sent"], json!({"training": 16, "refresher": 22}));
}

#[tokio::test]
async fn phuc_yen_city_in_2018() {
    let app = seeded().await;
    let city = app.unit_id("VP-PY").await;
    let report = app
        .get(&format!(
            "/api/v1/reports/training?unit_id={city}&from=2018-01-01&to=2018-12-31"
        ))
        .await
        .body;
    let by_course = &report["by_course"];
    let advanced = row(by_course, "political_theory", Some("advanced"));
    assert_eq!(
        (advanced["officials"].as_i64(), advanced["enrollments"].as_i64()),
        (Some(4), Some(4))
    );
    assert_eq!(row(by_course, "degree", Some("master"))["officials"], 3);
    assert_eq!(
        row(by_course, "state_management", Some("principal_specialist"))["officials"],
        2
    );

    let organized = &report["organized"];
    let theory = row(organized, "political_theory", Some("intermediate"));
    assert_eq!(
        (theory["classes"].as_i64(), theory["learners"].as_i64()),
        (Some(1), Some(70))
    );
    let committee = row(organized, "leadership", None);
    assert_eq!(committee["classes"], 1);
    assert_eq!(committee["learners"], 296, "about 300");
    let refresher = row(organized, "refresher", None);
    let party = row(organized, "party", None);
    let classes = refresher["classes"].as_i64().unwrap() + party["classes"].as_i64().unwrap();
    let learners = refresher["learners"].as_i64().unwrap() + party["learners"].as_i64().unwrap();
    assert_eq!(classes, 17);
    assert!(learners > 2600, "more than 2,600 learners, not {learners}");
    assert_eq!(learners, 2634);
    assert_eq!(
        organized.as_array().unwrap().len(),
        4,
        "nothing else was organized: {organized}"
    );
}

#[tokio::test]
async fn seeding_is_idempotent_and_keeps_off_other_data() {
    let app = seeded().await;
    let db = Db::new(&DbUrl::parse(&app.database_url));
    let again = actix_web::web::block(move || seed(&db, false)).await.unwrap().unwrap();
    assert_eq!(again, Seeded::AlreadyLoaded);
    let units = app.get("/api/v1/units").await.body["total"].clone();

    let other = TestApp::spawn().await;
    other.unit("X", "Phường X", "ward", None).await;
    let db = Db::new(&DbUrl::parse(&other.database_url));
    let refused = actix_web::web::block(move || seed(&db, false)).await.unwrap();
    assert!(refused.is_err());
    assert_eq!(other.get("/api/v1/units").await.body["total"], 1, "nothing was written");
    let db = Db::new(&DbUrl::parse(&other.database_url));
    let forced = actix_web::web::block(move || seed(&db, true)).await.unwrap().unwrap();
    assert_eq!(forced, Seeded::Loaded);
    assert_eq!(
        other.get("/api/v1/units").await.body["total"].as_i64().unwrap(),
        units.as_i64().unwrap() + 1
    );
}

#[tokio::test]
async fn the_demo_keeps_its_history_straight() {
    let app = seeded().await;
    let ward = app.unit_id("VP-PY-PT").await;
    let compliance = app
        .get(&format!("/api/v1/reports/compliance?unit_id={ward}&as_of=2019-05-30"))
        .await
        .body;
    let names: Vec<&str> = compliance["shortfalls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["full_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Bùi Văn Lợi", "Đặng Quốc Tuấn"],
        "the cadre with an intermediate degree, and the one at elementary political theory"
    );
    // The chairman moved to the city hall in 2020: in 2021 the ward has ten full-time cadres.
    let later = app
        .get(&format!(
            "/api/v1/reports/qualifications?unit_id={ward}&category=cadre&as_of=2021-01-01"
        ))
        .await
        .body;
    assert_eq!(later["headcount"], 10);
    let hai = app.get("/api/v1/officials?q=phan%20thanh%20hai").await.body;
    let hai_id = hai["items"][0]["id"].as_i64().unwrap();
    let history = app.get(&format!("/api/v1/officials/{hai_id}/assignments")).await.body;
    assert_eq!(history.as_array().unwrap().len(), 2, "Xuân Hòa, then Phúc Thắng");
    let cong = app.get("/api/v1/officials?q=le%20minh%20cong").await.body;
    assert_eq!(cong["items"][0]["political_theory"], "intermediate");
}

#[tokio::test]
async fn todays_demo_report_is_the_same_both_ways() {
    let app = seeded().await;
    let ward = app.unit_id("VP-PY-PT").await;
    let province = app.unit_id("VP").await;
    crate::synthetic::both_ways_agree(&app, &[ward, province]).await;
}

/// The workforce statistics of the ward at the end of 2018, as README writes them out.
#[tokio::test]
async fn the_wards_workforce_at_the_end_of_2018_is_as_readme_gives_it() {
    let app = TestApp::spawn_demo().await;
    let ward = app.unit_id("VP-PY-PT").await;
    let report = app
        .get(&format!(
            "/api/v1/reports/workforce?unit_id={ward}&as_of=2018-12-31&group_by=none"
        ))
        .await
        .body;
    let total = &report["total"];
    let figures: Vec<i64> = [
        "headcount",
        "women",
        "ethnic_minority",
        "religious",
        "party_member",
        "rank_principal_specialist",
        "rank_specialist",
        "rank_clerk",
        "education_university",
        "education_intermediate",
        "political_theory_advanced",
        "political_theory_intermediate",
        "political_theory_elementary",
        "state_management_specialist",
        "it_basic",
        "age_under_30",
        "age_30_40",
        "age_41_50",
        "age_51_60",
    ]
    .iter()
    .map(|key| total[*key].as_i64().unwrap())
    .collect();
    assert_eq!(
        figures,
        [24, 11, 2, 5, 16, 3, 14, 5, 20, 4, 2, 13, 1, 4, 13, 2, 15, 6, 1]
    );
    let counted: i64 = total.as_object().unwrap().values().map(|n| n.as_i64().unwrap()).sum();
    assert_eq!(counted, figures.iter().sum::<i64>(), "every other column is zero");
}

#[tokio::test]
async fn the_citys_training_results_of_2018_are_as_readme_gives_them() {
    let app = TestApp::spawn_demo().await;
    let city = app.unit_id("VP-PY").await;
    let report = app
        .get(&format!("/api/v1/reports/training-results?unit_id={city}&year=2018"))
        .await
        .body;
    let keys = [
        "total", "province", "district", "commune", "leaders", "women", "cost_vnd", "classes", "learners",
    ];
    let rows: Vec<(String, Vec<i64>)> = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let values = keys.iter().map(|key| row["values"][*key].as_i64().unwrap()).collect();
            (row["key"].as_str().unwrap().to_owned(), values)
        })
        .filter(|(_, values): &(String, Vec<i64>)| values.iter().any(|v| *v != 0))
        .collect();
    let expected: Vec<(String, Vec<i64>)> = [
        (
            "political_theory_intermediate_part_time",
            vec![10, 0, 0, 10, 3, 5, 85_000_000, 1, 70],
        ),
        (
            "state_management_principal_specialist",
            vec![2, 0, 2, 0, 0, 1, 12_400_000, 0, 0],
        ),
        ("party", vec![1, 0, 0, 1, 0, 1, 100_000, 6, 911]),
        ("leadership", vec![6, 0, 1, 5, 5, 1, 3_600_000, 1, 296]),
        ("refresher", vec![3, 0, 1, 2, 1, 3, 450_000, 11, 1723]),
    ]
    .into_iter()
    .map(|(key, values)| (key.to_owned(), values))
    .collect();
    assert_eq!(rows, expected);
}

/// The figures README walks through: the ward's 2018 plan against what it did, and the
/// city's consolidation, by hand from the demo's plans and enrollments.
#[tokio::test]
async fn the_2018_plans_against_actual_are_as_readme_gives_them() {
    let app = seeded().await;
    let ward = app.unit_id("VP-PY-PT").await;
    let report = app
        .get(&format!("/api/v1/reports/plan-vs-actual?unit_id={ward}&year=2018"))
        .await;
    assert_eq!(report.status.as_u16(), 200, "{}", report.body);
    // Three sent to intermediate political theory (8,500,000 each) and four party committee
    // members to their refresher (600,000 each), as planned; Bùi Văn Lợi's degree still open.
    let rows: Vec<(&str, u64, u64, u64, u64, u64)> = report.body["by_level"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap(),
                r["planned_seats"].as_u64().unwrap(),
                r["needs_met"].as_u64().unwrap(),
                r["needs_open"].as_u64().unwrap(),
                r["sent"].as_u64().unwrap(),
                r["actual_cost_vnd"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("political_theory", 3, 3, 0, 3, 25_500_000),
            ("degree", 1, 0, 1, 0, 0),
            ("leadership", 4, 4, 0, 4, 2_400_000),
        ]
    );
    assert_eq!(
        report.body["summary"],
        json!({"planned_seats": 8, "needs": 8, "needs_met": 7, "needs_in_progress": 0, "needs_open": 1,
               "sent": 7, "planned_cost_vnd": 59_900_000, "actual_cost_vnd": 27_900_000})
    );
    let plan = report.body["plan_ids"][0].as_i64().unwrap();
    let open = app.get(&format!("/api/v1/plans/{plan}/needs?status=open")).await;
    assert_eq!(open.body["items"][0]["full_name"], "Bùi Văn Lợi", "{}", open.body);
    assert_eq!(open.body["total"], 1);
    // The city: its own plan (advanced political theory, master's, principal specialist) and
    // the ward's; what the city's classes cost counts too (the intermediate class 120,000,000,
    // the party committee refresher 35,000,000).
    let city = app.unit_id("VP-PY").await;
    let report = app
        .get(&format!("/api/v1/reports/plan-vs-actual?unit_id={city}&year=2018"))
        .await;
    assert_eq!(
        report.body["summary"],
        json!({"planned_seats": 17, "needs": 17, "needs_met": 16, "needs_in_progress": 0, "needs_open": 1,
               "sent": 25, "planned_cost_vnd": 303_300_000, "actual_cost_vnd": 487_000_000})
    );
    // 2019: the ward's plan approved, the city's awaiting the province.
    let plans = app.get("/api/v1/plans?year=2019").await;
    let statuses: Vec<(&str, &str)> = plans.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["unit_code"].as_str().unwrap(), p["status"].as_str().unwrap()))
        .collect();
    assert_eq!(statuses, [("VP-PY", "submitted"), ("VP-PY-PT", "approved")]);
}
