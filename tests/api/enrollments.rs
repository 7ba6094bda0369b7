use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{Reply, TestApp, Tree};

/// A course, a class of it, and the tree.
struct Setup {
    tree: Tree,
    class: i64,
}

async fn setup(app: &TestApp, confers: Option<(&str, &str)>, capacity: Option<i32>) -> Setup {
    let tree = app.tree().await;
    let mut body = json!({"code": "C", "title": "Trung cấp LLCT-HC", "kind": "political_theory", "provider": "Trường Chính trị tỉnh Vĩnh Phúc", "field": "Lý luận chính trị"});
    if let Some((dimension, level)) = confers {
        body["confers_dimension"] = json!(dimension);
        body["confers_level"] = json!(level);
    }
    let course = app.post("/api/v1/courses", body).await.id();
    let class = app
        .post(
            "/api/v1/classes",
            json!({"code": "L", "name": "Lớp 2018", "course_id": course, "organizer_unit_id": tree.city,
                                        "starts_on": "2018-03-01", "ends_on": "2018-12-20", "capacity": capacity}),
        )
        .await
        .id();
    Setup { tree, class }
}

async fn person(app: &TestApp, code: &str, unit: i64, started_on: &str) -> i64 {
    let official = app
        .official(json!({"code": code, "full_name": format!("Cán bộ {code}"), "gender": "female", "unit_id": unit, "category": "cadre", "started_on": started_on}))
        .await;
    official["id"].as_i64().unwrap()
}

async fn enroll(app: &TestApp, class: i64, official: i64) -> Reply {
    app.post(
        "/api/v1/enrollments",
        json!({"class_id": class, "official_id": official}),
    )
    .await
}

async fn set_status(app: &TestApp, enrollment: i64, status: &str) -> Reply {
    let mut body = json!({"status": status});
    if status == "completed" {
        body["completed_on"] = json!("2018-12-20");
    }
    app.patch(&format!("/api/v1/enrollments/{enrollment}"), body).await
}

#[tokio::test]
async fn every_transition_is_legal_or_a_409() {
    let app = TestApp::spawn().await;
    let s = setup(&app, None, None).await;
    let statuses = ["nominated", "enrolled", "completed", "failed", "withdrawn"];
    let path_to = |status: &str| -> Vec<&'static str> {
        match status {
            "nominated" => vec![],
            "enrolled" => vec!["enrolled"],
            "completed" => vec!["enrolled", "completed"],
            "failed" => vec!["enrolled", "failed"],
            _ => vec!["withdrawn"],
        }
    };
    let legal = [
        ("nominated", "enrolled"),
        ("enrolled", "completed"),
        ("enrolled", "failed"),
        ("nominated", "withdrawn"),
        ("enrolled", "withdrawn"),
        ("completed", "enrolled"),
        ("failed", "enrolled"),
    ];
    let mut n = 0;
    for from in statuses {
        for to in statuses {
            if from == to {
                continue;
            }
            n += 1;
            let official = person(&app, &format!("P{n}"), s.tree.ward_a, "2010-01-01").await;
            let enrollment = enroll(&app, s.class, official).await;
            assert_eq!(enrollment.status, StatusCode::CREATED, "{}", enrollment.body);
            assert_eq!(enrollment.body["status"], "nominated");
            let id = enrollment.id();
            for step in path_to(from) {
                assert_eq!(
                    set_status(&app, id, step).await.status,
                    StatusCode::OK,
                    "{from}: {step}"
                );
            }
            let reply = set_status(&app, id, to).await;
            if legal.contains(&(from, to)) {
                assert_eq!(reply.status, StatusCode::OK, "{from} -> {to}: {}", reply.body);
                assert_eq!(reply.body["status"], to);
            } else {
                reply.assert_code(409, "illegal_transition");
                let detail = reply.body["detail"].as_str().unwrap();
                assert!(detail.contains(from) && detail.contains(to), "{from} -> {to}: {detail}");
                assert_eq!(app.get(&format!("/api/v1/enrollments/{id}")).await.body["status"], from);
            }
        }
    }
    assert_eq!(n, 20);
}

