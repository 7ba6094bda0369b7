use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn positions_keep_their_standards() {
    let app = TestApp::spawn().await;
    let reply = app
        .post(
            "/api/v1/positions",
            json!({"code": "PCT-MTTQ", "title": "Phó Chủ tịch Ủy ban MTTQ phường", "category": "cadre",
                   "min_education": "university", "min_political_theory": "intermediate", "min_state_management": null}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let id = reply.id();
    assert_eq!(reply.body["min_education"], "university");
    assert_eq!(reply.body["min_state_management"], serde_json::Value::Null);

    let found = app.get("/api/v1/positions?q=pho%20chu%20tich&category=cadre").await;
    assert_eq!(found.body["total"], 1);
    assert_eq!(
        app.get("/api/v1/positions?category=civil_servant").await.body["total"],
        0
    );

    let changed = app
        .patch(
            &format!("/api/v1/positions/{id}"),
            json!({"min_education": null, "min_state_management": "specialist"}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(changed.body["min_education"], serde_json::Value::Null);
    assert_eq!(changed.body["min_state_management"], "specialist");
    assert_eq!(changed.body["min_political_theory"], "intermediate");
}

#[tokio::test]
async fn standards_must_be_levels_of_their_dimension() {
    let app = TestApp::spawn().await;
    let reply = app
        .post("/api/v1/positions", json!({"code": "X", "title": "", "category": "boss", "min_education": "advanced", "min_political_theory": "master"}))
        .await;
    reply.assert_fields(&["category", "min_education", "min_political_theory", "title"]);
}

#[tokio::test]
async fn a_held_position_cannot_be_deleted() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let held = app.position("CT", "Chủ tịch UBND phường", "cadre").await;
    let free = app.position("VT", "Văn thư", "civil_servant").await;
    app.official(
        json!({"code": "A1", "full_name": "Trần Văn B", "gender": "male", "unit_id": tree.ward_a, "position_id": held}),
    )
    .await;
    app.delete(&format!("/api/v1/positions/{held}"))
        .await
        .assert_code(409, "still_referenced");

    let stale = app
        .send_with(
            Method::DELETE,
            &format!("/api/v1/positions/{free}"),
            Some(&app.admin_token),
            None,
            &[("If-Match", "\"7\"")],
        )
        .await;
    stale.assert_code(412, "stale_version");
    let gone = app
        .send_with(
            Method::DELETE,
            &format!("/api/v1/positions/{free}"),
            Some(&app.admin_token),
            None,
            &[("If-Match", "\"1\"")],
        )
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
}
