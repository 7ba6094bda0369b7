//! The role × endpoint matrix: every operation of the committed OpenAPI document, called by
//! an anonymous client, an admin, an hr user inside and outside their subtree, an auditor,
//! and an admin whose token was revoked (their account disabled after it was issued): the
//! last must get a 401 from every operation that needs a token, which shows that each one
//! checks its caller against the users table. An operation without a rule here fails the test.

use std::sync::atomic::{AtomicU32, Ordering};

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::TestApp;

const DOCUMENT: &str = include_str!("../../openapi/openapi.json");

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Admin,
    HrInside,
    HrOutside,
    Auditor,
}

const EVERYONE: [Who; 5] = [Who::Anonymous, Who::Admin, Who::HrInside, Who::HrOutside, Who::Auditor];

/// The expected status for each caller, in the order of `EVERYONE`.
fn expected(op: &str) -> Option<[u16; 5]> {
    let (method, path) = op.split_once(' ')?;
    let scoped_read = [401, 200, 200, 403, 200];
    let open_read = [401, 200, 200, 200, 200];
    let ok = match method {
        "POST"
            if path.ends_with("/transfer")
                || path.ends_with("/separation")
                || path.ends_with("/password")
                || path.ends_with("/propose") =>
        {
            200
        }
        "POST" => 201,
        "PATCH" => 200,
        "DELETE" => 204,
        _ => 200,
    };
    let scoped_write = [401, ok, ok, 403, 403];
    let admin_write = [401, ok, 403, 403, 403];
    Some(match (method, path) {
        (_, "/health" | "/health/live" | "/health/ready") | ("POST", "/api/v1/auth/login") => [200; 5],
        ("GET", "/api/v1/auth/me") | ("GET", "/api/v1/enums") => open_read,
        ("POST", "/api/v1/auth/password") => [401, 200, 200, 200, 200],
        ("GET", "/api/v1/audit-log" | "/api/v1/audit-log/download") => [401, 200, 403, 403, 200],
        ("GET", "/api/v1/processing-log" | "/api/v1/processing-log/download") => [401, 200, 403, 403, 200],
        // Rights are checked row by row: a file that names a unit outside the caller's subtree is a 422.
        ("POST", "/api/v1/imports/{kind}") => [401, 201, 201, 422, 403],
        // An hr user sees only their own imports (this one is the admin's).
        ("GET", "/api/v1/imports/{kind}/{id}") => [401, 200, 404, 404, 200],
        ("GET", p) if p.starts_with("/api/v1/imports") => open_read,
        (_, p) if p.starts_with("/api/v1/users") => [401, ok, 403, 403, 403],
        ("GET", p) if p.starts_with("/api/v1/positions") || p.starts_with("/api/v1/courses") => open_read,
        (_, p) if p.starts_with("/api/v1/positions") || p.starts_with("/api/v1/courses") => admin_write,
        ("GET", p) if p.starts_with("/api/v1/") => scoped_read,
        (_, p) if p.starts_with("/api/v1/") => scoped_write,
        _ => return None,
    })
}