#[tokio::test]
async fn one_enrollment_per_official_per_class() {
    let app = TestApp::spawn().await;
    let s = setup(&app, None, None).await;
    let official = person(&app, "A", s.tree.ward_a, "2010-01-01").await;
    assert_eq!(enroll(&app, s.class, official).await.status, StatusCode::CREATED);
    enroll(&app, s.class, official)
        .await
        .assert_code(409, "already_enrolled");
    app.post(
        &format!("/api/v1/classes/{}/enrollments", s.class),
        json!({"official_id": official}),
    )
    .await
    .assert_code(409, "already_enrolled");
    app.post(
        "/api/v1/enrollments",
        json!({"class_id": 999, "official_id": 999, "sending_unit_id": 999}),
    )
    .await
    .assert_fields(&["class_id"]);
    app.post(
        "/api/v1/enrollments",
        json!({"class_id": s.class, "official_id": 999, "sending_unit_id": 999}),
    )
    .await
    .assert_fields(&["official_id", "sending_unit_id"]);
    app.post("/api/v1/classes/999/enrollments", json!({"official_id": official}))
        .await
        .assert_problem(404);
}

#[tokio::test]
async fn capacity_counts_nominated_enrolled_and_completed() {
    let app = TestApp::spawn().await;
    let s = setup(&app, None, Some(2)).await;
    let a = person(&app, "A", s.tree.ward_a, "2010-01-01").await;
    let b = person(&app, "B", s.tree.ward_a, "2010-01-01").await;
    let c = person(&app, "C", s.tree.ward_a, "2010-01-01").await;
    let ea = enroll(&app, s.class, a).await.id();
    let eb = enroll(&app, s.class, b).await.id();
    enroll(&app, s.class, c).await.assert_code(409, "class_full");

    set_status(&app, ea, "enrolled").await;
    set_status(&app, ea, "completed").await;
    enroll(&app, s.class, c).await.assert_code(409, "class_full");

    set_status(&app, eb, "enrolled").await;
    set_status(&app, eb, "failed").await;
    let ec = enroll(&app, s.class, c).await;
    assert_eq!(
        ec.status,
        StatusCode::CREATED,
        "a failed enrollment frees its seat: {}",
        ec.body
    );
    set_status(&app, eb, "enrolled").await.assert_code(409, "class_full");
    assert_eq!(
        app.get(&format!("/api/v1/enrollments/{eb}")).await.body["status"],
        "failed"
    );

    set_status(&app, ec.id(), "withdrawn").await;
    assert_eq!(set_status(&app, eb, "enrolled").await.status, StatusCode::OK);
}

#[tokio::test]
async fn separated_officials_and_cancelled_classes_take_no_enrollments() {
    let app = TestApp::spawn().await;
    let s = setup(&app, None, None).await;
    let retired = person(&app, "R", s.tree.ward_a, "2000-01-01").await;
    app.post(
        &format!("/api/v1/officials/{retired}/separation"),
        json!({"status": "retired", "effective_on": "2018-01-15"}),
    )
    .await;
    enroll(&app, s.class, retired).await.assert_code(409, "not_active");

    let course = app
        .post(
            "/api/v1/courses",
            json!({"code": "OLD", "title": "Old", "kind": "refresher"}),
        )
        .await
        .id();
    let earlier = app
        .post("/api/v1/classes", json!({"code": "E", "name": "E", "course_id": course, "organizer_unit_id": s.tree.city, "starts_on": "2017-05-01", "ends_on": "2017-05-10"}))
        .await
        .id();
    let reply = enroll(&app, earlier, retired).await;
    assert_eq!(
        reply.status,
        StatusCode::CREATED,
        "a class before the separation is fine: {}",
        reply.body
    );

    let active = person(&app, "A", s.tree.ward_a, "2000-01-01").await;
    app.patch(&format!("/api/v1/classes/{}", s.class), json!({"status": "cancelled"}))
        .await;
    enroll(&app, s.class, active).await.assert_code(409, "class_cancelled");
    assert_eq!(
        app.get(&format!("/api/v1/classes/{}", s.class)).await.body["enrollments"]["nominated"],
        0
    );
}

