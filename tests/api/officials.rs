use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::TestApp;

#[tokio::test]
async fn an_official_starts_with_one_open_assignment_and_no_levels() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let position = app
        .position("PCT-MTTQ", "Phó Chủ tịch Ủy ban MTTQ phường", "cadre")
        .await;
    let official = app
        .official(json!({"code": "PT-001", "full_name": "Lê Minh Công", "gender": "male", "date_of_birth": "1975-03-02",
                         "unit_id": tree.ward_a, "position_id": position, "party_joined_on": "2000-05-19", "started_on": "2015-06-01"}))
        .await;
    assert_eq!(official["category"], "cadre", "the category defaults to the position's");
    assert_eq!(official["status"], "active");
    for dimension in [
        "education",
        "political_theory",
        "state_management",
        "it",
        "foreign_language",
    ] {
        assert_eq!(official[dimension], "none");
    }
    let id = official["id"].as_i64().unwrap();
    let history = app.get(&format!("/api/v1/officials/{id}/assignments")).await;
    assert_eq!(history.status, StatusCode::OK);
    assert_eq!(history.body.as_array().unwrap().len(), 1);
    assert_eq!(history.body[0]["unit_id"], tree.ward_a);
    assert_eq!(history.body[0]["started_on"], "2015-06-01");
    assert_eq!(history.body[0]["ended_on"], Value::Null);
}

#[tokio::test]
async fn invalid_officials_are_refused_whole() {
    let app = TestApp::spawn().await;
    let reply = app
        .post("/api/v1/officials", json!({"code": "", "full_name": "X", "gender": "other", "unit_id": 42, "position_id": 7, "education": "doctorate"}))
        .await;
    reply.assert_fields(&["code", "education", "gender"]);
    let reply = app
        .post(
            "/api/v1/officials",
            json!({"code": "A", "full_name": "X", "gender": "female", "unit_id": 42, "position_id": 7}),
        )
        .await;
    reply.assert_fields(&["category", "position_id", "unit_id"]);
    let tree = app.tree().await;
    let reply = app
        .post("/api/v1/officials", json!({"code": "A", "full_name": "X", "gender": "female", "unit_id": tree.ward_a, "category": "cadre", "date_of_birth": "2090-01-01"}))
        .await;
    reply.assert_fields(&["date_of_birth", "started_on"]);
    assert_eq!(app.get("/api/v1/officials").await.body["total"], 0);

    app.official(
        json!({"code": "A", "full_name": "X", "gender": "female", "unit_id": tree.ward_a, "category": "cadre"}),
    )
    .await;
    let duplicate = app
        .post(
            "/api/v1/officials",
            json!({"code": "A", "full_name": "Y", "gender": "female", "unit_id": tree.ward_a, "category": "cadre"}),
        )
        .await;
    duplicate.assert_code(409, "duplicate");
    assert_eq!(app.get("/api/v1/officials").await.body["total"], 1);
}

#[tokio::test]
async fn search_ignores_diacritics_and_case() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    for (code, name) in [
        ("1", "Nguyễn Văn A"),
        ("2", "Đặng Thị Bích"),
        ("3", "Nguyễn Văn Anh"),
        ("4", "Phan Thanh Hải"),
    ] {
        app.official(
            json!({"code": code, "full_name": name, "gender": "male", "unit_id": tree.ward_a, "category": "cadre"}),
        )
        .await;
    }
    assert_eq!(
        listed(&app, "&q=nguyen%20van%20a&sort=full_name").await,
        ["Nguyễn Văn A", "Nguyễn Văn Anh"]
    );
    assert_eq!(listed(&app, "&q=dang%20thi").await, ["Đặng Thị Bích"]);
    assert_eq!(listed(&app, "&q=HAI").await, ["Phan Thanh Hải"]);
    let found = app.get("/api/v1/officials?q=%25").await;
    assert_eq!(found.body["total"], 0, "LIKE wildcards in the query are literal");
}

