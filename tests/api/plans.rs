//! Training plans: the status machine by role and reach, what a plan's items may name, who
//! edits a plan and when, who sees it, and a parent's view of its subtree's plans.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{Reply, TestApp, Tree, XLSX};

/// The callers of these tests: an hr user of each unit of the tree, an auditor.
struct People {
    ward_hr: String,
    other_ward_hr: String,
    city_hr: String,
    province_hr: String,
    auditor: String,
}

async fn people(app: &TestApp, tree: &Tree) -> People {
    People {
        ward_hr: app.token_for("hr", Some(tree.ward_a)).await,
        other_ward_hr: app.token_for("hr", Some(tree.ward_b)).await,
        city_hr: app.token_for("hr", Some(tree.city)).await,
        province_hr: app.token_for("hr", Some(tree.province)).await,
        auditor: app.token_for("auditor", None).await,
    }
}

async fn new_plan(app: &TestApp, unit: i64, year: i32) -> i64 {
    let reply = app.post("/api/v1/plans", json!({"unit_id": unit, "year": year})).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.id()
}

/// A move of `plan` to `status` by `token` (a reason given when it is returned).
async fn move_plan(app: &TestApp, plan: i64, status: &str, token: &str) -> Reply {
    let mut body = json!({"status": status});
    if status == "returned" {
        body["reason"] = json!("Bổ sung nhu cầu của cán bộ diện quy hoạch");
    }
    app.send(Method::PATCH, &format!("/api/v1/plans/{plan}"), Some(token), Some(body))
        .await
}

/// The statuses a plan passes through to reach `status`, from a draft.
fn path_to(status: &str) -> &'static [&'static str] {
    match status {
        "draft" => &[],
        "submitted" => &["submitted"],
        "approved" => &["submitted", "approved"],
        "returned" => &["submitted", "returned"],
        _ => &["submitted", "approved", "closed"],
    }
}

#[tokio::test]
async fn every_move_of_a_plan_is_allowed_to_its_party_alone_or_a_409() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let p = people(&app, &tree).await;
    let statuses = ["draft", "submitted", "approved", "returned", "closed"];
    // (from, to) → who may: the unit itself, or the level above.
    let legal = [
        (("draft", "submitted"), "owner"),
        (("returned", "submitted"), "owner"),
        (("submitted", "approved"), "approver"),
        (("submitted", "returned"), "approver"),
        (("approved", "closed"), "approver"),
    ];
    let mut year = 2000;
    let mut checked = 0;
    for from in statuses {
        for to in statuses {
            if from == to {
                continue;
            }
            year += 1;
            let plan = new_plan(&app, tree.ward_a, year).await;
            for step in path_to(from) {
                let reply = move_plan(&app, plan, step, &app.admin_token).await;
                assert_eq!(reply.status, StatusCode::OK, "{from}: {}", reply.body);
            }
            // Whoever reads or lies outside: never.
            move_plan(&app, plan, to, &p.auditor)
                .await
                .assert_code(403, "forbidden");
            move_plan(&app, plan, to, &p.other_ward_hr)
                .await
                .assert_code(403, "forbidden");
            match legal
                .iter()
                .find(|(move_, _)| *move_ == (from, to))
                .map(|(_, party)| *party)
            {
                None => {
                    for token in [&p.ward_hr, &p.city_hr, &app.admin_token] {
                        move_plan(&app, plan, to, token)
                            .await
                            .assert_code(409, "illegal_transition");
                    }
                }
                Some(party) => {
                    let (wrong, right) = match party {
                        "owner" => (vec![&p.city_hr, &p.province_hr], &p.ward_hr),
                        _ => (vec![&p.ward_hr], &p.city_hr),
                    };
                    for token in wrong {
                        move_plan(&app, plan, to, token).await.assert_code(403, "forbidden");
                    }
                    let moved = move_plan(&app, plan, to, right).await;
                    assert_eq!(moved.status, StatusCode::OK, "{from} → {to}: {}", moved.body);
                    assert_eq!(moved.body["status"], to);
                    // An admin may make the same move on a plan of its own.
                    year += 1;
                    let other = new_plan(&app, tree.ward_a, year).await;
                    for step in path_to(from) {
                        move_plan(&app, other, step, &app.admin_token).await;
                    }
                    let by_admin = move_plan(&app, other, to, &app.admin_token).await;
                    assert_eq!(by_admin.status, StatusCode::OK, "{from} → {to}: {}", by_admin.body);
                }
            }
            let after = app.get(&format!("/api/v1/plans/{plan}")).await;
            let expected = if legal.iter().any(|(move_, _)| *move_ == (from, to)) {
                to
            } else {
                from
            };
            assert_eq!(after.body["status"], expected, "{from} → {to}");
            checked += 1;
        }
    }
    assert_eq!(checked, 20);
    // The province's plan has no level above but the admin.
    let province_plan = new_plan(&app, tree.province, 2019).await;
    move_plan(&app, province_plan, "submitted", &p.province_hr).await;
    move_plan(&app, province_plan, "approved", &p.province_hr)
        .await
        .assert_code(403, "forbidden");
    let approved = move_plan(&app, province_plan, "approved", &app.admin_token).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    // The province's hr approves what lies below it, however deep.
    let ward_plan = new_plan(&app, tree.ward_b, 2019).await;
    move_plan(&app, ward_plan, "submitted", &app.admin_token).await;
    let approved = move_plan(&app, ward_plan, "approved", &p.province_hr).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
}

#[tokio::test]
async fn a_plan_changes_only_by_its_own_unit_while_a_draft_or_returned_and_every_move_is_audited() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let p = people(&app, &tree).await;
    let ward = |path: &str, method: Method, body: Option<Value>| {
        let app = &app;
        let token = p.ward_hr.clone();
        let path = path.to_owned();
        async move { app.send(method, &path, Some(&token), body).await }
    };
    let created = app
        .send(
            Method::POST,
            "/api/v1/plans",
            Some(&p.ward_hr),
            Some(json!({"unit_id": tree.ward_a, "year": 2018, "note": "Kế hoạch năm 2018"})),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let plan = created.id();
    assert_eq!(created.header("location").unwrap(), format!("/api/v1/plans/{plan}"));
    assert_eq!(created.body["status"], "draft");
    assert_eq!(created.body["unit_code"], "VP-PY-PT");
    // The level above does not draft a unit's plan, nor does a sibling or an auditor.
    for token in [&p.city_hr, &p.other_ward_hr, &p.auditor] {
        let reply = app
            .send(
                Method::POST,
                "/api/v1/plans",
                Some(token),
                Some(json!({"unit_id": tree.ward_a, "year": 2017})),
            )
            .await;
        reply.assert_code(403, "forbidden");
    }
    let items = format!("/api/v1/plans/{plan}/items");
    let item = json!({"kind": "political_theory", "dimension": "political_theory", "level": "intermediate", "seats": 2, "quarter": 3, "cost_vnd": 12_000_000, "purpose": "Chuẩn hóa chức danh"});
    let added = ward(&items, Method::POST, Some(item.clone())).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let item_id = added.id();
    assert_eq!(
        added.header("location").unwrap(),
        format!("/api/v1/plan-items/{item_id}")
    );
    for token in [&p.city_hr, &p.other_ward_hr, &p.auditor] {
        app.send(Method::POST, &items, Some(token), Some(item.clone()))
            .await
            .assert_code(403, "forbidden");
        app.send(
            Method::PATCH,
            &format!("/api/v1/plan-items/{item_id}"),
            Some(token),
            Some(json!({"seats": 9})),
        )
        .await
        .assert_code(403, "forbidden");
    }
    let view = app.get(&format!("/api/v1/plans/{plan}")).await;
    assert_eq!(
        (
            &view.body["items"],
            &view.body["planned_seats"],
            &view.body["planned_cost_vnd"]
        ),
        (&json!(1), &json!(2), &json!(12_000_000))
    );

    // Submitted: nothing of it changes but its status.
    let submitted = move_plan(&app, plan, "submitted", &p.ward_hr).await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    assert!(submitted.body["submitted_at"].is_string());
    ward(&items, Method::POST, Some(item.clone()))
        .await
        .assert_code(409, "plan_not_editable");
    let item_path = format!("/api/v1/plan-items/{item_id}");
    ward(&item_path, Method::PATCH, Some(json!({"seats": 3})))
        .await
        .assert_code(409, "plan_not_editable");
    ward(&item_path, Method::DELETE, None)
        .await
        .assert_code(409, "plan_not_editable");
    ward(
        &format!("/api/v1/plans/{plan}"),
        Method::PATCH,
        Some(json!({"note": "sửa"})),
    )
    .await
    .assert_code(409, "plan_not_editable");
    ward(&format!("/api/v1/plans/{plan}"), Method::DELETE, None)
        .await
        .assert_code(409, "plan_not_editable");
    // Not even by an admin.
    app.patch(&item_path, json!({"seats": 3}))
        .await
        .assert_code(409, "plan_not_editable");

    // Returned with a reason: the unit edits it again.
    let no_reason = app
        .send(
            Method::PATCH,
            &format!("/api/v1/plans/{plan}"),
            Some(&p.city_hr),
            Some(json!({"status": "returned"})),
        )
        .await;
    no_reason.assert_fields(&["reason"]);
    let stray_reason = app
        .send(
            Method::PATCH,
            &format!("/api/v1/plans/{plan}"),
            Some(&p.city_hr),
            Some(json!({"status": "approved", "reason": "ok"})),
        )
        .await;
    stray_reason.assert_fields(&["reason"]);
    let returned = move_plan(&app, plan, "returned", &p.city_hr).await;
    assert_eq!(returned.status, StatusCode::OK, "{}", returned.body);
    assert_eq!(
        returned.body["return_reason"],
        "Bổ sung nhu cầu của cán bộ diện quy hoạch"
    );
    let changed = ward(&item_path, Method::PATCH, Some(json!({"seats": 3}))).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(changed.body["seats"], 3);
    let noted = ward(
        &format!("/api/v1/plans/{plan}"),
        Method::PATCH,
        Some(json!({"note": "Đã bổ sung"})),
    )
    .await;
    assert_eq!(noted.body["note"], "Đã bổ sung", "{}", noted.body);
    let resubmitted = move_plan(&app, plan, "submitted", &p.ward_hr).await;
    assert_eq!(resubmitted.body["return_reason"], Value::Null);
    // An approval names the version the approver read: a stale one is a 412.
    let stale = app
        .send_with(
            Method::PATCH,
            &format!("/api/v1/plans/{plan}"),
            Some(&p.city_hr),
            Some(json!({"status": "approved"})),
            &[("If-Match", "\"1\"")],
        )
        .await;
    stale.assert_code(412, "stale_version");
    let version = resubmitted.header("etag").unwrap();
    let approved = app
        .send_with(
            Method::PATCH,
            &format!("/api/v1/plans/{plan}"),
            Some(&p.city_hr),
            Some(json!({"status": "approved"})),
            &[("If-Match", &version)],
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    assert!(approved.body["approved_at"].is_string());
    let closed = move_plan(&app, plan, "closed", &p.city_hr).await;
    assert!(closed.body["closed_at"].is_string(), "{}", closed.body);

    // Every move is in the audit log under its own action, with who made it.
    let log = app
        .get(&format!("/api/v1/audit-log?entity=plan&entity_id={plan}&limit=50"))
        .await;
    let mut actions: Vec<&str> = log.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    actions.reverse();
    assert_eq!(
        actions,
        ["create", "submit", "return", "update", "submit", "approve", "close"],
        "{}",
        log.body
    );

    // A draft is deleted with its items, which the audit log keeps.
    let draft = new_plan(&app, tree.ward_a, 2019).await;
    let kept = ward(
        &format!("/api/v1/plans/{draft}/items"),
        Method::POST,
        Some(item.clone()),
    )
    .await
    .id();
    let deleted = ward(&format!("/api/v1/plans/{draft}"), Method::DELETE, None).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.body);
    app.get(&format!("/api/v1/plan-items/{kept}"))
        .await
        .assert_code(404, "not_found");
    let log = app
        .get(&format!(
            "/api/v1/audit-log?entity=plan&entity_id={draft}&action=delete"
        ))
        .await;
    assert_eq!(log.body["items"][0]["before"]["items"][0]["id"], kept, "{}", log.body);
}