#[tokio::test]
async fn completion_confers_the_level_and_undoing_it_takes_it_back() {
    let app = TestApp::spawn().await;
    let s = setup(&app, Some(("political_theory", "intermediate")), None).await;
    let official = person(&app, "A", s.tree.ward_a, "2010-01-01").await;
    let id = enroll(&app, s.class, official).await.id();
    set_status(&app, id, "enrolled").await;

    let done = app
        .patch(&format!("/api/v1/enrollments/{id}"), json!({"status": "completed", "completed_on": "2018-12-20", "result": "good", "score": 8.5, "certificate_no": "TC-123"}))
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.body["completed_on"], "2018-12-20");
    assert_eq!(done.body["result"], "good");
    assert_eq!(done.body["score"], 8.5);
    assert_eq!(
        app.get(&format!("/api/v1/officials/{official}")).await.body["political_theory"],
        "intermediate"
    );
    let records = app
        .get(&format!("/api/v1/officials/{official}/qualifications"))
        .await
        .body;
    assert_eq!(records.as_array().unwrap().len(), 1);
    let record = &records[0];
    assert_eq!(record["source"], "enrollment");
    assert_eq!(record["enrollment_id"], id);
    assert_eq!(record["level"], "intermediate");
    assert_eq!(record["awarded_on"], "2018-12-20");
    assert_eq!(record["certificate_no"], "TC-123");
    assert_eq!(record["institution"], "Trường Chính trị tỉnh Vĩnh Phúc");
    assert_eq!(record["field"], "Lý luận chính trị");

    let record_path = format!("/api/v1/officials/{official}/qualifications/{}", record["id"]);
    app.delete(&record_path).await.assert_code(409, "part_of_history");
    let course = app.get(&format!("/api/v1/classes/{}", s.class)).await.body["course_id"]
        .as_i64()
        .unwrap();
    app.patch(
        &format!("/api/v1/courses/{course}"),
        json!({"confers_level": "advanced"}),
    )
    .await
    .assert_code(409, "part_of_history");

    let undone = set_status(&app, id, "enrolled").await;
    assert_eq!(undone.status, StatusCode::OK);
    assert_eq!(undone.body["completed_on"], Value::Null);
    assert_eq!(undone.body["result"], Value::Null);
    assert_eq!(
        app.get(&format!("/api/v1/officials/{official}")).await.body["political_theory"],
        "none"
    );
    assert_eq!(
        app.get(&format!("/api/v1/officials/{official}/qualifications"))
            .await
            .body,
        json!([])
    );

    let again = set_status(&app, id, "completed").await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(
        app.get(&format!("/api/v1/officials/{official}")).await.body["political_theory"],
        "intermediate"
    );
    app.delete(&format!("/api/v1/enrollments/{id}"))
        .await
        .assert_code(409, "part_of_history");
}