#[tokio::test]
async fn unit_filter_covers_the_subtree() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.official(json!({"code": "1", "full_name": "A", "gender": "male", "unit_id": tree.ward_a, "category": "cadre"}))
        .await;
    app.official(
        json!({"code": "2", "full_name": "B", "gender": "female", "unit_id": tree.ward_b, "category": "civil_servant"}),
    )
    .await;
    app.official(
        json!({"code": "3", "full_name": "C", "gender": "female", "unit_id": tree.city, "category": "civil_servant"}),
    )
    .await;
    assert_eq!(
        app.get(&format!("/api/v1/officials?unit_id={}", tree.province))
            .await
            .body["total"],
        3
    );
    assert_eq!(
        app.get(&format!("/api/v1/officials?unit_id={}", tree.ward_b))
            .await
            .body["total"],
        1
    );
    assert_eq!(
        app.get(&format!(
            "/api/v1/officials?unit_id={}&category=civil_servant",
            tree.city
        ))
        .await
        .body["total"],
        2
    );
    assert_eq!(
        app.get("/api/v1/officials?gender=female&status=active").await.body["total"],
        2
    );
    app.get("/api/v1/officials?status=sleeping")
        .await
        .assert_fields(&["status"]);
}

#[tokio::test]
async fn transfer_closes_one_assignment_and_opens_the_next() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let chair = app.position("CT", "Chủ tịch UBND phường", "cadre").await;
    let official = app
        .official(json!({"code": "1", "full_name": "Phan Thanh Hải", "gender": "male", "unit_id": tree.ward_a, "category": "civil_servant", "started_on": "2016-01-01"}))
        .await;
    let id = official["id"].as_i64().unwrap();

    let early = app
        .post(
            &format!("/api/v1/officials/{id}/transfer"),
            json!({"unit_id": tree.ward_b, "effective_on": "2016-01-01"}),
        )
        .await;
    early.assert_fields(&["effective_on"]);
    let missing = app
        .post(
            &format!("/api/v1/officials/{id}/transfer"),
            json!({"unit_id": 999, "position_id": 999, "effective_on": "2018-01-01"}),
        )
        .await;
    missing.assert_fields(&["position_id", "unit_id"]);
    app.post(&format!("/api/v1/officials/{id}/transfer"), json!({}))
        .await
        .assert_fields(&["effective_on", "unit_id"]);

    let moved = app
        .post(
            &format!("/api/v1/officials/{id}/transfer"),
            json!({"unit_id": tree.ward_b, "position_id": chair, "effective_on": "2018-07-01"}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(moved.body["unit_id"], tree.ward_b);
    assert_eq!(moved.body["position_id"], chair);
    assert_eq!(moved.body["category"], "cadre");

    let history = app.get(&format!("/api/v1/officials/{id}/assignments")).await.body;
    let history = history.as_array().unwrap();
    assert_eq!(history.len(), 2, "the failed attempts left nothing behind");
    assert_eq!(history[0]["unit_id"], tree.ward_a);
    assert_eq!(history[0]["ended_on"], "2018-07-01");
    assert_eq!(history[0]["end_reason"], "transfer");
    assert_eq!(history[1]["unit_id"], tree.ward_b);
    assert_eq!(history[1]["started_on"], "2018-07-01");
    assert_eq!(history[1]["ended_on"], Value::Null);
}

#[tokio::test]
async fn separation_closes_the_open_assignment() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let official = app
        .official(json!({"code": "1", "full_name": "Hoàng Văn C", "gender": "male", "unit_id": tree.ward_a, "category": "cadre", "started_on": "2010-01-01"}))
        .await;
    let id = official["id"].as_i64().unwrap();
    let path = format!("/api/v1/officials/{id}/separation");

    app.post(&path, json!({"status": "active", "effective_on": "2020-01-01"}))
        .await
        .assert_fields(&["status"]);
    app.post(&path, json!({"status": "retired", "effective_on": "2009-12-31"}))
        .await
        .assert_fields(&["effective_on"]);

    let retired = app
        .post(&path, json!({"status": "retired", "effective_on": "2020-01-01"}))
        .await;
    assert_eq!(retired.status, StatusCode::OK, "{}", retired.body);
    assert_eq!(retired.body["status"], "retired");
    assert_eq!(retired.body["separated_on"], "2020-01-01");
    let history = app.get(&format!("/api/v1/officials/{id}/assignments")).await.body;
    assert_eq!(history[0]["ended_on"], "2020-01-01");
    assert_eq!(history[0]["end_reason"], "retired");

    app.post(&path, json!({"status": "deceased", "effective_on": "2021-01-01"}))
        .await
        .assert_code(409, "not_active");
    let transfer = app
        .post(
            &format!("/api/v1/officials/{id}/transfer"),
            json!({"unit_id": tree.ward_b, "effective_on": "2021-01-01"}),
        )
        .await;
    transfer.assert_code(409, "not_active");
    assert_eq!(
        app.get(&format!("/api/v1/officials?status=retired&unit_id={}", tree.ward_a))
            .await
            .body["total"],
        1
    );
}

