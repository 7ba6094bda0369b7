use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::TestApp;

#[tokio::test]
async fn courses_take_their_track_from_their_kind() {
    let app = TestApp::spawn().await;
    let theory = app
        .post(
            "/api/v1/courses",
            json!({"code": "TC", "title": "Trung cấp lý luận chính trị - hành chính", "kind": "political_theory",
                                        "confers_dimension": "political_theory", "confers_level": "intermediate",
                                        "provider": "Trường Chính trị tỉnh Vĩnh Phúc"}),
        )
        .await;
    assert_eq!(theory.status, StatusCode::CREATED, "{}", theory.body);
    assert_eq!(theory.body["track"], "training");
    assert_eq!(
        theory.header("location").unwrap(),
        format!("/api/v1/courses/{}", theory.id())
    );
    let refresher = app
        .post(
            "/api/v1/courses",
            json!({"code": "BD", "title": "Bồi dưỡng cấp ủy viên", "kind": "party"}),
        )
        .await;
    assert_eq!(refresher.body["track"], "refresher");
    assert_eq!(refresher.body["confers_level"], Value::Null);
    let degree = app.post("/api/v1/courses", json!({"code": "ThS", "title": "Thạc sĩ Quản lý công", "kind": "degree", "confers_dimension": "education", "confers_level": "master", "field": "Quản lý công"})).await;
    assert_eq!(degree.body["track"], "training");
    let state = app
        .post(
            "/api/v1/courses",
            json!({"code": "CVC", "title": "Chuyên viên chính", "kind": "state_management", "track": "training"}),
        )
        .await;
    assert_eq!(state.body["track"], "training", "an explicit track wins");

    assert_eq!(app.get("/api/v1/courses?track=training").await.body["total"], 3);
    assert_eq!(app.get("/api/v1/courses?kind=party").await.body["total"], 1);
    assert_eq!(
        app.get("/api/v1/courses?q=ly%20luan%20chinh%20tri").await.body["total"],
        1
    );
    app.get("/api/v1/courses?kind=cooking").await.assert_fields(&["kind"]);
}

#[tokio::test]
async fn a_course_confers_a_dimension_and_one_of_its_levels_or_nothing() {
    let app = TestApp::spawn().await;
    app.post(
        "/api/v1/courses",
        json!({"code": "A", "title": "A", "kind": "degree", "confers_dimension": "education"}),
    )
    .await
    .assert_fields(&["confers_level"]);
    app.post(
        "/api/v1/courses",
        json!({"code": "A", "title": "A", "kind": "degree", "confers_level": "master"}),
    )
    .await
    .assert_fields(&["confers_dimension"]);
    app.post("/api/v1/courses", json!({"code": "A", "title": "A", "kind": "degree", "confers_dimension": "education", "confers_level": "advanced"}))
        .await
        .assert_fields(&["confers_level"]);
    app.post("/api/v1/courses", json!({"code": "", "kind": "lecture", "track": "x"}))
        .await
        .assert_fields(&["code", "kind", "title", "track"]);
    let id = app
        .post(
            "/api/v1/courses",
            json!({"code": "A", "title": "A", "kind": "it", "confers_dimension": "it", "confers_level": "basic"}),
        )
        .await
        .id();
    app.patch(&format!("/api/v1/courses/{id}"), json!({"confers_level": "level_3"}))
        .await
        .assert_fields(&["confers_level"]);
    let cleared = app
        .patch(
            &format!("/api/v1/courses/{id}"),
            json!({"confers_level": null, "confers_dimension": null}),
        )
        .await;
    assert_eq!(cleared.status, StatusCode::OK, "{}", cleared.body);
    assert_eq!(cleared.body["confers_dimension"], Value::Null);
}

