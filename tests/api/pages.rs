//! Pages at any depth: every page says where the next begins (`next`, and a `Link` header),
//! keyset where the list's order allows it; `count=false` leaves the total out.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{Reply, TestApp};

fn field(page: &Value, name: &str) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item[name].as_str().unwrap().to_owned())
        .collect()
}

/// The next page's URL the `Link` header gives, without the address.
fn link(reply: &Reply) -> Option<String> {
    let header = reply.headers.get("link")?.to_str().unwrap().to_owned();
    let url = header
        .strip_prefix('<')
        .and_then(|rest| rest.split_once(">; rel=\"next\""))
        .unwrap()
        .0;
    Some(url.to_owned())
}

/// Every item of a list, page after page of `limit`, following `next` (checked against the
/// `Link` header); the values of `name`.
async fn walk(app: &TestApp, path: &str, query: &str, limit: usize, name: &str) -> Vec<String> {
    let mut url = format!("{path}?limit={limit}{query}");
    let mut seen = Vec::new();
    loop {
        let reply = app.get(&url).await;
        assert_eq!(reply.status, StatusCode::OK, "{url}: {}", reply.body);
        let items = field(&reply.body, name);
        assert!(items.len() <= limit);
        seen.extend(items);
        match reply.body["next"].as_str() {
            None => {
                assert!(link(&reply).is_none(), "no Link after the last page");
                return seen;
            }
            Some(next) => {
                let linked = link(&reply).expect("a Link to the next page");
                assert!(linked.contains(&format!("cursor={next}")), "{linked}");
                assert!(!linked.contains("offset="), "{linked}");
                url = linked;
            }
        }
    }
}