#[tokio::test]
async fn an_item_names_a_course_or_a_kind_and_the_level_it_should_confer() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let course = app
        .post(
            "/api/v1/courses",
            json!({"code": "TC-LLCT", "title": "Trung cấp LLCT-HC", "kind": "political_theory", "confers_dimension": "political_theory", "confers_level": "intermediate"}),
        )
        .await
        .id();
    let plan = new_plan(&app, tree.ward_a, 2018).await;
    let items = format!("/api/v1/plans/{plan}/items");

    // From the course: its kind and level are copied.
    let from_course = app.post(&items, json!({"course_id": course, "seats": 4})).await;
    assert_eq!(from_course.status, StatusCode::CREATED, "{}", from_course.body);
    assert_eq!(
        (
            &from_course.body["kind"],
            &from_course.body["dimension"],
            &from_course.body["level"],
            &from_course.body["cost_vnd"],
            &from_course.body["quarter"]
        ),
        (
            &json!("political_theory"),
            &json!("political_theory"),
            &json!("intermediate"),
            &json!(0),
            &Value::Null
        )
    );

    // What is wrong is named, field by field.
    let cases = [
        (json!({"course_id": course, "kind": "it", "seats": 1}), vec!["kind"]),
        (
            json!({"course_id": course, "dimension": "it", "level": "basic", "seats": 1}),
            vec!["dimension", "level"],
        ),
        (json!({"course_id": 999_999, "seats": 1}), vec!["course_id"]),
        (json!({"seats": 1}), vec!["kind"]),
        (
            json!({"kind": "degree", "dimension": "education", "seats": 1}),
            vec!["level"],
        ),
        (
            json!({"kind": "degree", "level": "university", "seats": 1}),
            vec!["dimension"],
        ),
        (
            json!({"kind": "degree", "dimension": "education", "level": "advanced", "seats": 1}),
            vec!["level"],
        ),
        (
            json!({"kind": "degree", "dimension": "education", "level": "university"}),
            vec!["seats"],
        ),
        (
            json!({"kind": "degree", "seats": -1, "quarter": 5, "cost_vnd": -3}),
            vec!["cost_vnd", "quarter", "seats"],
        ),
        (json!({"kind": "nonsense", "seats": 1}), vec!["kind"]),
        (json!({"kind": "it", "seats": 1, "colour": "red"}), vec!["colour"]),
    ];
    for (body, fields) in cases {
        let reply = app.post(&items, body.clone()).await;
        assert_eq!(reply.status.as_u16(), 422, "{body}: {}", reply.body);
        reply.assert_fields(&fields);
    }
    app.post("/api/v1/plans/999999/items", json!({"kind": "it", "seats": 1}))
        .await
        .assert_code(404, "not_found");

    // A kind and level of its own.
    let own = app
        .post(
            &items,
            json!({"kind": "degree", "dimension": "education", "level": "university", "seats": 1, "quarter": 1, "cost_vnd": 30_000_000}),
        )
        .await;
    assert_eq!(own.status, StatusCode::CREATED, "{}", own.body);
    let own_path = format!("/api/v1/plan-items/{}", own.id());
    let relevelled = app.patch(&own_path, json!({"level": "master"})).await;
    assert_eq!(relevelled.body["level"], "master", "{}", relevelled.body);
    app.patch(&own_path, json!({"level": "intermediate_political"}))
        .await
        .assert_fields(&["level"]);

    // A course's item changes its kind only by letting the course go.
    let course_path = format!("/api/v1/plan-items/{}", from_course.id());
    app.patch(&course_path, json!({"kind": "it"}))
        .await
        .assert_fields(&["kind"]);
    let freed = app
        .patch(&course_path, json!({"course_id": null, "level": "advanced"}))
        .await;
    assert_eq!(
        (&freed.body["course_id"], &freed.body["kind"], &freed.body["level"]),
        (&Value::Null, &json!("political_theory"), &json!("advanced")),
        "{}",
        freed.body
    );
    let back = app.patch(&course_path, json!({"course_id": course})).await;
    assert_eq!(back.body["level"], "intermediate", "{}", back.body);
    // Seats and cost alone leave the copy of the course as it was.
    let seats = app.patch(&course_path, json!({"seats": 5, "quarter": null})).await;
    assert_eq!(
        (&seats.body["seats"], &seats.body["level"]),
        (&json!(5), &json!("intermediate"))
    );

    let listed = app.get(&items).await;
    let quarters: Vec<&Value> = listed.body.as_array().unwrap().iter().map(|i| &i["quarter"]).collect();
    assert_eq!(quarters, [&json!(1), &Value::Null], "{}", listed.body);
    let view = app.get(&format!("/api/v1/plans/{plan}")).await;
    assert_eq!(
        (
            &view.body["items"],
            &view.body["planned_seats"],
            &view.body["planned_cost_vnd"]
        ),
        (&json!(2), &json!(6), &json!(30_000_000))
    );

    // One plan per unit and year; the year and unit must be there and make sense.
    let twice = app
        .post("/api/v1/plans", json!({"unit_id": tree.ward_a, "year": 2018}))
        .await;
    twice.assert_code(409, "duplicate");
    assert!(twice.body["errors"]["year"].is_array(), "{}", twice.body);
    app.post("/api/v1/plans", json!({"unit_id": tree.ward_a, "year": 1800}))
        .await
        .assert_fields(&["year"]);
    app.post("/api/v1/plans", json!({"year": 2020}))
        .await
        .assert_fields(&["unit_id"]);
    app.post("/api/v1/plans", json!({"unit_id": 999_999, "year": 2020}))
        .await
        .assert_fields(&["unit_id"]);
    // A course planned is a course in use.
    app.delete(&format!("/api/v1/courses/{course}"))
        .await
        .assert_code(409, "still_referenced");
}

