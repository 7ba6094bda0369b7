//! Personal data protection: who sees a person's sensitive data and full national ID, in
//! single reads, lists, files and write answers, and the processing entry every disclosure
//! leaves — exactly one per request that shows any, none for one that shows nothing.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::TestApp;

/// Two wards of one city; in ward A a person with every protected field and one with none,
/// in ward B another with every field.
struct People {
    ward_a: i64,
    full: i64,
    bare: i64,
    elsewhere: i64,
}

async fn people(app: &TestApp) -> People {
    let tree = app.tree().await;
    let official = |code: &str, unit: i64, national_id: Option<&str>| {
        let mut body = json!({"code": code, "full_name": format!("Người {code}"), "gender": "female",
                              "unit_id": unit, "category": "civil_servant", "started_on": "2015-01-05"});
        if let Some(number) = national_id {
            body["national_id"] = json!(number);
            body["ethnicity"] = json!("02");
            body["religion"] = json!("01");
            body["party_joined_on"] = json!("2010-05-19");
        }
        body
    };
    let full = app.official(official("A-1", tree.ward_a, Some("026185001234"))).await;
    let bare = app.official(official("A-2", tree.ward_a, None)).await;
    let elsewhere = app.official(official("B-1", tree.ward_b, Some("026185005678"))).await;
    People {
        ward_a: tree.ward_a,
        full: full["id"].as_i64().unwrap(),
        bare: bare["id"].as_i64().unwrap(),
        elsewhere: elsewhere["id"].as_i64().unwrap(),
    }
}

/// The processing log's entries, newest first.
async fn log(app: &TestApp) -> Vec<Value> {
    let page = app.get("/api/v1/processing-log?limit=500").await;
    assert_eq!(page.status, 200, "{}", page.body);
    page.body["items"].as_array().unwrap().clone()
}