async fn person(app: &TestApp, unit: i64, code: &str, name: &str, born: Option<&str>) -> i64 {
    app.official(
        json!({"code": code, "full_name": name, "gender": "male", "unit_id": unit, "category": "cadre",
                        "date_of_birth": born}),
    )
    .await["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn a_cursor_neither_repeats_nor_skips_when_records_come_and_go() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let mut ids = std::collections::HashMap::new();
    for (code, name) in [
        ("P1", "Lê Văn An"),
        ("P2", "Lê Văn Bình"),
        ("P3", "Lê Văn Cường"),
        ("P4", "Lê Văn Dũng"),
        ("P5", "Lê Văn Giang"),
        ("P6", "Lê Văn Hà"),
        ("P7", "Lê Văn Khánh"),
    ] {
        ids.insert(code, person(&app, tree.ward_a, code, name, None).await);
    }
    let first = app.get("/api/v1/officials?limit=3").await;
    assert_eq!(
        field(&first.body, "full_name"),
        ["Lê Văn An", "Lê Văn Bình", "Lê Văn Cường"]
    );
    assert_eq!(
        (first.body["total"].as_i64(), first.body["offset"].as_i64()),
        (Some(7), Some(0))
    );
    let next = link(&first).expect("a Link to the next page");
    assert!(next.starts_with("/api/v1/officials?limit=3&cursor="), "{next}");

    // Meanwhile: one written before the cursor's place, one after it; the cursor's own
    // record deleted, and one ahead of it.
    person(&app, tree.ward_a, "P8", "Lê Văn Bảo", None).await;
    person(&app, tree.ward_a, "P9", "Lê Văn Hải", None).await;
    for code in ["P3", "P5"] {
        let gone = app.delete(&format!("/api/v1/officials/{}", ids[code])).await;
        assert_eq!(gone.status, StatusCode::NO_CONTENT, "{}", gone.body);
    }
    let second = app.get(&next).await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    assert_eq!(
        field(&second.body, "full_name"),
        ["Lê Văn Dũng", "Lê Văn Hà", "Lê Văn Hải"]
    );
    assert_eq!(second.body["offset"], 0);
    let third = app.get(&link(&second).unwrap()).await;
    assert_eq!(field(&third.body, "full_name"), ["Lê Văn Khánh"]);
    assert_eq!(third.body["next"], Value::Null);
    assert!(link(&third).is_none());

    // Without counting; offsets as before.
    let uncounted = app.get("/api/v1/officials?limit=2&count=false").await.body;
    assert!(uncounted.get("total").is_none(), "{uncounted}");
    assert!(uncounted["next"].is_string());
    let by_offset = app.get("/api/v1/officials?limit=2&offset=2").await.body;
    assert_eq!(field(&by_offset, "full_name"), ["Lê Văn Bình", "Lê Văn Dũng"]);
    assert_eq!(by_offset["offset"], 2);

    // Cursors that are not, or not for this order.
    let cursor = first.body["next"].as_str().unwrap();
    app.get(&format!("/api/v1/officials?cursor={cursor}&offset=3"))
        .await
        .assert_fields(&["offset"]);
    app.get("/api/v1/officials?cursor=not-a-cursor")
        .await
        .assert_fields(&["cursor"]);
    app.get(&format!("/api/v1/officials?cursor={cursor}&sort=code"))
        .await
        .assert_fields(&["cursor"]);
    app.get(&format!("/api/v1/units?cursor={cursor}"))
        .await
        .assert_fields(&["cursor"]);
    // A cursor edited by hand: values of the wrong kind for the order's columns are a 422,
    // never a query the database refuses.
    use base64::Engine;
    for keys in [
        json!([{"Text": "1980-01-01"}, {"Int": 1}]),
        json!([{"Date": "1980-01-01"}]),
        json!([{"Date": "1980-01-01"}, {"Text": "1"}]),
    ] {
        let forged = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(json!({"order": "date_of_birth", "keys": keys}).to_string());
        app.get(&format!("/api/v1/officials?sort=date_of_birth&cursor={forged}"))
            .await
            .assert_fields(&["cursor"]);
    }
    let fitting = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(json!({"order": "date_of_birth", "keys": ["Null", {"Int": 0}]}).to_string());
    let after_none = app
        .get(&format!("/api/v1/officials?sort=date_of_birth&cursor={fitting}"))
        .await;
    assert_eq!(after_none.status, StatusCode::OK, "{}", after_none.body);
}

#[tokio::test]
async fn every_order_pages_alike_by_cursor_and_by_offset() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    for (code, name, born) in [
        ("B", "Trần Thị Hà", Some("1980-05-01")),
        ("A", "Nguyễn Văn An", None),
        ("E", "Nguyễn Văn Anh", Some("1975-01-01")),
        ("C", "Phạm Hà", Some("1980-05-01")),
        ("D", "Nguyễn Thị Hạ", None),
        ("F", "Đỗ Văn Nguyên", Some("1990-12-31")),
    ] {
        person(&app, tree.ward_a, code, name, born).await;
    }
    for query in [
        "",
        "&sort=-given_name",
        "&sort=code",
        "&sort=-code",
        "&sort=full_name",
        "&sort=-full_name",
        "&sort=date_of_birth",
        "&sort=-date_of_birth",
        "&sort=-id",
        "&q=nguyen",
        "&q=ha",
        "&q=nguyen&sort=-code",
        "&status=active&count=false",
    ] {
        let all = app.get(&format!("/api/v1/officials?limit=100{query}")).await.body;
        let expected = field(&all, "code");
        for limit in [1, 2, 4] {
            assert_eq!(
                walk(&app, "/api/v1/officials", query, limit, "code").await,
                expected,
                "{query}, {limit} a page"
            );
        }
    }
    // People without a date of birth last, and first in descending order, on both backends.
    let by_birth = app.get("/api/v1/officials?sort=date_of_birth").await.body;
    assert_eq!(field(&by_birth, "code"), ["E", "B", "C", "F", "A", "D"]);
    let by_birth = app.get("/api/v1/officials?sort=-date_of_birth").await.body;
    assert_eq!(field(&by_birth, "code"), ["D", "A", "F", "C", "B", "E"]);

    // The other lists: sortable, newest first, by username, and one read by offset.
    for role in ["hr", "auditor", "hr"] {
        app.token_for(role, Some(tree.city)).await;
    }
    for _ in 0..3 {
        let reply = app
            .import_csv(
                "units?mode=upsert",
                "code,name,kind,parent_code\nVP-PY-NT,Phường Nam Viêm,ward,VP-PY\n",
            )
            .await;
        assert!(reply.status.is_success(), "{}", reply.body);
    }
    for (path, query, name) in [
        ("/api/v1/units", "&sort=name", "name"),
        ("/api/v1/units", "&sort=-kind", "name"),
        ("/api/v1/units", "&q=phuong", "name"),
        ("/api/v1/audit-log", "", "entity"),
        ("/api/v1/audit-log", "&entity=official", "entity"),
        ("/api/v1/processing-log", "", "request"),
        ("/api/v1/imports", "", "kind"),
        ("/api/v1/users", "", "username"),
        ("/api/v1/enrollments", "", "status"),
    ] {
        let all = app.get(&format!("{path}?limit=100{query}")).await.body;
        assert_eq!(
            walk(&app, path, query, 2, name).await,
            field(&all, name),
            "{path}{query}"
        );
    }
}

