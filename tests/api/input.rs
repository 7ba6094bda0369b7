//! Bad input of every shape gets a 4xx naming what is wrong, and nothing is stored.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::TestApp;

/// The `errors` of a 422, as its field names.
fn named(reply: &crate::helpers::Reply) -> Vec<String> {
    reply.assert_problem(422);
    reply.body["errors"]
        .as_object()
        .expect("errors")
        .keys()
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_login_body_of_thousands_of_unknown_fields_is_refused_naming_the_first() {
    let app = TestApp::spawn().await;
    // The shape that took seconds to refuse: thousands of unknown fields, 58 KB, no token needed.
    let mut body = String::from("{\"username\":\"admin\",");
    for i in 0..6400 {
        body.push_str(&format!("\"f{i}\":1,"));
    }
    body.push_str("\"password\":\"x\"}");
    assert!(body.len() < 64 * 1024);
    let reply = app
        .send_raw(
            Method::POST,
            "/api/v1/auth/login",
            "application/json",
            body.into_bytes(),
        )
        .await;
    let fields = named(&reply);
    for i in 0..10 {
        assert!(fields.contains(&format!("f{i}")), "{fields:?}");
    }
    assert!(
        !fields.contains(&"f10".to_owned()),
        "only the first ten are named: {fields:?}"
    );
    let body_errors = reply.body["errors"]["body"].to_string();
    assert!(body_errors.contains("more unknown fields"), "{body_errors}");
    assert!(body_errors.contains("more than 256 keys"), "{body_errors}");
}

#[tokio::test]
async fn deep_and_repeated_members_are_named() {
    let app = TestApp::spawn().await;
    let deep = format!("{{\"code\":{}1{}}}", "[".repeat(5000), "]".repeat(5000));
    let reply = app
        .send_raw(Method::POST, "/api/v1/units", "application/json", deep.into_bytes())
        .await;
    assert_eq!(named(&reply), ["code"]);
    assert!(reply.body["errors"]["code"][0]
        .as_str()
        .unwrap()
        .contains("deeper than 16"));

    // The same key twice: which one was meant is not ours to guess.
    let reply = app
        .send_raw(
            Method::POST,
            "/api/v1/units",
            "application/json",
            br#"{"code":"A","code":"B","name":"X","kind":"ward"}"#.to_vec(),
        )
        .await;
    assert_eq!(named(&reply), ["code"]);
    assert_eq!(reply.body["errors"]["code"][0], "is given more than once");
    // Inside a value too.
    let reply = app
        .send_raw(
            Method::POST,
            "/api/v1/units",
            "application/json",
            br#"{"code":{"a":1,"a":2},"name":"X","kind":"ward"}"#.to_vec(),
        )
        .await;
    assert_eq!(named(&reply), ["code"]);
    assert_eq!(app.get("/api/v1/units").await.body["total"], 0);
}

#[tokio::test]
async fn control_characters_are_refused_in_bodies_and_query_strings() {
    let app = TestApp::spawn().await;
    let ward = app.unit("W", "Phường W", "ward", None).await;
    for (text, what) in [
        ("\u{0}", "NUL alone"),
        ("Nguyễn\u{0}Văn", "NUL inside"),
        ("Nguyễn\nVăn", "a line break"),
        ("Nguyễn\tVăn", "a tab"),
        ("A\u{7f}", "DEL"),
        ("A\u{85}", "a C1 control"),
    ] {
        let reply = app
            .post(
                "/api/v1/officials",
                json!({"code": "C1", "full_name": text, "gender": "male", "unit_id": ward, "category": "cadre"}),
            )
            .await;
        assert_eq!(named(&reply), ["full_name"], "{what}");
    }
    // Every text field, PATCHes too.
    let unit = app
        .patch(&format!("/api/v1/units/{ward}"), json!({"name": "X\u{0}"}))
        .await;
    assert_eq!(named(&unit), ["name"]);
    // Before authentication: the login's username and password.
    let login = app
        .send(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "ad\u{0}min", "password": "\u{0}"})),
        )
        .await;
    let mut fields = named(&login);
    fields.sort();
    assert_eq!(fields, ["password", "username"]);
    // Query strings.
    let search = app.get("/api/v1/officials?q=nguy%00en").await;
    assert_eq!(named(&search), ["q"]);
    let search = app.get("/api/v1/units?q=a%0Ab").await;
    assert_eq!(named(&search), ["q"]);
    assert_eq!(app.get("/api/v1/officials").await.body["total"], 0);
    assert_eq!(app.get(&format!("/api/v1/units/{ward}")).await.body["name"], "Phường W");
}

