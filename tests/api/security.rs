//! Rights scoped to the org tree, token revocation, the login lockout, the audit log, CORS.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{Reply, TestApp};

async fn as_user(app: &TestApp, token: &str, method: Method, path: &str, body: Option<Value>) -> Reply {
    app.send(method, path, Some(token), body).await
}

#[tokio::test]
async fn hr_reads_and_writes_only_inside_its_subtree() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let hr = app.token_for("hr", Some(t.ward_a)).await;
    let mine = app
        .official(
            json!({"code": "A", "full_name": "Người A", "gender": "male", "unit_id": t.ward_a, "category": "cadre"}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let theirs = app
        .official(
            json!({"code": "B", "full_name": "Người B", "gender": "male", "unit_id": t.ward_b, "category": "cadre"}),
        )
        .await["id"]
        .as_i64()
        .unwrap();

    // Units.
    assert_eq!(
        as_user(&app, &hr, Method::GET, &format!("/api/v1/units/{}", t.ward_a), None)
            .await
            .status,
        StatusCode::OK
    );
    as_user(&app, &hr, Method::GET, &format!("/api/v1/units/{}", t.ward_b), None)
        .await
        .assert_problem(403);
    let units = as_user(&app, &hr, Method::GET, "/api/v1/units", None).await;
    assert_eq!(units.body["total"], 1, "only the ward itself: {}", units.body);
    as_user(
        &app,
        &hr,
        Method::GET,
        &format!("/api/v1/units?unit_id={}", t.city),
        None,
    )
    .await
    .assert_problem(403);
    let group = as_user(
        &app,
        &hr,
        Method::POST,
        "/api/v1/units",
        Some(json!({"code": "TDP1", "name": "Tổ dân phố 1", "kind": "agency", "parent_id": t.ward_a})),
    )
    .await;
    assert_eq!(group.status, StatusCode::CREATED, "{}", group.body);
    as_user(
        &app,
        &hr,
        Method::POST,
        "/api/v1/units",
        Some(json!({"code": "TDP2", "name": "Tổ dân phố 2", "kind": "agency", "parent_id": t.ward_b})),
    )
    .await
    .assert_problem(403);
    as_user(
        &app,
        &hr,
        Method::POST,
        "/api/v1/units",
        Some(json!({"code": "ROOT", "name": "Root", "kind": "province"})),
    )
    .await
    .assert_problem(403);
    as_user(
        &app,
        &hr,
        Method::PATCH,
        &format!("/api/v1/units/{}", t.ward_a),
        Some(json!({"name": "Mine now"})),
    )
    .await
    .assert_problem(403);
    as_user(
        &app,
        &hr,
        Method::PATCH,
        &format!("/api/v1/units/{}", group.id()),
        Some(json!({"parent_id": t.ward_b})),
    )
    .await
    .assert_problem(403);
    assert_eq!(
        as_user(
            &app,
            &hr,
            Method::PATCH,
            &format!("/api/v1/units/{}", group.id()),
            Some(json!({"name": "Tổ 1"}))
        )
        .await
        .status,
        StatusCode::OK
    );

    // Officials.
    assert_eq!(
        as_user(&app, &hr, Method::GET, &format!("/api/v1/officials/{mine}"), None)
            .await
            .status,
        StatusCode::OK
    );
    as_user(&app, &hr, Method::GET, &format!("/api/v1/officials/{theirs}"), None)
        .await
        .assert_problem(403);
    as_user(
        &app,
        &hr,
        Method::GET,
        &format!("/api/v1/officials/{theirs}/assignments"),
        None,
    )
    .await
    .assert_problem(403);
    as_user(
        &app,
        &hr,
        Method::PATCH,
        &format!("/api/v1/officials/{theirs}"),
        Some(json!({"full_name": "X"})),
    )
    .await
    .assert_problem(403);
    let listed = as_user(&app, &hr, Method::GET, "/api/v1/officials", None).await;
    assert_eq!(listed.body["total"], 1);
    as_user(
        &app,
        &hr,
        Method::POST,
        "/api/v1/officials",
        Some(json!({"code": "C", "full_name": "C", "gender": "male", "unit_id": t.ward_b, "category": "cadre"})),
    )
    .await
    .assert_problem(403);
    as_user(
        &app,
        &hr,
        Method::POST,
        &format!("/api/v1/officials/{theirs}/qualifications"),
        Some(json!({"dimension": "it", "level": "basic", "awarded_on": "2020-01-01"})),
    )
    .await
    .assert_problem(403);
    // A transfer needs rights on both ends.
    as_user(
        &app,
        &hr,
        Method::POST,
        &format!("/api/v1/officials/{mine}/transfer"),
        Some(json!({"unit_id": t.ward_b, "effective_on": "2030-01-01"})),
    )
    .await
    .assert_problem(403);
    assert_eq!(
        app.get(&format!("/api/v1/officials/{mine}")).await.body["unit_id"],
        t.ward_a,
        "nothing moved"
    );

    // Catalogues and users are the admin's.
    as_user(
        &app,
        &hr,
        Method::POST,
        "/api/v1/positions",
        Some(json!({"code": "X", "title": "X", "category": "cadre"})),
    )
    .await
    .assert_problem(403);
    as_user(
        &app,
        &hr,
        Method::POST,
        "/api/v1/courses",
        Some(json!({"code": "X", "title": "X", "kind": "it"})),
    )
    .await
    .assert_problem(403);
    assert_eq!(
        as_user(&app, &hr, Method::GET, "/api/v1/positions", None).await.status,
        StatusCode::OK
    );

    // Classes and enrollments: the class's organizer and the official must both be reachable.
    let course = app
        .post(
            "/api/v1/courses",
            json!({"code": "R", "title": "R", "kind": "refresher"}),
        )
        .await
        .id();
    let city_class = app
        .post("/api/v1/classes", json!({"code": "K", "name": "K", "course_id": course, "organizer_unit_id": t.city, "starts_on": "2020-01-01", "ends_on": "2020-01-02"}))
        .await
        .id();
    as_user(&app, &hr, Method::GET, &format!("/api/v1/classes/{city_class}"), None)
        .await
        .assert_problem(403);
    as_user(
        &app,
        &hr,
        Method::POST,
        "/api/v1/enrollments",
        Some(json!({"class_id": city_class, "official_id": mine})),
    )
    .await
    .assert_problem(403);
    let ward_class = as_user(
        &app,
        &hr,
        Method::POST,
        "/api/v1/classes",
        Some(json!({"code": "W", "name": "W", "course_id": course, "organizer_unit_id": t.ward_a, "starts_on": "2020-01-01", "ends_on": "2020-01-02"})),
    )
    .await;
    assert_eq!(ward_class.status, StatusCode::CREATED, "{}", ward_class.body);
    let enrolled = as_user(
        &app,
        &hr,
        Method::POST,
        "/api/v1/enrollments",
        Some(json!({"class_id": ward_class.id(), "official_id": mine})),
    )
    .await;
    assert_eq!(enrolled.status, StatusCode::CREATED, "{}", enrolled.body);
    as_user(
        &app,
        &hr,
        Method::POST,
        "/api/v1/enrollments",
        Some(json!({"class_id": ward_class.id(), "official_id": theirs})),
    )
    .await
    .assert_problem(403);
    // The city's enrollment of their official is visible to them (it is their person), not changeable.
    let by_city = app
        .post(
            "/api/v1/enrollments",
            json!({"class_id": city_class, "official_id": mine}),
        )
        .await
        .id();
    assert_eq!(
        as_user(&app, &hr, Method::GET, &format!("/api/v1/enrollments/{by_city}"), None)
            .await
            .status,
        StatusCode::OK
    );
    as_user(
        &app,
        &hr,
        Method::PATCH,
        &format!("/api/v1/enrollments/{by_city}"),
        Some(json!({"status": "enrolled"})),
    )
    .await
    .assert_problem(403);
    assert_eq!(
        as_user(&app, &hr, Method::GET, "/api/v1/enrollments", None).await.body["total"],
        2
    );

    // Reports.
    assert_eq!(
        as_user(
            &app,
            &hr,
            Method::GET,
            &format!("/api/v1/reports/qualifications?unit_id={}", t.ward_a),
            None
        )
        .await
        .status,
        StatusCode::OK
    );
    as_user(
        &app,
        &hr,
        Method::GET,
        &format!("/api/v1/reports/training?unit_id={}", t.city),
        None,
    )
    .await
    .assert_problem(403);
    as_user(&app, &hr, Method::GET, "/api/v1/users", None)
        .await
        .assert_problem(403);
    as_user(&app, &hr, Method::GET, "/api/v1/audit-log", None)
        .await
        .assert_problem(403);
}

#[tokio::test]
async fn hr_sends_people_to_training_only_from_units_in_its_subtree() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let hr = app.token_for("hr", Some(t.ward_a)).await;
    let course = app
        .post(
            "/api/v1/courses",
            json!({"code": "TH", "title": "Tin học", "kind": "it"}),
        )
        .await
        .id();
    let class = app
        .post(
            "/api/v1/classes",
            json!({"code": "K1", "name": "Lớp 1", "course_id": course, "organizer_unit_id": t.ward_a,
                   "starts_on": "2024-03-01", "ends_on": "2024-03-10"}),
        )
        .await
        .id();
    let official = app
        .official(
            json!({"code": "A", "full_name": "Người A", "gender": "male", "unit_id": t.ward_a,
                         "category": "cadre", "started_on": "2020-01-01"}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    // Naming another ward, or the province, as the sender would count the person in
    // that unit's training report.
    for sender in [t.ward_b, t.province, t.city] {
        for path in [
            "/api/v1/enrollments".to_owned(),
            format!("/api/v1/classes/{class}/enrollments"),
        ] {
            let body = json!({"class_id": class, "official_id": official, "sending_unit_id": sender});
            let mut body = body.as_object().unwrap().clone();
            if path.contains("/classes/") {
                body.remove("class_id");
            }
            let refused = as_user(&app, &hr, Method::POST, &path, Some(Value::Object(body))).await;
            refused.assert_problem(403);
        }
    }
    let report = app
        .get(&format!(
            "/api/v1/reports/training?unit_id={}&from=2024-01-01&to=2024-12-31",
            t.ward_b
        ))
        .await;
    assert_eq!(report.body["sent"]["refresher"], 0, "{}", report.body);
    let sent = as_user(
        &app,
        &hr,
        Method::POST,
        "/api/v1/enrollments",
        Some(json!({"class_id": class, "official_id": official, "sending_unit_id": t.ward_a})),
    )
    .await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
}

#[tokio::test]
async fn a_refusal_does_not_say_where_a_record_is() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let hr = app.token_for("hr", Some(t.ward_a)).await;
    let theirs = app
        .official(
            json!({"code": "B", "full_name": "Người B", "gender": "male", "unit_id": t.ward_b, "category": "cadre"}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    for path in [
        format!("/api/v1/officials/{theirs}"),
        format!("/api/v1/units/{}", t.ward_b),
    ] {
        let refused = as_user(&app, &hr, Method::GET, &path, None).await;
        refused.assert_problem(403);
        let detail = refused.body["detail"].as_str().unwrap();
        assert!(!detail.contains("Xuân Hòa"), "{detail}");
        assert!(!detail.contains(&t.ward_b.to_string()), "{detail}");
    }
}

#[tokio::test]
async fn disabling_a_user_revokes_their_tokens_at_once() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let (id, token) = app.user_with_token("hr", Some(t.city)).await;
    assert_eq!(
        as_user(&app, &token, Method::GET, "/api/v1/units", None).await.status,
        StatusCode::OK
    );
    let disabled = app
        .patch(&format!("/api/v1/users/{id}"), json!({"disabled": true}))
        .await;
    assert_eq!(disabled.body["disabled"], true);
    as_user(&app, &token, Method::GET, "/api/v1/units", None)
        .await
        .assert_problem(401);
    let username = disabled.body["username"].as_str().unwrap().to_owned();
    let refused = app
        .send(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"username": username, "password": "a-long-password"})),
        )
        .await;
    refused.assert_problem(401);
    app.patch(&format!("/api/v1/users/{id}"), json!({"disabled": false}))
        .await;
    app.login(&username, "a-long-password").await;
    let me = app.get("/api/v1/users").await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "admin")
        .unwrap()["id"]
        .clone();
    app.patch(&format!("/api/v1/users/{me}"), json!({"disabled": true}))
        .await
        .assert_code(409, "self_lockout");
}