#[tokio::test]
async fn an_hr_user_sees_the_plans_of_their_subtree_and_a_parent_sees_its_subtrees() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let p = people(&app, &tree).await;
    let mut ids = Vec::new();
    for unit in [tree.province, tree.city, tree.ward_a, tree.ward_b] {
        let plan = new_plan(&app, unit, 2019).await;
        app.post(
            &format!("/api/v1/plans/{plan}/items"),
            json!({"kind": "it", "seats": 2, "cost_vnd": 1_000_000}),
        )
        .await;
        ids.push(plan);
    }
    new_plan(&app, tree.ward_a, 2018).await;
    move_plan(&app, ids[2], "submitted", &app.admin_token).await;
    move_plan(&app, ids[2], "approved", &app.admin_token).await;

    let codes = |reply: &Reply| -> Vec<(String, i64)> {
        reply.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["unit_code"].as_str().unwrap().to_owned(), p["year"].as_i64().unwrap()))
            .collect()
    };
    let city_subtree = app
        .get(&format!("/api/v1/plans?year=2019&unit_id={}&subtree=true", tree.city))
        .await;
    assert_eq!(
        codes(&city_subtree),
        [
            ("VP-PY".to_owned(), 2019),
            ("VP-PY-PT".to_owned(), 2019),
            ("VP-PY-XH".to_owned(), 2019)
        ]
    );
    assert_eq!(city_subtree.body["total"], 3);
    let city_only = app.get(&format!("/api/v1/plans?unit_id={}", tree.city)).await;
    assert_eq!(codes(&city_only), [("VP-PY".to_owned(), 2019)]);
    let approved = app
        .get(&format!(
            "/api/v1/plans?year=2019&unit_id={}&subtree=true&status=approved",
            tree.province
        ))
        .await;
    assert_eq!(codes(&approved), [("VP-PY-PT".to_owned(), 2019)]);
    app.get("/api/v1/plans?subtree=true").await.assert_fields(&["subtree"]);
    app.get("/api/v1/plans?status=finished")
        .await
        .assert_fields(&["status"]);

    // The ward's hr: its own plans, newest year first; nothing else, even asked by name.
    let ward = app.send(Method::GET, "/api/v1/plans", Some(&p.ward_hr), None).await;
    assert_eq!(
        codes(&ward),
        [("VP-PY-PT".to_owned(), 2019), ("VP-PY-PT".to_owned(), 2018)]
    );
    for path in [
        format!("/api/v1/plans/{}", ids[1]),
        format!("/api/v1/plans/{}/items", ids[1]),
        format!("/api/v1/plans?unit_id={}", tree.city),
    ] {
        app.send(Method::GET, &path, Some(&p.ward_hr), None)
            .await
            .assert_code(403, "forbidden");
    }
    let city_items = app.get(&format!("/api/v1/plans/{}/items", ids[1])).await;
    let city_item = city_items.body[0]["id"].as_i64().unwrap();
    app.send(
        Method::GET,
        &format!("/api/v1/plan-items/{city_item}"),
        Some(&p.ward_hr),
        None,
    )
    .await
    .assert_code(403, "forbidden");
    // The city's hr sees its subtree; the auditor everything.
    let city = app
        .send(Method::GET, "/api/v1/plans?year=2019", Some(&p.city_hr), None)
        .await;
    assert_eq!(city.body["total"], 3);
    let all = app.send(Method::GET, "/api/v1/plans", Some(&p.auditor), None).await;
    assert_eq!(all.body["total"], 5);

    // The list as a file, read back by a real CSV parser.
    let file = app
        .download(&format!(
            "/api/v1/plans/download?year=2019&unit_id={}&subtree=true&labels=codes",
            tree.city
        ))
        .await;
    let rows = file.csv();
    let header = rows
        .iter()
        .position(|r| r.first().map(String::as_str) == Some("id"))
        .unwrap();
    assert_eq!(
        rows[header][..8],
        [
            "id",
            "unit_code",
            "unit_name",
            "year",
            "status",
            "items",
            "planned_seats",
            "planned_cost_vnd"
        ]
    );
    let body: Vec<(&str, &str, &str)> = rows[header + 1..]
        .iter()
        .map(|r| (r[1].as_str(), r[4].as_str(), r[6].as_str()))
        .collect();
    assert_eq!(
        body,
        [
            ("VP-PY", "draft", "2"),
            ("VP-PY-PT", "approved", "2"),
            ("VP-PY-XH", "draft", "2")
        ]
    );
}

#[tokio::test]
async fn a_change_of_items_waits_for_a_move_of_the_plan_and_sees_it() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let plan = new_plan(&app, tree.ward_a, 2018).await;
    // Another writer has submitted the plan and not yet committed.
    let held = app.hold_writing(&format!(
        "UPDATE plans SET status = 'submitted', version = version + 1 WHERE id = {plan}"
    ));
    let items = format!("/api/v1/plans/{plan}/items");
    let add = app.post(&items, json!({"kind": "it", "seats": 1}));
    let (reply, ()) = tokio::join!(add, held.release_when_waiting(1));
    reply.assert_code(409, "plan_not_editable");
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM plan_items WHERE plan_id = {plan}")),
        0
    );
}

/// An official of `unit`, in post `position` (if any) since 2010.
async fn person(app: &TestApp, code: &str, unit: i64, position: Option<i64>) -> i64 {
    app.official(json!({"code": code, "full_name": format!("Cán bộ {code}"), "gender": "male", "unit_id": unit, "category": "cadre", "started_on": "2010-01-01", "position_id": position}))
        .await["id"]
        .as_i64()
        .unwrap()
}

/// Officials of `unit` with these codes, in no post, in the order given.
async fn people_of(app: &TestApp, codes: &[&str], unit: i64) -> Vec<i64> {
    let mut people = Vec::new();
    for code in codes {
        people.push(person(app, code, unit, None).await);
    }
    people
}

/// An item of `plan` for one seat in `course`.
async fn course_item(app: &TestApp, plan: i64, course: i64) -> i64 {
    app.post(
        &format!("/api/v1/plans/{plan}/items"),
        json!({"course_id": course, "seats": 1}),
    )
    .await
    .id()
}

async fn need(app: &TestApp, plan: i64, body: Value) -> Reply {
    app.post(&format!("/api/v1/plans/{plan}/needs"), body).await
}

#[tokio::test]
async fn a_need_names_an_official_of_the_plans_subtree_once_a_level_a_year() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let inside = person(&app, "A1", tree.ward_a, None).await;
    let outside = person(&app, "B1", tree.ward_b, None).await;
    let plan = new_plan(&app, tree.ward_a, 2019).await;
    let other_plan = new_plan(&app, tree.ward_b, 2019).await;
    let foreign_item = app
        .post(
            &format!("/api/v1/plans/{other_plan}/items"),
            json!({"kind": "it", "seats": 1}),
        )
        .await
        .id();
    let item = app
        .post(
            &format!("/api/v1/plans/{plan}/items"),
            json!({"kind": "political_theory", "dimension": "political_theory", "level": "intermediate", "seats": 2}),
        )
        .await
        .id();
    let level = |official: i64| json!({"official_id": official, "dimension": "education", "level": "university", "reason": "job"});
    let cases = [
        (level(outside), vec!["official_id"]),
        (level(999_999), vec!["official_id"]),
        (
            json!({"official_id": inside, "item_id": foreign_item, "reason": "job"}),
            vec!["item_id"],
        ),
        (
            json!({"official_id": inside, "item_id": 999_999, "reason": "job"}),
            vec!["item_id"],
        ),
        (
            json!({"official_id": inside, "item_id": item, "dimension": "education", "reason": "job"}),
            vec!["dimension"],
        ),
        (json!({"official_id": inside, "reason": "job"}), vec!["item_id"]),
        (
            json!({"official_id": inside, "dimension": "education", "level": "advanced", "reason": "job"}),
            vec!["level"],
        ),
        (json!({"official_id": inside, "item_id": item}), vec!["reason"]),
        (
            json!({"official_id": inside, "item_id": item, "reason": "whim"}),
            vec!["reason"],
        ),
        (json!({"item_id": item, "reason": "job"}), vec!["official_id"]),
    ];
    for (body, fields) in cases {
        let reply = need(&app, plan, body.clone()).await;
        assert_eq!(reply.status.as_u16(), 422, "{body}: {}", reply.body);
        reply.assert_fields(&fields);
    }
    // From the item: its dimension and level.
    let from_item = need(
        &app,
        plan,
        json!({"official_id": inside, "item_id": item, "reason": "standard"}),
    )
    .await;
    assert_eq!(from_item.status, StatusCode::CREATED, "{}", from_item.body);
    assert_eq!(
        (
            &from_item.body["dimension"],
            &from_item.body["level"],
            &from_item.body["full_name"],
            &from_item.body["fulfilment"],
            &from_item.body["year"]
        ),
        (
            &json!("political_theory"),
            &json!("intermediate"),
            &json!("Cán bộ A1"),
            &json!("open"),
            &json!(2019)
        )
    );
    assert_eq!(
        from_item.header("location").unwrap(),
        format!("/api/v1/plan-needs/{}", from_item.id())
    );
    // The same level again, in this plan or another of the year: a 409; another year is another need.
    let again = need(
        &app,
        plan,
        json!({"official_id": inside, "dimension": "political_theory", "level": "intermediate", "reason": "job"}),
    )
    .await;
    again.assert_code(409, "duplicate");
    assert!(again.body["errors"]["official_id"].is_array(), "{}", again.body);
    let city_plan = new_plan(&app, tree.city, 2019).await;
    need(&app, city_plan, json!({"official_id": inside, "dimension": "political_theory", "level": "intermediate", "reason": "succession"}))
        .await
        .assert_code(409, "duplicate");
    let next_year = new_plan(&app, tree.ward_a, 2020).await;
    let later = need(
        &app,
        next_year,
        json!({"official_id": inside, "dimension": "political_theory", "level": "intermediate", "reason": "standard"}),
    )
    .await;
    assert_eq!(later.status, StatusCode::CREATED, "{}", later.body);
    // A parent's plan registers people of its subtree.
    let from_city = need(&app, city_plan, level(outside)).await;
    assert_eq!(from_city.status, StatusCode::CREATED, "{}", from_city.body);
    // Someone who has left service is not registered.
    app.post(
        &format!("/api/v1/officials/{outside}/separation"),
        json!({"status": "retired", "effective_on": "2019-06-01"}),
    )
    .await;
    need(
        &app,
        other_plan,
        json!({"official_id": outside, "dimension": "it", "level": "basic", "reason": "job"}),
    )
    .await
    .assert_fields(&["official_id"]);

    // A need changes its reason and note while the plan is editable; an item it names stays.
    let need_path = format!("/api/v1/plan-needs/{}", from_item.id());
    // The item's level is the need's: it cannot change under it; its seats can.
    app.patch(&format!("/api/v1/plan-items/{item}"), json!({"level": "advanced"}))
        .await
        .assert_code(409, "still_referenced");
    let seats = app
        .patch(&format!("/api/v1/plan-items/{item}"), json!({"seats": 4}))
        .await;
    assert_eq!(seats.body["seats"], 4, "{}", seats.body);
    let changed = app
        .patch(
            &need_path,
            json!({"reason": "succession", "note": "Quy hoạch phó chủ tịch"}),
        )
        .await;
    assert_eq!(changed.body["reason"], "succession", "{}", changed.body);
    app.delete(&format!("/api/v1/plan-items/{item}"))
        .await
        .assert_code(409, "still_referenced");
    move_plan(&app, plan, "submitted", &app.admin_token).await;
    app.patch(&need_path, json!({"note": "x"}))
        .await
        .assert_code(409, "plan_not_editable");
    need(&app, plan, level(inside))
        .await
        .assert_code(409, "plan_not_editable");
    app.delete(&need_path).await.assert_code(409, "plan_not_editable");
    // Who may see it: the plan's subtree.
    let ward_b_hr = app.token_for("hr", Some(tree.ward_b)).await;
    app.send(Method::GET, &need_path, Some(&ward_b_hr), None)
        .await
        .assert_code(403, "forbidden");
    app.send(
        Method::GET,
        &format!("/api/v1/plans/{plan}/needs"),
        Some(&ward_b_hr),
        None,
    )
    .await
    .assert_code(403, "forbidden");
    // Deleting a draft plan takes its needs with it.
    let draft = new_plan(&app, tree.ward_a, 2021).await;
    let doomed = need(&app, draft, level(inside)).await.id();
    assert_eq!(
        app.delete(&format!("/api/v1/plans/{draft}")).await.status,
        StatusCode::NO_CONTENT
    );
    app.get(&format!("/api/v1/plan-needs/{doomed}"))
        .await
        .assert_code(404, "not_found");
}

