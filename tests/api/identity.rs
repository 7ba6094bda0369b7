//! The identity fields the official statistics count (issue #14): the personal
//! identification number, the ethnic group and the religion, by the statistics office's codes
//! — written and changed through the API, checked, unique, listed by `GET /enums`, and carried
//! by the officials' imports and exports.

use reqwest::StatusCode;
use rust_xlsxwriter::Workbook;
use serde_json::json;

use crate::helpers::{TestApp, XLSX};

#[tokio::test]
async fn the_lists_come_from_the_reference_files() {
    let app = TestApp::spawn().await;
    let enums = app.get("/api/v1/enums").await.body;
    let groups = enums["enums"]["ethnicity"].as_array().unwrap();
    assert_eq!(groups.len(), 54);
    assert_eq!(groups[0], json!({"code": "01", "label": "Kinh"}));
    assert_eq!(groups[53], json!({"code": "54", "label": "Rơ-măm"}));
    let religions = enums["enums"]["religion"].as_array().unwrap();
    assert_eq!(religions[0], json!({"code": "00", "label": "Không"}));
    assert_eq!(religions[2], json!({"code": "02", "label": "Công giáo"}));
}

#[tokio::test]
async fn identity_fields_are_written_checked_and_unique() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let person = |code: &str, national_id: &str| {
        json!({"code": code, "full_name": "Hà Thị Mai", "gender": "female", "date_of_birth": "1985-02-03",
               "unit_id": tree.ward_a, "category": "civil_servant",
               "national_id": national_id, "ethnicity": "02", "religion": "00"})
    };
    let mai = app.official(person("M-1", "026 185 000 123")).await;
    assert_eq!(
        mai["national_id"], "026185000123",
        "the spaces between groups are dropped"
    );
    assert_eq!((&mai["ethnicity"], &mai["religion"]), (&json!("02"), &json!("00")));
    let id = mai["id"].as_i64().unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/officials/{id}")).await.body["ethnicity"],
        "02"
    );

    // A number that is not 12 digits, or not from a province; codes not in the lists.
    for (field, value) in [
        ("national_id", json!("02618500012")),
        ("national_id", json!("999185000123")),
        ("national_id", json!(26_185_000_123_u64)),
        ("ethnicity", json!("99")),
        ("ethnicity", json!("Kinh")),
        ("religion", json!("17")),
    ] {
        let mut body = person("M-2", "001090000001");
        body[field] = value.clone();
        let reply = app.post("/api/v1/officials", body).await;
        reply.assert_fields(&[field]);
        let detail = reply.body.to_string();
        assert!(!detail.contains("line 1"), "the message is the API's own: {detail}");
    }
    // A number another official holds, given at creation or by a change.
    let taken = app.post("/api/v1/officials", person("M-2", "026185000123")).await;
    taken.assert_code(409, "duplicate");
    assert!(taken.body.to_string().contains("national_id"), "{}", taken.body);
    let other = app.official(person("M-2", "001090000001")).await;
    let other_id = other["id"].as_i64().unwrap();
    let change = app
        .patch(
            &format!("/api/v1/officials/{other_id}"),
            json!({"national_id": "026185000123"}),
        )
        .await;
    change.assert_code(409, "duplicate");
    assert_eq!(app.get("/api/v1/officials").await.body["total"], 2);

    // Changed and cleared by a PATCH; an unknown religion is `null`.
    let changed = app
        .patch(
            &format!("/api/v1/officials/{other_id}"),
            json!({"ethnicity": "18", "religion": null, "national_id": null}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(changed.body["ethnicity"], "18");
    assert_eq!(changed.body["religion"], json!(null));
    assert_eq!(changed.body["national_id"], json!(null));
    let entry = app
        .get(&format!(
            "/api/v1/audit-log?entity=official&entity_id={other_id}&action=update"
        ))
        .await;
    assert_eq!(
        entry.body["items"][0]["after"]["ethnicity"], "18",
        "the change is in the audit log"
    );
}

/// One row typed by hand: code, name, national ID and ethnic code typed as numbers (the
/// spreadsheet drops their leading zeros), religion by name.
type Typed<'a> = (&'a str, &'a str, f64, f64, &'a str);