#[tokio::test]
async fn users_change_their_own_password() {
    let app = TestApp::spawn().await;
    let (_, token) = app.user_with_token("auditor", None).await;
    let me = as_user(&app, &token, Method::GET, "/api/v1/auth/me", None).await;
    assert_eq!(me.body["role"], "auditor");
    let username = me.body["username"].as_str().unwrap().to_owned();
    let path = "/api/v1/auth/password";
    as_user(
        &app,
        &token,
        Method::POST,
        path,
        Some(json!({"current_password": "wrong-password", "new_password": "a-brand-new-password"})),
    )
    .await
    .assert_fields(&["current_password"]);
    as_user(
        &app,
        &token,
        Method::POST,
        path,
        Some(json!({"current_password": "a-long-password", "new_password": "short"})),
    )
    .await
    .assert_fields(&["new_password"]);
    let changed = as_user(
        &app,
        &token,
        Method::POST,
        path,
        Some(json!({"current_password": "a-long-password", "new_password": "a-brand-new-password"})),
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    as_user(&app, &token, Method::GET, "/api/v1/units", None)
        .await
        .assert_problem(401);
    let fresh = changed.body["access_token"].as_str().unwrap();
    assert_eq!(
        as_user(&app, fresh, Method::GET, "/api/v1/units", None).await.status,
        StatusCode::OK
    );
    app.login(&username, "a-brand-new-password").await;
}

async fn entries(app: &TestApp, query: &str) -> Vec<Value> {
    let reply = app.get(&format!("/api/v1/audit-log?limit=500{query}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn every_write_leaves_one_entry_with_before_and_after() {
    let app = TestApp::spawn().await;
    let before = entries(&app, "").await.len();
    let t = app.tree().await;
    assert_eq!(entries(&app, "").await.len(), before + 4, "four units");

    let created = entries(&app, &format!("&entity=unit&entity_id={}", t.ward_a)).await;
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["action"], "create");
    assert_eq!(created[0]["actor"], "admin");
    assert_eq!(created[0]["before"], Value::Null);
    assert_eq!(created[0]["after"]["name"], "Phường Phúc Thắng");

    app.patch(
        &format!("/api/v1/units/{}", t.ward_a),
        json!({"name": "Phường Phúc Thắng (mới)"}),
    )
    .await;
    let updated = &entries(&app, &format!("&entity=unit&entity_id={}", t.ward_a)).await[0];
    assert_eq!(updated["action"], "update");
    assert_eq!(updated["before"]["name"], "Phường Phúc Thắng");
    assert_eq!(updated["after"]["name"], "Phường Phúc Thắng (mới)");

    app.delete(&format!("/api/v1/units/{}", t.ward_b)).await;
    let deleted = &entries(&app, &format!("&entity=unit&entity_id={}", t.ward_b)).await[0];
    assert_eq!(
        (deleted["action"].as_str(), deleted["after"].is_null()),
        (Some("delete"), true)
    );
    assert_eq!(deleted["before"]["code"], "VP-PY-XH");

    let official = app.official(json!({"code": "O", "full_name": "Người O", "gender": "female", "unit_id": t.ward_a, "category": "cadre", "started_on": "2010-01-01"})).await;
    let id = official["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/officials/{id}/transfer"),
        json!({"unit_id": t.city, "effective_on": "2015-01-01"}),
    )
    .await;
    app.post(
        &format!("/api/v1/officials/{id}/separation"),
        json!({"status": "retired", "effective_on": "2020-01-01"}),
    )
    .await;
    let history = entries(&app, &format!("&entity=official&entity_id={id}")).await;
    let actions: Vec<&str> = history.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["separation", "transfer", "create"], "newest first");
    assert_eq!(history[1]["before"]["unit_id"], t.ward_a);
    assert_eq!(history[1]["after"]["unit_id"], t.city);
    assert_eq!(history[0]["after"]["status"], "retired");

    let course = app
        .post("/api/v1/courses", json!({"code": "TC", "title": "TC", "kind": "political_theory", "confers_dimension": "political_theory", "confers_level": "intermediate"}))
        .await
        .id();
    let class = app
        .post("/api/v1/classes", json!({"code": "K", "name": "K", "course_id": course, "organizer_unit_id": t.city, "starts_on": "2012-01-01", "ends_on": "2012-06-01"}))
        .await
        .id();
    let enrollment = app
        .post("/api/v1/enrollments", json!({"class_id": class, "official_id": id}))
        .await
        .id();
    app.patch(
        &format!("/api/v1/enrollments/{enrollment}"),
        json!({"status": "enrolled"}),
    )
    .await;
    let count = entries(&app, "").await.len();
    app.patch(
        &format!("/api/v1/enrollments/{enrollment}"),
        json!({"status": "completed"}),
    )
    .await;
    let latest = entries(&app, "").await;
    assert_eq!(latest.len(), count + 2, "the status change and the conferral");
    assert_eq!(latest[0]["action"], "confer");
    assert_eq!(latest[0]["after"]["level"], "intermediate");
    assert_eq!(latest[1]["action"], "update");
    assert_eq!(
        (
            latest[1]["before"]["status"].as_str(),
            latest[1]["after"]["status"].as_str()
        ),
        (Some("enrolled"), Some("completed"))
    );
    app.patch(
        &format!("/api/v1/enrollments/{enrollment}"),
        json!({"status": "enrolled"}),
    )
    .await;
    assert_eq!(entries(&app, "").await[0]["action"], "revoke");

    let user = app
        .post(
            "/api/v1/users",
            json!({"username": "hr.x", "password": "a-long-password", "role": "hr", "unit_id": t.city}),
        )
        .await;
    let logged = &entries(&app, &format!("&entity=user&entity_id={}", user.id())).await[0];
    assert!(!logged.to_string().contains("argon2") && logged["after"].get("password_hash").is_none());

    app.send(
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(json!({"username": "hr.x", "password": "wrong-password"})),
    )
    .await;
    app.login("hr.x", "a-long-password").await;
    let logins = entries(&app, &format!("&entity=user&entity_id={}", user.id())).await;
    let actions: Vec<&str> = logins.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["login", "login_failed", "create"]);
    assert_eq!(entries(&app, "&action=login_failed").await.len(), 1);
    let admin_id = app.get("/api/v1/users?role=admin").await.body["items"][0]["id"]
        .as_i64()
        .unwrap();
    assert!(entries(&app, &format!("&user_id={admin_id}")).await.len() > 10);
    assert_eq!(entries(&app, "&from=2099-01-01T00:00:00Z").await.len(), 0);
}

