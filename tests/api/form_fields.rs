//! The fields the official statistics need (issue #14): the personal identification number,
//! the ethnic group and the religion by the statistics office's codes, civil-service ranks as
//! dated history, leading posts, the course kind of defence and security — written and
//! changed through the API, checked, listed by `GET /enums`, and carried by the imports and
//! exports.

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
            "/api/v1/audit-log?entity=official&entity_id={other_id}&action=update&include=sensitive"
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
    let dung = &app.get("/api/v1/officials?q=dung&include=sensitive").await.body["items"][0];
    assert_eq!(
        (&dung["national_id"], &dung["ethnicity"], &dung["religion"]),
        (&json!("026080000001"), &json!("02"), &json!("01"))
    );
    let en = &app.get("/api/v1/officials?q=lo thi&include=sensitive").await.body["items"][0];
    assert_eq!(
        (&en["national_id"], &en["ethnicity"], &en["religion"]),
        (&json!("026185000002"), &json!("03"), &json!("00"))
    );

    // The export names them (codes, or names for people), and imports back unchanged.
    let table = app
        .download("/api/v1/officials/download?labels=codes&include=sensitive")
        .await
        .csv();
    let column = |key: &str| table[0].iter().position(|h| h == key).unwrap();
    let dung_row = table.iter().find(|row| row[0] == "N-1").unwrap();
    assert_eq!(dung_row[column("national_id")], "026080000001");
    assert_eq!(dung_row[column("ethnicity")], "02");
    let vietnamese = app.download("/api/v1/officials/download?include=sensitive").await;
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

#[tokio::test]
async fn ranks_are_dated_history_and_the_latest_is_the_current_one() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let official = app
        .official(
            json!({"code": "R-1", "full_name": "Vũ Văn Hải", "gender": "male", "date_of_birth": "1980-01-01",
                         "unit_id": tree.ward_a, "category": "civil_servant", "started_on": "2005-01-01"}),
        )
        .await;
    let id = official["id"].as_i64().unwrap();
    assert_eq!(official["rank"], json!(null));
    let ranks = format!("/api/v1/officials/{id}/ranks");

    let first = app.post(&ranks, json!({"rank": "clerk", "since": "2005-01-01"})).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let location = first.header("location").unwrap();
    assert_eq!(app.get(&location).await.body["rank"], "clerk");
    // Recorded late: a promotion of 2012 after one of 2019 does not change the current rank.
    app.post(&ranks, json!({"rank": "principal_specialist", "since": "2019-07-01"}))
        .await;
    app.post(&ranks, json!({"rank": "specialist", "since": "2012-03-01"}))
        .await;
    let current = app.get(&format!("/api/v1/officials/{id}")).await.body;
    assert_eq!(current["rank"], "principal_specialist");
    let history = app.get(&ranks).await.body;
    let days: Vec<(&str, &str)> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["since"].as_str().unwrap(), r["rank"].as_str().unwrap()))
        .collect();
    assert_eq!(
        days,
        [
            ("2005-01-01", "clerk"),
            ("2012-03-01", "specialist"),
            ("2019-07-01", "principal_specialist")
        ]
    );

    // Refused: a second rank the same day, a day ahead, before birth, an unknown rank.
    app.post(&ranks, json!({"rank": "staff", "since": "2019-07-01"}))
        .await
        .assert_code(409, "duplicate");
    app.post(&ranks, json!({"rank": "staff", "since": "2999-01-01"}))
        .await
        .assert_fields(&["since"]);
    app.post(&ranks, json!({"rank": "staff", "since": "1979-12-31"}))
        .await
        .assert_fields(&["since"]);
    app.post(&ranks, json!({"rank": "chief", "since": "2020-01-01"}))
        .await
        .assert_fields(&["rank"]);
    assert_eq!(app.get(&ranks).await.body.as_array().unwrap().len(), 3);

    // A record made by mistake is deleted; the current rank follows from those left.
    let latest = history[2]["id"].as_i64().unwrap();
    let gone = app.delete(&format!("{ranks}/{latest}")).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT, "{}", gone.body);
    assert_eq!(
        app.get(&format!("/api/v1/officials/{id}")).await.body["rank"],
        "specialist"
    );
    let logged = app.get("/api/v1/audit-log?entity=rank").await.body;
    assert_eq!(logged["total"], 4, "three records and a deletion: {logged}");

    // An hr user of another unit sees none of it.
    let other = app.token_for("hr", Some(tree.ward_b)).await;
    let refused = app.send(reqwest::Method::GET, &ranks, Some(&other), None).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // Deleting the official takes their ranks with their other history.
    let deleted = app.delete(&format!("/api/v1/officials/{id}")).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.body);
    assert_eq!(app.count("SELECT count(*) FROM official_ranks"), 0);
}

