use jsonwebtoken::{encode, EncodingKey, Header};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{TestApp, JWT_SECRET};

#[tokio::test]
async fn login_gives_a_bearer_token() {
    let app = TestApp::spawn().await;
    let reply = app
        .send(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "admin", "password": crate::helpers::ADMIN_PASSWORD})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["token_type"], "Bearer");
    assert_eq!(reply.body["expires_in"], 3600);
    assert_eq!(reply.body["access_token"].as_str().unwrap().split('.').count(), 3);
}

#[tokio::test]
async fn unknown_user_and_wrong_password_get_the_same_answer() {
    let app = TestApp::spawn().await;
    let wrong = app
        .send(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "admin", "password": "nope"})),
        )
        .await;
    let unknown = app
        .send(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "nobody", "password": "nope"})),
        )
        .await;
    wrong.assert_problem(401);
    assert_eq!(wrong.body, unknown.body);
    app.send(
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(json!({"username": "admin"})),
    )
    .await
    .assert_fields(&["password"]);
}

#[tokio::test]
async fn every_api_endpoint_needs_a_valid_token() {
    let app = TestApp::spawn().await;
    app.send(Method::GET, "/api/v1/units", None, None)
        .await
        .assert_problem(401);
    app.send(Method::GET, "/api/v1/enums", Some("not-a-token"), None)
        .await
        .assert_problem(401);
    let now = chrono::Utc::now().timestamp();
    let claims = |exp: i64, aud: &str| {
        json!({"sub": "1", "name": "admin", "role": "admin", "unit_id": null, "ver": 1,
               "iss": "cadre-records", "aud": aud, "iat": now - 7200, "exp": exp})
    };
    let sign = |claims: serde_json::Value, secret: &str| {
        encode(
            &Header::default(),
            &claims,
            &EncodingKey::from_secret(secret.as_bytes()),
        )
        .unwrap()
    };
    let expired = sign(claims(now - 3600, "cadre-records"), JWT_SECRET);
    app.send(Method::GET, "/api/v1/units", Some(&expired), None)
        .await
        .assert_problem(401);
    let forged = sign(
        claims(now + 3600, "cadre-records"),
        "another-secret-that-is-long-enough-too",
    );
    app.send(Method::GET, "/api/v1/units", Some(&forged), None)
        .await
        .assert_problem(401);
    let other_audience = sign(claims(now + 3600, "someone-else"), JWT_SECRET);
    app.send(Method::GET, "/api/v1/units", Some(&other_audience), None)
        .await
        .assert_problem(401);
    let unsigned = format!(
        "{}.{}.",
        b64(r#"{"alg":"none","typ":"JWT"}"#),
        b64(&claims(now + 3600, "cadre-records").to_string())
    );
    app.send(Method::GET, "/api/v1/units", Some(&unsigned), None)
        .await
        .assert_problem(401);
    let valid = sign(claims(now + 3600, "cadre-records"), JWT_SECRET);
    assert_eq!(
        app.send(Method::GET, "/api/v1/units", Some(&valid), None).await.status,
        StatusCode::OK
    );
}

fn b64(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let bytes = text.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

#[tokio::test]
async fn auditors_read_and_cannot_write() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let auditor = app.token_for("auditor", None).await;
    assert_eq!(
        app.send(Method::GET, "/api/v1/units", Some(&auditor), None)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.send(
            Method::GET,
            &format!("/api/v1/units/{}", tree.city),
            Some(&auditor),
            None
        )
        .await
        .status,
        StatusCode::OK
    );
    app.send(
        Method::POST,
        "/api/v1/units",
        Some(&auditor),
        Some(json!({"code": "X", "name": "X", "kind": "ward"})),
    )
    .await
    .assert_problem(403);
    app.send(
        Method::PATCH,
        &format!("/api/v1/units/{}", tree.city),
        Some(&auditor),
        Some(json!({"name": "X"})),
    )
    .await
    .assert_problem(403);
    app.send(
        Method::DELETE,
        &format!("/api/v1/units/{}", tree.ward_b),
        Some(&auditor),
        None,
    )
    .await
    .assert_problem(403);
    assert_eq!(
        app.get(&format!("/api/v1/units/{}", tree.ward_b)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn hr_writes() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let hr = app.token_for("hr", Some(tree.city)).await;
    let reply = app
        .send(
            Method::POST,
            "/api/v1/officials",
            Some(&hr),
            Some(json!({"code": "1", "full_name": "A", "gender": "male", "unit_id": tree.ward_a, "category": "cadre"})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
}

#[tokio::test]
async fn enums_list_codes_with_vietnamese_labels() {
    let app = TestApp::spawn().await;
    let reply = app.get("/api/v1/enums").await;
    assert_eq!(reply.status, StatusCode::OK);
    let enums = &reply.body["enums"];
    let education: Vec<&str> = enums["education"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        education,
        [
            "none",
            "elementary",
            "intermediate",
            "college",
            "university",
            "master",
            "doctorate"
        ]
    );
    assert_eq!(enums["education"][4]["label"], "Đại học");
    assert_eq!(
        enums["political_theory"][4]["rank"], enums["political_theory"][3]["rank"],
        "bachelor ranks with advanced"
    );
    assert_eq!(enums["unit_kind"][5]["label"], "Phường");
    for name in [
        "category",
        "gender",
        "official_status",
        "role",
        "dimension",
        "state_management",
        "it",
        "foreign_language",
    ] {
        assert!(enums[name].as_array().is_some_and(|v| !v.is_empty()), "{name}");
    }
}
