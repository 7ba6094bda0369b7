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