#[tokio::test]
async fn imports_record_ranks_and_exports_give_them_back() {
    let app = TestApp::spawn().await;
    app.import_csv(
        "units",
        "code,name,kind,parent_code\nP,Tỉnh P,province,\nA,Phường A,ward,P\n",
    )
    .await;
    // A rank without its day is held from the post's first day; one before birth is refused.
    let file = "code,full_name,gender,date_of_birth,category,unit_code,started_on,rank,rank_since\n\
                K-1,Phạm Văn Khoa,male,1980-01-01,civil_servant,A,2010-01-01,specialist,\n\
                K-2,Đỗ Thị Lan,female,1985-01-01,civil_servant,A,2012-01-01,Chuyên viên chính,2020-05-01\n\
                K-3,Hồ Văn Minh,male,1990-01-01,civil_servant,A,2015-01-01,clerk,1989-01-01\n";
    let rows = app.import_csv("officials", file).await.problem_body(422)["rows"]
        .as_array()
        .unwrap()
        .clone();
    let cells: Vec<&str> = rows.iter().map(|r| r["cell"].as_str().unwrap()).collect();
    assert_eq!(cells, ["I4"], "{rows:?}");
    let file = file.replace("clerk,1989-01-01", "clerk,");
    let reply = app.import_csv("officials", &file).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let khoa = app.get("/api/v1/officials?q=khoa").await.body["items"][0].clone();
    assert_eq!(khoa["rank"], "specialist");
    let khoa_id = khoa["id"].as_i64().unwrap();
    let ranks = app.get(&format!("/api/v1/officials/{khoa_id}/ranks")).await.body;
    assert_eq!(ranks[0]["since"], "2010-01-01");
    let lan = app.get("/api/v1/officials?q=lan").await.body["items"][0].clone();
    assert_eq!(lan["rank"], "principal_specialist");
    assert_eq!(app.get("/api/v1/audit-log?entity=rank").await.body["total"], 3);

    // An upsert: a new rank needs its day; the same rank is unchanged.
    let promoted = "code,full_name,gender,unit_code,rank,rank_since\n\
                    K-1,Phạm Văn Khoa,male,A,principal_specialist,\n";
    let rows = app
        .import_csv("officials?mode=upsert", promoted)
        .await
        .problem_body(422)["rows"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(rows[0]["cell"], "F2", "{rows:?}");
    let promoted = promoted.replace("principal_specialist,", "principal_specialist,2024-01-01");
    let reply = app.import_csv("officials?mode=upsert", &promoted).await;
    assert_eq!(
        (&reply.body["updated"], &reply.body["unchanged"]),
        (&json!(1), &json!(0)),
        "{}",
        reply.body
    );
    let reply = app.import_csv("officials?mode=upsert", &promoted).await;
    assert_eq!(
        (&reply.body["updated"], &reply.body["unchanged"]),
        (&json!(0), &json!(1)),
        "{}",
        reply.body
    );
    let history = app.get(&format!("/api/v1/officials/{khoa_id}/ranks")).await.body;
    assert_eq!(history.as_array().unwrap().len(), 2);

    // The export gives each one's rank and its day, and imports back unchanged.
    let table = app
        .download("/api/v1/officials/download?labels=codes&include=sensitive")
        .await
        .csv();
    let column = |key: &str| table[0].iter().position(|h| h == key).unwrap();
    let khoa_row = table.iter().find(|row| row[0] == "K-1").unwrap();
    assert_eq!(
        (
            khoa_row[column("rank")].as_str(),
            khoa_row[column("rank_since")].as_str()
        ),
        ("principal_specialist", "2024-01-01")
    );
    for labels in ["codes", "vi"] {
        let export = app
            .download(&format!("/api/v1/officials/download?labels={labels}&format=xlsx"))
            .await;
        let back = app
            .import_as(
                "officials?mode=upsert&dry_run=true",
                Some(&app.admin_token),
                XLSX,
                export.bytes,
            )
            .await;
        assert_eq!(back.body["unchanged"], 3, "{labels}: {}", back.body);
    }
}

#[tokio::test]
async fn leading_posts_are_marked_and_files_carry_the_mark() {
    let app = TestApp::spawn().await;
    let chair = app
        .post(
            "/api/v1/positions",
            json!({"code": "CT", "title": "Chủ tịch UBND xã", "category": "cadre", "leadership": true}),
        )
        .await;
    assert_eq!(chair.status, StatusCode::CREATED, "{}", chair.body);
    assert_eq!(chair.body["leadership"], true);
    let clerk = app
        .post(
            "/api/v1/positions",
            json!({"code": "VP", "title": "Công chức Văn phòng", "category": "civil_servant"}),
        )
        .await;
    assert_eq!(clerk.body["leadership"], false, "not leading unless said");
    let id = clerk.id();
    let changed = app
        .patch(&format!("/api/v1/positions/{id}"), json!({"leadership": true}))
        .await;
    assert_eq!(changed.body["leadership"], true, "{}", changed.body);
    app.patch(&format!("/api/v1/positions/{id}"), json!({"leadership": null}))
        .await
        .assert_fields(&["leadership"]);
    app.patch(&format!("/api/v1/positions/{id}"), json!({"leadership": "yes"}))
        .await
        .assert_fields(&["leadership"]);

    // Files: `Có` / `Không` (or empty) for people, true / false with codes; both import back.
    let file = "code,title,category,leadership\nPCT,Phó Chủ tịch UBND xã,cadre,Có\nKT,Kế toán,civil_servant,\nTP,Tư pháp,civil_servant,không\n";
    let reply = app.import_csv("positions", file).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let listed = app.get("/api/v1/positions?limit=50").await.body;
    let leading: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["leadership"] == true)
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(leading, ["CT", "VP", "PCT"]);
    let wrong = app
        .import_csv("positions", "code,title,category,leadership\nX,X,cadre,maybe\n")
        .await;
    assert_eq!(wrong.problem_body(422)["rows"][0]["cell"], "D2");
    let names = app.download("/api/v1/positions/download").await.csv();
    let chair_row = names.iter().find(|row| row[0] == "CT").unwrap();
    assert!(chair_row.contains(&"Có".to_owned()), "{chair_row:?}");
    for labels in ["vi", "codes"] {
        let export = app
            .download(&format!("/api/v1/positions/download?labels={labels}"))
            .await;
        let back = app
            .import_as(
                "positions?mode=upsert&dry_run=true",
                Some(&app.admin_token),
                "text/csv",
                export.bytes,
            )
            .await;
        assert_eq!(back.body["unchanged"], 5, "{labels}: {}", back.body);
    }

    // The course kind of defence and security knowledge, a refresher course.
    let course = app
        .post("/api/v1/courses", json!({"code": "QP-AN", "title": "Bồi dưỡng kiến thức quốc phòng – an ninh đối tượng 4", "kind": "defense_security"}))
        .await;
    assert_eq!(course.status, StatusCode::CREATED, "{}", course.body);
    assert_eq!(course.body["track"], "refresher");
}