/// A workbook of officials of the ward `A` typed by hand.
fn typed_by_hand(rows: &[Typed]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let header = [
        "Mã cán bộ",
        "Họ và tên",
        "Giới tính",
        "Đối tượng",
        "Mã đơn vị công tác",
        "Số định danh cá nhân",
        "Dân tộc",
        "Tôn giáo",
    ];
    for (c, text) in (0u16..).zip(header) {
        sheet.write_string(0, c, text).unwrap();
    }
    for (r, &(code, name, national_id, ethnicity, religion)) in (1u32..).zip(rows) {
        sheet.write_string(r, 0, code).unwrap();
        sheet.write_string(r, 1, name).unwrap();
        sheet.write_string(r, 2, "Nam").unwrap();
        sheet.write_string(r, 3, "civil_servant").unwrap();
        sheet.write_string(r, 4, "A").unwrap();
        sheet.write_number(r, 5, national_id).unwrap();
        sheet.write_number(r, 6, ethnicity).unwrap();
        sheet.write_string(r, 7, religion).unwrap();
    }
    book.save_to_buffer().unwrap()
}

const DUNG: Typed = ("N-1", "Nông Văn Dũng", 26_080_000_001.0, 2.0, "Phật giáo");
const EN: Typed = ("N-2", "Lò Thị Én", 26_185_000_002.0, 3.0, "Không");
const PHU: Typed = ("N-3", "Đinh Văn Phú", 26_080_000_001.0, 1.0, "Không");

#[tokio::test]
async fn imports_read_identity_fields_as_people_type_them_and_refuse_a_number_twice() {
    let app = TestApp::spawn().await;
    app.import_csv(
        "units",
        "code,name,kind,parent_code\nP,Tỉnh P,province,\nA,Phường A,ward,P\n",
    )
    .await;
    let son = app
        .official(
            json!({"code": "S-1", "full_name": "Trần Văn Sơn", "gender": "male", "category": "cadre",
                         "unit_id": app.unit_id("A").await, "national_id": "026185000002"}),
        )
        .await;
    // Én's number is the stored Sơn's; Phú repeats Dũng's.
    let reply = app
        .import_as(
            "officials",
            Some(&app.admin_token),
            XLSX,
            typed_by_hand(&[DUNG, EN, PHU]),
        )
        .await;
    let rows = reply.problem_body(422)["rows"].as_array().unwrap().clone();
    let cells: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["cell"].as_str().unwrap(), r["message"].as_str().unwrap()))
        .collect();
    assert_eq!(cells.len(), 2, "{rows:?}");
    assert_eq!(cells[0].0, "F3");
    assert!(cells[0].1.contains("S-1"), "{rows:?}");
    assert_eq!(cells[1].0, "F4");
    assert!(cells[1].1.contains("N-1"), "{rows:?}");
    assert_eq!(
        app.get("/api/v1/officials").await.body["total"],
        1,
        "nothing is written"
    );

    // Once Sơn's number is cleared: the zeros come back, the numbers read as codes.
    let son_id = son["id"].as_i64().unwrap();
    app.patch(&format!("/api/v1/officials/{son_id}"), json!({"national_id": null}))
        .await;
    let reply = app
        .import_as("officials", Some(&app.admin_token), XLSX, typed_by_hand(&[DUNG, EN]))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let dung = &app.get("/api/v1/officials?q=dung").await.body["items"][0];
    assert_eq!(
        (&dung["national_id"], &dung["ethnicity"], &dung["religion"]),
        (&json!("026080000001"), &json!("02"), &json!("01"))
    );
    let en = &app.get("/api/v1/officials?q=lo thi").await.body["items"][0];
    assert_eq!(
        (&en["national_id"], &en["ethnicity"], &en["religion"]),
        (&json!("026185000002"), &json!("03"), &json!("00"))
    );

    // The export names them (codes, or names for people), and imports back unchanged.
    let table = app.download("/api/v1/officials/download?labels=codes").await.csv();
    let column = |key: &str| table[0].iter().position(|h| h == key).unwrap();
    let dung_row = table.iter().find(|row| row[0] == "N-1").unwrap();
    assert_eq!(dung_row[column("national_id")], "026080000001");
    assert_eq!(dung_row[column("ethnicity")], "02");
    let vietnamese = app.download("/api/v1/officials/download").await;
    let names = vietnamese.csv();
    assert!(names.iter().any(|row| row.contains(&"Tày".to_owned())), "{names:?}");
    let back = app
        .import_as(
            "officials?mode=upsert&dry_run=true",
            Some(&app.admin_token),
            "text/csv",
            vietnamese.bytes,
        )
        .await;
    assert_eq!(back.status, StatusCode::CREATED, "{}", back.body);
    assert_eq!(back.body["unchanged"], 3, "{}", back.body);
}
