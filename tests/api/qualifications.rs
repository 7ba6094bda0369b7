use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::TestApp;

async fn official(app: &TestApp) -> i64 {
    let tree = app.tree().await;
    let official = app.official(json!({"code": "1", "full_name": "Lê Minh Công", "gender": "male", "unit_id": tree.ward_a, "category": "cadre"})).await;
    official["id"].as_i64().unwrap()
}

#[tokio::test]
async fn current_levels_follow_the_records() {
    let app = TestApp::spawn().await;
    let id = official(&app).await;
    let path = format!("/api/v1/officials/{id}");

    let college = app.qualify(id, "education", "college", "2005-06-30").await;
    assert_eq!(college.status, StatusCode::CREATED, "{}", college.body);
    assert_eq!(college.body["source"], "manual");
    assert_eq!(
        college.header("location").unwrap(),
        format!("{path}/qualifications/{}", college.id())
    );
    assert_eq!(app.get(&path).await.body["education"], "college");

    let university = app.qualify(id, "education", "university", "2010-06-30").await;
    assert_eq!(app.get(&path).await.body["education"], "university");
    let lower = app.qualify(id, "education", "intermediate", "2012-01-01").await;
    assert_eq!(lower.status, StatusCode::CREATED);
    assert_eq!(
        app.get(&path).await.body["education"],
        "university",
        "a lower record does not lower the level"
    );

    app.qualify(id, "political_theory", "bachelor", "2015-01-01").await;
    app.qualify(id, "political_theory", "advanced", "2016-01-01").await;
    app.qualify(id, "foreign_language", "level_3", "2016-01-01").await;
    let now = app.get(&path).await.body;
    assert_eq!(now["political_theory"], "bachelor");
    assert_eq!(now["foreign_language"], "level_3");
    assert_eq!(now["it"], "none");

    let gone = app.delete(&format!("{path}/qualifications/{}", university.id())).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&path).await.body["education"], "college");

    let list = app.get(&format!("{path}/qualifications")).await;
    assert_eq!(list.body.as_array().unwrap().len(), 5);
    let education = app.get(&format!("{path}/qualifications?dimension=education")).await;
    let levels: Vec<&str> = education
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["intermediate", "college"], "newest award first");

    app.delete(&format!("{path}/qualifications/{}", college.id())).await;
    app.delete(&format!("{path}/qualifications/{}", lower.id())).await;
    assert_eq!(app.get(&path).await.body["education"], "none");
}

#[tokio::test]
async fn a_level_must_belong_to_its_dimension() {
    let app = TestApp::spawn().await;
    let id = official(&app).await;
    let reply = app.qualify(id, "education", "advanced", "2010-01-01").await;
    reply.assert_fields(&["level"]);
    let reply = app
        .post(
            &format!("/api/v1/officials/{id}/qualifications"),
            json!({"dimension": "cooking", "level": "master", "awarded_on": "2010-13-01"}),
        )
        .await;
    reply.assert_fields(&["awarded_on", "dimension"]);
    app.qualify(id, "it", "basic", "2999-01-01")
        .await
        .assert_fields(&["awarded_on"]);
    app.qualify(999, "it", "basic", "2010-01-01").await.assert_problem(404);
    assert_eq!(
        app.get(&format!("/api/v1/officials/{id}/qualifications"))
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        0
    );
    app.delete(&format!("/api/v1/officials/{id}/qualifications/12345"))
        .await
        .assert_problem(404);
}
