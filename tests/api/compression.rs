//! Responses of more than a few kilobytes are compressed when the client accepts it.

use std::io::Read;

use reqwest::header::HeaderMap;
use serde_json::json;

use crate::helpers::TestApp;

/// The answer to a GET as the admin, sending `Accept-Encoding` if given: its headers and its
/// bytes as they came.
async fn fetch(app: &TestApp, path: &str, accept_encoding: Option<&str>) -> (HeaderMap, Vec<u8>) {
    let mut request = app
        .client
        .get(format!("{}{path}", app.address))
        .bearer_auth(&app.admin_token);
    if let Some(accepted) = accept_encoding {
        request = request.header("Accept-Encoding", accepted);
    }
    let response = request.send().await.expect("the request is answered");
    let headers = response.headers().clone();
    (headers, response.bytes().await.unwrap().to_vec())
}

fn encoding(headers: &HeaderMap) -> Option<&str> {
    headers.get("content-encoding").map(|v| v.to_str().unwrap())
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut plain).unwrap();
    plain
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut plain = Vec::new();
    brotli::Decompressor::new(bytes, 4096).read_to_end(&mut plain).unwrap();
    plain
}

#[tokio::test]
async fn large_answers_are_compressed_as_the_client_accepts_and_small_ones_go_as_they_are() {
    let app = TestApp::spawn_demo().await;
    let city = app.unit_id("VP-PY").await;
    let report = format!("/api/v1/reports/plan-vs-actual?unit_id={city}&year=2018&group_by=unit");
    let export = "/api/v1/officials/download?labels=codes";
    for path in ["/api-docs/openapi.json", report.as_str(), export] {
        let (headers, plain) = fetch(&app, path, None).await;
        assert_eq!(encoding(&headers), None, "{path}: nothing accepted, nothing compressed");
        assert!(
            plain.len() >= 2048,
            "{path} is large enough to compress: {} bytes",
            plain.len()
        );

        let (headers, gzipped) = fetch(&app, path, Some("gzip")).await;
        assert_eq!(encoding(&headers), Some("gzip"), "{path}");
        let vary = headers["vary"].to_str().unwrap().to_ascii_lowercase();
        assert!(vary.split(", ").any(|name| name == "accept-encoding"), "{path}: {vary}");
        assert_eq!(gunzip(&gzipped), plain, "{path}");
        assert!(
            gzipped.len() * 2 < plain.len(),
            "{path}: {} of {} bytes",
            gzipped.len(),
            plain.len()
        );

        let (headers, brotlied) = fetch(&app, path, Some("br;q=1.0, gzip;q=0.5")).await;
        assert_eq!(encoding(&headers), Some("br"), "{path}: the client's preference");
        assert_eq!(unbrotli(&brotlied), plain, "{path}");

        let (headers, again) = fetch(&app, path, Some("gzip;q=0.2, br;q=0.8")).await;
        assert_eq!(encoding(&headers), Some("br"), "{path}");
        assert_eq!(unbrotli(&again), plain, "{path}");
    }

    // Small answers, problems included, and workbooks (zip archives already) go as they are.
    let workbook = "/api/v1/officials/download?format=xlsx";
    for path in ["/health", "/api/v1/units/999999", workbook] {
        let (headers, body) = fetch(&app, path, Some("br, gzip")).await;
        assert_eq!(encoding(&headers), None, "{path}");
        assert!(!body.is_empty(), "{path}");
    }
    let (_, health) = fetch(&app, "/health", Some("gzip")).await;
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&health).unwrap()["status"],
        json!("ok")
    );
    let (_, workbook) = fetch(&app, workbook, Some("gzip")).await;
    assert_eq!(&workbook[..2], b"PK", "the workbook itself");
}