#[tokio::test]
async fn a_lower_course_does_not_lower_the_level() {
    let app = TestApp::spawn().await;
    let s = setup(&app, Some(("political_theory", "intermediate")), None).await;
    let official = person(&app, "A", s.tree.ward_a, "2010-01-01").await;
    app.qualify(official, "political_theory", "advanced", "2016-06-01")
        .await;
    let id = enroll(&app, s.class, official).await.id();
    set_status(&app, id, "enrolled").await;
    assert_eq!(set_status(&app, id, "completed").await.status, StatusCode::OK);
    assert_eq!(
        app.get(&format!("/api/v1/officials/{official}")).await.body["political_theory"],
        "advanced"
    );
    assert_eq!(
        app.get(&format!("/api/v1/officials/{official}/qualifications"))
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn completion_details_are_checked() {
    let app = TestApp::spawn().await;
    let s = setup(&app, Some(("political_theory", "intermediate")), None).await;
    let official = person(&app, "A", s.tree.ward_a, "2010-01-01").await;
    let id = enroll(&app, s.class, official).await.id();
    let path = format!("/api/v1/enrollments/{id}");
    app.patch(&path, json!({"result": "good", "score": 7}))
        .await
        .assert_fields(&["result", "score"]);
    set_status(&app, id, "enrolled").await;
    app.patch(&path, json!({"status": "completed", "completed_on": "2017-01-01"}))
        .await
        .assert_fields(&["completed_on"]);
    app.patch(&path, json!({"status": "completed", "completed_on": "2999-01-01"}))
        .await
        .assert_fields(&["completed_on"]);
    app.patch(
        &path,
        json!({"status": "completed", "score": 11, "result": "brilliant"}),
    )
    .await
    .assert_fields(&["result", "score"]);
    app.patch(&path, json!({"status": "graduated"}))
        .await
        .assert_fields(&["status"]);
    let defaulted = app.patch(&path, json!({"status": "completed"})).await;
    assert_eq!(
        defaulted.body["completed_on"], "2018-12-20",
        "completion defaults to the class's last day"
    );
    let restated = app
        .patch(&path, json!({"completed_on": "2018-12-01", "certificate_no": "X-9"}))
        .await;
    assert_eq!(restated.status, StatusCode::OK, "{}", restated.body);
    let record = &app
        .get(&format!("/api/v1/officials/{official}/qualifications"))
        .await
        .body[0];
    assert_eq!(
        record["awarded_on"], "2018-12-01",
        "the qualification follows the completion date"
    );
    assert_eq!(record["certificate_no"], "X-9");
}

#[tokio::test]
async fn a_failure_midway_through_completion_leaves_nothing_behind() {
    let app = TestApp::spawn().await;
    let s = setup(&app, Some(("education", "master")), None).await;
    let official = person(&app, "A", s.tree.ward_a, "2010-01-01").await;
    let id = enroll(&app, s.class, official).await.id();
    set_status(&app, id, "enrolled").await;
    // The database refuses the qualification insert after the enrollment row has changed.
    app.sql(
        "CREATE TRIGGER refuse BEFORE INSERT ON qualifications BEGIN SELECT RAISE(ABORT, 'refused for the test'); END;",
        "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused for the test'; END $$ LANGUAGE plpgsql;
         CREATE TRIGGER refuse BEFORE INSERT ON qualifications FOR EACH ROW EXECUTE FUNCTION refuse();",
    );
    let reply = set_status(&app, id, "completed").await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", reply.body);
    assert!(
        !reply.body.to_string().contains("refused for the test"),
        "causes are logged, not sent"
    );
    let enrollment = app.get(&format!("/api/v1/enrollments/{id}")).await.body;
    assert_eq!(enrollment["status"], "enrolled");
    assert_eq!(enrollment["completed_on"], Value::Null);
    assert_eq!(enrollment["version"], 2);
    assert_eq!(
        app.get(&format!("/api/v1/officials/{official}")).await.body["education"],
        "none"
    );
    assert_eq!(
        app.get(&format!("/api/v1/officials/{official}/qualifications"))
            .await
            .body,
        json!([])
    );
}

#[tokio::test]
async fn the_sending_unit_comes_from_the_assignment_history_and_stays() {
    let app = TestApp::spawn().await;
    let s = setup(&app, None, None).await;
    let official = person(&app, "A", s.tree.ward_a, "2015-01-01").await;
    app.post(
        &format!("/api/v1/officials/{official}/transfer"),
        json!({"unit_id": s.tree.ward_b, "effective_on": "2018-06-01"}),
    )
    .await;

    let course = app
        .post(
            "/api/v1/courses",
            json!({"code": "R", "title": "Refresher", "kind": "refresher"}),
        )
        .await
        .id();
    let class = |code: &'static str, starts: &'static str| {
        let app = &app;
        async move {
            app.post("/api/v1/classes", json!({"code": code, "name": code, "course_id": course, "organizer_unit_id": s.tree.city, "starts_on": starts, "ends_on": "2020-12-31"}))
                .await
                .id()
        }
    };
    let before = class("B", "2017-03-01").await;
    let after = class("A", "2019-03-01").await;
    let ancient = class("X", "2001-01-01").await;

    // March 2018's class (entered afterwards) was sent by ward A, where they were then.
    assert_eq!(
        enroll(&app, s.class, official).await.body["sending_unit_id"],
        s.tree.ward_a
    );
    assert_eq!(
        enroll(&app, before, official).await.body["sending_unit_id"],
        s.tree.ward_a
    );
    let later = enroll(&app, after, official).await;
    assert_eq!(later.body["sending_unit_id"], s.tree.ward_b);
    assert_eq!(
        enroll(&app, ancient, official).await.body["sending_unit_id"],
        s.tree.ward_b,
        "no assignment then: the current unit"
    );

    app.post(
        &format!("/api/v1/officials/{official}/transfer"),
        json!({"unit_id": s.tree.city, "effective_on": "2020-01-01"}),
    )
    .await;
    assert_eq!(
        app.get(&format!("/api/v1/enrollments/{}", later.id())).await.body["sending_unit_id"],
        s.tree.ward_b
    );

    let other = person(&app, "B", s.tree.ward_a, "2015-01-01").await;
    let explicit = app
        .post(
            "/api/v1/enrollments",
            json!({"class_id": after, "official_id": other, "sending_unit_id": s.tree.province}),
        )
        .await;
    assert_eq!(explicit.body["sending_unit_id"], s.tree.province);
}

#[tokio::test]
async fn training_histories_and_enrollment_lists() {
    let app = TestApp::spawn().await;
    let s = setup(&app, None, None).await;
    let course = app
        .post(
            "/api/v1/courses",
            json!({"code": "R", "title": "Bồi dưỡng kỹ năng", "kind": "refresher"}),
        )
        .await
        .id();
    let later = app
        .post("/api/v1/classes", json!({"code": "L2", "name": "Lớp 2019", "course_id": course, "organizer_unit_id": s.tree.ward_b, "starts_on": "2019-04-01", "ends_on": "2019-04-05"}))
        .await
        .id();
    let a = person(&app, "A", s.tree.ward_a, "2010-01-01").await;
    let b = person(&app, "B", s.tree.ward_b, "2010-01-01").await;
    enroll(&app, s.class, a).await;
    let second = enroll(&app, later, a).await.id();
    enroll(&app, later, b).await;
    set_status(&app, second, "enrolled").await;

    let history = app.get(&format!("/api/v1/officials/{a}/enrollments")).await;
    assert_eq!(history.body["total"], 2);
    let first = &history.body["items"][0];
    assert_eq!(first["class_name"], "Lớp 2019", "newest first");
    assert_eq!(first["course_title"], "Bồi dưỡng kỹ năng");
    assert_eq!(first["course_kind"], "refresher");
    assert_eq!(first["starts_on"], "2019-04-01");
    assert_eq!(first["official_name"], "Cán bộ A");
    assert_eq!(history.body["items"][1]["class_code"], "L");

    assert_eq!(
        app.get(&format!("/api/v1/classes/{later}/enrollments")).await.body["total"],
        2
    );
    assert_eq!(
        app.get(&format!("/api/v1/classes/{later}/enrollments?status=enrolled"))
            .await
            .body["total"],
        1
    );
    assert_eq!(app.get("/api/v1/enrollments?year=2019").await.body["total"], 2);
    assert_eq!(app.get("/api/v1/enrollments?status=nominated").await.body["total"], 2);
    assert_eq!(
        app.get(&format!("/api/v1/enrollments?official_id={b}")).await.body["total"],
        1
    );
    assert_eq!(
        app.get(&format!("/api/v1/enrollments?class_id={}", s.class)).await.body["total"],
        1
    );
    assert_eq!(
        app.get(&format!("/api/v1/enrollments?sending_unit_id={}", s.tree.city))
            .await
            .body["total"],
        3
    );
    assert_eq!(
        app.get(&format!("/api/v1/enrollments?sending_unit_id={}", s.tree.ward_b))
            .await
            .body["total"],
        1
    );
    app.get("/api/v1/enrollments?status=asleep")
        .await
        .assert_fields(&["status"]);
    app.get("/api/v1/officials/999/enrollments").await.assert_problem(404);
    app.delete(&format!("/api/v1/officials/{b}"))
        .await
        .assert_code(409, "still_referenced");
}

#[tokio::test]
async fn auditors_cannot_enroll_or_complete() {
    let app = TestApp::spawn().await;
    let s = setup(&app, None, None).await;
    let official = person(&app, "A", s.tree.ward_a, "2010-01-01").await;
    let id = enroll(&app, s.class, official).await.id();
    let auditor = app.token_for("auditor", None).await;
    app.send(
        Method::POST,
        "/api/v1/enrollments",
        Some(&auditor),
        Some(json!({"class_id": s.class, "official_id": official})),
    )
    .await
    .assert_problem(403);
    app.send(
        Method::PATCH,
        &format!("/api/v1/enrollments/{id}"),
        Some(&auditor),
        Some(json!({"status": "enrolled"})),
    )
    .await
    .assert_problem(403);
    assert_eq!(
        app.send(Method::GET, &format!("/api/v1/enrollments/{id}"), Some(&auditor), None)
            .await
            .status,
        StatusCode::OK
    );
}
