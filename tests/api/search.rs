//! Search (`q`) on every list: each word typed, in any order, as the beginning of a word of
//! the name or of the code, diacritics and case ignored; ranked; from the index of words,
//! which every write keeps in step.

use cadre_records::db::{Db, DbUrl};
use diesel::{QueryableByName, RunQueryDsl};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::TestApp;

/// The full names `GET /officials?q=…` lists (with the rest of the query), as `token` sees them.
async fn found_as(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let reply = app
        .send(
            Method::GET,
            &format!("/api/v1/officials?limit=100&q={query}"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    names(&reply.body, "full_name")
}

async fn found(app: &TestApp, query: &str) -> Vec<String> {
    found_as(app, &app.admin_token, query).await
}

fn names(page: &Value, field: &str) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item[field].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn each_word_typed_finds_the_beginning_of_a_word_in_any_order() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    for (code, name, national_id) in [
        ("PT-001", "Nguyễn Văn An", Some("026185001234")),
        ("PT-002", "Nguyễn Văn Anh", None),
        ("PT-010", "Văn Thị Nguyệt", None),
        ("AN-7", "Lê Thị Hoa", None),
        ("XH-1", "Đỗ Đức Ân", None),
        ("PT-0", "Bùi Thị Cúc", None),
    ] {
        app.official(
            json!({"code": code, "full_name": name, "gender": "male", "unit_id": tree.ward_a,
                            "category": "cadre", "national_id": national_id}),
        )
        .await;
    }
    let both = ["Nguyễn Văn An", "Nguyễn Văn Anh"];
    // Word order, prefixes, diacritics and case; a word typed twice is one word.
    assert_eq!(found(&app, "nguyen%20van").await, both);
    assert_eq!(found(&app, "van%20nguyen").await, both);
    assert_eq!(found(&app, "ng%20v%20an").await, both);
    assert_eq!(found(&app, "Nguy%E1%BB%85n%20V%C4%83n").await, both, "Nguyễn Văn");
    assert_eq!(found(&app, "NGUYEN%20nguyen%20VAN").await, both);
    assert_eq!(found(&app, "nguyet").await, ["Văn Thị Nguyệt"]);
    assert_eq!(
        found(&app, "dd").await,
        Vec::<String>::new(),
        "words begin where they begin"
    );
    assert_eq!(found(&app, "duc%20do").await, ["Đỗ Đức Ân"], "đ is d");
    assert_eq!(
        found(&app, "%25").await,
        Vec::<String>::new(),
        "LIKE's wildcards are letters"
    );
    assert_eq!(found(&app, "%20").await.len(), 6, "no word: no search");

    // Ranked: the exact name, then names holding every word (by given name: An, Anh, Ân),
    // then those found by their code; an explicit sort is only that order.
    assert_eq!(
        found(&app, "an").await,
        ["Nguyễn Văn An", "Nguyễn Văn Anh", "Đỗ Đức Ân", "Lê Thị Hoa"]
    );
    assert_eq!(found(&app, "nguyen%20van%20anh").await, ["Nguyễn Văn Anh"]);
    assert_eq!(found(&app, "NGUYEN%20VAN%20AN").await, both, "the exact name first");
    assert_eq!(found(&app, "van%20an%20nguyen").await, both);
    assert_eq!(
        found(&app, "an&sort=full_name").await,
        ["Đỗ Đức Ân", "Lê Thị Hoa", "Nguyễn Văn An", "Nguyễn Văn Anh"]
    );
    assert_eq!(
        found(&app, "an&sort=-code").await,
        ["Đỗ Đức Ân", "Nguyễn Văn Anh", "Nguyễn Văn An", "Lê Thị Hoa"]
    );

    // Codes by prefix, the exact code first; a name word and a code word together.
    assert_eq!(
        found(&app, "pt-0").await,
        ["Bùi Thị Cúc", "Nguyễn Văn An", "Nguyễn Văn Anh", "Văn Thị Nguyệt"]
    );
    assert_eq!(found(&app, "PT-01").await, ["Văn Thị Nguyệt"]);
    assert_eq!(found(&app, "pt-00").await, both);
    assert_eq!(found(&app, "van%20pt-01").await, ["Văn Thị Nguyệt"]);

    // The national ID by its first digits, for those who may read it: not for an auditor.
    assert_eq!(found(&app, "0261850").await, ["Nguyễn Văn An"]);
    let hr = app.token_for("hr", Some(tree.ward_a)).await;
    assert_eq!(found_as(&app, &hr, "0261850").await, ["Nguyễn Văn An"]);
    let auditor = app.token_for("auditor", None).await;
    assert_eq!(found_as(&app, &auditor, "0261850").await, Vec::<String>::new());
    assert_eq!(found_as(&app, &auditor, "nguyen%20van").await, both);

    // Within a subtree, only its people; hr only within theirs.
    assert_eq!(
        found(&app, &format!("an&unit_id={}", tree.ward_b)).await,
        Vec::<String>::new()
    );
    assert_eq!(found(&app, &format!("van%20nguyen&unit_id={}", tree.city)).await, both);
    let other_hr = app.token_for("hr", Some(tree.ward_b)).await;
    assert_eq!(found_as(&app, &other_hr, "nguyen").await, Vec::<String>::new());

    let page = app.get("/api/v1/officials?q=ng%20v&limit=1").await.body;
    assert_eq!(
        (page["total"].as_i64(), names(&page, "full_name")),
        (Some(3), vec!["Nguyễn Văn An".to_owned()])
    );
}

#[tokio::test]
async fn units_positions_courses_and_classes_are_searched_alike() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let list = |path: &'static str, field: &'static str| {
        let app = &app;
        move |q: &'static str| async move {
            let reply = app.get(&format!("/api/v1/{path}?limit=100&q={q}")).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            names(&reply.body, field)
        }
    };
    let units = list("units", "name");
    assert_eq!(units("thang%20phuc").await, ["Phường Phúc Thắng"]);
    assert_eq!(
        units("phuc").await,
        ["Tỉnh Vĩnh Phúc", "Thành phố Phúc Yên", "Phường Phúc Thắng"]
    );
    assert_eq!(units("vp-py-").await, ["Phường Phúc Thắng", "Phường Xuân Hòa"]);
    assert_eq!(units("thanh%20pho%20phuc%20yen").await, ["Thành phố Phúc Yên"]);

    app.position("CT-UB", "Chủ tịch Ủy ban nhân dân", "cadre").await;
    app.position("PCT-UB", "Phó Chủ tịch Ủy ban nhân dân", "cadre").await;
    let positions = list("positions", "title");
    assert_eq!(
        positions("chu%20tich").await,
        ["Chủ tịch Ủy ban nhân dân", "Phó Chủ tịch Ủy ban nhân dân"]
    );
    assert_eq!(
        positions("pho%20chu%20tich%20uy%20ban%20nhan%20dan").await,
        ["Phó Chủ tịch Ủy ban nhân dân"]
    );
    assert_eq!(
        positions("chu%20tich%20uy%20ban%20nhan%20dan").await,
        ["Chủ tịch Ủy ban nhân dân", "Phó Chủ tịch Ủy ban nhân dân"]
    );
    assert_eq!(
        positions("chu%20tich%20uy%20ban%20nhan%20dan&sort=-id").await,
        ["Phó Chủ tịch Ủy ban nhân dân", "Chủ tịch Ủy ban nhân dân"]
    );
    assert_eq!(positions("uy%20pho").await, ["Phó Chủ tịch Ủy ban nhân dân"]);
    assert_eq!(positions("pct").await, ["Phó Chủ tịch Ủy ban nhân dân"]);

    let course = app
        .post(
            "/api/v1/courses",
            json!({"code": "TC-LLCT", "title": "Trung cấp lý luận chính trị", "kind": "political_theory",
                   "confers_dimension": "political_theory", "confers_level": "intermediate"}),
        )
        .await
        .id();
    let courses = list("courses", "title");
    assert_eq!(courses("chinh%20tri%20ly").await, ["Trung cấp lý luận chính trị"]);
    assert_eq!(courses("tc-").await, ["Trung cấp lý luận chính trị"]);

    let class = app
        .post(
            "/api/v1/classes",
            json!({"code": "K12", "name": "Lớp trung cấp khóa 12", "course_id": course, "organizer_unit_id": tree.city,
                   "starts_on": "2018-03-01", "ends_on": "2018-09-30"}),
        )
        .await;
    assert_eq!(class.status, StatusCode::CREATED, "{}", class.body);
    let classes = list("classes", "name");
    assert_eq!(classes("khoa%20lop").await, ["Lớp trung cấp khóa 12"]);
    assert_eq!(classes("k1").await, ["Lớp trung cấp khóa 12"]);
    assert_eq!(classes("khoa%2013").await, Vec::<String>::new());
}

