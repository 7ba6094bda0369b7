use reqwest::{Method, StatusCode};

use crate::helpers::TestApp;

const COMMITTED: &str = include_str!("../../openapi/openapi.json");

/// The committed document is the contract: it must be what the code generates.
/// Regenerate with `cargo run -- openapi > openapi/openapi.json`.
#[test]
fn committed_document_matches_the_code() {
    let generated = cadre_records::openapi::document()
        .to_pretty_json()
        .expect("serializable");
    assert!(
        generated.trim() == COMMITTED.trim(),
        "openapi/openapi.json is stale: run `cargo run -- openapi > openapi/openapi.json`"
    );
}

#[test]
fn every_operation_is_described_with_its_errors() {
    let document: serde_json::Value = serde_json::from_str(COMMITTED).expect("valid JSON");
    let paths = document["paths"].as_object().expect("paths");
    assert!(paths.len() >= 15);
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            let name = format!("{method} {path}");
            assert!(
                operation["summary"].is_string() || operation["description"].is_string(),
                "{name} has no description"
            );
            let responses = operation["responses"].as_object().expect("responses");
            assert!(
                responses
                    .values()
                    .all(|r| r["description"].as_str().is_some_and(|d| !d.is_empty())),
                "{name}"
            );
            if path.starts_with("/api/v1") && path != "/api/v1/auth/login" {
                assert!(responses.contains_key("401"), "{name} does not document 401");
                assert!(operation["security"].is_array(), "{name} has no security");
            }
            if method == "post" || method == "patch" {
                assert!(
                    responses.contains_key("422") && responses.contains_key("400"),
                    "{name} does not document 400/422"
                );
            }
        }
    }
}

#[tokio::test]
async fn the_service_serves_the_document_and_the_docs_page() {
    let app = TestApp::spawn().await;
    let served = app.send(Method::GET, "/api-docs/openapi.json", None, None).await;
    assert_eq!(served.status, StatusCode::OK);
    let committed: serde_json::Value = serde_json::from_str(COMMITTED).unwrap();
    assert_eq!(served.body, committed);
    let page = app.client.get(format!("{}/docs/", app.address)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    // No other page may frame the docs or the API (clickjacking); the docs run only their
    // own scripts. (.ci/docs-check loads the page in Chromium under this policy.)
    let policy = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(
        policy.contains("frame-ancestors 'none'") && policy.contains("script-src 'self'"),
        "{policy}"
    );
    assert_eq!(page.headers()["x-frame-options"], "DENY");
    assert!(page.text().await.unwrap().contains("swagger-ui"));
    let api = app.get("/api/v1/units").await;
    assert_eq!(api.header("x-frame-options").as_deref(), Some("DENY"));
    assert!(api
        .header("content-security-policy")
        .unwrap()
        .starts_with("default-src 'none'"));
}
