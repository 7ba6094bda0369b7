//! The synthetic country: deterministic for a seed, and consistent with the rules the API keeps.

use cadre_records::db::{Db, DbUrl};
use cadre_records::synthetic::{seed, Plan};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{TestApp, SYNTHETIC};

/// Loads `plan` into the test's database.
async fn load(app: &TestApp, plan: Plan) {
    let db = Db::new(&DbUrl::parse(&app.database_url));
    actix_web::web::block(move || seed(&db, plan, &mut |_| {}))
        .await
        .unwrap()
        .expect("it loads");
}

/// How many rows the country holds, table by table.
fn rows(app: &TestApp) -> Vec<i64> {
    [
        "units",
        "officials",
        "assignments",
        "qualifications",
        "classes",
        "enrollments",
        "plans",
        "plan_items",
        "plan_needs",
    ]
    .iter()
    .map(|table| app.count(&format!("SELECT COUNT(*) FROM {table}")))
    .collect()
}

#[tokio::test]
async fn the_same_seed_gives_the_same_country() {
    // One country loaded here, the other the copy every synthetic test starts from.
    let (a, b) = (TestApp::spawn().await, TestApp::spawn_synthetic().await);
    load(&a, SYNTHETIC).await;
    assert_eq!(rows(&a), rows(&b));
    let country = "/api/v1/reports/qualifications?unit_id=1&as_of=2025-12-31&group_by=unit";
    let (report_a, report_b) = (a.get(country).await.body, b.get(country).await.body);
    assert_eq!(report_a, report_b);
    assert_eq!(report_a["groups"].as_array().unwrap().len(), 34, "34 provinces");
    let training = "/api/v1/reports/training?unit_id=1&from=2023-01-01&to=2025-12-31";
    assert_eq!(a.get(training).await.body, b.get(training).await.body);
}