async fn course(app: &TestApp, code: &str, kind: &str) -> i64 {
    let reply = app
        .post(
            "/api/v1/courses",
            json!({"code": code, "title": format!("Course {code}"), "kind": kind}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.id()
}

#[tokio::test]
async fn classes_show_counts_and_learners() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let course = course(&app, "TC", "political_theory").await;
    let reply = app
        .post("/api/v1/classes", json!({"code": "L1", "name": "Lớp trung cấp 2018", "course_id": course, "organizer_unit_id": tree.city,
                                        "starts_on": "2018-03-01", "ends_on": "2018-12-20", "capacity": 80, "external_learners": 68}))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["status"], "planned");
    assert_eq!(reply.body["learners"], 68);
    assert_eq!(reply.body["enrollments"]["nominated"], 0);
    let class = reply.id();
    let mut officials = Vec::new();
    for i in 0..3 {
        let o = app.official(json!({"code": format!("O{i}"), "full_name": format!("Người {i}"), "gender": "male", "unit_id": tree.ward_a, "category": "cadre"})).await;
        officials.push(o["id"].as_i64().unwrap());
    }
    let mut enrollments = Vec::new();
    for official in &officials {
        let e = app
            .post(
                &format!("/api/v1/classes/{class}/enrollments"),
                json!({"official_id": official}),
            )
            .await;
        assert_eq!(e.status, StatusCode::CREATED, "{}", e.body);
        enrollments.push(e.id());
    }
    app.patch(
        &format!("/api/v1/enrollments/{}", enrollments[0]),
        json!({"status": "enrolled"}),
    )
    .await;
    app.patch(
        &format!("/api/v1/enrollments/{}", enrollments[1]),
        json!({"status": "enrolled"}),
    )
    .await;
    let view = app.get(&format!("/api/v1/classes/{class}")).await.body;
    assert_eq!(view["enrollments"]["enrolled"], 2);
    assert_eq!(view["enrollments"]["nominated"], 1);
    assert_eq!(
        view["learners"], 70,
        "2 enrolled + 68 external; the nominee is not a learner yet"
    );

    app.patch(&format!("/api/v1/classes/{class}"), json!({"capacity": 2}))
        .await
        .assert_fields(&["capacity"]);
    app.delete(&format!("/api/v1/classes/{class}"))
        .await
        .assert_code(409, "still_referenced");
    app.delete(&format!("/api/v1/courses/{course}"))
        .await
        .assert_code(409, "still_referenced");
}

#[tokio::test]
async fn invalid_classes_are_refused() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let course = course(&app, "TC", "political_theory").await;
    app.post("/api/v1/classes", json!({"code": "L", "name": "L", "course_id": 999, "organizer_unit_id": 999, "starts_on": "2018-03-01", "ends_on": "2018-01-01"}))
        .await
        .assert_fields(&["course_id", "ends_on", "organizer_unit_id"]);
    app.post("/api/v1/classes", json!({"code": "L", "name": "L", "course_id": course, "organizer_unit_id": tree.city, "starts_on": "2018-03-01", "ends_on": "2018-04-01", "capacity": 0, "external_learners": -1, "status": "sleeping"}))
        .await
        .assert_fields(&["capacity", "external_learners", "status"]);
    assert_eq!(app.get("/api/v1/classes").await.body["total"], 0);
}

#[tokio::test]
async fn classes_filter_by_year_kind_organizer_and_status() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let theory = course(&app, "TC", "political_theory").await;
    let party = course(&app, "DV", "party").await;
    for (code, course, unit, starts, status) in [
        ("A", theory, tree.city, "2018-01-01", "finished"),
        ("B", party, tree.ward_a, "2018-12-31", "finished"),
        ("C", party, tree.ward_b, "2019-01-01", "open"),
        ("D", theory, tree.province, "2017-12-31", "cancelled"),
    ] {
        let reply = app
            .post("/api/v1/classes", json!({"code": code, "name": format!("Lớp {code}"), "course_id": course, "organizer_unit_id": unit, "starts_on": starts, "ends_on": "2019-12-31", "status": status}))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }
    let codes = |reply: crate::helpers::Reply| -> Vec<String> {
        reply.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["code"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(codes(app.get("/api/v1/classes?year=2018&sort=code").await), ["A", "B"]);
    assert_eq!(
        codes(app.get("/api/v1/classes?kind=party&sort=-code").await),
        ["C", "B"]
    );
    assert_eq!(
        codes(
            app.get(&format!(
                "/api/v1/classes?organizer_unit_id={}&sort=starts_on",
                tree.city
            ))
            .await
        ),
        ["A", "B", "C"]
    );
    assert_eq!(codes(app.get("/api/v1/classes?status=cancelled").await), ["D"]);
    assert_eq!(
        codes(app.get(&format!("/api/v1/classes?course_id={theory}&sort=code")).await),
        ["A", "D"]
    );
    app.get("/api/v1/classes?year=twenty").await.assert_fields(&["year"]);
}