#[tokio::test]
async fn enrollments_take_their_class_terms_unless_told_and_files_carry_them() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let course = app
        .post(
            "/api/v1/courses",
            json!({"code": "THS", "title": "Thạc sĩ Quản lý công", "kind": "degree"}),
        )
        .await
        .id();
    let class = app
        .post(
            "/api/v1/classes",
            json!({"code": "THS-2018", "name": "Thạc sĩ 2018", "course_id": course, "organizer_unit_id": tree.city,
                   "starts_on": "2018-10-15", "ends_on": "2020-12-20", "study_mode": "part_time",
                   "funding": "agency", "cost_vnd": 50_000_000, "learner_cost_vnd": 45_000_000}),
        )
        .await;
    assert_eq!(class.status, StatusCode::CREATED, "{}", class.body);
    assert_eq!(
        (
            &class.body["location"],
            &class.body["study_mode"],
            &class.body["funding"],
            &class.body["cost_vnd"],
            &class.body["learner_cost_vnd"]
        ),
        (
            &json!("domestic"),
            &json!("part_time"),
            &json!("agency"),
            &json!(50_000_000),
            &json!(45_000_000)
        )
    );
    let class_id = class.id();
    let person = |code: &str| {
        json!({"code": code, "full_name": format!("Người {code}"), "gender": "female", "date_of_birth": "1985-02-03",
               "unit_id": tree.ward_a, "category": "civil_servant", "started_on": "2010-01-01"})
    };
    let mai = app.official(person("M-1")).await["id"].as_i64().unwrap();
    let lan = app.official(person("M-2")).await["id"].as_i64().unwrap();

    // Copied from the class when not given; given ones win, on either path.
    let copied = app
        .post("/api/v1/enrollments", json!({"class_id": class_id, "official_id": mai}))
        .await;
    assert_eq!(copied.status, StatusCode::CREATED, "{}", copied.body);
    assert_eq!(
        (
            &copied.body["location"],
            &copied.body["study_mode"],
            &copied.body["funding"],
            &copied.body["cost_vnd"]
        ),
        (
            &json!("domestic"),
            &json!("part_time"),
            &json!("agency"),
            &json!(45_000_000)
        )
    );
    let own = app
        .post(
            &format!("/api/v1/classes/{class_id}/enrollments"),
            json!({"official_id": lan, "location": "abroad", "study_mode": "full_time", "funding": "self", "cost_vnd": 0}),
        )
        .await;
    assert_eq!(own.status, StatusCode::CREATED, "{}", own.body);
    assert_eq!(
        (
            &own.body["location"],
            &own.body["study_mode"],
            &own.body["funding"],
            &own.body["cost_vnd"]
        ),
        (&json!("abroad"), &json!("full_time"), &json!("self"), &json!(0))
    );

    // A change of the class's defaults leaves the enrollments made as they were.
    let changed = app
        .patch(
            &format!("/api/v1/classes/{class_id}"),
            json!({"funding": "sponsor", "cost_vnd": 60_000_000}),
        )
        .await;
    assert_eq!(changed.body["funding"], "sponsor", "{}", changed.body);
    let id = copied.id();
    assert_eq!(
        app.get(&format!("/api/v1/enrollments/{id}")).await.body["funding"],
        "agency"
    );
    let patched = app
        .patch(
            &format!("/api/v1/enrollments/{id}"),
            json!({"location": "abroad", "cost_vnd": 120_000_000}),
        )
        .await;
    assert_eq!(
        (
            &patched.body["location"],
            &patched.body["cost_vnd"],
            &patched.body["funding"]
        ),
        (&json!("abroad"), &json!(120_000_000), &json!("agency")),
        "{}",
        patched.body
    );

    // Unknown values, negative or fractional costs, nulls where a value is kept: 422 on the field.
    for (field, value) in [
        ("location", json!("moon")),
        ("study_mode", json!("evening")),
        ("funding", json!("lottery")),
        ("cost_vnd", json!(-1)),
        ("cost_vnd", json!(1.5)),
        ("cost_vnd", json!("45000000")),
        ("cost_vnd", json!(2_000_000_000_000_i64)),
        ("funding", json!(null)),
    ] {
        app.patch(&format!("/api/v1/enrollments/{id}"), json!({ field: value }))
            .await
            .assert_fields(&[field]);
    }
    let mut bad_class = json!({"code": "X", "name": "X", "course_id": course, "organizer_unit_id": tree.city,
                               "starts_on": "2018-10-15", "ends_on": "2018-10-20"});
    bad_class["learner_cost_vnd"] = json!(-5);
    app.post("/api/v1/classes", bad_class)
        .await
        .assert_fields(&["learner_cost_vnd"]);
    let cheap = app.official(person("M-3")).await["id"].as_i64().unwrap();
    app.post(
        "/api/v1/enrollments",
        json!({"class_id": class_id, "official_id": cheap, "funding": "gift"}),
    )
    .await
    .assert_fields(&["funding"]);
    assert_eq!(
        app.get("/api/v1/enrollments").await.body["total"],
        2,
        "nothing was written"
    );

    // Imports: labels or codes, amounts as people type them; an empty cell keeps the class's.
    let file = "official_code,class_code,location,study_mode,funding,cost_vnd\n\
                M-3,THS-2018,Nước ngoài,,Cá nhân tự túc,1.500.000\n";
    let reply = app.import_csv("enrollments", file).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let listed = app.get(&format!("/api/v1/enrollments?official_id={cheap}")).await.body;
    let third = &listed["items"][0];
    assert_eq!(
        (
            &third["location"],
            &third["study_mode"],
            &third["funding"],
            &third["cost_vnd"]
        ),
        (&json!("abroad"), &json!("part_time"), &json!("self"), &json!(1_500_000))
    );
    let again = "official_code,class_code,cost_vnd,funding\nM-3,THS-2018,\"2,000,000 đ\",\n";
    let reply = app.import_csv("enrollments?mode=upsert", again).await;
    assert_eq!(reply.body["updated"], 1, "{}", reply.body);
    let listed = app.get(&format!("/api/v1/enrollments?official_id={cheap}")).await.body;
    assert_eq!(
        (&listed["items"][0]["cost_vnd"], &listed["items"][0]["funding"]),
        (&json!(2_000_000), &json!("self"))
    );
    for (cell, amount) in [("D2", "1,5"), ("D2", "15.00.000"), ("D2", "-3")] {
        let wrong = app
            .import_csv(
                "enrollments?mode=upsert",
                &format!("official_code,class_code,location,cost_vnd\nM-3,THS-2018,,\"{amount}\"\n"),
            )
            .await;
        assert_eq!(
            wrong.problem_body(422)["rows"][0]["cell"],
            cell,
            "{amount}: {}",
            wrong.body
        );
    }

    // Exports give them back, and read back unchanged.
    let enrollments = app.download("/api/v1/enrollments/download").await.csv();
    let header = &enrollments[0];
    let column = |key: &str| {
        header
            .iter()
            .position(|h| h == key)
            .unwrap_or_else(|| panic!("{key} in {header:?}"))
    };
    let row = enrollments.iter().find(|row| row[0] == "M-2").unwrap();
    assert_eq!(
        (
            &row[column("Nơi học")][..],
            &row[column("Nguồn kinh phí")][..],
            &row[column("Kinh phí (đồng)")][..]
        ),
        ("Nước ngoài", "Cá nhân tự túc", "0")
    );
    let export = app.download("/api/v1/enrollments/download?format=xlsx").await;
    let back = app
        .import_as(
            "enrollments?mode=upsert&dry_run=true",
            Some(&app.admin_token),
            XLSX,
            export.bytes,
        )
        .await;
    assert_eq!(back.body["unchanged"], 3, "{}", back.body);
    let classes = app.download("/api/v1/classes/download").await.csv();
    assert!(
        classes[0].contains(&"Kinh phí mỗi học viên (đồng)".to_owned()),
        "{:?}",
        classes[0]
    );
    assert!(classes[1].contains(&"60000000".to_owned()), "{:?}", classes[1]);
}