#[tokio::test]
async fn the_demo_s_lists_page_alike_by_cursor_and_by_offset() {
    let app = TestApp::spawn_demo().await;
    // The plan with the most needs.
    let plans = app.get("/api/v1/plans?limit=100").await.body;
    let mut most = (0, 0);
    for plan in plans["items"].as_array().unwrap() {
        let id = plan["id"].as_i64().unwrap();
        let needs = app.get(&format!("/api/v1/plans/{id}/needs?limit=1")).await.body;
        most = most.max((needs["total"].as_i64().unwrap(), id));
    }
    let needs = format!("/api/v1/plans/{}/needs", most.1);
    for (path, query, name) in [
        ("/api/v1/enrollments", "", "official_name"),
        ("/api/v1/enrollments", "&status=completed", "class_code"),
        (needs.as_str(), "", "official_code"),
        ("/api/v1/plans", "", "unit_code"),
        ("/api/v1/officials", "&sort=-date_of_birth", "code"),
        ("/api/v1/classes", "&sort=-starts_on", "code"),
    ] {
        let all = app.get(&format!("{path}?limit=500{query}")).await.body;
        let expected = field(&all, name);
        assert!(expected.len() > 3, "{path}{query}: {all}");
        assert_eq!(walk(&app, path, query, 3, name).await, expected, "{path}{query}");
    }
}

/// Twelve given names, three people each, in the tree's two wards: every one a "Nguyễn
/// Văn" (codes `N00`–`N35`); the exact name `Nguyễn Văn` (rank 0, `Z9`), one found by their
/// code (rank 2, `VAN-1`), one found by neither word (`T1`), and holders of one word but not
/// the other between them in name order, where the words' streams part and meet again
/// (`T2`–`T6`). `nguyen van` finds 38 of them.
async fn nguyen_van_people(app: &TestApp, tree: &crate::helpers::Tree) {
    for (at, name) in GIVEN.iter().cycle().take(36).enumerate() {
        let unit = if at % 2 == 0 { tree.ward_a } else { tree.ward_b };
        person(app, unit, &format!("N{at:02}"), &format!("Nguyễn Văn {name}"), None).await;
    }
    person(app, tree.ward_b, "Z9", "Nguyễn Văn", None).await;
    person(app, tree.ward_a, "VAN-1", "Nguyễn Thị Lan", None).await;
    person(app, tree.ward_a, "T1", "Trần Thị Hoa", None).await;
    for (code, name) in [
        ("T2", "Trần Văn An"),
        ("T3", "Nguyễn Thị An"),
        ("T4", "Nguyễn Hữu Hà"),
        ("T5", "Đỗ Văn Hà"),
        ("T6", "Nguyễn Thị Yến"),
    ] {
        person(app, tree.ward_b, code, name, None).await;
    }
}

/// The given names of [`nguyen_van_people`].
const GIVEN: [&str; 12] = [
    "An", "Ân", "Anh", "Bình", "Đạt", "Dũng", "Hà", "Hải", "Hạ", "Khánh", "Lâm", "Yến",
];

#[tokio::test]
async fn a_search_of_common_words_across_every_unit_walks_the_list_rank_by_rank() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    nguyen_van_people(&app, &tree).await;

    // Both words begin a word of enough records for a page of up to 4 to be walked, not
    // gathered from the index: in given-name order, the holders of each word read from the
    // index of words in that order ("van" and the code's "van-1": two streams merged) and
    // joined by leapfrogging; in another order, the list's own index
    // walked, each record's words looked up. A walk that reads too many records without
    // filling the page (the last page, where the one found by its code is) gives way to
    // the gather.
    let records = app.count("SELECT max(id) FROM officials");
    let bound = cadre_records::model::search::walk_bound(5, records);
    for word in ["nguyen", "van"] {
        let entries = app.count(&format!(
            "SELECT count(*) FROM search_words WHERE kind = 1 AND word >= '{word}' AND word < '{word}~'"
        ));
        assert!(entries >= bound, "{word}: {entries} entries, a walk needs {bound}");
    }
    // A page of 100 is gathered (and read by offset, always gathered): the walked pages
    // give the same list.
    for query in [
        "&q=nguyen%20van",
        "&q=van%20ng",
        "&q=nguyen%20van&sort=code",
        "&q=nguyen%20van&sort=-given_name",
        "&q=van%20ng&sort=given_name",
        "&q=nguyen%20van&sort=full_name&count=false",
    ] {
        let all = app.get(&format!("/api/v1/officials?limit=100{query}")).await.body;
        let expected = field(&all, "code");
        assert_eq!(expected.len(), 38, "{query}: {all}");
        for limit in [1, 2, 4] {
            assert_eq!(
                walk(&app, "/api/v1/officials", query, limit, "code").await,
                expected,
                "{query}, {limit} a page"
            );
        }
        let offset = app
            .get(&format!("/api/v1/officials?limit=4&offset=4{query}"))
            .await
            .body;
        assert_eq!(field(&offset, "code"), expected[4..8], "{query}");
    }
    // Ranked: the exact name first, the one found by its code last, the rest by given name.
    let ranked = field(
        &app.get("/api/v1/officials?limit=100&q=nguyen%20van").await.body,
        "full_name",
    );
    assert_eq!(ranked[0], "Nguyễn Văn");
    assert_eq!(ranked[1..4], ["Nguyễn Văn An"; 3]);
    assert_eq!(ranked[4..7], ["Nguyễn Văn Anh"; 3]);
    assert_eq!(ranked[7..10], ["Nguyễn Văn Ân"; 3]);
    assert_eq!(ranked[37], "Nguyễn Thị Lan");
    // An exact code is rank 0 too.
    let by_code = app.get("/api/v1/officials?limit=1&q=van-1").await.body;
    assert_eq!(field(&by_code, "code"), ["VAN-1"]);
}