#[tokio::test]
async fn the_audit_log_is_read_only_and_for_overseers() {
    let app = TestApp::spawn().await;
    let auditor = app.token_for("auditor", None).await;
    let read = as_user(&app, &auditor, Method::GET, "/api/v1/audit-log", None).await;
    assert_eq!(read.status, StatusCode::OK);
    assert!(
        read.body["total"].as_i64().unwrap() >= 2,
        "the admin's creation and the auditor's"
    );
    as_user(
        &app,
        &auditor,
        Method::POST,
        "/api/v1/units",
        Some(json!({"code": "X", "name": "X", "kind": "ward"})),
    )
    .await
    .assert_problem(403);
    app.send(Method::DELETE, "/api/v1/audit-log", Some(&app.admin_token), None)
        .await
        .assert_problem(405);
    app.send(
        Method::PATCH,
        "/api/v1/audit-log",
        Some(&app.admin_token),
        Some(json!({})),
    )
    .await
    .assert_problem(405);
    let csv = app
        .client
        .get(format!("{}/api/v1/audit-log/download?labels=codes", app.address))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    assert!(text
        .trim_start_matches('\u{feff}')
        .starts_with("id,at,user_id,actor,action,entity,entity_id,before,after"));
}

#[tokio::test]
async fn a_write_whose_audit_entry_fails_is_rolled_back() {
    let app = TestApp::spawn().await;
    app.sql(
        "CREATE TRIGGER refuse BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit refused'); END;",
        "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$ LANGUAGE plpgsql;
         CREATE TRIGGER refuse BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse();",
    );
    let reply = app
        .post(
            "/api/v1/units",
            json!({"code": "X", "name": "Phường X", "kind": "ward"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    app.sql("DROP TRIGGER refuse;", "DROP TRIGGER refuse ON audit_log;");
    assert_eq!(
        app.get("/api/v1/units").await.body["total"],
        0,
        "the unit was not written"
    );
}

#[tokio::test]
async fn cors_admits_only_the_configured_origins() {
    let app = TestApp::spawn_with(&[("CADRE_CORS_ORIGINS", "https://hr.example.gov.vn")]).await;
    let preflight = |origin: String| {
        let app = &app;
        async move {
            app.client
                .request(Method::OPTIONS, format!("{}/api/v1/units", app.address))
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type")
                .send()
                .await
                .unwrap()
        }
    };
    let allowed = preflight("https://hr.example.gov.vn".to_owned()).await;
    assert_eq!(
        allowed.headers().get("access-control-allow-origin").unwrap(),
        "https://hr.example.gov.vn"
    );
    let host = app.address.trim_start_matches("http://").to_owned();
    // Another site, and any origin that merely names the service's own host (whatever the
    // scheme): none is configured, none is allowed.
    for origin in [
        "https://evil.example".to_owned(),
        "http://hr.example.gov.vn".to_owned(),
        format!("https://{host}"),
        format!("http://{host}"),
        format!("ftp://{host}"),
        "null".to_owned(),
    ] {
        let refused = preflight(origin.clone()).await;
        assert!(
            refused.headers().get("access-control-allow-origin").is_none(),
            "{origin}"
        );
        let actual = app
            .client
            .get(format!("{}/api/v1/units", app.address))
            .bearer_auth(&app.admin_token)
            .header("Origin", &origin)
            .send()
            .await
            .unwrap();
        assert!(
            actual.headers().get("access-control-allow-origin").is_none(),
            "{origin}"
        );
    }
    let plain = app.get("/api/v1/units").await;
    assert_eq!(plain.header("cache-control").as_deref(), Some("no-store"));
}
