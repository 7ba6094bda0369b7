use reqwest::{Method, StatusCode};

use crate::helpers::TestApp;

#[tokio::test]
async fn malformed_json_and_wrong_content_type_are_400() {
    let app = TestApp::spawn().await;
    app.send_raw(
        Method::POST,
        "/api/v1/units",
        "application/json",
        b"{\"code\":".to_vec(),
    )
    .await
    .assert_problem(400);
    app.send_raw(Method::POST, "/api/v1/units", "text/plain", b"{}".to_vec())
        .await
        .assert_problem(400);
    app.send_raw(Method::POST, "/api/v1/units", "application/json", b"[1,2]".to_vec())
        .await
        .assert_fields(&["body"]);
    assert_eq!(app.get("/api/v1/units").await.body["total"], 0);
}

#[tokio::test]
async fn oversized_bodies_are_413() {
    let app = TestApp::spawn().await;
    let name = "x".repeat(70 * 1024);
    let body = format!(r#"{{"code":"X","kind":"ward","name":"{name}"}}"#).into_bytes();
    app.send_raw(Method::POST, "/api/v1/units", "application/json", body)
        .await
        .assert_problem(413);
}

#[tokio::test]
async fn unknown_paths_are_404_and_wrong_methods_405() {
    let app = TestApp::spawn().await;
    app.get("/api/v1/nothing-here").await.assert_problem(404);
    app.get("/api/v1/units/not-a-number").await.assert_problem(404);
    let reply = app
        .send(Method::PUT, "/api/v1/units/1", Some(&app.admin_token), None)
        .await;
    reply.assert_problem(405);
    assert_eq!(reply.header("allow").as_deref(), Some("GET, PATCH, DELETE"));
}

#[tokio::test]
async fn if_match_must_be_a_version() {
    let app = TestApp::spawn().await;
    let id = app.unit("X", "X", "ward", None).await;
    let reply = app
        .send_with(
            Method::DELETE,
            &format!("/api/v1/units/{id}"),
            Some(&app.admin_token),
            None,
            &[("If-Match", "yesterday")],
        )
        .await;
    reply.assert_problem(400);
}

#[tokio::test]
async fn health_answers_without_a_token() {
    let app = TestApp::spawn().await;
    let reply = app.send(Method::GET, "/health", None, None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["database"], "ok");
    assert_eq!(reply.header("x-content-type-options").as_deref(), Some("nosniff"));
}

#[tokio::test]
async fn concurrent_writes_all_land() {
    let app = TestApp::spawn().await;
    let unit = app.unit("X", "Phường X", "ward", None).await;
    let writes = (0..24).map(|i| {
        app.post(
            "/api/v1/officials",
            serde_json::json!({"code": format!("C{i}"), "full_name": format!("Người {i}"), "gender": "female", "unit_id": unit, "category": "cadre"}),
        )
    });
    let replies = futures_util::future::join_all(writes).await;
    for reply in &replies {
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }
    assert_eq!(app.get("/api/v1/officials").await.body["total"], 24);
}

#[tokio::test]
async fn deep_nesting_and_long_periods_are_refused() {
    let app = TestApp::spawn().await;
    let deep = format!("{{\"code\":{}1{}}}", "[".repeat(200), "]".repeat(200));
    app.send_raw(Method::POST, "/api/v1/units", "application/json", deep.into_bytes())
        .await
        .assert_fields(&["code"]);
    let unit = app.unit("X", "X", "ward", None).await;
    app.get(&format!(
        "/api/v1/reports/training?unit_id={unit}&from=1800-01-01&to=2020-01-01"
    ))
    .await
    .assert_fields(&["from"]);
    let long = "x".repeat(300);
    app.post(
        "/api/v1/units",
        serde_json::json!({"code": "Y", "name": long, "kind": "ward"}),
    )
    .await
    .assert_fields(&["name"]);
}