/// What the `count` newest entries say: `(endpoint, request, fields, people)`.
fn said(entries: &[Value], count: usize) -> Vec<(String, String, Vec<String>, i64)> {
    entries[..count]
        .iter()
        .map(|e| {
            (
                e["endpoint"].as_str().unwrap().to_owned(),
                e["request"].as_str().unwrap().to_owned(),
                e["fields"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f.as_str().unwrap().to_owned())
                    .collect(),
                e["people"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// The item of a page with this id.
fn item(page: &Value, id: i64) -> &Value {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == id)
        .unwrap_or_else(|| panic!("no {id} in {page}"))
}

/// The text of the page at `path`, read with `token`.
async fn text_as(app: &TestApp, path: &str, token: &str) -> String {
    let reply = app
        .client
        .get(format!("{}{path}", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    reply.text().await.unwrap()
}

const ALL: [&str; 4] = ["ethnicity", "religion", "party_joined_on", "national_id"];
const SENSITIVE: [&str; 3] = ["ethnicity", "religion", "party_joined_on"];

/// Whether `official` shows every protected field in full.
fn shows_all(official: &Value) {
    assert_eq!(official["ethnicity"], "02", "{official}");
    assert_eq!(official["religion"], "01", "{official}");
    assert_eq!(official["party_joined_on"], "2010-05-19", "{official}");
    assert_eq!(official["national_id"].as_str().unwrap().len(), 12, "{official}");
}

/// Whether `official` shows none: the sensitive fields left out, the national ID masked.
fn shows_none(official: &Value) {
    for field in SENSITIVE {
        assert!(official.get(field).is_none(), "{field} in {official}");
    }
    if let Some(number) = official["national_id"].as_str() {
        assert!(
            number.starts_with("••••••••") && number.chars().count() == 12,
            "{official}"
        );
    }
    assert!(official["full_name"].is_string() && official["gender"].is_string());
}

#[tokio::test]
async fn one_persons_record_shows_everything_to_admins_and_their_hr_only_and_is_logged() {
    let app = TestApp::spawn().await;
    let p = people(&app).await;
    let hr = app.token_for("hr", Some(p.ward_a)).await;
    let auditor = app.token_for("auditor", None).await;
    let before = log(&app).await.len();
    assert_eq!(
        before,
        2,
        "each creation's answer disclosed its person: {:?}",
        log(&app).await
    );

    // The admin: everything, one entry naming the fields and the person.
    let read = app.get(&format!("/api/v1/officials/{}", p.full)).await;
    shows_all(&read.body);
    let entries = log(&app).await;
    assert_eq!(entries.len(), before + 1);
    assert_eq!(
        said(&entries, 1),
        [(
            "GET /api/v1/officials/{id}".to_owned(),
            format!("GET /api/v1/officials/{}", p.full),
            ALL.map(str::to_owned).to_vec(),
            1
        )]
    );
    assert!(
        entries[0]["user_id"].is_i64() && entries[0]["actor"] == "admin",
        "{}",
        entries[0]
    );

    // Their hr: everything, logged under the clerk's name; someone outside the subtree: a 403, nothing logged.
    let read = app
        .send(Method::GET, &format!("/api/v1/officials/{}", p.full), Some(&hr), None)
        .await;
    shows_all(&read.body);
    let refused = app
        .send(
            Method::GET,
            &format!("/api/v1/officials/{}", p.elsewhere),
            Some(&hr),
            None,
        )
        .await;
    refused.assert_problem(403);
    let entries = log(&app).await;
    assert_eq!(entries.len(), before + 2);
    assert_ne!(entries[0]["actor"], "admin");

    // An auditor: the record without them, the number masked, nothing logged.
    let read = app
        .send(
            Method::GET,
            &format!("/api/v1/officials/{}", p.full),
            Some(&auditor),
            None,
        )
        .await;
    assert_eq!(read.status, 200);
    shows_none(&read.body);
    assert_eq!(read.body["national_id"], "••••••••1234");
    // A person with nothing protected: nothing disclosed, nothing logged.
    let read = app.get(&format!("/api/v1/officials/{}", p.bare)).await;
    assert_eq!(read.body["ethnicity"], Value::Null);
    assert_eq!(log(&app).await.len(), before + 2);

    // A write's answer is the record as its writer may read it, logged in the write.
    let changed = app
        .patch(
            &format!("/api/v1/officials/{}", p.full),
            json!({"full_name": "Người A Một"}),
        )
        .await;
    shows_all(&changed.body);
    let entries = log(&app).await;
    assert_eq!(
        said(&entries, 1),
        [(
            "PATCH /api/v1/officials/{id}".to_owned(),
            format!("PATCH /api/v1/officials/{}", p.full),
            ALL.map(str::to_owned).to_vec(),
            1
        )]
    );
    // So are a move's and a separation's, each under its own operation.
    let moved = app
        .post(
            &format!("/api/v1/officials/{}/transfer", p.elsewhere),
            json!({"unit_id": p.ward_a, "effective_on": "2020-01-01"}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    shows_all(&moved.body);
    let left = app
        .post(
            &format!("/api/v1/officials/{}/separation", p.elsewhere),
            json!({"status": "retired", "effective_on": "2021-01-01"}),
        )
        .await;
    assert_eq!(left.status, 200, "{}", left.body);
    shows_all(&left.body);
    let entries = log(&app).await;
    assert_eq!(
        said(&entries, 2),
        [
            (
                "POST /api/v1/officials/{id}/separation".to_owned(),
                format!("POST /api/v1/officials/{}/separation", p.elsewhere),
                ALL.map(str::to_owned).to_vec(),
                1
            ),
            (
                "POST /api/v1/officials/{id}/transfer".to_owned(),
                format!("POST /api/v1/officials/{}/transfer", p.elsewhere),
                ALL.map(str::to_owned).to_vec(),
                1
            )
        ]
    );
}

#[tokio::test]
async fn lists_and_files_show_protected_fields_only_when_asked_by_whom_may_see_them() {
    let app = TestApp::spawn().await;
    let p = people(&app).await;
    let hr = app.token_for("hr", Some(p.ward_a)).await;
    let auditor = app.token_for("auditor", None).await;
    let before = log(&app).await.len();

    // By default: left out, masked, nothing logged — for every role.
    for token in [&app.admin_token, &hr, &auditor] {
        let page = app.send(Method::GET, "/api/v1/officials", Some(token), None).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let items = page.body["items"].as_array().unwrap();
        assert!(!items.is_empty());
        items.iter().for_each(shows_none);
    }
    assert_eq!(log(&app).await.len(), before);

    // `fields=` shows what it names; one entry, the people who had a value.
    let page = app.get("/api/v1/officials?fields=ethnicity").await.body;
    let full = item(&page, p.full);
    assert_eq!(full["ethnicity"], "02");
    assert!(full.get("religion").is_none());
    assert_eq!(full["national_id"], "••••••••1234");
    let entries = log(&app).await;
    assert_eq!(entries.len(), before + 1);
    assert_eq!(
        said(&entries, 1),
        [(
            "GET /api/v1/officials".to_owned(),
            "GET /api/v1/officials?fields=ethnicity".to_owned(),
            vec!["ethnicity".to_owned()],
            2
        )]
    );
    // `include=sensitive` shows all of them; hr sees its subtree's only.
    let page = app
        .send(Method::GET, "/api/v1/officials?include=sensitive", Some(&hr), None)
        .await;
    let items = page.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    shows_all(items.iter().find(|o| o["id"] == p.full).unwrap());
    assert_eq!(said(&log(&app).await, 1)[0].3, 1, "the bare one disclosed nothing");
    // National IDs in full only.
    let page = app.get("/api/v1/officials?fields=national_id").await.body;
    let full = item(&page, p.full);
    assert_eq!(full["national_id"], "026185001234");
    assert!(full.get("ethnicity").is_none());
    assert_eq!(said(&log(&app).await, 1)[0].2, ["national_id"]);
    let logged = log(&app).await.len();

    // An auditor asking: a 403 naming the rule; a name that is no protected field: a 422.
    for query in ["fields=ethnicity", "include=sensitive", "fields=national_id"] {
        let refused = app
            .send(Method::GET, &format!("/api/v1/officials?{query}"), Some(&auditor), None)
            .await;
        let detail = refused.problem_body(403)["detail"].as_str().unwrap().to_owned();
        assert!(detail.contains("auditors never see"), "{detail}");
        let refused = app
            .send(
                Method::GET,
                &format!("/api/v1/officials/download?{query}"),
                Some(&auditor),
                None,
            )
            .await;
        refused.assert_problem(403);
    }
    app.get("/api/v1/officials?fields=code")
        .await
        .assert_fields(&["fields"]);
    assert_eq!(log(&app).await.len(), logged);

    // A file: without the sensitive columns and with masked numbers unless asked; one entry per file.
    let file = app.download("/api/v1/officials/download?labels=codes").await.csv();
    assert!(
        SENSITIVE.iter().all(|field| !file[0].iter().any(|h| h == field)),
        "{:?}",
        file[0]
    );
    let number = file[0].iter().position(|h| h == "national_id").unwrap();
    assert!(file.iter().any(|row| row[number] == "••••••••1234"), "{file:?}");
    assert_eq!(log(&app).await.len(), logged);
    let file = app
        .download("/api/v1/officials/download?labels=codes&include=sensitive")
        .await
        .csv();
    for field in ALL {
        assert!(file[0].iter().any(|h| h == field), "{field}");
    }
    assert!(
        file.iter().any(|row| row.contains(&"026185001234".to_owned())),
        "{file:?}"
    );
    let entries = log(&app).await;
    assert_eq!(entries.len(), logged + 1);
    assert_eq!(
        said(&entries, 1),
        [(
            "GET /api/v1/officials/download".to_owned(),
            "GET /api/v1/officials/download?labels=codes&include=sensitive".to_owned(),
            ALL.map(str::to_owned).to_vec(),
            2
        )]
    );
}

#[tokio::test]
async fn a_person_sees_every_disclosure_of_their_data_and_the_log_is_filtered_and_exported() {
    let app = TestApp::spawn().await;
    let p = people(&app).await;
    let (hr_id, hr) = app.user_with_token("hr", Some(p.ward_a)).await;
    app.send(Method::GET, &format!("/api/v1/officials/{}", p.full), Some(&hr), None)
        .await;
    app.get("/api/v1/officials?include=sensitive").await;
    app.get(&format!("/api/v1/officials/{}", p.elsewhere)).await;

    // A's: the creation, the clerk's read, the list; B's list and read are not A's.
    let own = app
        .get(&format!("/api/v1/officials/{}/processing-log", p.full))
        .await
        .body;
    let endpoints: Vec<&str> = own["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["endpoint"].as_str().unwrap())
        .collect();
    assert_eq!(
        endpoints,
        [
            "GET /api/v1/officials",
            "GET /api/v1/officials/{id}",
            "POST /api/v1/officials"
        ]
    );
    assert_eq!(own["total"], 3);
    let bare = app
        .get(&format!("/api/v1/officials/{}/processing-log", p.bare))
        .await
        .body;
    assert_eq!(bare["total"], 0, "nothing of theirs was ever disclosed");
    // The clerk may ask for their own people, not for others.
    let asked = app
        .send(
            Method::GET,
            &format!("/api/v1/officials/{}/processing-log", p.full),
            Some(&hr),
            None,
        )
        .await;
    assert_eq!(asked.body["total"], 3);
    app.send(
        Method::GET,
        &format!("/api/v1/officials/{}/processing-log", p.elsewhere),
        Some(&hr),
        None,
    )
    .await
    .assert_problem(403);

    // Filters: by person and by user.
    let by_person = app
        .get(&format!("/api/v1/processing-log?official_id={}", p.elsewhere))
        .await
        .body;
    assert_eq!(by_person["total"], 3, "created, listed, read: {by_person}");
    let by_user = app.get(&format!("/api/v1/processing-log?user_id={hr_id}")).await.body;
    assert_eq!(by_user["total"], 1);
    assert_eq!(by_user["items"][0]["people"], 1);

    // The log as a file, read back.
    let file = app.download("/api/v1/processing-log/download?labels=codes").await.csv();
    assert_eq!(
        file[0],
        ["id", "at", "user_id", "actor", "endpoint", "request", "fields", "people"]
    );
    assert_eq!(file.len(), 1 + 5, "two creations, three reads");
    assert!(file
        .iter()
        .any(|row| row[6] == "ethnicity,religion,party_joined_on,national_id"));
}

/// An export whose national IDs are masked imports back unchanged: the stored numbers stay.
#[tokio::test]
async fn a_masked_number_in_a_file_leaves_the_stored_one() {
    let app = TestApp::spawn().await;
    let p = people(&app).await;
    let file = app.download("/api/v1/officials/download").await;
    let back = app
        .import_as("officials?mode=upsert", Some(&app.admin_token), "text/csv", file.bytes)
        .await;
    assert_eq!(back.status, 201, "{}", back.body);
    assert_eq!(back.body["updated"], 0, "{}", back.body);
    let full = app.get(&format!("/api/v1/officials/{}", p.full)).await.body;
    shows_all(&full);
    assert_eq!(full["national_id"], "026185001234");
}

/// The personnel record and its print: everything for admins and hr, logged; for an auditor
/// the sensitive fields are left out of the JSON, "not shown" on the form, the number masked.
#[tokio::test]
async fn the_record_and_its_print_follow_the_same_rules() {
    let app = TestApp::spawn().await;
    let p = people(&app).await;
    let auditor = app.token_for("auditor", None).await;
    let path = format!("/api/v1/officials/{}/record", p.full);
    let before = log(&app).await.len();

    let record = app.get(&path).await.body;
    assert_eq!(record["identity"]["ethnicity"]["code"], "02", "{record}");
    assert_eq!(record["identity"]["national_id"], "026185001234");
    assert_eq!(record["identity"]["party_joined_on"], "2010-05-19");
    let entries = log(&app).await;
    assert_eq!(entries.len(), before + 1);
    assert_eq!(said(&entries, 1)[0].0, "GET /api/v1/officials/{id}/record");
    let page = text_as(&app, &format!("{path}?format=html"), &app.admin_token).await;
    assert!(page.contains("Tày") && page.contains("026185001234"), "{page}");
    assert_eq!(log(&app).await.len(), before + 2, "the print is a disclosure too");

    let record = app.send(Method::GET, &path, Some(&auditor), None).await.body;
    let identity = record["identity"].as_object().unwrap();
    for field in SENSITIVE {
        assert!(!identity.contains_key(field), "{field} in {record}");
    }
    assert_eq!(identity["national_id"], "••••••••1234");
    assert_eq!(identity["full_name"], "Người A-1");
    let page = text_as(&app, &format!("{path}?format=html"), &auditor).await;
    assert!(!page.contains("Tày") && !page.contains("026185001234"), "{page}");
    assert!(page.contains("không hiển thị"), "{page}");
    let sheet = app
        .download_as(&format!("{path}?format=xlsx"), &auditor, None)
        .await
        .xlsx();
    let cells: Vec<String> = sheet.iter().flatten().map(ToString::to_string).collect();
    assert!(
        !cells.iter().any(|c| c.contains("Tày") || c.contains("026185001234")),
        "{cells:?}"
    );
    assert_eq!(log(&app).await.len(), before + 2, "nothing disclosed to the auditor");
}

/// The audit log keeps each official as written; it shows them as lists do: an auditor never
/// sees the sensitive fields or the full number, an admin only when asking, and logged.
#[tokio::test]
async fn the_audit_log_shows_officials_as_lists_do() {
    let app = TestApp::spawn().await;
    let p = people(&app).await;
    let auditor = app.token_for("auditor", None).await;
    let path = format!("/api/v1/audit-log?entity=official&entity_id={}", p.full);
    let before = log(&app).await.len();

    for token in [&app.admin_token, &auditor] {
        let entries = app.send(Method::GET, &path, Some(token), None).await.body;
        let after = &entries["items"][0]["after"];
        assert_eq!(after["full_name"], "Người A-1", "{entries}");
        shows_none(after);
        assert_eq!(after["national_id"], "••••••••1234");
        let file = app
            .download_as(
                &format!("{path}&format=csv").replace("audit-log?", "audit-log/download?"),
                token,
                None,
            )
            .await
            .csv();
        let text = file.concat().concat();
        assert!(!text.contains("026185001234") && !text.contains("\"02\""), "{text}");
    }
    assert_eq!(log(&app).await.len(), before);
    app.send(Method::GET, &format!("{path}&include=sensitive"), Some(&auditor), None)
        .await
        .assert_problem(403);

    let entries = app.get(&format!("{path}&include=sensitive")).await.body;
    shows_all(&entries["items"][0]["after"]);
    let entries = log(&app).await;
    assert_eq!(entries.len(), before + 1);
    assert_eq!(said(&entries, 1)[0].2, ALL);
    assert_eq!(said(&entries, 1)[0].3, 1);
}