#[tokio::test]
async fn days_outside_1900_to_2100_are_refused() {
    let app = TestApp::spawn().await;
    let ward = app.unit("W", "Phường W", "ward", None).await;
    for day in [
        "+10000-01-01",
        "0000-01-01",
        "-0001-01-01",
        "9999-12-31",
        "1899-12-31",
        "2101-01-01",
    ] {
        let reply = app
            .post(
                "/api/v1/units",
                json!({"code": "X", "name": "X", "kind": "ward", "established_on": day}),
            )
            .await;
        assert_eq!(named(&reply), ["established_on"], "{day}");
        let class = app
            .post(
                "/api/v1/classes",
                json!({"code": "K", "name": "K", "course_id": 1, "organizer_unit_id": ward,
                       "starts_on": "2020-01-01", "ends_on": day}),
            )
            .await;
        assert!(named(&class).contains(&"ends_on".to_owned()), "{day}: {}", class.body);
        let report = app
            .get(&format!("/api/v1/reports/qualifications?unit_id={ward}&as_of={day}"))
            .await;
        assert_eq!(named(&report), ["as_of"], "{day}");
    }
    let audit = app.get("/api/v1/audit-log?from=9999-01-01T00:00:00Z").await;
    assert_eq!(named(&audit), ["from"]);
    // The range's ends are days like any other.
    let first = app
        .post(
            "/api/v1/units",
            json!({"code": "OLD", "name": "X", "kind": "ward", "established_on": "1900-01-01",
                   "dissolved_on": "2100-12-31"}),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!(app.get("/api/v1/units").await.body["total"], 2);
}

#[tokio::test]
async fn unknown_and_repeated_query_parameters_are_refused() {
    let app = TestApp::spawn().await;
    let ward = app.unit("W", "Phường W", "ward", None).await;
    // A misspelt filter used to return everything.
    let reply = app.get("/api/v1/officials?unitid=999999").await;
    assert_eq!(named(&reply), ["unitid"]);
    assert!(reply.body["errors"]["unitid"][0]
        .as_str()
        .unwrap()
        .contains("not a parameter"));
    // A parameter of another operation (reports take `format`; lists do not).
    assert_eq!(named(&app.get("/api/v1/officials?format=csv").await), ["format"]);
    assert_eq!(named(&app.get("/api/v1/officials?limit=5&limit=6").await), ["limit"]);
    let mut both = named(&app.get("/api/v1/units?limti=5&offset=-1").await);
    both.sort();
    assert_eq!(both, ["limti", "offset"]);
    assert_eq!(
        named(
            &app.get(&format!("/api/v1/reports/training?unit_id={ward}&form=2018-01-01"))
                .await
        ),
        ["form"]
    );
    assert_eq!(
        named(&app.get("/api/v1/officials/1/enrollments?sort=x").await),
        ["sort"]
    );
    // What every list takes still works, with its own filters.
    let page = app
        .get(&format!("/api/v1/units?limit=5&offset=0&unit_id={ward}&q=w&sort=-name"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.body["items"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn every_field_problem_of_a_body_is_named_at_once() {
    let app = TestApp::spawn().await;
    let reply = app
        .post(
            "/api/v1/officials",
            json!({"code": 5, "full_name": "A\u{0}", "gender": "robot", "unit_id": "x",
                   "date_of_birth": "1980-02-30", "nickname": "Tí"}),
        )
        .await;
    let mut fields = named(&reply);
    fields.sort();
    assert_eq!(
        fields,
        ["code", "date_of_birth", "full_name", "gender", "nickname", "unit_id"],
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn codes_and_names_are_trimmed_once_and_blank_or_long_ones_are_named() {
    let app = TestApp::spawn().await;
    let reply = app
        .post(
            "/api/v1/units",
            json!({"code": " \u{3000} ", "name": "x".repeat(256), "kind": "ward"}),
        )
        .await;
    reply.assert_fields(&["code", "name"]);
    assert_eq!(reply.body["errors"]["code"][0], "must not be empty", "{}", reply.body);
    assert_eq!(
        reply.body["errors"]["name"][0], "must be 1 to 255 characters long",
        "{}",
        reply.body
    );

    let unit = app
        .post(
            "/api/v1/units",
            json!({"code": "  PT  ", "name": " Phúc Thắng ", "kind": "ward"}),
        )
        .await;
    assert_eq!(unit.status, 201, "{}", unit.body);
    assert_eq!(
        (&unit.body["code"], &unit.body["name"]),
        (&json!("PT"), &json!("Phúc Thắng"))
    );
    let id = unit.body["id"].as_i64().expect("id");
    let reply = app
        .patch(&format!("/api/v1/units/{id}"), json!({"code": "", "name": " Mới "}))
        .await;
    assert_eq!(reply.body["errors"]["code"][0], "must not be empty", "{}", reply.body);
    let reply = app
        .patch(&format!("/api/v1/units/{id}"), json!({"name": " Mới "}))
        .await;
    assert_eq!(reply.body["name"], "Mới", "{}", reply.body);
}

#[tokio::test]
async fn missing_fields_and_the_rules_of_the_whole_body_are_named_together() {
    let app = TestApp::spawn().await;
    let reply = app
        .post("/api/v1/officials/1/separation", json!({"status": "active"}))
        .await;
    reply.assert_fields(&["effective_on", "status"]);
    assert_eq!(reply.body["errors"]["effective_on"][0], "is required", "{}", reply.body);
    let reply = app
        .post(
            "/api/v1/officials/1/qualifications",
            json!({"dimension": "education", "level": "advanced", "awarded_on": "2099-01-01", "field": 5}),
        )
        .await;
    reply.assert_fields(&["awarded_on", "field", "level"]);
    let reply = app
        .post(
            "/api/v1/auth/password",
            json!({"current_password": "same password 1", "new_password": "same password 1", "extra": 1}),
        )
        .await;
    reply.assert_fields(&["extra", "new_password"]);
    assert_eq!(
        reply.body["errors"]["new_password"][0], "must differ from the current password",
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn a_taken_code_is_a_409_naming_the_field_in_the_api_s_words() {
    let app = TestApp::spawn().await;
    let ward = app.unit("W", "Phường W", "ward", None).await;
    app.position("P", "Chức danh", "cadre").await;
    app.official(json!({"code": "O", "full_name": "Người O", "gender": "male", "unit_id": ward, "category": "cadre"}))
        .await;
    let course = app
        .post("/api/v1/courses", json!({"code": "C", "title": "Khóa", "kind": "it"}))
        .await
        .id();
    let class = json!({"code": "K", "name": "Lớp", "course_id": course, "organizer_unit_id": ward,
                       "starts_on": "2020-01-01", "ends_on": "2020-02-01"});
    assert_eq!(
        app.post("/api/v1/classes", class.clone()).await.status,
        StatusCode::CREATED
    );
    app.token_for("auditor", None).await;
    let username = app.get("/api/v1/users?role=auditor").await.body["items"][0]["username"].clone();
    for (path, body, field, entity) in [
        (
            "/api/v1/units",
            json!({"code": "W", "name": "Khác", "kind": "ward"}),
            "code",
            "unit",
        ),
        (
            "/api/v1/positions",
            json!({"code": "P", "title": "Khác", "category": "cadre"}),
            "code",
            "position",
        ),
        (
            "/api/v1/officials",
            json!({"code": "O", "full_name": "Khác", "gender": "male", "unit_id": ward, "category": "cadre"}),
            "code",
            "official",
        ),
        (
            "/api/v1/courses",
            json!({"code": "C", "title": "Khác", "kind": "it"}),
            "code",
            "course",
        ),
        ("/api/v1/classes", class.clone(), "code", "class"),
        (
            "/api/v1/users",
            json!({"username": username, "password": "a-long-password", "role": "auditor"}),
            "username",
            "user",
        ),
    ] {
        let reply = app.post(path, body).await;
        reply.assert_problem(409);
        assert_eq!(reply.body["code"], "duplicate", "{}", reply.body);
        assert_eq!(reply.body["errors"][field][0], "is already taken", "{}", reply.body);
        assert_eq!(
            reply.body["detail"],
            format!("another {entity} already has this {field}")
        );
    }
    // A PATCH that takes another record's code, too.
    let other = app.unit("W2", "Phường W2", "ward", None).await;
    let reply = app.patch(&format!("/api/v1/units/{other}"), json!({"code": "W"})).await;
    assert_eq!(reply.body["errors"]["code"][0], "is already taken", "{}", reply.body);
}

#[tokio::test]
async fn a_path_id_that_is_not_a_number_is_a_404_that_says_so() {
    let app = TestApp::spawn().await;
    for (method, path) in [
        (Method::GET, "/api/v1/officials/abc"),
        (Method::GET, "/api/v1/units/1.5"),
        (Method::GET, "/api/v1/classes/99999999999999999999999"),
        (Method::DELETE, "/api/v1/officials/1/qualifications/x"),
    ] {
        let reply = app.send(method, path, Some(&app.admin_token), None).await;
        reply.assert_problem(404);
        let detail = reply.body["detail"].as_str().unwrap();
        assert!(detail.contains("positive whole number"), "{path}: {detail}");
        assert!(!detail.contains("deserialize"), "{path}: {detail}");
    }
}

#[tokio::test]
async fn nobody_is_placed_in_a_unit_on_a_day_it_does_not_exist() {
    let app = TestApp::spawn().await;
    let city = app.unit("C", "Thành phố", "city", None).await;
    let old = app
        .post(
            "/api/v1/units",
            json!({"code": "D", "name": "Huyện cũ", "kind": "district", "parent_id": city,
                   "established_on": "2000-01-01", "dissolved_on": "2025-07-01"}),
        )
        .await
        .id();
    let official = app
        .official(
            json!({"code": "A", "full_name": "Người A", "gender": "male", "unit_id": city,
                         "category": "cadre", "started_on": "2010-01-01"}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let transfer = |day: &'static str| {
        let app = &app;
        async move {
            app.post(
                &format!("/api/v1/officials/{official}/transfer"),
                json!({"unit_id": old, "effective_on": day}),
            )
            .await
        }
    };
    // On the day of its dissolution and after: gone. Before its establishment: not yet.
    transfer("2025-07-01").await.assert_fields(&["unit_id"]);
    transfer("2026-01-01").await.assert_fields(&["unit_id"]);
    let created = |day: &'static str| {
        let app = &app;
        async move {
            app.post(
                "/api/v1/officials",
                json!({"code": format!("N{day}"), "full_name": "Người mới", "gender": "female",
                       "unit_id": old, "category": "cadre", "started_on": day}),
            )
            .await
        }
    };
    created("1999-12-31").await.assert_fields(&["unit_id"]);
    created("2025-08-01").await.assert_fields(&["unit_id"]);
    let patched = app
        .patch(&format!("/api/v1/officials/{official}"), json!({"unit_id": old}))
        .await;
    patched.assert_fields(&["unit_id"]);
    assert_eq!(
        app.get(&format!("/api/v1/officials/{official}/assignments"))
            .await
            .body
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    // While it existed, it takes people like any unit.
    assert_eq!(transfer("2018-03-01").await.status, StatusCode::OK);
    assert_eq!(created("2005-05-05").await.status, StatusCode::CREATED);
}