/// Each need of `plan`, by name: the official's code and how far it is met.
async fn fulfilment(app: &TestApp, plan: i64) -> Vec<(String, String)> {
    let reply = app.get(&format!("/api/v1/plans/{plan}/needs")).await;
    reply.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["official_code"].as_str().unwrap().to_owned(),
                n["fulfilment"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// A course conferring `level` of political theory, or nothing.
async fn course(app: &TestApp, code: &str, level: Option<&str>) -> i64 {
    let mut body = json!({"code": code, "title": format!("Khóa {code}"), "kind": if level.is_some() { "political_theory" } else { "refresher" }});
    if let Some(level) = level {
        body["confers_dimension"] = json!("political_theory");
        body["confers_level"] = json!(level);
    }
    app.post("/api/v1/courses", body).await.id()
}

async fn class(app: &TestApp, code: &str, course: i64, unit: i64, starts_on: &str, ends_on: &str) -> i64 {
    app.post(
        "/api/v1/classes",
        json!({"code": code, "name": format!("Lớp {code}"), "course_id": course, "organizer_unit_id": unit, "starts_on": starts_on, "ends_on": ends_on}),
    )
    .await
    .id()
}

async fn enroll(app: &TestApp, class: i64, official: i64) -> i64 {
    let reply = app
        .post(
            "/api/v1/enrollments",
            json!({"class_id": class, "official_id": official}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.id()
}

async fn set_status(app: &TestApp, enrollment: i64, status: &str, completed_on: &str) {
    let mut body = json!({"status": status});
    if status == "completed" {
        body["completed_on"] = json!(completed_on);
    }
    let reply = app.patch(&format!("/api/v1/enrollments/{enrollment}"), body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

#[tokio::test]
async fn a_need_is_met_in_progress_or_open_as_enrollments_move() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let intermediate = course(&app, "TC", Some("intermediate")).await;
    let advanced = course(&app, "CC", Some("advanced")).await;
    let refresher = course(&app, "BD", None).await;
    let class_2018 = class(&app, "TC-2018", intermediate, tree.city, "2018-03-01", "2018-11-30").await;
    let class_2017 = class(&app, "TC-2017", intermediate, tree.city, "2017-03-01", "2017-11-30").await;
    let advanced_2018 = class(&app, "CC-2018", advanced, tree.city, "2018-02-01", "2019-01-31").await;
    let refresher_2018 = class(&app, "BD-2018", refresher, tree.city, "2018-05-01", "2018-05-05").await;
    let plan = new_plan(&app, tree.ward_a, 2018).await;
    let refresher_item = course_item(&app, plan, refresher).await;
    let people = people_of(&app, &["A", "B", "C", "D", "E"], tree.ward_a).await;
    let [a, b, c, d, e] = people[..] else { unreachable!() };
    let pt = |official: i64, level: &str| json!({"official_id": official, "dimension": "political_theory", "level": level, "reason": "standard"});
    let need_a = need(&app, plan, pt(a, "intermediate")).await.id();
    need(&app, plan, pt(b, "intermediate")).await;
    need(
        &app,
        plan,
        json!({"official_id": c, "item_id": refresher_item, "reason": "job"}),
    )
    .await;
    need(&app, plan, pt(d, "advanced")).await;
    need(&app, plan, pt(e, "intermediate")).await;
    let open = |codes: &[(&str, &str)]| -> Vec<(String, String)> {
        codes.iter().map(|(c, f)| ((*c).to_owned(), (*f).to_owned())).collect()
    };
    assert_eq!(
        fulfilment(&app, plan).await,
        open(&[
            ("A", "open"),
            ("B", "open"),
            ("C", "open"),
            ("D", "open"),
            ("E", "open")
        ])
    );

    // A through the statuses of one enrollment.
    let enrollment = enroll(&app, class_2018, a).await;
    assert_eq!(fulfilment(&app, plan).await[0].1, "in_progress", "nominated");
    set_status(&app, enrollment, "enrolled", "").await;
    assert_eq!(fulfilment(&app, plan).await[0].1, "in_progress", "enrolled");
    set_status(&app, enrollment, "completed", "2018-11-30").await;
    assert_eq!(fulfilment(&app, plan).await[0].1, "met", "completed");
    set_status(&app, enrollment, "enrolled", "").await;
    set_status(&app, enrollment, "withdrawn", "").await;
    assert_eq!(fulfilment(&app, plan).await[0].1, "open", "withdrawn");
    let one = app.get(&format!("/api/v1/plan-needs/{need_a}")).await;
    assert_eq!(one.body["fulfilment"], "open");

    // B completes a higher level, finished in the next year: met in the year it started.
    let higher = enroll(&app, advanced_2018, b).await;
    set_status(&app, higher, "enrolled", "").await;
    set_status(&app, higher, "completed", "2019-01-31").await;
    // C completes the item's course, which confers no level.
    let named = enroll(&app, refresher_2018, c).await;
    set_status(&app, named, "enrolled", "").await;
    set_status(&app, named, "completed", "2018-05-05").await;
    // D needs advanced and completes intermediate: still open.
    let lower = enroll(&app, class_2018, d).await;
    set_status(&app, lower, "enrolled", "").await;
    set_status(&app, lower, "completed", "2018-11-30").await;
    // E completed the course a year before the plan's year: that does not meet a 2018 need.
    let earlier = enroll(&app, class_2017, e).await;
    set_status(&app, earlier, "enrolled", "").await;
    set_status(&app, earlier, "completed", "2017-11-30").await;
    assert_eq!(
        fulfilment(&app, plan).await,
        open(&[("A", "open"), ("B", "met"), ("C", "met"), ("D", "open"), ("E", "open")])
    );
    let still_open = app.get(&format!("/api/v1/plans/{plan}/needs?status=open")).await;
    let codes: Vec<&str> = still_open.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["official_code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["A", "D", "E"]);
    assert_eq!(still_open.body["total"], 3);
    let met = app
        .get(&format!("/api/v1/plans/{plan}/needs?status=met&limit=1&offset=1"))
        .await;
    assert_eq!(
        (&met.body["total"], &met.body["items"][0]["official_code"]),
        (&json!(2), &json!("C"))
    );
    app.get(&format!("/api/v1/plans/{plan}/needs?status=done"))
        .await
        .assert_fields(&["status"]);
    // Who still needs what, as a file read back by a real CSV parser; the items' file too.
    let file = app
        .download(&format!("/api/v1/plans/{plan}/needs/download?status=open&labels=codes"))
        .await;
    let rows = file.csv();
    let header = rows
        .iter()
        .position(|r| r.first().map(String::as_str) == Some("unit_code"))
        .unwrap();
    let open_rows: Vec<(&str, &str, &str, &str)> = rows[header + 1..]
        .iter()
        .map(|r| (r[2].as_str(), r[7].as_str(), r[8].as_str(), r[9].as_str()))
        .collect();
    assert_eq!(
        open_rows,
        [
            ("A", "intermediate", "standard", "open"),
            ("D", "advanced", "standard", "open"),
            ("E", "intermediate", "standard", "open"),
        ]
    );
    let items = app
        .download(&format!("/api/v1/plans/{plan}/items/download?labels=codes"))
        .await
        .csv();
    let header = items
        .iter()
        .position(|r| r.first().map(String::as_str) == Some("unit_code"))
        .unwrap();
    assert_eq!(items[header + 1][..4], ["VP-PY-PT", "2018", "BD", "refresher"]);
}

/// Every need's fulfilment kept on its row is what the judgement says of it now.
fn assert_judged_as_stored(app: &TestApp) {
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM plan_needs n JOIN plan_need_fulfilment f ON f.need_id = n.id \
             WHERE f.fulfilment <> n.fulfilment"
        ),
        0,
        "a need's stored fulfilment is stale"
    );
}

#[tokio::test]
async fn a_needs_fulfilment_follows_every_write_that_can_change_it() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let intermediate = course(&app, "TC", Some("intermediate")).await;
    let planned = course(&app, "BD1", None).await;
    let taught = course(&app, "BD2", None).await;
    let renamed = course(&app, "BD3", None).await;
    let class_2018 = class(&app, "TC-2018", intermediate, tree.city, "2018-03-01", "2018-11-30").await;
    let taught_2018 = class(&app, "BD2-2018", taught, tree.city, "2018-05-01", "2018-05-05").await;
    let renamed_2018 = class(&app, "BD3-2018", renamed, tree.city, "2018-06-01", "2018-06-05").await;
    let plan = new_plan(&app, tree.ward_a, 2018).await;
    let item = course_item(&app, plan, planned).await;
    let people = people_of(&app, &["F", "G", "H", "K"], tree.ward_a).await;
    let [f, g, h, k] = people[..] else { unreachable!() };
    let pt = |official: i64| json!({"official_id": official, "dimension": "political_theory", "level": "intermediate", "reason": "standard"});
    let status = |code: &'static str| {
        let app = &app;
        async move {
            fulfilment(app, plan)
                .await
                .into_iter()
                .find(|(c, _)| c == code)
                .map(|(_, f)| f)
                .unwrap()
        }
    };

    // F is nominated first, registered after: judged when registered.
    enroll(&app, class_2018, f).await;
    need(&app, plan, pt(f)).await;
    assert_eq!(status("F").await, "in_progress");
    // F's class moves into the next year, then back: its enrollments, and F's need, follow.
    let moved = app
        .patch(
            &format!("/api/v1/classes/{class_2018}"),
            json!({"starts_on": "2019-02-01", "ends_on": "2019-11-30"}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(status("F").await, "open", "a class of the next year");
    let back = app
        .patch(
            &format!("/api/v1/classes/{class_2018}"),
            json!({"starts_on": "2018-03-01", "ends_on": "2018-11-30"}),
        )
        .await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    assert_eq!(status("F").await, "in_progress", "moved back");

    // G is registered for the item and nominated for another course; the item then names it.
    need(&app, plan, json!({"official_id": g, "item_id": item, "reason": "job"})).await;
    enroll(&app, taught_2018, g).await;
    assert_eq!(status("G").await, "open");
    let named = app
        .patch(&format!("/api/v1/plan-items/{item}"), json!({"course_id": taught}))
        .await;
    assert_eq!(named.status, StatusCode::OK, "{}", named.body);
    assert_eq!(status("G").await, "in_progress", "the item's course changed");

    // H needs intermediate political theory and is nominated for a course that confers
    // nothing, until it is made to confer advanced political theory, and back.
    need(&app, plan, pt(h)).await;
    enroll(&app, renamed_2018, h).await;
    assert_eq!(status("H").await, "open");
    let confers = app
        .patch(
            &format!("/api/v1/courses/{renamed}"),
            json!({"kind": "political_theory", "confers_dimension": "political_theory", "confers_level": "advanced"}),
        )
        .await;
    assert_eq!(confers.status, StatusCode::OK, "{}", confers.body);
    assert_eq!(status("H").await, "in_progress", "the course confers a higher level");
    let confers_nothing = app
        .patch(
            &format!("/api/v1/courses/{renamed}"),
            json!({"kind": "refresher", "confers_dimension": null, "confers_level": null}),
        )
        .await;
    assert_eq!(confers_nothing.status, StatusCode::OK, "{}", confers_nothing.body);
    assert_eq!(status("H").await, "open", "it confers nothing again");

    // K's enrollment is deleted.
    need(&app, plan, pt(k)).await;
    let enrollment = enroll(&app, class_2018, k).await;
    assert_eq!(status("K").await, "in_progress");
    let deleted = app.delete(&format!("/api/v1/enrollments/{enrollment}")).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.body);
    assert_eq!(status("K").await, "open", "its enrollment deleted");
    assert_judged_as_stored(&app);
}

#[tokio::test]
async fn a_need_registered_while_an_enrollment_completes_is_judged_on_the_completion() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let intermediate = course(&app, "TC", Some("intermediate")).await;
    let class_2018 = class(&app, "TC-2018", intermediate, tree.city, "2018-03-01", "2018-11-30").await;
    let plan = new_plan(&app, tree.ward_a, 2018).await;
    let official = person(&app, "A", tree.ward_a, None).await;
    let enrollment = enroll(&app, class_2018, official).await;
    set_status(&app, enrollment, "enrolled", "").await;
    // Another writer completes the enrollment (its official locked, as every enrollment
    // write locks it) and has not committed yet.
    let held = app.hold_writing(&format!(
        "UPDATE officials SET version = version + 1 WHERE id = {official}; \
         UPDATE enrollments SET status = 'completed', completed_on = '2018-11-30' WHERE id = {enrollment}"
    ));
    let body = json!({"official_id": official, "dimension": "political_theory", "level": "intermediate", "reason": "standard"});
    let (registered, ()) = tokio::join!(need(&app, plan, body), held.release_when_waiting(1));
    assert_eq!(registered.status, StatusCode::CREATED, "{}", registered.body);
    assert_eq!(registered.body["fulfilment"], "met", "{}", registered.body);
    assert_eq!(fulfilment(&app, plan).await[0].1, "met");
    assert_judged_as_stored(&app);
}

#[tokio::test]
async fn a_class_moved_while_a_need_is_registered_judges_the_need() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let intermediate = course(&app, "TC", Some("intermediate")).await;
    let class_2018 = class(&app, "TC-2018", intermediate, tree.city, "2018-03-01", "2018-11-30").await;
    let plan = new_plan(&app, tree.ward_a, 2018).await;
    let official = person(&app, "A", tree.ward_a, None).await;
    enroll(&app, class_2018, official).await;
    // Another writer registers the official's need (their row locked, as a registration
    // locks it; judged in progress then) and has not committed yet.
    let held = app.hold_writing(&format!(
        "UPDATE officials SET version = version + 1 WHERE id = {official}; \
         INSERT INTO plan_needs (plan_id, official_id, year, dimension, level, level_rank, reason, created_at, updated_at) \
         VALUES ({plan}, {official}, 2018, 'political_theory', 'intermediate', 2, 'standard', '2018-01-02 08:00:00', '2018-01-02 08:00:00')"
    ));
    let path = format!("/api/v1/classes/{class_2018}");
    let moving = app.patch(&path, json!({"starts_on": "2019-02-01", "ends_on": "2019-11-30"}));
    let (moved, ()) = tokio::join!(moving, held.release_when_waiting(1));
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(
        fulfilment(&app, plan).await,
        [("A".to_owned(), "open".to_owned())],
        "the class moved to the next year after the need committed"
    );
    assert_judged_as_stored(&app);
}

#[tokio::test]
async fn a_proposal_registers_each_gap_of_the_subtree_once() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let post = app
        .post(
            "/api/v1/positions",
            json!({"code": "CT", "title": "Chủ tịch UBND phường", "category": "cadre", "min_education": "university", "min_political_theory": "intermediate"}),
        )
        .await
        .id();
    // Nothing held: two gaps. A degree only: one. Both: none. Outside the plan's subtree: none counted.
    let bare = person(&app, "P1", tree.ward_a, Some(post)).await;
    let degree = person(&app, "P2", tree.ward_a, Some(post)).await;
    let both = person(&app, "P3", tree.ward_a, Some(post)).await;
    person(&app, "P4", tree.ward_b, Some(post)).await;
    let covered = person(&app, "P5", tree.ward_a, Some(post)).await;
    for official in [degree, both, covered] {
        app.qualify(official, "education", "university", "2005-06-30").await;
    }
    app.qualify(both, "political_theory", "intermediate", "2012-06-30")
        .await;
    // P5's gap is already covered that year by a higher need in the city's plan.
    let city_plan = new_plan(&app, tree.city, 2019).await;
    need(
        &app,
        city_plan,
        json!({"official_id": covered, "dimension": "political_theory", "level": "advanced", "reason": "succession"}),
    )
    .await;
    let plan = new_plan(&app, tree.ward_a, 2019).await;
    let item = app
        .post(
            &format!("/api/v1/plans/{plan}/items"),
            json!({"kind": "political_theory", "dimension": "political_theory", "level": "intermediate", "seats": 2}),
        )
        .await
        .id();
    let proposed = app
        .post(&format!("/api/v1/plans/{plan}/needs/propose"), json!({}))
        .await;
    assert_eq!(proposed.status, StatusCode::OK, "{}", proposed.body);
    assert_eq!(
        (&proposed.body["as_of"], &proposed.body["created"]),
        (&json!("2019-01-01"), &json!(3))
    );
    let mut got: Vec<(i64, String, String, Value)> = proposed.body["needs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            assert_eq!(n["reason"], "standard");
            (
                n["official_id"].as_i64().unwrap(),
                n["dimension"].as_str().unwrap().to_owned(),
                n["level"].as_str().unwrap().to_owned(),
                n["item_id"].clone(),
            )
        })
        .collect();
    got.sort_by(|x, y| (x.0, &x.1).cmp(&(y.0, &y.1)));
    assert_eq!(
        got,
        [
            (bare, "education".to_owned(), "university".to_owned(), Value::Null),
            (
                bare,
                "political_theory".to_owned(),
                "intermediate".to_owned(),
                json!(item)
            ),
            (
                degree,
                "political_theory".to_owned(),
                "intermediate".to_owned(),
                json!(item)
            ),
        ]
    );
    // A second call finds every gap covered.
    let again = app
        .post(&format!("/api/v1/plans/{plan}/needs/propose"), json!({}))
        .await;
    assert_eq!(
        (&again.body["created"], &again.body["needs"]),
        (&json!(0), &json!([])),
        "{}",
        again.body
    );
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM plan_needs WHERE plan_id = {plan}")),
        3
    );
    // As of a day before anyone was in post, there is nothing to propose.
    let before = app
        .post(
            &format!("/api/v1/plans/{plan}/needs/propose"),
            json!({"as_of": "2009-01-01"}),
        )
        .await;
    assert_eq!(before.body["created"], 0, "{}", before.body);
    app.post(
        &format!("/api/v1/plans/{plan}/needs/propose"),
        json!({"as_of": "2019-02-30"}),
    )
    .await
    .assert_fields(&["as_of"]);
    // Only the plan's own unit proposes, and only while it may change the plan.
    let city_hr = app.token_for("hr", Some(tree.city)).await;
    app.send(
        Method::POST,
        &format!("/api/v1/plans/{plan}/needs/propose"),
        Some(&city_hr),
        Some(json!({})),
    )
    .await
    .assert_code(403, "forbidden");
    move_plan(&app, plan, "submitted", &app.admin_token).await;
    app.post(&format!("/api/v1/plans/{plan}/needs/propose"), json!({}))
        .await
        .assert_code(409, "plan_not_editable");
    let log = app
        .get("/api/v1/audit-log?entity=plan_need&action=create&limit=100")
        .await;
    assert_eq!(log.body["total"], 4, "every need registered is audited");
}