/// One row of the index of words.
#[derive(QueryableByName, Debug, PartialEq)]
struct Word {
    #[diesel(sql_type = diesel::sql_types::SmallInt)]
    kind: i16,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    record_id: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    word: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    unit_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    sort_key: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    region_id: Option<i64>,
}

/// The index as the triggers kept it, and as written afresh from the records: the two agree.
async fn assert_index_in_step(app: &TestApp) -> usize {
    let url = app.database_url.clone();
    actix_web::web::block(move || {
        let db = Db::new(&DbUrl::parse(&url));
        let mut conn = db.connection().expect("a connection");
        let read = |conn: &mut cadre_records::db::DbConn| -> Vec<Word> {
            diesel::sql_query(
                "SELECT kind, record_id, word, unit_id, sort_key, region_id FROM search_words ORDER BY kind, record_id, word",
            )
            .load(conn)
            .expect("the index")
        };
        let kept = read(&mut conn);
        cadre_records::db::index_search_words(&mut conn).expect("written afresh");
        assert_eq!(kept, read(&mut conn));
        kept.len()
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn every_write_keeps_the_index_of_words_in_step() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let made = app
        .official(
            json!({"code": "PT-9", "full_name": "Nguyễn Văn An", "gender": "male", "unit_id": tree.ward_a,
                         "category": "cadre", "national_id": "026185001234", "started_on": "2016-01-01"}),
        )
        .await;
    let id = made["id"].as_i64().unwrap();
    let path = format!("/api/v1/officials/{id}");
    assert_eq!(found(&app, "an%20nguyen").await, ["Nguyễn Văn An"]);

    // Renamed, recoded, given another national ID.
    let renamed = app
        .patch(
            &path,
            json!({"full_name": "Trần Thị Bình", "code": "XH-5", "national_id": "001190005678"}),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert_eq!(found(&app, "nguyen").await, Vec::<String>::new());
    assert_eq!(found(&app, "binh%20tran").await, ["Trần Thị Bình"]);
    assert_eq!(found(&app, "pt-9").await, Vec::<String>::new());
    assert_eq!(found(&app, "xh-").await, ["Trần Thị Bình"]);
    assert_eq!(found(&app, "0261").await, Vec::<String>::new());
    assert_eq!(found(&app, "0011").await, ["Trần Thị Bình"]);
    assert_index_in_step(&app).await;

    // Moved: found within the new unit, not the old one.
    let moved = app
        .post(
            &format!("{path}/transfer"),
            json!({"unit_id": tree.ward_b, "effective_on": "2020-01-01"}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(
        found(&app, &format!("binh&unit_id={}", tree.ward_a)).await,
        Vec::<String>::new()
    );
    assert_eq!(
        found(&app, &format!("binh&unit_id={}", tree.ward_b)).await,
        ["Trần Thị Bình"]
    );

    // Imported, then moved and renamed by an import.
    let file = "code,full_name,gender,category,unit_code,started_on\nPT-1,Lê Văn Tám,male,cadre,VP-PY-PT,2015-01-01\n";
    let reply = app.import_csv("officials", file).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(
        found(&app, &format!("tam%20le&unit_id={}", tree.ward_a)).await,
        ["Lê Văn Tám"]
    );
    let file = "code,full_name,gender,category,unit_code,started_on\nPT-1,Lê Văn Tâm,male,cadre,VP-PY-XH,2021-01-01\n";
    let reply = app.import_csv("officials?mode=upsert", file).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(
        found(&app, &format!("tam%20le&unit_id={}", tree.ward_b)).await,
        ["Lê Văn Tâm"]
    );
    assert_eq!(
        found(&app, &format!("tam&unit_id={}", tree.ward_a)).await,
        Vec::<String>::new()
    );

    // A ward moved to another region (a city of the province), then to the province's own
    // level: its officials' words carry each region in turn (the city's, the ward's own).
    let town = app
        .unit("VP-VY", "Thành phố Vĩnh Yên", "city", Some(tree.province))
        .await;
    let region_of_tam = || app.count("SELECT max(region_id) FROM search_words WHERE word = 'tam' AND kind = 1");
    assert_eq!(region_of_tam(), tree.city);
    for (parent, region) in [(town, town), (tree.province, tree.ward_b)] {
        let moved = app
            .patch(&format!("/api/v1/units/{}", tree.ward_b), json!({"parent_id": parent}))
            .await;
        assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
        assert_eq!(region_of_tam(), region);
        assert_index_in_step(&app).await;
    }

    // Units, positions, courses and classes renamed and deleted.
    let unit = app.unit("VP-PY-NT", "Phường Nam Viêm", "ward", Some(tree.city)).await;
    let renamed = app
        .patch(&format!("/api/v1/units/{unit}"), json!({"name": "Xã Ngọc Thanh"}))
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    let units = app.get("/api/v1/units?q=ngoc%20thanh").await.body;
    assert_eq!(names(&units, "name"), ["Xã Ngọc Thanh"]);
    assert_eq!(app.get("/api/v1/units?q=viem").await.body["total"], 0);
    let position = app.position("CC", "Công chức văn hóa", "civil_servant").await;
    app.patch(
        &format!("/api/v1/positions/{position}"),
        json!({"title": "Công chức tư pháp"}),
    )
    .await;
    assert_eq!(
        names(&app.get("/api/v1/positions?q=tu%20phap").await.body, "title"),
        ["Công chức tư pháp"]
    );
    assert_eq!(app.get("/api/v1/positions?q=van%20hoa").await.body["total"], 0);
    assert_eq!(
        app.delete(&format!("/api/v1/positions/{position}")).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.get("/api/v1/positions?q=tu%20phap").await.body["total"], 0);
    let words = assert_index_in_step(&app).await;

    // Deleted: gone from the index.
    assert_eq!(app.delete(&path).await.status, StatusCode::NO_CONTENT);
    assert_eq!(found(&app, "binh").await, Vec::<String>::new());
    assert_eq!(
        assert_index_in_step(&app).await,
        words - 5,
        "Trần Thị Bình's four words and ID"
    );
}

#[tokio::test]
async fn records_written_before_the_index_get_their_words_on_migrating() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.official(
        json!({"code": "PT-1", "full_name": "Nguyễn Văn An", "gender": "male", "unit_id": tree.ward_a,
                        "category": "cadre"}),
    )
    .await;
    let words = assert_index_in_step(&app).await;
    // As a database migrated to the index holds it: empty, the records already there.
    app.sql("DELETE FROM search_words", "DELETE FROM search_words");
    assert_eq!(found(&app, "an").await, Vec::<String>::new());
    let url = app.database_url.clone();
    actix_web::web::block(move || {
        let db = Db::new(&DbUrl::parse(&url));
        cadre_records::db::migrate(&mut db.connection().expect("a connection")).expect("migrated")
    })
    .await
    .unwrap();
    assert_eq!(found(&app, "an%20nguyen").await, ["Nguyễn Văn An"]);
    assert_eq!(assert_index_in_step(&app).await, words);
}

#[tokio::test]
async fn a_generated_set_is_indexed_as_its_writes_would_have_indexed_it() {
    let app = TestApp::spawn_synthetic().await;
    assert!(assert_index_in_step(&app).await > 1000);
    let someone = app.get("/api/v1/officials?limit=1&sort=id").await.body["items"][0].clone();
    let name = someone["full_name"].as_str().unwrap().to_owned();
    let reversed: Vec<&str> = name.split(' ').rev().collect();
    let query = reversed.join("%20");
    let reply = app
        .get(&format!(
            "/api/v1/officials?q={query}&limit=500&unit_id={}",
            someone["unit_id"]
        ))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(
        names(&reply.body, "full_name").contains(&name),
        "{name} in {}",
        reply.body
    );
}

/// The `total` of `GET /officials?q=…` (with the rest of the query), and how many it lists.
async fn total_and_listed(app: &TestApp, query: &str) -> (i64, usize) {
    let reply = app.get(&format!("/api/v1/officials?limit=100&q={query}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let listed = reply.body["items"].as_array().unwrap().len();
    (reply.body["total"].as_i64().unwrap(), listed)
}

#[tokio::test]
async fn a_search_counts_each_person_once_whatever_words_they_hold() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    // Each word typed begins several of this person's words (name, code, national ID).
    for (code, name, national_id, unit) in [
        ("VAN-1", "Văn Vân Vàng", Some("026185001234"), tree.ward_a),
        ("VAN-2", "Vàng Thị Vân", None, tree.ward_b),
        ("026-1", "Nguyễn Văn Hòa", Some("026190005678"), tree.ward_b),
        ("T-1", "Trần Thị Hoa", Some("026170009999"), tree.province),
    ] {
        app.official(
            json!({"code": code, "full_name": name, "gender": "male", "unit_id": unit,
                            "category": "cadre", "national_id": national_id}),
        )
        .await;
    }
    // Counted from the index of words alone (nothing else filters), across every unit, in
    // a region (the city), in a subtree that is not one (a ward); and, for comparison, with
    // a filter that holds for everyone (counted with the officials).
    for (query, expected) in [
        ("van", 3),
        ("van%20va", 3),
        ("van%200261", 2),
        ("026", 3),
        ("026%20van", 2),
        ("hoa%20026", 2),
        ("van%20vang%20van", 2),
        ("zzz", 0),
    ] {
        assert_eq!(
            total_and_listed(&app, query).await,
            (expected, expected as usize),
            "{query}"
        );
        let filtered = format!("{query}&status=active");
        assert_eq!(
            total_and_listed(&app, &filtered).await,
            (expected, expected as usize),
            "{filtered}"
        );
    }
    for (query, expected) in [
        (format!("van&unit_id={}", tree.city), 3),
        (format!("026&unit_id={}", tree.city), 2),
        (format!("van%20026&unit_id={}", tree.city), 2),
        (format!("van&unit_id={}", tree.ward_b), 2),
        (format!("van%20026&unit_id={}", tree.ward_a), 1),
        (format!("hoa&unit_id={}", tree.province), 2),
        (format!("hoa&unit_id={}", tree.ward_a), 0),
    ] {
        assert_eq!(
            total_and_listed(&app, &query).await,
            (expected, expected as usize),
            "{query}"
        );
        let filtered = format!("{query}&gender=male");
        assert_eq!(
            total_and_listed(&app, &filtered).await,
            (expected, expected as usize),
            "{filtered}"
        );
    }
}
