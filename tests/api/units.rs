use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn create_returns_201_with_location_and_etag() {
    let app = TestApp::spawn().await;
    let reply = app
        .post(
            "/api/v1/units",
            json!({"code": "VP", "name": "Tỉnh Vĩnh Phúc", "kind": "province", "established_on": "1997-01-01"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let id = reply.id();
    assert_eq!(reply.header("location").unwrap(), format!("/api/v1/units/{id}"));
    assert_eq!(reply.header("etag").unwrap(), "\"1\"");
    assert_eq!(reply.body["kind"], "province");
    assert_eq!(reply.body["established_on"], "1997-01-01");
    assert!(reply.body.get("path").is_none() && reply.body.get("search_name").is_none());
    assert!(reply.body["created_at"].as_str().unwrap().ends_with('Z'));

    let read = app.get(&format!("/api/v1/units/{id}")).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.body, reply.body);
    assert_eq!(read.header("etag").unwrap(), "\"1\"");
}

#[tokio::test]
async fn invalid_units_name_every_field() {
    let app = TestApp::spawn().await;
    let reply = app
        .post(
            "/api/v1/units",
            json!({"code": " ", "name": 5, "kind": "planet", "established_on": "2019-02-30", "education": "x"}),
        )
        .await;
    reply.assert_fields(&["code", "education", "established_on", "kind", "name"]);

    let reply = app.post("/api/v1/units", json!({})).await;
    reply.assert_fields(&["code", "kind", "name"]);

    let reply = app
        .post("/api/v1/units", json!({"code": "X", "name": "X", "kind": "ward", "parent_id": 999, "established_on": "2020-01-01", "dissolved_on": "2019-01-01"}))
        .await;
    reply.assert_fields(&["dissolved_on", "parent_id"]);
    assert_eq!(app.get("/api/v1/units").await.body["total"], 0, "nothing was written");
}

#[tokio::test]
async fn duplicate_code_is_a_conflict() {
    let app = TestApp::spawn().await;
    app.unit("VP", "Tỉnh Vĩnh Phúc", "province", None).await;
    let reply = app
        .post(
            "/api/v1/units",
            json!({"code": "VP", "name": "Again", "kind": "province"}),
        )
        .await;
    reply.assert_code(409, "duplicate");
}

#[tokio::test]
async fn list_filters_by_name_kind_subtree_and_pages() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let other = app.unit("HN", "Thành phố Hà Nội", "province", None).await;
    app.unit("HN-HK", "Phường Hoàn Kiếm", "ward", Some(other)).await;

    let all = app.get("/api/v1/units").await;
    assert_eq!(all.body["total"], 6);

    let found = app.get("/api/v1/units?q=phuc%20THANG").await;
    assert_eq!(found.body["total"], 1);
    assert_eq!(found.body["items"][0]["id"], tree.ward_a);

    let wards = app.get("/api/v1/units?kind=ward&sort=-code").await;
    let codes: Vec<&str> = wards.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["VP-PY-XH", "VP-PY-PT", "HN-HK"]);

    let subtree = app.get(&format!("/api/v1/units?unit_id={}", tree.province)).await;
    assert_eq!(subtree.body["total"], 4);
    let children = app.get(&format!("/api/v1/units?parent_id={}", tree.city)).await;
    assert_eq!(children.body["total"], 2);

    let page = app.get("/api/v1/units?limit=2&offset=2&sort=code").await;
    assert_eq!(page.body["total"], 6);
    assert_eq!(page.body["limit"], 2);
    assert_eq!(page.body["offset"], 2);
    assert_eq!(page.body["items"].as_array().unwrap().len(), 2);
    assert_eq!(page.body["items"][0]["code"], "VP");

    app.get("/api/v1/units?limit=0").await.assert_fields(&["limit"]);
    app.get("/api/v1/units?limit=501").await.assert_fields(&["limit"]);
    app.get("/api/v1/units?sort=colour").await.assert_fields(&["sort"]);
    app.get("/api/v1/units?kind=planet").await.assert_fields(&["kind"]);
    app.get("/api/v1/units?unit_id=999").await.assert_fields(&["unit_id"]);
}