#[tokio::test]
async fn a_proposal_waits_for_a_need_registered_meanwhile_and_sees_it() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let post = app
        .post(
            "/api/v1/positions",
            json!({"code": "CT", "title": "Chủ tịch UBND phường", "category": "cadre", "min_political_theory": "intermediate"}),
        )
        .await
        .id();
    let busy = person(&app, "P1", tree.ward_a, Some(post)).await;
    person(&app, "P2", tree.ward_a, Some(post)).await;
    let city_plan = new_plan(&app, tree.city, 2019).await;
    let plan = new_plan(&app, tree.ward_a, 2019).await;
    // Another writer is registering, in the city's plan, a higher need for P1 (their row
    // locked, as a registration locks it), and has not committed yet.
    let held = app.hold_writing(&format!(
        "UPDATE officials SET version = version + 1 WHERE id = {busy}; \
         INSERT INTO plan_needs (plan_id, official_id, year, dimension, level, level_rank, reason, created_at, updated_at) \
         VALUES ({city_plan}, {busy}, 2019, 'political_theory', 'advanced', 3, 'succession', '2019-01-02 08:00:00', '2019-01-02 08:00:00')"
    ));
    let path = format!("/api/v1/plans/{plan}/needs/propose");
    let (proposed, ()) = tokio::join!(app.post(&path, json!({})), held.release_when_waiting(1));
    assert_eq!(proposed.status, StatusCode::OK, "{}", proposed.body);
    let officials: Vec<&str> = proposed.body["needs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["official_code"].as_str().unwrap())
        .collect();
    assert_eq!(
        officials,
        ["P2"],
        "P1's gap is covered by the need that committed meanwhile"
    );
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM plan_needs WHERE official_id = {busy}")),
        1
    );
}

