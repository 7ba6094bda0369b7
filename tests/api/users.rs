use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn admins_manage_users_and_passwords_are_never_returned() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let created = app
        .post(
            "/api/v1/users",
            json!({"username": "hr.pt", "password": "a-long-password", "role": "hr", "unit_id": tree.ward_a}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.id();
    assert!(created.body.get("password").is_none() && created.body.get("password_hash").is_none());
    let listed = app.get("/api/v1/users?role=hr").await;
    assert_eq!(listed.body["total"], 1);
    assert!(!listed.body.to_string().contains("argon2"));

    let changed = app
        .patch(
            &format!("/api/v1/users/{id}"),
            json!({"password": "another-long-password"}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK);
    app.login("hr.pt", "another-long-password").await;

    app.post(
        "/api/v1/users",
        json!({"username": "hr.pt", "password": "a-long-password", "role": "auditor"}),
    )
    .await
    .assert_code(409, "duplicate");
    app.post(
        "/api/v1/users",
        json!({"username": "x", "password": "short", "role": "hr"}),
    )
    .await
    .assert_fields(&["password", "username"]);
    app.post(
        "/api/v1/users",
        json!({"username": "xyz", "password": "a-long-password", "role": "hr"}),
    )
    .await
    .assert_fields(&["unit_id"]);
    app.post(
        "/api/v1/users",
        json!({"username": "xyz", "password": "a-long-password", "role": "root"}),
    )
    .await
    .assert_fields(&["role"]);
    app.post(
        "/api/v1/users",
        json!({"username": "xyz", "password": "a-long-password", "role": "hr", "unit_id": 999}),
    )
    .await
    .assert_fields(&["unit_id"]);

    assert_eq!(
        app.delete(&format!("/api/v1/users/{id}")).await.status,
        StatusCode::NO_CONTENT
    );
    app.get(&format!("/api/v1/users/{id}")).await.assert_problem(404);
}

#[tokio::test]
async fn an_admin_cannot_lock_themselves_out() {
    let app = TestApp::spawn().await;
    let me = app.get("/api/v1/users").await.body["items"][0]["id"].as_i64().unwrap();
    app.delete(&format!("/api/v1/users/{me}"))
        .await
        .assert_code(409, "self_lockout");
    app.patch(&format!("/api/v1/users/{me}"), json!({"role": "auditor"}))
        .await
        .assert_code(409, "self_lockout");
}

#[tokio::test]
async fn only_admins_reach_users() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let hr = app.token_for("hr", Some(tree.city)).await;
    let auditor = app.token_for("auditor", None).await;
    for token in [&hr, &auditor] {
        app.send(Method::GET, "/api/v1/users", Some(token), None)
            .await
            .assert_problem(403);
        app.send(
            Method::POST,
            "/api/v1/users",
            Some(token),
            Some(json!({"username": "zzz", "password": "a-long-password", "role": "admin"})),
        )
        .await
        .assert_problem(403);
    }
}