#[tokio::test]
async fn patch_honours_if_match_and_bumps_the_version() {
    let app = TestApp::spawn().await;
    let id = app.unit("PT", "Phường Phúc Thắng", "ward", None).await;
    let path = format!("/api/v1/units/{id}");
    let token = app.admin_token.clone();

    let changed = app
        .send_with(
            Method::PATCH,
            &path,
            Some(&token),
            Some(json!({"name": "Phường Phúc Thắng mới", "dissolved_on": "2025-07-01"})),
            &[("If-Match", "\"1\"")],
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(changed.body["version"], 2);
    assert_eq!(changed.body["dissolved_on"], "2025-07-01");
    assert_eq!(changed.header("etag").unwrap(), "\"2\"");

    let stale = app
        .send_with(
            Method::PATCH,
            &path,
            Some(&token),
            Some(json!({"name": "Lost update"})),
            &[("If-Match", "\"1\"")],
        )
        .await;
    stale.assert_code(412, "stale_version");
    assert_eq!(app.get(&path).await.body["name"], "Phường Phúc Thắng mới");

    let cleared = app.patch(&path, json!({"dissolved_on": null})).await;
    assert_eq!(cleared.body["dissolved_on"], serde_json::Value::Null);
    assert_eq!(
        cleared.body["name"], "Phường Phúc Thắng mới",
        "absent fields are left alone"
    );

    app.patch(
        &path,
        json!({"established_on": "2030-01-01", "dissolved_on": "2029-01-01"}),
    )
    .await
    .assert_fields(&["dissolved_on"]);
    app.patch(&path, json!({"kind": "galaxy"}))
        .await
        .assert_fields(&["kind"]);
    app.patch("/api/v1/units/999", json!({"name": "x"}))
        .await
        .assert_problem(404);
}

#[tokio::test]
async fn moving_a_unit_moves_its_subtree_and_refuses_cycles() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let other = app.unit("HN", "Thành phố Hà Nội", "province", None).await;

    let cycle = app
        .patch(
            &format!("/api/v1/units/{}", tree.province),
            json!({"parent_id": tree.ward_a}),
        )
        .await;
    cycle.assert_fields(&["parent_id"]);
    let itself = app
        .patch(&format!("/api/v1/units/{}", tree.city), json!({"parent_id": tree.city}))
        .await;
    itself.assert_fields(&["parent_id"]);

    let moved = app
        .patch(&format!("/api/v1/units/{}", tree.city), json!({"parent_id": other}))
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(
        app.get(&format!("/api/v1/units?unit_id={other}")).await.body["total"],
        4
    );
    assert_eq!(
        app.get(&format!("/api/v1/units?unit_id={}", tree.province)).await.body["total"],
        1
    );

    let root = app
        .patch(&format!("/api/v1/units/{}", tree.city), json!({"parent_id": null}))
        .await;
    assert_eq!(root.body["parent_id"], serde_json::Value::Null);
    assert_eq!(
        app.get(&format!("/api/v1/units?unit_id={}", tree.city)).await.body["total"],
        3
    );
}

#[tokio::test]
async fn deleting_a_referenced_unit_is_a_conflict() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.delete(&format!("/api/v1/units/{}", tree.city))
        .await
        .assert_code(409, "still_referenced");
    let official = app.official(json!({"code": "A1", "full_name": "Nguyễn Văn A", "gender": "male", "unit_id": tree.ward_a, "category": "cadre"})).await;
    app.delete(&format!("/api/v1/units/{}", tree.ward_a))
        .await
        .assert_code(409, "still_referenced");
    // Once its official is gone, the unit goes too (with the report counters kept for it).
    let removed = app.delete(&format!("/api/v1/officials/{}", official["id"])).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.body);
    let emptied = app.delete(&format!("/api/v1/units/{}", tree.ward_a)).await;
    assert_eq!(emptied.status, StatusCode::NO_CONTENT, "{}", emptied.body);

    let gone = app.delete(&format!("/api/v1/units/{}", tree.ward_b)).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    app.get(&format!("/api/v1/units/{}", tree.ward_b))
        .await
        .assert_problem(404);
    app.delete(&format!("/api/v1/units/{}", tree.ward_b))
        .await
        .assert_problem(404);
}