/// A class with its own cost and its cost per learner.
async fn costed_class(app: &TestApp, code: &str, course: i64, unit: i64, cost: i64, per_learner: i64) -> i64 {
    let reply = app
        .post(
            "/api/v1/classes",
            json!({"code": code, "name": format!("Lớp {code}"), "course_id": course, "organizer_unit_id": unit,
                   "starts_on": "2018-03-01", "ends_on": "2018-11-30", "cost_vnd": cost, "learner_cost_vnd": per_learner}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.id()
}

fn figures(value: &Value) -> [i64; 8] {
    [
        "planned_seats",
        "needs",
        "needs_met",
        "needs_in_progress",
        "needs_open",
        "sent",
        "planned_cost_vnd",
        "actual_cost_vnd",
    ]
    .map(|key| value[key].as_i64().unwrap_or_else(|| panic!("{key} in {value}")))
}

/// The plans and the year's training of the plan-vs-actual test.
struct Year2018 {
    tree: Tree,
    ward_plan: i64,
    city_plan: i64,
    ward_b_plan: i64,
    items: [i64; 2],
}

async fn year_2018(app: &TestApp) -> Year2018 {
    let tree = app.tree().await;
    let tc = course(app, "TC", Some("intermediate")).await;
    let dh = app
        .post(
            "/api/v1/courses",
            json!({"code": "DH", "title": "Đại học Luật", "kind": "degree", "confers_dimension": "education", "confers_level": "university"}),
        )
        .await
        .id();
    let bd = course(app, "BD", None).await;
    // The city runs the political-theory class, the province the degree, the ward a refresher.
    let tc_class = costed_class(app, "TC-2018", tc, tree.city, 50_000_000, 6_000_000).await;
    let dh_class = costed_class(app, "DH-2018", dh, tree.province, 0, 20_000_000).await;
    let bd_class = costed_class(app, "BD-2018", bd, tree.ward_a, 2_000_000, 0).await;
    let people = people_of(app, &["A", "B", "C", "D", "E", "F"], tree.ward_a).await;
    let [a, b, c, d, e, f] = people[..] else { unreachable!() };

    let ward_plan = new_plan(app, tree.ward_a, 2018).await;
    let items = format!("/api/v1/plans/{ward_plan}/items");
    let i1 = app
        .post(
            &items,
            json!({"course_id": tc, "seats": 3, "quarter": 1, "cost_vnd": 18_000_000}),
        )
        .await
        .id();
    let i2 = app
        .post(
            &items,
            json!({"kind": "degree", "dimension": "education", "level": "university", "seats": 1, "quarter": 2, "cost_vnd": 20_000_000}),
        )
        .await
        .id();
    for (official, item) in [(a, i1), (b, i1), (c, i2)] {
        let reply = need(
            app,
            ward_plan,
            json!({"official_id": official, "item_id": item, "reason": "standard"}),
        )
        .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }
    need(
        app,
        ward_plan,
        json!({"official_id": d, "dimension": "state_management", "level": "specialist", "reason": "job"}),
    )
    .await;
    move_plan(app, ward_plan, "submitted", &app.admin_token).await;
    move_plan(app, ward_plan, "approved", &app.admin_token).await;
    // The city's own plan (a draft: its own counts whatever its status), and ward B's draft,
    // which the city has not approved: not counted above it.
    let city_plan = new_plan(app, tree.city, 2018).await;
    app.post(
        &format!("/api/v1/plans/{city_plan}/items"),
        json!({"course_id": bd, "seats": 10, "cost_vnd": 5_000_000}),
    )
    .await;
    let ward_b_plan = new_plan(app, tree.ward_b, 2018).await;
    app.post(
        &format!("/api/v1/plans/{ward_b_plan}/items"),
        json!({"kind": "it", "seats": 99, "cost_vnd": 1}),
    )
    .await;

    // A completes (met), B is only nominated (in progress, not yet sent), E — who had no
    // need — enrolls, C enrolls in the degree (in progress), F takes the refresher.
    let ea = enroll(app, tc_class, a).await;
    set_status(app, ea, "enrolled", "").await;
    set_status(app, ea, "completed", "2018-11-30").await;
    enroll(app, tc_class, b).await;
    let ee = enroll(app, tc_class, e).await;
    set_status(app, ee, "enrolled", "").await;
    let ec = enroll(app, dh_class, c).await;
    set_status(app, ec, "enrolled", "").await;
    let ef = enroll(app, bd_class, f).await;
    set_status(app, ef, "enrolled", "").await;
    Year2018 {
        tree,
        ward_plan,
        city_plan,
        ward_b_plan,
        items: [i1, i2],
    }
}

#[tokio::test]
async fn plan_against_actual_adds_up_by_hand_and_consolidates_up_the_tree() {
    let app = TestApp::spawn().await;
    plan_against_actual(&app).await;
}

/// The figures of the ward and of the city, by hand.
async fn plan_against_actual(app: &TestApp) {
    let Year2018 {
        tree,
        ward_plan,
        city_plan,
        ward_b_plan,
        items: [i1, i2],
    } = year_2018(app).await;
    let ward = app
        .get(&format!(
            "/api/v1/reports/plan-vs-actual?unit_id={}&year=2018",
            tree.ward_a
        ))
        .await;
    assert_eq!(ward.status, StatusCode::OK, "{}", ward.body);
    let r = &ward.body;
    assert_eq!(r["plan_ids"], json!([ward_plan]));
    let levels: Vec<(Value, Value, [i64; 8])> = r["by_level"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| (row["kind"].clone(), row["level"].clone(), figures(row)))
        .collect();
    assert_eq!(
        levels,
        [
            // seats, needs, met, in progress, open, sent, planned cost, actual cost
            (
                json!("political_theory"),
                json!("intermediate"),
                [3, 2, 1, 1, 0, 2, 18_000_000, 12_000_000]
            ),
            (json!("state_management"), json!("specialist"), [0, 1, 0, 0, 1, 0, 0, 0]),
            (
                json!("degree"),
                json!("university"),
                [1, 1, 0, 1, 0, 1, 20_000_000, 20_000_000]
            ),
        ]
    );
    let item_rows: Vec<(i64, [i64; 8])> = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| (row["item_id"].as_i64().unwrap(), figures(row)))
        .collect();
    assert_eq!(
        item_rows,
        [
            (i1, [3, 2, 1, 1, 0, 2, 18_000_000, 12_000_000]),
            (i2, [1, 1, 0, 1, 0, 1, 20_000_000, 20_000_000]),
        ]
    );
    assert_eq!(
        r["summary"],
        json!({"planned_seats": 4, "needs": 4, "needs_met": 1, "needs_in_progress": 2, "needs_open": 1,
               "sent": 3, "planned_cost_vnd": 38_000_000, "actual_cost_vnd": 32_000_000})
    );

    // The city: its own plan and ward A's approved one; the classes it organized add their cost.
    let city = app
        .get(&format!(
            "/api/v1/reports/plan-vs-actual?unit_id={}&year=2018&group_by=unit",
            tree.city
        ))
        .await;
    let r = &city.body;
    assert_eq!(r["plan_ids"], json!([ward_plan, city_plan]), "{r}");
    assert_eq!(
        r["summary"],
        json!({"planned_seats": 14, "needs": 4, "needs_met": 1, "needs_in_progress": 2, "needs_open": 1,
               "sent": 4, "planned_cost_vnd": 43_000_000, "actual_cost_vnd": 84_000_000})
    );
    let refresher = r["by_level"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["kind"] == "refresher")
        .unwrap();
    assert_eq!(figures(refresher), [10, 0, 0, 0, 0, 1, 5_000_000, 2_000_000]);
    // Grouped: each ward's own report, ward B's draft counted in its own.
    let groups: Vec<(i64, i64)> = r["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["unit_id"].as_i64().unwrap(),
                g["summary"]["planned_seats"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(groups, [(tree.ward_a, 4), (tree.ward_b, 99)]);
    assert_eq!(r["groups"][0]["summary"], ward.body["summary"]);
    // Once the city approves ward B's plan, the city's report counts it.
    move_plan(app, ward_b_plan, "submitted", &app.admin_token).await;
    move_plan(app, ward_b_plan, "approved", &app.admin_token).await;
    let after = app
        .get(&format!(
            "/api/v1/reports/plan-vs-actual?unit_id={}&year=2018",
            tree.city
        ))
        .await;
    assert_eq!(after.body["summary"]["planned_seats"], 113);
    // A year without plans is all zeros; a bad year or unit a 422.
    let empty = app
        .get(&format!(
            "/api/v1/reports/plan-vs-actual?unit_id={}&year=2017",
            tree.city
        ))
        .await;
    assert_eq!(empty.body["summary"]["sent"], 0, "{}", empty.body);
    assert_eq!(empty.body["by_level"], json!([]));
    app.get(&format!(
        "/api/v1/reports/plan-vs-actual?unit_id={}&year=20180",
        tree.city
    ))
    .await
    .assert_fields(&["year"]);
    app.get("/api/v1/reports/plan-vs-actual?year=2018")
        .await
        .assert_fields(&["unit_id"]);

    files_read_back(app, tree.ward_a).await;
}

/// The ward's report as files: CSV read by a real parser, XLSX by calamine.
async fn files_read_back(app: &TestApp, ward: i64) {
    let file = app
        .download(&format!(
            "/api/v1/reports/plan-vs-actual/download?unit_id={}&year=2018&labels=codes",
            ward
        ))
        .await;
    let rows = file.csv();
    let header = rows
        .iter()
        .position(|r| r.first().map(String::as_str) == Some("row"))
        .unwrap();
    let pt = &rows[header + 1];
    assert_eq!(pt[3..6], ["political_theory", "political_theory", "intermediate"]);
    assert_eq!(pt[7..], ["3", "2", "1", "1", "0", "2", "18000000", "12000000"]);
    let summary: Vec<(&str, &str)> = rows[header + 6..]
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("needs", "4"),
            ("needs_met", "1"),
            ("needs_in_progress", "2"),
            ("needs_open", "1"),
            ("planned_seats", "4"),
            ("sent", "3"),
            ("planned_cost_vnd", "38000000"),
            ("actual_cost_vnd", "32000000"),
        ]
    );
    let xlsx = app
        .download_as(
            &format!(
                "/api/v1/reports/plan-vs-actual/download?unit_id={}&year=2018&format=xlsx",
                ward
            ),
            &app.admin_token,
            None,
        )
        .await
        .xlsx();
    let last = xlsx.last().unwrap();
    assert_eq!(last[0].to_string(), "Kinh phí thực hiện (đồng)");
    assert_eq!(last[1], calamine::Data::Float(32_000_000.0));
}

/// A CSV file of `rows`, the first its header, as a spreadsheet program saves one.
fn csv_file(rows: &[Vec<String>]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    for row in rows {
        writer.write_record(row).unwrap();
    }
    writer.into_inner().unwrap()
}

/// `rows` with the cell of column `label` in every data row after the header row (the row
/// holding `label`) set by `set` from the row's current cell.
fn with_cells(mut rows: Vec<Vec<String>>, label: &str, set: impl Fn(&str) -> String) -> Vec<Vec<String>> {
    let header = rows.iter().position(|r| r.iter().any(|c| c == label)).unwrap();
    let column = rows[header].iter().position(|c| c == label).unwrap();
    for row in rows.iter_mut().skip(header + 1) {
        row[column] = set(&row[column]);
    }
    rows
}

/// The errors of an import refused, as (cell, message).
fn row_errors(reply: &Reply) -> Vec<(String, String)> {
    let problem = reply.problem_body(422);
    assert_eq!(problem["code"], "invalid_rows", "{problem}");
    problem["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["cell"].as_str().unwrap().to_owned(),
                r["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn items_and_needs_import_by_the_plans_rules_and_their_files_import_back() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let p = people(&app, &tree).await;
    course(&app, "LLCT-TC", Some("intermediate")).await;
    let inside = person(&app, "A1", tree.ward_a, None).await;
    person(&app, "A2", tree.ward_a, None).await;
    person(&app, "B1", tree.ward_b, None).await;
    let import = |kind: &'static str, token: &str, csv: String| {
        let token = token.to_owned();
        let app = &app;
        async move { app.import_as(kind, Some(&token), "text/csv", csv.into_bytes()).await }
    };
    let template = app.download("/api/v1/imports/templates/plan_items").await;
    assert_eq!(template.xlsx()[0][0].to_string(), "Mã đơn vị");

    // The ward's hr brings in its 2019 plan's items: the plan is started as a draft.
    let items = "Mã đơn vị;Năm kế hoạch;Mã chương trình;Loại chương trình;Lĩnh vực trình độ;Trình độ;Số lượt người;Quý;Kinh phí dự kiến (đồng);Mục đích\n\
                 VP-PY-PT;2019;LLCT-TC;;;;2;2;12.000.000;Chuẩn hóa lý luận chính trị\n\
                 VP-PY-PT;2019;;Đào tạo trình độ (đại học, thạc sĩ, tiến sĩ);education;Đại học;1;3;;\n";
    let reply = import("plan_items", &p.ward_hr, items.to_owned()).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(
        (reply.body["rows"].clone(), reply.body["created"].clone()),
        (json!(2), json!(2))
    );
    let plans = app
        .get(&format!("/api/v1/plans?year=2019&unit_id={}", tree.ward_a))
        .await;
    let plan = &plans.body["items"][0];
    assert_eq!(plans.body["total"], 1);
    assert_eq!(
        (
            plan["status"].clone(),
            plan["items"].clone(),
            plan["planned_seats"].clone(),
            plan["planned_cost_vnd"].clone()
        ),
        (json!("draft"), json!(2), json!(3), json!(12_000_000))
    );
    let plan_id = plan["id"].as_i64().unwrap();
    let listed = app.get(&format!("/api/v1/plans/{plan_id}/items")).await.body;
    let degree = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "degree")
        .unwrap()
        .clone();
    assert_eq!(
        (degree["dimension"].clone(), degree["level"].clone()),
        (json!("education"), json!("university"))
    );
    let course_item = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "political_theory")
        .unwrap();
    assert_eq!(course_item["level"], "intermediate", "copied from the course");
    let audited = app.get("/api/v1/audit-log?entity=plan_item&limit=1").await.body["total"].clone();
    assert_eq!(audited, 2);
    assert_eq!(app.get("/api/v1/audit-log?entity=plan&limit=1").await.body["total"], 1);

    // Every error of a file, at its cell; nothing written.
    let bad = "Mã đơn vị;Năm kế hoạch;Mã chương trình;Loại chương trình;Lĩnh vực trình độ;Trình độ;Số lượt người;Quý;Kinh phí dự kiến (đồng);Mục đích;Mã hệ thống nội dung\n\
               VP-PY-XH;2019;;it;;;1;;;;\n\
               VP-PY-PT;2019;NOPE;;;;1;;;;\n\
               VP-PY-PT;2019;LLCT-TC;degree;;;1;;;;\n\
               VP-PY-PT;2019;;it;;;một;;;;\n\
               VP-PY-PT;1800;;it;;;1;;;;\n\
               VP-PY-PT;2019;;it;;;1;5;;;\n\
               VP-PY-PT;2019;;it;;;1;;;;1\n\
               VP-PY-PT;2019;;it;;;1;;;;\n";
    let reply = import("plan_items", &p.ward_hr, bad.to_owned()).await;
    let cells: Vec<String> = row_errors(&reply).into_iter().map(|(cell, _)| cell).collect();
    assert_eq!(cells, ["2", "C3", "D4", "G5", "B6", "H7", "K8"], "{}", reply.body);
    let again = app.get(&format!("/api/v1/plans/{plan_id}")).await.body;
    assert_eq!(again["items"], 2, "the good last row was not written either");
    assert_eq!(
        app.get("/api/v1/plans?year=2019").await.body["total"],
        1,
        "nor Xuân Hòa's plan started"
    );

    // Needs: for an item, or for a level; an official of the subtree.
    let needs = format!(
        "Mã đơn vị lập kế hoạch;Năm kế hoạch;Mã cán bộ;Mã hệ thống nội dung kế hoạch;Lĩnh vực trình độ;Trình độ cần đào tạo;Lý do;Ghi chú\n\
         VP-PY-PT;2019;A1;{};;;standard;\n\
         VP-PY-PT;2019;A2;;political_theory;intermediate;Quy hoạch;Diện quy hoạch\n",
        degree["id"]
    );
    let reply = import("plan_needs", &p.ward_hr, needs.clone()).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["created"], 2);
    let registered = app.get(&format!("/api/v1/plans/{plan_id}/needs")).await.body;
    assert_eq!(registered["total"], 2);
    let a1 = registered["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["official_id"] == inside)
        .unwrap();
    assert_eq!(
        (a1["level"].clone(), a1["reason"].clone()),
        (json!("university"), json!("standard"))
    );
    // The same file again in create mode: each need is there already.
    let reply = import("plan_needs", &p.ward_hr, needs.clone()).await;
    let errors = row_errors(&reply);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors
            .iter()
            .all(|(cell, m)| cell.starts_with('C') && m.contains("already has this need")),
        "{errors:?}"
    );
    let bad = format!(
        "Mã đơn vị lập kế hoạch;Năm kế hoạch;Mã cán bộ;Mã hệ thống nội dung kế hoạch;Lĩnh vực trình độ;Trình độ cần đào tạo;Lý do\n\
         VP-PY-PT;2019;B1;;education;university;job\n\
         VP-PY-PT;2019;NOPE;;education;university;job\n\
         VP-PY-PT;2019;A2;{};political_theory;advanced;job\n\
         VP-PY-PT;2019;A2;;;;job\n\
         VP-PY-PT;2019;A2;;education;university;\n",
        degree["id"]
    );
    let reply = import("plan_needs", &p.ward_hr, bad).await;
    let cells: Vec<String> = row_errors(&reply).into_iter().map(|(cell, _)| cell).collect();
    assert_eq!(cells, ["C2", "C3", "E4", "F4", "D5", "G6"], "{}", reply.body);

    // What the files give back imports unchanged, CSV and XLSX, Vietnamese labels or codes.
    for (kind, path) in [("plan_items", "items"), ("plan_needs", "needs")] {
        for format in ["csv", "xlsx"] {
            for labels in ["vi", "codes"] {
                let file = app
                    .download(&format!(
                        "/api/v1/plans/{plan_id}/{path}/download?format={format}&labels={labels}"
                    ))
                    .await;
                let content_type = if format == "csv" { "text/csv" } else { XLSX };
                let reply = app
                    .import_as(
                        &format!("{kind}?mode=upsert"),
                        Some(&p.ward_hr),
                        content_type,
                        file.bytes,
                    )
                    .await;
                assert_eq!(
                    reply.status,
                    StatusCode::CREATED,
                    "{kind} {format} {labels}: {}",
                    reply.body
                );
                assert_eq!(
                    (reply.body["rows"].clone(), reply.body["unchanged"].clone()),
                    (json!(2), json!(2)),
                    "{kind} {format} {labels}: {}",
                    reply.body
                );
            }
        }
    }

    // Upsert: a changed cell changes that field, audited; the rest stays.
    let rows = app
        .download(&format!("/api/v1/plans/{plan_id}/items/download"))
        .await
        .csv();
    let rows = with_cells(rows, "Số lượt người", |seats| {
        (seats.parse::<i64>().unwrap() + 1).to_string()
    });
    let reply = app
        .import_as("plan_items?mode=upsert", Some(&p.ward_hr), "text/csv", csv_file(&rows))
        .await;
    assert_eq!(
        (reply.body["updated"].clone(), reply.body["created"].clone()),
        (json!(2), json!(0)),
        "{}",
        reply.body
    );
    assert_eq!(
        app.get(&format!("/api/v1/plans/{plan_id}")).await.body["planned_seats"],
        5
    );
    // …but a row's id in create mode is refused, and an item's level does not change under its need.
    let reply = app
        .import_as("plan_items", Some(&p.ward_hr), "text/csv", csv_file(&rows))
        .await;
    assert_eq!(row_errors(&reply).len(), 2);
    let rows = app
        .download(&format!("/api/v1/plans/{plan_id}/needs/download"))
        .await
        .csv();
    let rows = with_cells(rows, "Lý do", |_| "Yêu cầu vị trí việc làm".to_owned());
    let reply = app
        .import_as("plan_needs?mode=upsert", Some(&p.ward_hr), "text/csv", csv_file(&rows))
        .await;
    assert_eq!(reply.body["updated"], 2, "{}", reply.body);
    let reasons: Vec<Value> = app.get(&format!("/api/v1/plans/{plan_id}/needs")).await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["reason"].clone())
        .collect();
    assert_eq!(reasons, [json!("job"), json!("job")]);
    assert_eq!(
        app.get("/api/v1/audit-log?entity=plan_need&action=update&limit=1")
            .await
            .body["total"],
        2
    );

    // The plan's rights: the city's hr does not draft the ward's plan, an auditor imports nothing.
    let reply = import("plan_needs", &p.city_hr, needs.clone()).await;
    let errors = row_errors(&reply);
    assert_eq!(errors.len(), 2, "{}", reply.body);
    assert!(errors.iter().all(|(_, m)| m.contains("own unit")), "{errors:?}");
    let reply = import("plan_needs", &p.auditor, needs.clone()).await;
    reply.assert_code(403, "forbidden");
    // A submitted plan takes nothing more.
    move_plan(&app, plan_id, "submitted", &p.ward_hr).await;
    let reply = import("plan_items", &p.ward_hr, items.to_owned()).await;
    let errors = row_errors(&reply);
    assert!(errors.iter().all(|(_, m)| m.contains("is submitted")), "{errors:?}");
    // …but its own files import back unchanged (upsert), for its hr and for the city's, which
    // sees the plan; a changed cell in them is refused.
    for (kind, path, hr) in [
        ("plan_items", "items", &p.ward_hr),
        ("plan_needs", "needs", &p.ward_hr),
        ("plan_needs", "needs", &p.city_hr),
    ] {
        let file = app.download(&format!("/api/v1/plans/{plan_id}/{path}/download")).await;
        let reply = app
            .import_as(&format!("{kind}?mode=upsert"), Some(hr), "text/csv", file.bytes)
            .await;
        assert_eq!(
            (reply.status, reply.body["unchanged"].clone()),
            (StatusCode::CREATED, json!(2)),
            "{kind}: {}",
            reply.body
        );
    }
    let rows = app
        .download(&format!("/api/v1/plans/{plan_id}/needs/download"))
        .await
        .csv();
    let rows = with_cells(rows, "Ghi chú", |_| "Đổi".to_owned());
    let reply = app
        .import_as("plan_needs?mode=upsert", Some(&p.ward_hr), "text/csv", csv_file(&rows))
        .await;
    let errors = row_errors(&reply);
    assert_eq!(errors.len(), 2, "{}", reply.body);
    assert!(errors.iter().all(|(_, m)| m.contains("is submitted")), "{errors:?}");
    let reply = app
        .import_as("plan_needs?mode=upsert", Some(&p.city_hr), "text/csv", csv_file(&rows))
        .await;
    let errors = row_errors(&reply);
    assert_eq!(errors.len(), 2, "{}", reply.body);
    assert!(errors.iter().all(|(_, m)| m.contains("own unit")), "{errors:?}");
}