struct World {
    inside: i64,
    outside: i64,
    course: i64,
    position: i64,
    tokens: Vec<(Who, Option<String>)>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn fresh(prefix: &str) -> String {
    format!("{prefix}{}", COUNTER.fetch_add(1, Ordering::SeqCst))
}

async fn unit_under(app: &TestApp, parent: i64) -> i64 {
    app.post(
        "/api/v1/units",
        json!({"code": fresh("U"), "name": fresh("Tổ "), "kind": "agency", "parent_id": parent}),
    )
    .await
    .id()
}

async fn official_in(app: &TestApp, unit: i64) -> i64 {
    let body = json!({"code": fresh("O"), "full_name": fresh("Cán bộ "), "gender": "male", "unit_id": unit, "category": "cadre", "started_on": "2010-01-01"});
    app.official(body).await["id"].as_i64().unwrap()
}

async fn class_by(app: &TestApp, world: &World, unit: i64) -> i64 {
    let body = json!({"code": fresh("K"), "name": fresh("Lớp "), "course_id": world.course, "organizer_unit_id": unit, "starts_on": "2020-01-01", "ends_on": "2020-02-01"});
    app.post("/api/v1/classes", body).await.id()
}

/// A plan of `unit` for a year no other plan of it has, made by an admin.
async fn plan_of(app: &TestApp, unit: i64) -> i64 {
    let year = 1950 + COUNTER.fetch_add(1, Ordering::SeqCst) % 150;
    app.post("/api/v1/plans", json!({"unit_id": unit, "year": year}))
        .await
        .id()
}

/// An item of a plan of `unit`.
async fn plan_item_in(app: &TestApp, unit: i64) -> i64 {
    let plan = plan_of(app, unit).await;
    app.post(
        &format!("/api/v1/plans/{plan}/items"),
        json!({"kind": "it", "seats": 1}),
    )
    .await
    .id()
}

/// A need registered in a plan of `unit`, for an official of it.
async fn plan_need_in(app: &TestApp, unit: i64) -> i64 {
    let plan = plan_of(app, unit).await;
    let official = official_in(app, unit).await;
    app.post(
        &format!("/api/v1/plans/{plan}/needs"),
        json!({"official_id": official, "dimension": "it", "level": "basic", "reason": "job"}),
    )
    .await
    .id()
}

async fn enrollment_in(app: &TestApp, world: &World, unit: i64) -> i64 {
    let class = class_by(app, world, unit).await;
    let official = official_in(app, unit).await;
    app.post(
        "/api/v1/enrollments",
        json!({"class_id": class, "official_id": official}),
    )
    .await
    .id()
}

/// The path and body of one call, with fresh records in `unit`; `None` for an unknown operation.
async fn request(app: &TestApp, world: &World, op: &str, unit: i64, who: Who) -> Option<(String, Option<Value>)> {
    let v1 = "/api/v1";
    Some(match op {
        "GET /health" => ("/health".into(), None),
        "GET /health/live" => ("/health/live".into(), None),
        "GET /health/ready" => ("/health/ready".into(), None),
        "POST /api/v1/auth/login" => (
            format!("{v1}/auth/login"),
            Some(json!({"username": "admin", "password": crate::helpers::ADMIN_PASSWORD})),
        ),
        "GET /api/v1/auth/me" => (format!("{v1}/auth/me"), None),
        "POST /api/v1/auth/password" => {
            let current = if who == Who::Admin {
                crate::helpers::ADMIN_PASSWORD
            } else {
                "a-long-password"
            };
            (
                format!("{v1}/auth/password"),
                Some(json!({"current_password": current, "new_password": fresh("a-new-password-")})),
            )
        }
        "GET /api/v1/audit-log"
        | "GET /api/v1/audit-log/download"
        | "GET /api/v1/processing-log"
        | "GET /api/v1/processing-log/download" => (op[4..].to_owned(), None),
        "GET /api/v1/enums" => (format!("{v1}/enums"), None),
        "GET /api/v1/units"
        | "GET /api/v1/units/download"
        | "GET /api/v1/officials"
        | "GET /api/v1/officials/download" => (format!("{}?unit_id={unit}", &op[4..]), None),
        "POST /api/v1/units" => (
            format!("{v1}/units"),
            Some(json!({"code": fresh("U"), "name": "Tổ mới", "kind": "agency", "parent_id": unit})),
        ),
        "GET /api/v1/units/{id}" => (format!("{v1}/units/{}", unit_under(app, unit).await), None),
        "PATCH /api/v1/units/{id}" => (
            format!("{v1}/units/{}", unit_under(app, unit).await),
            Some(json!({"name": "Tên mới"})),
        ),
        "DELETE /api/v1/units/{id}" => (format!("{v1}/units/{}", unit_under(app, unit).await), None),
        "GET /api/v1/positions"
        | "GET /api/v1/courses"
        | "GET /api/v1/positions/download"
        | "GET /api/v1/courses/download" => (op[4..].to_owned(), None),
        "POST /api/v1/positions" => (
            format!("{v1}/positions"),
            Some(json!({"code": fresh("P"), "title": "Chức danh", "category": "cadre"})),
        ),
        "POST /api/v1/courses" => (
            format!("{v1}/courses"),
            Some(json!({"code": fresh("C"), "title": "Khóa", "kind": "it"})),
        ),
        "GET /api/v1/positions/{id}" => (format!("{v1}/positions/{}", world.position), None),
        "GET /api/v1/courses/{id}" => (format!("{v1}/courses/{}", world.course), None),
        "PATCH /api/v1/positions/{id}" | "DELETE /api/v1/positions/{id}" => {
            let id = app.position(&fresh("P"), "Chức danh", "cadre").await;
            (
                format!("{v1}/positions/{id}"),
                op.starts_with("PATCH").then(|| json!({"title": "Mới"})),
            )
        }
        "PATCH /api/v1/courses/{id}" | "DELETE /api/v1/courses/{id}" => {
            let id = app
                .post(
                    "/api/v1/courses",
                    json!({"code": fresh("C"), "title": "Khóa", "kind": "it"}),
                )
                .await
                .id();
            (
                format!("{v1}/courses/{id}"),
                op.starts_with("PATCH").then(|| json!({"title": "Mới"})),
            )
        }
        "POST /api/v1/officials" => (
            format!("{v1}/officials"),
            Some(
                json!({"code": fresh("O"), "full_name": "Người mới", "gender": "female", "unit_id": unit, "category": "cadre"}),
            ),
        ),
        "GET /api/v1/officials/{id}"
        | "GET /api/v1/officials/{id}/assignments"
        | "GET /api/v1/officials/{id}/record"
        | "GET /api/v1/officials/{id}/qualifications"
        | "GET /api/v1/officials/{id}/qualifications/download"
        | "GET /api/v1/officials/{id}/enrollments"
        | "GET /api/v1/officials/{id}/processing-log"
        | "GET /api/v1/officials/{id}/ranks"
        | "DELETE /api/v1/officials/{id}" => (
            op.split_once(' ')?
                .1
                .replace("{id}", &official_in(app, unit).await.to_string()),
            None,
        ),
        "PATCH /api/v1/officials/{id}" => (
            format!("{v1}/officials/{}", official_in(app, unit).await),
            Some(json!({"full_name": "Tên mới"})),
        ),
        "POST /api/v1/officials/{id}/qualifications" => (
            format!("{v1}/officials/{}/qualifications", official_in(app, unit).await),
            Some(json!({"dimension": "it", "level": "basic", "awarded_on": "2015-01-01"})),
        ),
        "GET /api/v1/officials/{id}/qualifications/{qualification_id}"
        | "DELETE /api/v1/officials/{id}/qualifications/{qualification_id}" => {
            let official = official_in(app, unit).await;
            let record = app.qualify(official, "it", "basic", "2015-01-01").await.id();
            (format!("{v1}/officials/{official}/qualifications/{record}"), None)
        }
        "POST /api/v1/officials/{id}/ranks" => (
            format!("{v1}/officials/{}/ranks", official_in(app, unit).await),
            Some(json!({"rank": "specialist", "since": "2015-01-01"})),
        ),
        "GET /api/v1/officials/{id}/ranks/{rank_id}" | "DELETE /api/v1/officials/{id}/ranks/{rank_id}" => {
            let official = official_in(app, unit).await;
            let record = app
                .post(
                    &format!("/api/v1/officials/{official}/ranks"),
                    json!({"rank": "clerk", "since": "2014-01-01"}),
                )
                .await
                .id();
            (format!("{v1}/officials/{official}/ranks/{record}"), None)
        }
        "POST /api/v1/officials/{id}/transfer" => {
            let official = official_in(app, unit).await;
            let to = unit_under(app, unit).await;
            (
                format!("{v1}/officials/{official}/transfer"),
                Some(json!({"unit_id": to, "effective_on": "2020-01-01"})),
            )
        }
        "POST /api/v1/officials/{id}/separation" => (
            format!("{v1}/officials/{}/separation", official_in(app, unit).await),
            Some(json!({"status": "retired", "effective_on": "2020-01-01"})),
        ),
        "GET /api/v1/classes" | "GET /api/v1/classes/download" => {
            (format!("{}?organizer_unit_id={unit}", &op[4..]), None)
        }
        "POST /api/v1/classes" => (
            format!("{v1}/classes"),
            Some(
                json!({"code": fresh("K"), "name": "Lớp", "course_id": world.course, "organizer_unit_id": unit, "starts_on": "2020-01-01", "ends_on": "2020-01-05"}),
            ),
        ),
        "GET /api/v1/classes/{id}" | "GET /api/v1/classes/{id}/enrollments" | "DELETE /api/v1/classes/{id}" => (
            op.split_once(' ')?
                .1
                .replace("{id}", &class_by(app, world, unit).await.to_string()),
            None,
        ),
        "PATCH /api/v1/classes/{id}" => (
            format!("{v1}/classes/{}", class_by(app, world, unit).await),
            Some(json!({"status": "open"})),
        ),
        "POST /api/v1/classes/{id}/enrollments" => {
            let class = class_by(app, world, unit).await;
            (
                format!("{v1}/classes/{class}/enrollments"),
                Some(json!({"official_id": official_in(app, unit).await})),
            )
        }
        "GET /api/v1/enrollments" | "GET /api/v1/enrollments/download" => {
            (format!("{}?sending_unit_id={unit}", &op[4..]), None)
        }
        "POST /api/v1/enrollments" => {
            let class = class_by(app, world, unit).await;
            (
                format!("{v1}/enrollments"),
                Some(json!({"class_id": class, "official_id": official_in(app, unit).await})),
            )
        }
        "GET /api/v1/enrollments/{id}" | "DELETE /api/v1/enrollments/{id}" => (
            op.split_once(' ')?
                .1
                .replace("{id}", &enrollment_in(app, world, unit).await.to_string()),
            None,
        ),
        "PATCH /api/v1/enrollments/{id}" => (
            format!("{v1}/enrollments/{}", enrollment_in(app, world, unit).await),
            Some(json!({"status": "enrolled"})),
        ),
        "GET /api/v1/plans" | "GET /api/v1/plans/download" => (format!("{}?unit_id={unit}", &op[4..]), None),
        "POST /api/v1/plans" => (
            format!("{v1}/plans"),
            Some(json!({"unit_id": unit, "year": 1950 + COUNTER.fetch_add(1, Ordering::SeqCst) % 150})),
        ),
        "GET /api/v1/plans/{id}"
        | "GET /api/v1/plans/{id}/items"
        | "GET /api/v1/plans/{id}/needs"
        | "GET /api/v1/plans/{id}/items/download"
        | "GET /api/v1/plans/{id}/needs/download"
        | "DELETE /api/v1/plans/{id}" => (
            op.split_once(' ')?
                .1
                .replace("{id}", &plan_of(app, unit).await.to_string()),
            None,
        ),
        "PATCH /api/v1/plans/{id}" => (
            format!("{v1}/plans/{}", plan_of(app, unit).await),
            Some(json!({"note": "Ghi chú"})),
        ),
        "POST /api/v1/plans/{id}/items" => (
            format!("{v1}/plans/{}/items", plan_of(app, unit).await),
            Some(json!({"kind": "it", "seats": 2})),
        ),
        "POST /api/v1/plans/{id}/needs" => (
            format!("{v1}/plans/{}/needs", plan_of(app, unit).await),
            Some(
                json!({"official_id": official_in(app, unit).await, "dimension": "it", "level": "basic", "reason": "job"}),
            ),
        ),
        "POST /api/v1/plans/{id}/needs/propose" => (
            format!("{v1}/plans/{}/needs/propose", plan_of(app, unit).await),
            Some(json!({})),
        ),
        "GET /api/v1/plan-needs/{id}" | "DELETE /api/v1/plan-needs/{id}" => {
            (format!("{v1}/plan-needs/{}", plan_need_in(app, unit).await), None)
        }
        "PATCH /api/v1/plan-needs/{id}" => (
            format!("{v1}/plan-needs/{}", plan_need_in(app, unit).await),
            Some(json!({"note": "Ghi chú"})),
        ),
        "GET /api/v1/plan-items/{id}" | "DELETE /api/v1/plan-items/{id}" => {
            (format!("{v1}/plan-items/{}", plan_item_in(app, unit).await), None)
        }
        "PATCH /api/v1/plan-items/{id}" => (
            format!("{v1}/plan-items/{}", plan_item_in(app, unit).await),
            Some(json!({"seats": 3})),
        ),
        "GET /api/v1/reports/qualifications"
        | "GET /api/v1/reports/plan-vs-actual"
        | "GET /api/v1/reports/plan-vs-actual/download"
        | "GET /api/v1/reports/workforce"
        | "GET /api/v1/reports/workforce/download"
        | "GET /api/v1/reports/training-results"
        | "GET /api/v1/reports/training-results/download"
        | "GET /api/v1/reports/training"
        | "GET /api/v1/reports/compliance"
        | "GET /api/v1/reports/qualifications/download"
        | "GET /api/v1/reports/training/download"
        | "GET /api/v1/reports/compliance/download" => (format!("{}?unit_id={unit}", &op[4..]), None),
        "GET /api/v1/imports" | "GET /api/v1/imports/download" => (op[4..].to_owned(), None),
        "GET /api/v1/imports/templates/{kind}" => (format!("{v1}/imports/templates/units"), None),
        "GET /api/v1/imports/{kind}/{id}" => {
            let id = app
                .import_csv("units?dry_run=true", "code,name,kind\nX,Tổ X,agency\n")
                .await
                .id();
            (format!("{v1}/imports/units/{id}"), None)
        }
        "POST /api/v1/imports/{kind}" => (format!("{v1}/imports/units"), Some(json!({"parent": unit}))),
        "GET /api/v1/users" => (format!("{v1}/users"), None),
        "POST /api/v1/users" => (
            format!("{v1}/users"),
            Some(json!({"username": fresh("user"), "password": "a-long-password", "role": "auditor"})),
        ),
        "GET /api/v1/users/{id}"
        | "PATCH /api/v1/users/{id}"
        | "DELETE /api/v1/users/{id}"
        | "DELETE /api/v1/users/{id}/lock" => {
            let id = app
                .post(
                    "/api/v1/users",
                    json!({"username": fresh("user"), "password": "a-long-password", "role": "auditor"}),
                )
                .await
                .id();
            (
                op.split_once(' ')?.1.replace("{id}", &id.to_string()),
                op.starts_with("PATCH").then(|| json!({"role": "auditor"})),
            )
        }
        _ => return None,
    })
}

/// The headers the API sends for a client to read (not the transport's security headers)
/// that `op`'s document does not declare on the response it answered.
fn undeclared_headers(document: &Value, op: &str, reply: &crate::helpers::Reply) -> Vec<String> {
    let (method, path) = op.split_once(' ').unwrap();
    let response = &document["paths"][path][method.to_lowercase()]["responses"][reply.status.as_str()];
    let declared: Vec<String> = response["headers"]
        .as_object()
        .map(|headers| headers.keys().map(|name| name.to_lowercase()).collect())
        .unwrap_or_default();
    [
        "location",
        "etag",
        "retry-after",
        "www-authenticate",
        "content-disposition",
    ]
    .into_iter()
    .filter(|name| reply.header(name).is_some() && !declared.iter().any(|d| d == name))
    .map(|name| {
        format!(
            "{op} answered {} with `{name}`, which its document does not declare",
            reply.status
        )
    })
    .collect()
}

/// Sends a call: an import's "body" names the parent unit, and the file sent creates a unit
/// under it (a CSV, not JSON); every other body is JSON.
async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> crate::helpers::Reply {
    if let Some(parent) = path
        .strip_prefix("/api/v1/imports/")
        .and(body.as_ref())
        .and_then(|b| b["parent"].as_i64())
    {
        let parent = app.get(&format!("/api/v1/units/{parent}")).await.body["code"]
            .as_str()
            .unwrap()
            .to_owned();
        let csv = format!("code,name,kind,parent_code\n{},Tổ mới,agency,{parent}\n", fresh("I"));
        return app
            .import_as(&path["/api/v1/imports/".len()..], token, "text/csv", csv.into_bytes())
            .await;
    }
    app.send(method, path, token, body).await
}

#[tokio::test]
async fn every_operation_answers_every_role_as_the_rules_say() {
    let app = TestApp::spawn().await;
    let root = app.unit("R", "Tỉnh R", "province", None).await;
    let inside = app.unit("A", "Phường A", "ward", Some(root)).await;
    let outside = app.unit("B", "Phường B", "ward", Some(root)).await;
    let course = app
        .post(
            "/api/v1/courses",
            json!({"code": "BASE", "title": "Khóa", "kind": "refresher"}),
        )
        .await
        .id();
    let position = app.position("BASE", "Chức danh", "cadre").await;
    let mut world = World {
        inside,
        outside,
        course,
        position,
        tokens: Vec::new(),
    };

    let document: Value = serde_json::from_str(DOCUMENT).unwrap();
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            operations.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    let unruled: Vec<&String> = operations.iter().filter(|op| expected(op).is_none()).collect();
    assert!(unruled.is_empty(), "operations without a rule: {unruled:?}");

    let mut failures = Vec::new();
    let mut calls = 0;
    for op in &operations {
        let rule = expected(op).unwrap();
        // Fresh users for each operation: a password change revokes its caller's tokens.
        let hr = app.token_for("hr", Some(world.inside)).await;
        let hr_again = app.token_for("hr", Some(world.inside)).await;
        let auditor = app.token_for("auditor", None).await;
        let admin = if op.ends_with("/auth/password") {
            app.token_for("admin", None).await
        } else {
            app.admin_token.clone()
        };
        world.tokens = vec![
            (Who::Anonymous, None),
            (Who::Admin, Some(admin)),
            (Who::HrInside, Some(hr.clone())),
            (Who::HrOutside, Some(hr_again)),
            (Who::Auditor, Some(auditor)),
        ];
        for (index, who) in EVERYONE.iter().enumerate() {
            let unit = if *who == Who::HrOutside {
                world.outside
            } else {
                world.inside
            };
            let current = if op.ends_with("/auth/password") && *who == Who::Admin {
                Who::Auditor
            } else {
                *who
            };
            let Some((path, body)) = request(&app, &world, op, unit, current).await else {
                failures.push(format!("{op}: no request builder"));
                continue;
            };
            let token = world.tokens[index].1.clone();
            let method = Method::from_bytes(op.split(' ').next().unwrap().as_bytes()).unwrap();
            let reply = send(&app, method, &path, token.as_deref(), body).await;
            calls += 1;
            failures.extend(undeclared_headers(&document, op, &reply));
            if reply.status.as_u16() != rule[index] {
                failures.push(format!(
                    "{op} as {who:?}: expected {}, got {} {}",
                    rule[index], reply.status, reply.body
                ));
            }
        }
        // An admin's token, revoked by disabling the account: refused wherever a token is needed.
        let (revoked_id, revoked) = app.user_with_token("admin", None).await;
        let disabled = app
            .patch(&format!("/api/v1/users/{revoked_id}"), json!({"disabled": true}))
            .await;
        assert_eq!(disabled.status.as_u16(), 200, "{}", disabled.body);
        let Some((path, body)) = request(&app, &world, op, world.inside, Who::Admin).await else {
            continue;
        };
        let method = Method::from_bytes(op.split(' ').next().unwrap().as_bytes()).unwrap();
        let reply = send(&app, method, &path, Some(&revoked), body).await;
        calls += 1;
        let expect = if rule[0] == 401 { 401 } else { rule[0] };
        if reply.status.as_u16() != expect {
            failures.push(format!(
                "{op} with a revoked token: expected {expect}, got {} {}",
                reply.status, reply.body
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {calls} calls differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(operations.len() >= 45, "{} operations", operations.len());
}
