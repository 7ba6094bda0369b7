//! Login throttling by client address: what is locked, for how long, who can lift it, and
//! what a flood of attempts costs (no more checked passwords, no more audit rows, than the
//! limits let through).

use futures_util::future::join_all;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{Reply, TestApp, ADMIN_PASSWORD};

/// The service behind a proxy on 127.0.0.1, so that tests speak for other addresses.
async fn behind_a_proxy() -> TestApp {
    TestApp::spawn_with(&[("CADRE_TRUSTED_PROXIES", "127.0.0.1")]).await
}

async fn login_from(app: &TestApp, address: &str, username: &str, password: &str) -> Reply {
    app.send_with(
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(json!({"username": username, "password": password})),
        &[("X-Forwarded-For", address)],
    )
    .await
}

async fn audit(app: &TestApp, action: &str) -> Vec<Value> {
    let reply = app.get(&format!("/api/v1/audit-log?limit=500&action={action}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body["items"].as_array().expect("items").clone()
}

/// Moves every window and lock 16 minutes into the past: what waiting does.
fn wait_a_window(app: &TestApp) {
    app.sql(
        "UPDATE login_throttles SET window_started_at = datetime(window_started_at, '-16 minutes'), \
         locked_until = datetime(locked_until, '-16 minutes')",
        "UPDATE login_throttles SET window_started_at = window_started_at - INTERVAL '16 minutes', \
         locked_until = locked_until - INTERVAL '16 minutes'",
    );
}

#[tokio::test]
async fn five_failures_lock_a_username_from_that_address_only() {
    let app = behind_a_proxy().await;
    for _ in 0..5 {
        login_from(&app, "198.51.100.1", "admin", "not-the-password")
            .await
            .assert_problem(401);
    }
    // From that address, even the right password waits.
    let locked = login_from(&app, "198.51.100.1", "admin", ADMIN_PASSWORD).await;
    locked.assert_problem(429);
    let wait: i64 = locked
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!((1..=900).contains(&wait), "{wait}");
    // The owner, elsewhere, gets in: five requests cannot lock an account out.
    assert_eq!(
        login_from(&app, "203.0.113.7", "admin", ADMIN_PASSWORD).await.status,
        StatusCode::OK
    );
    // Another username from the locked address is not affected.
    login_from(&app, "198.51.100.1", "nobody", "x")
        .await
        .assert_problem(401);
    // Fifteen minutes later, it opens again.
    wait_a_window(&app);
    assert_eq!(
        login_from(&app, "198.51.100.1", "admin", ADMIN_PASSWORD).await.status,
        StatusCode::OK
    );
    // Counters whose window is over are forgotten as attempts come: only this attempt's
    // two remain, whatever the earlier ones left.
    assert_eq!(app.count("SELECT count(*) FROM login_throttles"), 2);
}

#[tokio::test]
async fn without_a_trusted_proxy_x_forwarded_for_is_ignored() {
    let app = TestApp::spawn().await;
    for i in 0..5 {
        login_from(&app, &format!("198.51.100.{i}"), "admin", "wrong")
            .await
            .assert_problem(401);
    }
    // Every attempt came from the peer, 127.0.0.1, whatever the header claimed.
    login_from(&app, "203.0.113.7", "admin", ADMIN_PASSWORD)
        .await
        .assert_problem(429);
}

#[tokio::test]
async fn a_burst_of_wrong_passwords_checks_no_more_than_the_limit() {
    let app = behind_a_proxy().await;
    let burst = (0..40).map(|_| login_from(&app, "198.51.100.1", "admin", "a-guess"));
    let replies = join_all(burst).await;
    let unauthorized = replies.iter().filter(|r| r.status == StatusCode::UNAUTHORIZED).count();
    let refused = replies
        .iter()
        .filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((unauthorized, refused), (5, 35));
    // Only the checked attempts are in the audit log, each with its address and count.
    let failures = audit(&app, "login_failed").await;
    assert_eq!(failures.len(), 5);
    let mut counts: Vec<i64> = failures
        .iter()
        .map(|e| e["after"]["failures"].as_i64().expect("a count"))
        .collect();
    counts.sort_unstable();
    assert_eq!(counts, [1, 2, 3, 4, 5]);
    assert!(failures.iter().all(|e| e["after"]["address"] == "198.51.100.1"));
    assert_eq!(
        failures
            .iter()
            .filter(|e| e["after"]["locked_until"].is_string())
            .count(),
        1
    );
    login_from(&app, "198.51.100.1", "admin", ADMIN_PASSWORD)
        .await
        .assert_problem(429);
}

#[tokio::test]
async fn an_address_has_a_budget_whatever_the_usernames() {
    let app = behind_a_proxy().await;
    // Random usernames: each costs a password hash, so the address as a whole is limited.
    let mut statuses = Vec::new();
    for i in 0..45 {
        statuses.push(
            login_from(&app, "198.51.100.9", &format!("user{i}"), "guess")
                .await
                .status
                .as_u16(),
        );
    }
    assert_eq!(statuses.iter().filter(|s| **s == 401).count(), 30);
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 15);
    assert_eq!(&statuses[30..], [429; 15]);
    // The flood added one audit row per checked attempt, none for the refused ones.
    assert_eq!(audit(&app, "login_failed").await.len(), 30);
    login_from(&app, "198.51.100.9", "admin", ADMIN_PASSWORD)
        .await
        .assert_problem(429);
    assert_eq!(
        login_from(&app, "198.51.100.10", "admin", ADMIN_PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_success_clears_the_username_s_failures() {
    let app = behind_a_proxy().await;
    for round in 0..3 {
        for _ in 0..4 {
            login_from(&app, "198.51.100.1", "admin", "wrong")
                .await
                .assert_problem(401);
        }
        let ok = login_from(&app, "198.51.100.1", "admin", ADMIN_PASSWORD).await;
        assert_eq!(ok.status, StatusCode::OK, "round {round}: {}", ok.body);
    }
    let logins = audit(&app, "login").await;
    assert!(
        logins.iter().any(|e| e["after"]["address"] == "198.51.100.1"),
        "{logins:?}"
    );
}

#[tokio::test]
async fn an_admin_lifts_a_user_s_lock() {
    let app = behind_a_proxy().await;
    let (clerk, _) = app.user_with_token("auditor", None).await;
    let username = app.get(&format!("/api/v1/users/{clerk}")).await.body["username"]
        .as_str()
        .expect("a username")
        .to_owned();
    for _ in 0..5 {
        login_from(&app, "198.51.100.1", &username, "wrong")
            .await
            .assert_problem(401);
    }
    login_from(&app, "198.51.100.1", &username, "a-long-password")
        .await
        .assert_problem(429);
    let lifted = app.delete(&format!("/api/v1/users/{clerk}/lock")).await;
    assert_eq!(lifted.status, StatusCode::NO_CONTENT, "{}", lifted.body);
    assert_eq!(
        login_from(&app, "198.51.100.1", &username, "a-long-password")
            .await
            .status,
        StatusCode::OK
    );
    let unlocks = audit(&app, "unlock").await;
    assert_eq!(unlocks.len(), 1);
    assert_eq!(unlocks[0]["entity_id"], clerk);
    assert_eq!(unlocks[0]["before"]["username"], username.as_str());
    assert_eq!(unlocks[0]["before"]["locks"][0]["address"], "198.51.100.1");
    assert_eq!(unlocks[0]["before"]["locks"][0]["failures"], 5);
    // Lifting when nothing is locked is the same answer; a missing user is a 404.
    assert_eq!(
        app.delete(&format!("/api/v1/users/{clerk}/lock")).await.status,
        StatusCode::NO_CONTENT
    );
    app.delete("/api/v1/users/999999/lock").await.assert_problem(404);
}

#[tokio::test]
async fn wrong_current_passwords_count_as_failed_logins_and_are_logged() {
    let app = behind_a_proxy().await;
    let (user, token) = app.user_with_token("auditor", None).await;
    let change = |current: &'static str| {
        let (app, token) = (&app, token.clone());
        async move {
            app.send_with(
                Method::POST,
                "/api/v1/auth/password",
                Some(&token),
                Some(json!({"current_password": current, "new_password": "a-brand-new-password"})),
                &[("X-Forwarded-For", "198.51.100.4")],
            )
            .await
        }
    };
    for _ in 0..5 {
        change("a-wrong-guess").await.assert_fields(&["current_password"]);
    }
    change("a-long-password").await.assert_problem(429);
    let logged = audit(&app, "password_change_failed").await;
    assert_eq!(logged.len(), 5);
    assert!(logged
        .iter()
        .all(|e| e["entity_id"] == user && e["after"]["address"] == "198.51.100.4"));
    // The same count as the logins: that username is locked from that address.
    let username = app.get(&format!("/api/v1/users/{user}")).await.body["username"]
        .as_str()
        .expect("a username")
        .to_owned();
    login_from(&app, "198.51.100.4", &username, "a-long-password")
        .await
        .assert_problem(429);
}

#[tokio::test]
async fn usernames_that_would_forge_log_lines_are_refused() {
    let app = TestApp::spawn().await;
    let reply = app
        .send(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "x\nINFO cadre_records: logged in username=\"admin\"", "password": "p"})),
        )
        .await;
    reply.assert_fields(&["username"]);
    assert!(audit(&app, "login_failed").await.is_empty());
}