/// The officials `query` finds (ranked, in given-name order, either way), read whole (100 a
/// page: gathered from the index of words, the reference) and page after page of 1, 2 and 4
/// (walked, when the words are common enough): the same list of codes, `expected` long.
async fn same_walked_and_gathered(app: &TestApp, query: &str, expected: usize) {
    let all = app.get(&format!("/api/v1/officials?limit=100{query}")).await.body;
    let gathered = field(&all, "code");
    assert_eq!(gathered.len(), expected, "{query}: {all}");
    assert_eq!(all["total"], expected, "{query}");
    for limit in [1, 2, 4] {
        assert_eq!(
            walk(app, "/api/v1/officials", query, limit, "code").await,
            gathered,
            "{query}, {limit} a page"
        );
    }
}

#[tokio::test]
async fn a_search_of_common_words_within_a_region_walks_the_regions_words_and_follows_moves() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    // The city is a region (on the tree's second level, under the province). A second city
    // of the province, whose people match as well: a search within the first must not find
    // them until they are in it.
    let town = app
        .unit("VP-VY", "Thành phố Vĩnh Yên", "city", Some(tree.province))
        .await;
    let ward_c = app.unit("VP-VY-LB", "Phường Liên Bảo", "ward", Some(town)).await;
    nguyen_van_people(&app, &tree).await;
    let mut elsewhere = Vec::new();
    for (at, name) in GIVEN.iter().enumerate() {
        elsewhere.push(person(&app, ward_c, &format!("M{at:02}"), &format!("Nguyễn Văn {name}"), None).await);
    }

    // Both words begin a word of enough of the region's records for a page of up to 4 to be
    // walked from the region's own index of words (a page of 100 is gathered).
    let within = app.count(&format!(
        "SELECT count(*) FROM officials o JOIN units u ON u.id = o.unit_id \
         WHERE u.path LIKE (SELECT path FROM units WHERE id = {}) || '%'",
        tree.city
    ));
    let bound = cadre_records::model::search::walk_bound(5, within);
    for word in ["nguyen", "van"] {
        let entries = app.count(&format!(
            "SELECT count(*) FROM search_words WHERE kind = 1 AND region_id = {} \
             AND word >= '{word}' AND word < '{word}~'",
            tree.city
        ));
        assert!(
            entries >= bound,
            "{word}: {entries} entries in the region, a walk needs {bound}"
        );
    }
    let city = tree.city;
    let queries = |unit: i64| {
        [
            format!("&unit_id={unit}&q=nguyen%20van"),
            format!("&unit_id={unit}&q=van%20ng"),
            format!("&unit_id={unit}&q=nguyen%20van&sort=-given_name"),
            format!("&unit_id={unit}&q=nguyen%20van&sort=code"),
        ]
    };
    for query in queries(city) {
        same_walked_and_gathered(&app, &query, 38).await;
    }
    // Within the root's subtree: the index of everyone's words, each match checked.
    for query in queries(tree.province) {
        same_walked_and_gathered(&app, &query, 50).await;
    }

    // The second city moves under the first: its people's words move into the region.
    let moved = app
        .patch(&format!("/api/v1/units/{town}"), json!({"parent_id": city}))
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    for query in queries(city) {
        same_walked_and_gathered(&app, &query, 50).await;
    }
    // One of them moves to the province's own staff, out of every region.
    let out = app
        .patch(
            &format!("/api/v1/officials/{}", elsewhere[0]),
            json!({"unit_id": tree.province}),
        )
        .await;
    assert_eq!(out.status, StatusCode::OK, "{}", out.body);
    for query in queries(city) {
        same_walked_and_gathered(&app, &query, 49).await;
    }
    let walked = field(
        &app.get(&format!(
            "/api/v1/officials?limit=4&unit_id={city}&q=nguyen%20van&sort=-given_name"
        ))
        .await
        .body,
        "code",
    );
    assert_eq!(walked[0], "M11", "the last Nguyễn Văn Yến first: {walked:?}");
}