#[tokio::test]
async fn general_education_is_checked_and_carried_by_files() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let person = |code: &str, grade: serde_json::Value| {
        json!({"code": code, "full_name": "Vũ Văn Tâm", "gender": "male", "unit_id": tree.ward_a,
               "category": "civil_servant", "general_education": grade})
    };
    for wrong in [json!("13/12"), json!("12/11"), json!("12"), json!(12)] {
        app.post("/api/v1/officials", person("T-1", wrong))
            .await
            .assert_fields(&["general_education"]);
    }
    let tam = app.official(person("T-1", json!("10/10"))).await;
    assert_eq!(tam["general_education"], "10/10");
    let id = tam["id"].as_i64().unwrap();
    let changed = app
        .patch(
            &format!("/api/v1/officials/{id}"),
            json!({"general_education": "12/12"}),
        )
        .await;
    assert_eq!(changed.body["general_education"], "12/12", "{}", changed.body);
    // Files: the column, read back; a wrong grade is an error at its cell.
    let file =
        "code,full_name,gender,category,unit_code,general_education\nT-2,Lê Văn Tú,male,civil_servant,VP-PY-PT,9/12\n";
    let reply = app.import_csv("officials", file).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let wrong = app
        .import_csv("officials", "code,full_name,gender,category,unit_code,general_education\nT-3,Lê Văn Tư,male,civil_servant,VP-PY-PT,12/13\n")
        .await;
    assert_eq!(wrong.problem_body(422)["rows"][0]["cell"], "F2", "{}", wrong.body);
    let export = app
        .download("/api/v1/officials/download?labels=codes&include=sensitive")
        .await
        .csv();
    let column = export[0].iter().position(|h| h == "general_education").unwrap();
    let grades: Vec<&str> = export[1..].iter().map(|row| row[column].as_str()).collect();
    assert_eq!(grades, ["12/12", "9/12"]);
}