#[tokio::test]
async fn patch_corrects_fields_and_the_open_assignment() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let official = app.official(json!({"code": "1", "full_name": "Nguyen Van A", "gender": "male", "unit_id": tree.ward_a, "category": "cadre"})).await;
    let id = official["id"].as_i64().unwrap();
    let path = format!("/api/v1/officials/{id}");

    let changed = app
        .patch(
            &path,
            json!({"full_name": "Nguyễn Văn A", "unit_id": tree.ward_b, "date_of_birth": "1980-01-01"}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(changed.body["version"], 2);
    assert_eq!(changed.body["unit_id"], tree.ward_b);
    let history = app.get(&format!("{path}/assignments")).await.body;
    assert_eq!(history.as_array().unwrap().len(), 1);
    assert_eq!(history[0]["unit_id"], tree.ward_b);
    assert_eq!(app.get("/api/v1/officials?q=nguyen%20van%20a").await.body["total"], 1);

    app.patch(&path, json!({"education": "doctorate"}))
        .await
        .assert_fields(&["education"]);
    app.patch(&path, json!({"status": "retired"}))
        .await
        .assert_fields(&["status"]);
    app.patch(&path, json!({"unit_id": 999}))
        .await
        .assert_fields(&["unit_id"]);
}

#[tokio::test]
async fn delete_removes_the_history_but_not_qualifications() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let a = app
        .official(json!({"code": "1", "full_name": "A", "gender": "male", "unit_id": tree.ward_a, "category": "cadre"}))
        .await;
    let b = app
        .official(json!({"code": "2", "full_name": "B", "gender": "male", "unit_id": tree.ward_a, "category": "cadre"}))
        .await;
    let (a, b) = (a["id"].as_i64().unwrap(), b["id"].as_i64().unwrap());
    assert_eq!(
        app.qualify(b, "education", "university", "2010-06-30").await.status,
        StatusCode::CREATED
    );

    assert_eq!(
        app.delete(&format!("/api/v1/officials/{a}")).await.status,
        StatusCode::NO_CONTENT
    );
    app.get(&format!("/api/v1/officials/{a}")).await.assert_problem(404);
    app.get(&format!("/api/v1/officials/{a}/assignments"))
        .await
        .assert_problem(404);
    app.delete(&format!("/api/v1/officials/{b}"))
        .await
        .assert_code(409, "still_referenced");
    assert_eq!(app.get(&format!("/api/v1/officials/{b}")).await.status, StatusCode::OK);
}