#[tokio::test]
async fn the_synthetic_records_keep_the_rules() {
    let app = TestApp::spawn_synthetic().await;
    let units = app.get("/api/v1/units?kind=commune&limit=1").await.body["total"]
        .as_i64()
        .unwrap()
        + app.get("/api/v1/units?kind=ward&limit=1").await.body["total"]
            .as_i64()
            .unwrap();
    assert_eq!(units, 3321, "commune-level units since the 2025 reform");
    let districts = app.get("/api/v1/units?kind=district&limit=500").await.body;
    assert!(districts["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["dissolved_on"] == "2025-07-01"));
    // Every official's current level is the highest of their records.
    let officials = app.get("/api/v1/officials?limit=40").await.body;
    for official in officials["items"].as_array().unwrap() {
        let id = official["id"].as_i64().unwrap();
        let records = app
            .get(&format!("/api/v1/officials/{id}/qualifications?dimension=education"))
            .await
            .body;
        let enums = app.get("/api/v1/enums").await.body;
        let order: Vec<&str> = enums["enums"]["education"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["code"].as_str().unwrap())
            .collect();
        let best = records
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["level"].as_str().unwrap())
            .max_by_key(|l| order.iter().position(|o| o == l))
            .unwrap_or("none");
        assert_eq!(official["education"], best, "official {id}");
        // Each enrollment was sent by the unit the official was in when the class began.
        let history = app.get(&format!("/api/v1/officials/{id}/assignments")).await.body;
        let sent = app
            .get(&format!("/api/v1/officials/{id}/enrollments?limit=100"))
            .await
            .body;
        for enrollment in sent["items"].as_array().unwrap() {
            let starts = enrollment["starts_on"].as_str().unwrap();
            let post = history
                .as_array()
                .unwrap()
                .iter()
                .find(|a| {
                    a["started_on"].as_str().unwrap() <= starts
                        && (a["ended_on"].is_null() || a["ended_on"].as_str().unwrap() > starts)
                })
                .unwrap_or_else(|| history.as_array().unwrap().last().unwrap());
            assert_eq!(
                enrollment["sending_unit_id"], post["unit_id"],
                "official {id}, class starting {starts}"
            );
        }
    }
    // Everyone has a personal identification number of their own, an ethnic group and a
    // religion; the minorities are concentrated in some provinces.
    let generated = i64::try_from(SYNTHETIC.officials).unwrap();
    assert_eq!(
        app.count("SELECT count(DISTINCT national_id) FROM officials"),
        generated
    );
    assert_eq!(
        app.count(
            "SELECT count(*) FROM officials WHERE ethnicity IS NOT NULL AND religion IS NOT NULL \
             AND general_education IN ('12/12', '10/10', '9/12')"
        ),
        generated
    );
    let minorities = app.count("SELECT count(*) FROM officials WHERE ethnicity <> '01'");
    assert!(
        minorities > generated / 20 && minorities < generated / 3,
        "{minorities} of {generated}"
    );
    // Civil servants and cadres hold a rank, recorded as history; public employees none.
    assert_eq!(
        app.count("SELECT count(*) FROM official_ranks"),
        app.count("SELECT count(*) FROM officials WHERE rank IS NOT NULL")
    );
    assert_eq!(
        app.count(
            "SELECT count(*) FROM officials WHERE (category IN ('civil_servant', 'cadre')) <> (rank IS NOT NULL)"
        ),
        0
    );
    // Leading posts are held; enrollments copy their class's terms; degrees are mostly
    // part-time, some abroad, and every enrollment has a cost.
    assert!(
        app.count("SELECT count(*) FROM assignments a JOIN positions p ON p.id = a.position_id WHERE p.leadership") > 0
    );
    assert_eq!(
        app.count(
            "SELECT count(*) FROM enrollments e JOIN classes c ON c.id = e.class_id \
             WHERE e.location <> c.location OR e.study_mode <> c.study_mode OR e.funding <> c.funding \
                OR e.cost_vnd <> c.learner_cost_vnd"
        ),
        0
    );
    // Enrollments carry their class's first day and course and their official's gender.
    assert_eq!(
        app.count(
            "SELECT count(*) FROM enrollments e JOIN classes c ON c.id = e.class_id \
             JOIN officials o ON o.id = e.official_id \
             WHERE e.starts_on <> c.starts_on OR e.course_id <> c.course_id OR e.official_gender <> o.gender"
        ),
        0
    );
    // Completed enrollments carry the post held on their day (the covering assignment's, else
    // the current one), as the service's triggers would have written it; the others none.
    assert_eq!(
        app.count(
            "SELECT count(*) FROM enrollments e JOIN officials o ON o.id = e.official_id \
             WHERE e.completed_on IS NOT NULL AND COALESCE(e.official_position_id, 0) <> COALESCE( \
               (SELECT COALESCE(a.position_id, 0) FROM assignments a WHERE a.official_id = e.official_id \
                  AND a.started_on <= e.completed_on AND (a.ended_on IS NULL OR a.ended_on > e.completed_on)), \
               o.position_id, 0)"
        ),
        0
    );
    assert_eq!(
        app.count("SELECT count(*) FROM enrollments WHERE completed_on IS NULL AND official_position_id IS NOT NULL"),
        0
    );
    assert!(app.count("SELECT count(*) FROM enrollments WHERE official_position_id IS NOT NULL") > 0);
    let degrees = "FROM classes c JOIN courses co ON co.id = c.course_id WHERE co.kind = 'degree'";
    let (all, part_time) = (
        app.count(&format!("SELECT count(*) {degrees}")),
        app.count(&format!("SELECT count(*) {degrees} AND c.study_mode = 'part_time'")),
    );
    assert!(part_time * 2 > all, "{part_time} of {all} degree classes are part-time");
    assert_eq!(app.count("SELECT count(*) FROM enrollments WHERE cost_vnd <= 0"), 0);
    // The API writes on top of generated data: ids continue after the generated ones.
    let next = app.post("/api/v1/officials", serde_json::json!({"code": "NEW", "full_name": "Người mới", "gender": "male", "unit_id": 2, "category": "cadre"})).await;
    assert_eq!(next.status, reqwest::StatusCode::CREATED, "{}", next.body);
    assert_eq!(next.body["id"], Value::from(SYNTHETIC.officials + 1));
}

/// Checks [`agree`] on each of `units` (off the test's async thread: it queries directly).
pub async fn both_ways_agree(app: &TestApp, units: &[i64]) {
    let url = app.database_url.clone();
    let units = units.to_vec();
    actix_web::web::block(move || {
        for unit in units {
            agree(&url, unit);
        }
    })
    .await
    .unwrap();
}

/// Today's reports come from the current levels kept on each official (and the counters kept
/// from them); they must equal the reports computed from the history.
fn agree(database_url: &str, unit_id: i64) {
    use cadre_records::domain::Category;
    use cadre_records::model::unit::Unit;
    use cadre_records::reports::compliance;
    use cadre_records::reports::qualifications::{report_by, Evaluation};
    let db = Db::new(&DbUrl::parse(database_url));
    let mut conn = db.connection().expect("a connection");
    let unit = Unit::find(&mut conn, unit_id).expect("the unit");
    let today = cadre_records::clock::today();
    for category in [None, Some(Category::Cadre), Some(Category::PublicEmployee)] {
        let fast = report_by(&mut conn, &unit, today, category, true, Evaluation::PreferCurrentLevels).expect("fast");
        let slow = report_by(&mut conn, &unit, today, category, true, Evaluation::FromHistory).expect("slow");
        assert_eq!(
            serde_json::to_value(&fast).unwrap(),
            serde_json::to_value(&slow).unwrap(),
            "{category:?}"
        );
        assert!(fast.headcount > 0 || category.is_some());
    }
    for (limit, offset) in [(1000, 0), (3, 2)] {
        let fast = compliance::report_by(&mut conn, &unit, today, limit, offset, Evaluation::PreferCurrentLevels)
            .expect("fast");
        let slow =
            compliance::report_by(&mut conn, &unit, today, limit, offset, Evaluation::FromHistory).expect("slow");
        assert_eq!(
            serde_json::to_value(&fast).unwrap(),
            serde_json::to_value(&slow).unwrap(),
            "compliance, limit {limit} offset {offset}"
        );
        assert!(fast.summary.headcount > 0);
    }
}

#[tokio::test]
async fn todays_report_from_current_levels_equals_the_one_from_history() {
    let app = TestApp::spawn_synthetic().await;
    both_ways_agree(&app, &[1, 2]).await;
}

/// The counters today's qualification report sums are kept by triggers on `officials`:
/// after every kind of write the API makes (a new official, a raised and a revoked level, a
/// move with a change of category, a separation, a deletion) they still equal the history.
#[tokio::test]
async fn the_counters_follow_every_write() {
    let app = TestApp::spawn_synthetic().await;
    let today = cadre_records::clock::today().to_string();
    let listed = app.get("/api/v1/officials?unit_id=2&status=active&limit=10").await;
    let active: Vec<&Value> = listed.body["items"].as_array().unwrap().iter().collect();
    assert!(active.len() >= 6, "{}", listed.body);
    let id = |i: usize| active[i]["id"].as_i64().unwrap();
    let unit = |i: usize| active[i]["unit_id"].as_i64().unwrap();

    let new = app
        .official(json!({"code": "C-NEW", "full_name": "Người mới", "gender": "female", "unit_id": unit(0), "category": "civil_servant"}))
        .await;
    let gone = app
        .official(json!({"code": "C-GONE", "full_name": "Người đi", "gender": "male", "unit_id": unit(1), "category": "cadre"}))
        .await;
    let raised = app.qualify(id(0), "education", "doctorate", "2020-01-01").await;
    assert_eq!(raised.status, StatusCode::CREATED, "{}", raised.body);
    let revoked = app
        .qualify(id(1), "political_theory", "bachelor", "2020-01-01")
        .await
        .id();
    let deleted = app
        .delete(&format!("/api/v1/officials/{}/qualifications/{revoked}", id(1)))
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.body);
    let to = (0..active.len())
        .map(unit)
        .find(|u| *u != unit(2))
        .unwrap_or(new["unit_id"].as_i64().unwrap());
    let moved = app
        .post(
            &format!("/api/v1/officials/{}/transfer", id(2)),
            json!({"unit_id": to, "category": "public_employee", "effective_on": today}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let separated = app
        .post(
            &format!("/api/v1/officials/{}/separation", id(3)),
            json!({"status": "retired", "effective_on": today}),
        )
        .await;
    assert_eq!(separated.status, StatusCode::OK, "{}", separated.body);
    let removed = app.delete(&format!("/api/v1/officials/{}", gone["id"])).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.body);

    both_ways_agree(&app, &[1, 2]).await;
}

/// The generator drops the secondary indexes and the revision triggers for the load and
/// creates them again after: a loaded database has the same ones as a fresh one.
#[tokio::test]
async fn the_load_puts_every_index_and_trigger_back() {
    let (fresh, loaded) = (TestApp::spawn().await, TestApp::spawn_synthetic().await);
    let catalogue = |url: String| {
        actix_web::web::block(move || {
            let db = Db::new(&DbUrl::parse(&url));
            let mut conn = db.connection().expect("a connection");
            let tables = cadre_records::synthetic::REINDEXED_TABLES;
            let indexes = cadre_records::db::drop_secondary_indexes(&mut conn, &tables).expect("the catalogue");
            let triggers = cadre_records::db::drop_revision_triggers(&mut conn).expect("the catalogue");
            (indexes, triggers)
        })
    };
    let (indexes, triggers) = catalogue(fresh.database_url.clone()).await.unwrap();
    assert!(indexes.len() >= 10, "{indexes:?}");
    assert_eq!(triggers.len(), 39, "{triggers:?}");
    assert_eq!(
        catalogue(loaded.database_url.clone()).await.unwrap(),
        (indexes, triggers)
    );
}

#[tokio::test]
async fn the_generated_plans_keep_the_plans_rules_and_add_up() {
    let app = TestApp::spawn_synthetic().await;
    // A plan for each commune-level unit and province, approved.
    assert_eq!(
        app.count("SELECT count(*) FROM plans WHERE year = 2025 AND status = 'approved'"),
        app.count("SELECT count(*) FROM units WHERE kind IN ('province', 'ward', 'commune') AND dissolved_on IS NULL")
    );
    assert_eq!(app.count("SELECT count(*) FROM plans"), 3321 + 34);
    // Each need: an active official of the plan's subtree, for an item of the same plan and
    // the item's level, its rank that of the level.
    assert!(app.count("SELECT count(*) FROM plan_needs") > 0);
    assert_eq!(
        app.count(
            "SELECT count(*) FROM plan_needs n JOIN plans p ON p.id = n.plan_id \
             JOIN officials o ON o.id = n.official_id JOIN units u ON u.id = o.unit_id \
             JOIN plan_items i ON i.id = n.item_id \
             WHERE o.status <> 'active' OR (u.id <> p.unit_id AND u.parent_id <> p.unit_id) \
                OR i.plan_id <> n.plan_id OR i.dimension <> n.dimension OR i.level <> n.level \
                OR n.year <> p.year"
        ),
        0
    );
    assert_eq!(app.count("SELECT count(*) FROM plan_needs WHERE item_id IS NULL"), 0);
    for (level, rank) in [("intermediate", 2), ("advanced", 3)] {
        assert_eq!(
            app.count(&format!(
                "SELECT count(*) FROM plan_needs WHERE dimension = 'political_theory' AND level = '{level}' AND level_rank <> {rank}"
            )),
            0
        );
    }
    // The country's plan against actual counts the plans below it: every need, some met and
    // some open, and the seats planned.
    let province: i64 = app.count("SELECT min(id) FROM units WHERE kind = 'province'");
    let country: i64 = app.count("SELECT id FROM units WHERE kind = 'country'");
    let report = app
        .get(&format!("/api/v1/reports/plan-vs-actual?unit_id={country}&year=2025"))
        .await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    let summary = &report.body["summary"];
    let subtree = "SELECT id FROM plans WHERE year = 2025";
    assert_eq!(
        summary["needs"],
        json!(app.count(&format!("SELECT count(*) FROM plan_needs WHERE plan_id IN ({subtree})")))
    );
    assert_eq!(
        summary["planned_seats"],
        json!(app.count(&format!(
            "SELECT sum(seats) FROM plan_items WHERE plan_id IN ({subtree})"
        )))
    );
    let figure = |key: &str| summary[key].as_i64().unwrap();
    assert!(figure("needs_met") > 0 && figure("needs_open") > 0, "{summary}");
    assert_eq!(
        figure("needs"),
        figure("needs_met") + figure("needs_in_progress") + figure("needs_open")
    );
    assert!(figure("sent") > 0 && figure("actual_cost_vnd") > 0, "{summary}");
    // The API writes on top: a plan for 2026 takes the next id and proposes needs.
    let plans = app.count("SELECT max(id) FROM plans");
    let next = app
        .post("/api/v1/plans", json!({"unit_id": province, "year": 2026}))
        .await;
    assert_eq!(next.status, StatusCode::CREATED, "{}", next.body);
    assert_eq!(next.body["id"], json!(plans + 1));
    let proposed = app
        .post(&format!("/api/v1/plans/{}/needs/propose", plans + 1), json!({}))
        .await;
    assert_eq!(proposed.status, StatusCode::OK, "{}", proposed.body);
    assert!(proposed.body["created"].as_i64().unwrap() > 0, "{}", proposed.body);
}