#[tokio::test]
async fn moves_are_not_dated_ahead() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.post("/api/v1/officials", json!({"code": "F", "full_name": "F", "gender": "male", "unit_id": tree.ward_a, "category": "cadre", "started_on": "2999-01-01"}))
        .await
        .assert_fields(&["started_on"]);
    let official = app.official(json!({"code": "1", "full_name": "A", "gender": "male", "unit_id": tree.ward_a, "category": "cadre", "started_on": "2010-01-01"})).await;
    let id = official["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/officials/{id}/transfer"),
        json!({"unit_id": tree.ward_b, "effective_on": "2999-01-01"}),
    )
    .await
    .assert_fields(&["effective_on"]);
    app.post(
        &format!("/api/v1/officials/{id}/separation"),
        json!({"status": "retired", "effective_on": "2999-01-01"}),
    )
    .await
    .assert_fields(&["effective_on"]);
    assert_eq!(
        app.get(&format!("/api/v1/officials/{id}/assignments"))
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

/// The names `GET /officials` lists with these parameters (`&…`), in its order.
async fn listed(app: &TestApp, query: &str) -> Vec<String> {
    let reply = app.get(&format!("/api/v1/officials?limit=100{query}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["full_name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn people_are_listed_by_given_name_in_the_vietnamese_order() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    // Created in an order that is none of the orders below.
    let names = [
        "Trần Thị Hạ",
        "Lê Thị Ha",
        "Phạm Văn Đức",
        "Nguyễn Văn Hà",
        "Hồ Dung",
        "Bùi Thị Ân",
        "Đặng Ăn",
        "Vũ Thị Hả",
        "Lý Văn An",
    ];
    let mut ids = Vec::new();
    for (n, name) in names.iter().enumerate() {
        let body = json!({"code": format!("N{n}"), "full_name": name, "gender": "female", "unit_id": tree.ward_a, "category": "cadre"});
        ids.push(app.official(body).await["id"].as_i64().unwrap());
    }
    // Given name first (a < ă < â, d < đ), tones after letters (none, huyền, hỏi, ngã, sắc,
    // nặng), then middle and family names.
    let expected = [
        "Lý Văn An",
        "Đặng Ăn",
        "Bùi Thị Ân",
        "Hồ Dung",
        "Phạm Văn Đức",
        "Lê Thị Ha",
        "Nguyễn Văn Hà",
        "Vũ Thị Hả",
        "Trần Thị Hạ",
    ];
    assert_eq!(listed(&app, "").await, expected, "the default");
    assert_eq!(listed(&app, "&sort=given_name").await, expected);
    let mut reversed = expected.to_vec();
    reversed.reverse();
    assert_eq!(listed(&app, "&sort=-given_name").await, reversed);
    // `full_name` stays: by the name as written, family name first, diacritics folded.
    assert_eq!(
        listed(&app, "&sort=full_name").await[..3],
        ["Bùi Thị Ân", "Đặng Ăn", "Hồ Dung"]
    );

    // Renamed: Hạ becomes Ánh, and moves up.
    let renamed = app
        .patch(
            &format!("/api/v1/officials/{}", ids[0]),
            json!({"full_name": "Trần Thị Ánh"}),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert_eq!(listed(&app, "").await[..3], ["Lý Văn An", "Trần Thị Ánh", "Đặng Ăn"]);
    // Imported: placed as created.
    let file = "code,full_name,gender,unit_code,category\nN9,Mai Văn Bảo,male,VP-PY-PT,cadre\n";
    let imported = app.import_csv("officials", file).await;
    assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.body);
    assert_eq!(listed(&app, "").await[4], "Mai Văn Bảo");

    // Rows written before the order existed (migration 27 leaves them '') are filled in when
    // the service migrates.
    let url = app.database_url.clone();
    let filled = actix_web::web::block(move || {
        let db = cadre_records::db::Db::new(&cadre_records::db::DbUrl::parse(&url));
        let mut conn = db.connection().expect("a connection");
        diesel::RunQueryDsl::execute(diesel::sql_query("UPDATE officials SET given_name_key = ''"), &mut conn)
            .expect("keys emptied");
        cadre_records::db::migrate(&mut conn).expect("migrated")
    })
    .await
    .unwrap();
    assert_eq!(filled, 0, "no migration left to apply");
    assert_eq!(app.count("SELECT COUNT(*) FROM officials WHERE given_name_key = ''"), 0);
    assert_eq!(listed(&app, "").await[..3], ["Lý Văn An", "Trần Thị Ánh", "Đặng Ăn"]);
}
