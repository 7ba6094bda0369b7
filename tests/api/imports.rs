//! Spreadsheets in: templates, imports of every kind with every error listed, upserts,
//! rights row by row, hostile files, and exports that import back unchanged.

use std::io::Write;

use reqwest::StatusCode;
use rust_xlsxwriter::Workbook;
use serde_json::{json, Value};

use crate::helpers::{TestApp, XLSX};

/// A workbook of one sheet holding `rows` (the first is the header); a cell that parses as a
/// day is written as a real date cell, as a spreadsheet program would.
fn workbook(rows: &[Vec<&str>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let day = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    for (r, row) in (0u32..).zip(rows) {
        for (c, cell) in (0u16..).zip(row) {
            match chrono::NaiveDate::parse_from_str(cell, "%Y-%m-%d") {
                Ok(date) if r > 0 => {
                    sheet.write_datetime_with_format(r, c, date, &day).unwrap();
                }
                _ => {
                    sheet.write_string(r, c, *cell).unwrap();
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

async fn units(app: &TestApp) -> Vec<Value> {
    app.get("/api/v1/units?limit=500").await.body["items"]
        .as_array()
        .unwrap()
        .clone()
}

async fn audit_count(app: &TestApp, entity: &str) -> u64 {
    app.get(&format!("/api/v1/audit-log?entity={entity}&limit=1"))
        .await
        .body["total"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn a_filled_template_imports_with_its_audit_entries() {
    let app = TestApp::spawn().await;
    let template = app.download("/api/v1/imports/templates/units").await;
    assert_eq!(template.content_type, XLSX);
    assert_eq!(template.disposition, "attachment; filename=\"template-units.xlsx\"");
    let cells = template.xlsx();
    let header: Vec<String> = cells[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(
        header,
        [
            "Mã đơn vị",
            "Tên đơn vị",
            "Loại đơn vị",
            "Mã đơn vị cấp trên",
            "Ngày thành lập",
            "Ngày giải thể"
        ]
    );
    // The workbook carries drop-downs, and a sheet that explains each column.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(template.bytes.clone())).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut sheet).unwrap();
    assert!(sheet.contains("<dataValidation type=\"list\""), "{sheet}");
    assert!(sheet.contains("<pane ySplit=\"1\""), "a frozen header");
    let mut help = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("xl/workbook.xml").unwrap(), &mut help).unwrap();
    assert!(help.contains("Hướng dẫn"), "{help}");

    let before = audit_count(&app, "unit").await;
    // The filled template; the last row names its parent as `parent`.
    let filled = |parent: &str| {
        workbook(&[
            header.iter().map(String::as_str).collect(),
            vec![
                "T-1",
                "Tỉnh Một",
                "Tỉnh, thành phố trực thuộc Trung ương",
                "",
                "1997-01-01",
                "",
            ],
            vec!["T-1-A", "Phường An", "ward", "T-1", "2020-01-01", ""],
            vec!["T-1-B", "  Phường Bình ", "Phường", parent, "", ""],
        ])
    };
    let file = filled("t-1");
    let reply = app
        .import_as("units?file_name=don-vi.xlsx", Some(&app.admin_token), XLSX, file)
        .await;
    // Codes are exact: `t-1` names no unit.
    let rows = reply.problem_body(422)["rows"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["cell"], "D4");
    assert_eq!(rows[0]["value"], "t-1");
    assert_eq!(units(&app).await.len(), 0, "nothing written");

    let file = filled("T-1");
    let reply = app
        .import_as("units?file_name=don-vi.xlsx", Some(&app.admin_token), XLSX, file)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(
        (
            &reply.body["created"],
            &reply.body["updated"],
            &reply.body["unchanged"],
            &reply.body["rows"]
        ),
        (&json!(3), &json!(0), &json!(0), &json!(3))
    );
    assert_eq!(reply.body["file_name"], "don-vi.xlsx");
    assert_eq!(reply.body["sha256"].as_str().unwrap().len(), 64);
    let location = reply.header("location").unwrap();
    assert_eq!(app.get(&location).await.body, reply.body);
    let all = units(&app).await;
    let ward = all.iter().find(|u| u["code"] == "T-1-A").unwrap();
    assert_eq!(ward["kind"], "ward");
    assert_eq!(ward["established_on"], "2020-01-01");
    assert_eq!(
        all.iter().find(|u| u["code"] == "T-1-B").unwrap()["name"],
        "Phường Bình"
    );
    assert_eq!(audit_count(&app, "unit").await, before + 3, "an audit entry per record");
    assert_eq!(audit_count(&app, "import").await, 1);
}

#[tokio::test]
async fn every_error_of_a_file_is_listed_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    app.unit("P", "Tỉnh P", "province", None).await;
    let audited = audit_count(&app, "unit").await;
    let csv = "\u{feff}Mã đơn vị;Tên đơn vị;Loại đơn vị;Mã đơn vị cấp trên;Ngày thành lập\n\
               A;Phường A;ward;P;30/05/1980\n\
               B;;hamlet;P;31/02/1980\n\
               C;Phường C;ward;NOPE;\n\
               P;Tỉnh trùng;province;;\n\
               D;Phường D;ward;P;+10000-01-01\n";
    let reply = app.import_csv("units", csv).await;
    let problem = reply.problem_body(422);
    assert_eq!(problem["code"], "invalid_rows");
    let rows: Vec<(u64, String, String, String)> = problem["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["row"].as_u64().unwrap(),
                r["cell"].as_str().unwrap().to_owned(),
                r["column"].as_str().unwrap().to_owned(),
                r["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (3, "B3".into(), "Tên đơn vị".into(), "".into()),
            (3, "C3".into(), "Loại đơn vị".into(), "hamlet".into()),
            (3, "E3".into(), "Ngày thành lập".into(), "31/02/1980".into()),
            (4, "D4".into(), "Mã đơn vị cấp trên".into(), "NOPE".into()),
            (5, "A5".into(), "Mã đơn vị".into(), "P".into()),
            (6, "E6".into(), "Ngày thành lập".into(), "+10000-01-01".into()),
        ],
        "{problem}"
    );
    for row in problem["rows"].as_array().unwrap() {
        assert!(!row["message"].as_str().unwrap().is_empty());
    }
    assert_eq!(units(&app).await.len(), 1, "row A was good, and was not written either");
    assert_eq!(audit_count(&app, "unit").await, audited, "nor its audit entry");
    assert_eq!(app.get("/api/v1/imports").await.body["total"], 0);

    // A header the kind does not have, and a required column missing.
    let reply = app.import_csv("units", "code,nom\nA,B\n").await;
    let rows = reply.problem_body(422)["rows"].as_array().unwrap().clone();
    let messages: Vec<&str> = rows.iter().map(|r| r["message"].as_str().unwrap()).collect();
    assert_eq!(rows[0]["cell"], "B1");
    assert!(messages[0].starts_with("is not a column of units"), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("(name) is missing")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("(kind) is missing")), "{messages:?}");
}

#[tokio::test]
async fn upsert_updates_changed_rows_and_counts_the_rest_unchanged() {
    let app = TestApp::spawn().await;
    let file = "code,name,kind,parent_code\nP,Tỉnh P,province,\nA,Phường A,ward,P\nB,Phường B,ward,P\n";
    assert_eq!(app.import_csv("units", file).await.body["created"], 3);
    let again = app.import_csv("units", file).await;
    let rows = again.problem_body(422)["rows"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 3, "mode=create refuses every stored key");
    assert_eq!(
        rows[0]["message"],
        "a unit with this code is already stored (mode=upsert updates it)"
    );

    let changed =
        "code,name,kind,parent_code\nP,Tỉnh P,province,\nA,Phường An,ward,P\nB,Phường B,ward,A\nC,Phường C,ward,P\n";
    let before = audit_count(&app, "unit").await;
    let dry = app.import_csv("units?mode=upsert&dry_run=true", changed).await;
    assert_eq!(dry.status, StatusCode::CREATED, "{}", dry.body);
    assert_eq!(
        (
            &dry.body["created"],
            &dry.body["updated"],
            &dry.body["unchanged"],
            &dry.body["dry_run"]
        ),
        (&json!(1), &json!(2), &json!(1), &json!(true))
    );
    assert_eq!(units(&app).await.len(), 3, "a dry run writes no record");
    assert_eq!(audit_count(&app, "unit").await, before);
    let done = app.import_csv("units?mode=upsert", changed).await;
    assert_eq!(
        (&done.body["created"], &done.body["updated"], &done.body["unchanged"]),
        (&json!(1), &json!(2), &json!(1))
    );
    let all = units(&app).await;
    let a = all.iter().find(|u| u["code"] == "A").unwrap();
    let b = all.iter().find(|u| u["code"] == "B").unwrap();
    assert_eq!(a["name"], "Phường An");
    assert_eq!(b["parent_id"], a["id"], "moved under A, by the tree's own rules");
    assert_eq!(audit_count(&app, "unit").await, before + 3);
    let list = app.get("/api/v1/imports?kind=units").await.body;
    assert_eq!(list["total"], 3);
    assert_eq!(list["items"][1]["dry_run"], true);
}

#[tokio::test]
async fn officials_come_with_their_post_and_levels_and_move_by_transfer() {
    let app = TestApp::spawn().await;
    let csv = "code,name,kind,parent_code\nP,Tỉnh P,province,\nA,Phường A,ward,P\nB,Phường B,ward,P\n";
    app.import_csv("units", csv).await;
    app.import_csv(
        "positions",
        "code,title,category,min_education\nCT,Chủ tịch,cadre,Đại học\nCC,Công chức,civil_servant,\n",
    )
    .await;
    let file = "Mã cán bộ,Họ và tên,Giới tính,Ngày sinh,Mã đơn vị công tác,Mã chức danh,Giữ chức danh từ ngày,Trình độ chuyên môn,Lý luận chính trị\n\
                PT-1,Nguyễn Văn An,Nam,12/04/1972,A,CT,2015-01-01,Đại học,Trung cấp\n\
                PT-2,Lê Thị Bình,Nữ,1980-01-01,A,CC,2016-03-01,,\n";
    let reply = app.import_csv("officials", file).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["created"], 2);
    let list = app.get("/api/v1/officials?q=an").await.body;
    let an = &list["items"][0];
    assert_eq!(an["education"], "university");
    assert_eq!(an["political_theory"], "intermediate");
    let an_id = an["id"].as_i64().unwrap();
    let records = app.get(&format!("/api/v1/officials/{an_id}/qualifications")).await.body;
    assert_eq!(records.as_array().unwrap().len(), 2);
    assert!(records.as_array().unwrap().iter().all(|r| r["source"] == "import"));
    assert_eq!(records[0]["awarded_on"], "2015-01-01", "held from the post's first day");

    // An upsert that moves An to B is a transfer on started_on; a higher level is a record.
    let moved = "code,full_name,gender,unit_code,position_code,started_on,education\n\
                 PT-1,Nguyễn Văn An,male,B,CT,2020-06-01,master\n\
                 PT-2,Lê Thị Bình,female,A,CC,2016-03-01,\n";
    let reply = app.import_csv("officials?mode=upsert", moved).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(
        (&reply.body["updated"], &reply.body["unchanged"]),
        (&json!(1), &json!(1))
    );
    let history = app.get(&format!("/api/v1/officials/{an_id}/assignments")).await.body;
    assert_eq!(history.as_array().unwrap().len(), 2);
    let an = app.get(&format!("/api/v1/officials/{an_id}")).await.body;
    assert_eq!(an["education"], "master");

    // A lower level than the records give, and a move without its day, are errors.
    let wrong = "code,full_name,gender,unit_code,position_code,education\n\
                 PT-1,Nguyễn Văn An,male,B,CT,college\n\
                 PT-2,Lê Thị Bình,female,B,CC,\n";
    let rows = app.import_csv("officials?mode=upsert", wrong).await.problem_body(422)["rows"]
        .as_array()
        .unwrap()
        .clone();
    let cells: Vec<&str> = rows.iter().map(|r| r["cell"].as_str().unwrap()).collect();
    assert_eq!(cells, ["F2", "3"], "{rows:?}");
}

#[tokio::test]
async fn new_officials_are_written_together_as_the_api_would_write_them() {
    let app = TestApp::spawn().await;
    app.import_csv(
        "units",
        "code,name,kind,parent_code\nP,Tỉnh P,province,\nA,Phường A,ward,P\n",
    )
    .await;
    app.import_csv("positions", "code,title,category\nCC,Công chức,civil_servant\n")
        .await;
    let a = app.unit_id("A").await;
    // An official registered and deleted through the API: their id is never given again.
    let gone = app
        .official(
            json!({"code": "X-1", "full_name": "Trần Văn Xuân", "gender": "male", "unit_id": a, "category": "cadre"}),
        )
        .await;
    let gone_id = gone["id"].as_i64().unwrap();
    let reply = app.delete(&format!("/api/v1/officials/{gone_id}")).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.body);
    let officials_logged = audit_count(&app, "official").await;
    let records_logged = audit_count(&app, "qualification").await;

    // Two new officials, and a later row of the same file that raises the first one's level.
    let file = "code,full_name,gender,unit_code,position_code,started_on,education,it\n\
                PT-3,Phạm Thị Cúc,female,A,CC,2018-02-01,college,basic\n\
                PT-4,Hoàng Văn Dũng,male,A,CC,2019-09-01,university,\n\
                PT-3,Phạm Thị Cúc,female,A,CC,2018-02-01,university,basic\n";
    // In create mode the repeated code is an error at its cell, and nothing is written.
    let rows = app.import_csv("officials", file).await.problem_body(422)["rows"].clone();
    assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
    assert_eq!(rows[0]["cell"], "A4", "{rows}");
    assert_eq!(app.count("SELECT count(*) FROM officials WHERE code LIKE 'PT-%'"), 0);

    let reply = app.import_csv("officials?mode=upsert", file).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(
        (&reply.body["created"], &reply.body["updated"], &reply.body["unchanged"]),
        (&json!(2), &json!(1), &json!(0))
    );
    let cuc = app.get("/api/v1/officials?q=cuc").await.body["items"][0].clone();
    let cuc_id = cuc["id"].as_i64().unwrap();
    assert!(
        cuc_id > gone_id,
        "the new ids follow every id given before ({cuc_id} after {gone_id})"
    );
    assert_eq!(
        (&cuc["education"], &cuc["it"], &cuc["unit_id"], &cuc["category"]),
        (
            &json!("university"),
            &json!("basic"),
            &json!(a),
            &json!("civil_servant")
        )
    );
    let posts = app.get(&format!("/api/v1/officials/{cuc_id}/assignments")).await.body;
    assert_eq!(posts[0]["started_on"], "2018-02-01", "{posts}");
    let records = app
        .get(&format!("/api/v1/officials/{cuc_id}/qualifications"))
        .await
        .body;
    let levels: Vec<&str> = records
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels.len(), 3, "college, basic IT, then university: {records}");
    assert!(levels.contains(&"college") && levels.contains(&"university") && levels.contains(&"basic"));

    // One audit entry a record written, each holding the record as stored.
    assert_eq!(audit_count(&app, "official").await, officials_logged + 2);
    assert_eq!(audit_count(&app, "qualification").await, records_logged + 4);
    let entries = app
        .get(&format!("/api/v1/audit-log?entity=official&entity_id={}", cuc["id"]))
        .await
        .body;
    let created = entries["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "create")
        .unwrap_or_else(|| panic!("{entries}"));
    assert_eq!(created["after"]["code"], "PT-3");
    assert_eq!(
        created["after"]["education"], "college",
        "as stored by the file's first row"
    );
    // Of an official the file does not change again, the entries are the records a GET shows.
    let dung = app.get("/api/v1/officials?q=dung").await.body["items"][0].clone();
    let dung_id = dung["id"].as_i64().unwrap();
    let entries = app
        .get(&format!(
            "/api/v1/audit-log?entity=official&entity_id={dung_id}&include=sensitive"
        ))
        .await
        .body;
    assert_eq!(
        entries["items"][0]["after"],
        app.get(&format!("/api/v1/officials/{dung_id}")).await.body
    );
    let records = app
        .get(&format!("/api/v1/officials/{dung_id}/qualifications"))
        .await
        .body;
    let record_id = records[0]["id"].as_i64().unwrap();
    let entries = app
        .get(&format!("/api/v1/audit-log?entity=qualification&entity_id={record_id}"))
        .await
        .body;
    assert_eq!(entries["items"][0]["after"], records[0]);

    // The counters the reports read follow: both people counted once in each dimension.
    let counted = |dimension: &str, level: &str| {
        app.count(&format!(
            "SELECT COALESCE(SUM(n), 0) FROM unit_level_counts WHERE unit_id = {a} AND dimension = '{dimension}' AND level = '{level}'"
        ))
    };
    assert_eq!(counted("education", "university"), 2);
    assert_eq!(counted("education", "college"), 0);
    assert_eq!(counted("it", "basic"), 1);
    assert_eq!(counted("it", "none"), 1);
}

#[tokio::test]
async fn an_hr_import_is_refused_row_by_row_outside_its_subtree() {
    let app = TestApp::spawn().await;
    app.import_csv(
        "units",
        "code,name,kind,parent_code\nP,Tỉnh P,province,\nA,Phường A,ward,P\nB,Phường B,ward,P\n",
    )
    .await;
    let a = units(&app).await.iter().find(|u| u["code"] == "A").unwrap()["id"]
        .as_i64()
        .unwrap();
    let clerk = app.token_for("hr", Some(a)).await;
    let file = "code,full_name,gender,unit_code,category\nX1,Người Một,male,A,cadre\nX2,Người Hai,female,B,cadre\nX3,Người Ba,male,A,cadre\n";
    let reply = app
        .import_as("officials", Some(&clerk), "text/csv", file.as_bytes().to_vec())
        .await;
    let rows = reply.problem_body(422)["rows"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["row"], 3);
    assert_eq!(app.get("/api/v1/officials").await.body["total"], 0);
    let ok = "code,full_name,gender,unit_code,category\nX1,Người Một,male,A,cadre\n";
    let reply = app
        .import_as("officials", Some(&clerk), "text/csv", ok.as_bytes().to_vec())
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    // Positions are an admin's; an auditor imports nothing; a clerk sees their own imports.
    let positions = app
        .import_as(
            "positions",
            Some(&clerk),
            "text/csv",
            b"code,title,category\nX,Y,cadre\n".to_vec(),
        )
        .await;
    positions.problem_body(403);
    let auditor = app.token_for("auditor", None).await;
    app.import_as(
        "units",
        Some(&auditor),
        "text/csv",
        b"code,name,kind\nQ,Q,agency\n".to_vec(),
    )
    .await
    .problem_body(403);
    app.import_csv("units?dry_run=true", "code,name,kind\nQ,Q,agency\n")
        .await;
    let mine = app
        .send(reqwest::Method::GET, "/api/v1/imports", Some(&clerk), None)
        .await
        .body;
    assert_eq!(mine["total"], 1, "{mine}");
}

#[tokio::test]
async fn training_rows_are_enrollments_that_complete_by_legal_steps() {
    let app = TestApp::spawn().await;
    let ward = app.unit("W", "Phường W", "ward", None).await;
    let course = app
        .post(
            "/api/v1/courses",
            json!({"code": "LLCT", "title": "Trung cấp LLCT", "kind": "political_theory", "confers_dimension": "political_theory", "confers_level": "intermediate"}),
        )
        .await
        .id();
    app.post(
        "/api/v1/classes",
        json!({"code": "K1", "name": "Lớp 1", "course_id": course, "organizer_unit_id": ward, "starts_on": "2018-03-01", "ends_on": "2018-12-20"}),
    )
    .await;
    app.import_csv(
        "officials",
        "code,full_name,gender,unit_code,category,started_on\nO1,Một,male,W,cadre,2010-01-01\nO2,Hai,female,W,cadre,2010-01-01\n",
    )
    .await;
    let file = "official_code,class_code,status,result,completed_on\nO1,K1,Hoàn thành,good,20/12/2018\nO2,K1,,,\n";
    let reply = app.import_csv("enrollments", file).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["created"], 2);
    let one = app.get("/api/v1/officials?q=mot").await.body["items"][0].clone();
    assert_eq!(one["political_theory"], "intermediate", "completion confers the level");
    let enrollments = app.get("/api/v1/enrollments?status=nominated").await.body;
    assert_eq!(enrollments["total"], 1);
    // Back from completed to failed is a correction through enrolled; withdrawn to enrolled is not legal.
    let reply = app
        .import_csv(
            "enrollments?mode=upsert",
            "official_code,class_code,status\nO1,K1,failed\nO2,K1,withdrawn\n",
        )
        .await;
    assert_eq!(reply.body["updated"], 2, "{}", reply.body);
    let reply = app
        .import_csv(
            "enrollments?mode=upsert",
            "official_code,class_code,status\nO2,K1,enrolled\n",
        )
        .await;
    assert_eq!(reply.problem_body(422)["rows"][0]["row"], 2);
    // Qualification records by file: the same record twice is refused in create mode.
    let file = "official_code,dimension,level,awarded_on\nO2,it,Ứng dụng CNTT cơ bản,2019-01-01\n";
    assert_eq!(app.import_csv("qualifications", file).await.body["created"], 1);
    app.import_csv("qualifications", file).await.problem_body(422);
    assert_eq!(
        app.import_csv("qualifications?mode=upsert", file).await.body["unchanged"],
        1
    );
}

#[tokio::test]
async fn exports_import_back_unchanged() {
    let app = TestApp::spawn_demo().await;
    for kind in ["units", "positions", "officials", "enrollments"] {
        for format in ["csv", "xlsx"] {
            for labels in ["vi", "codes"] {
                let file = app
                    .download(&format!("/api/v1/{kind}/download?format={format}&labels={labels}"))
                    .await;
                let total = app.get(&format!("/api/v1/{kind}?limit=1")).await.body["total"].clone();
                let content_type = if format == "csv" { "text/csv" } else { XLSX };
                let reply = app
                    .import_as(
                        &format!("{kind}?mode=upsert&dry_run=true"),
                        Some(&app.admin_token),
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
                    reply.body["unchanged"], total,
                    "{kind} {format} {labels}: {}",
                    reply.body
                );
                assert_eq!(reply.body["rows"], total);
            }
        }
    }
    // An official's qualifications, from their own download.
    let official = app.get("/api/v1/officials?limit=1").await.body["items"][0]["id"].clone();
    let file = app
        .download(&format!("/api/v1/officials/{official}/qualifications/download"))
        .await;
    let reply = app
        .import_as(
            "qualifications?mode=upsert&dry_run=true",
            Some(&app.admin_token),
            "text/csv",
            file.bytes,
        )
        .await;
    assert_eq!(reply.body["created"], 0, "{}", reply.body);
}

#[tokio::test]
async fn oversized_files_and_zip_bombs_are_refused() {
    let app = TestApp::spawn_with(&[("CADRE_IMPORT_MAX_BYTES", "65536")]).await;
    let mut big = String::from("code,name,kind\n");
    while big.len() <= 65536 {
        big.push_str("U,Tổ,agency\n");
    }
    app.import_csv("units", &big).await.problem_body(413);
    // 16 KiB of zip that unpacks to 16 MiB (the limit is 20 × 64 KiB): refused before it is unpacked.
    let mut bomb = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    bomb.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..16 {
        bomb.write_all(&spaces).unwrap();
    }
    let bomb = bomb.finish().unwrap().into_inner();
    assert!(bomb.len() < 65536, "{}", bomb.len());
    let reply = app.import_as("units", Some(&app.admin_token), XLSX, bomb).await;
    let problem = reply.problem_body(413);
    assert!(problem["detail"].as_str().unwrap().contains("unpacks to"), "{problem}");
    // Not a spreadsheet at all.
    app.import_as("units", Some(&app.admin_token), "application/json", b"{}".to_vec())
        .await
        .problem_body(400);
    app.import_as("units", Some(&app.admin_token), XLSX, b"not a zip".to_vec())
        .await
        .problem_body(422);
}

#[tokio::test]
async fn formulas_are_read_as_text_or_their_values_never_run() {
    let app = TestApp::spawn().await;
    app.unit("P", "Tỉnh P", "province", None).await;
    // A CSV cell written by an export ('=…) is read as the text it was; a bare one as text too.
    let csv = "code,name,kind,parent_code\nA,'=HYPERLINK(\"x\"),agency,P\nB,=1+1,agency,P\n";
    assert_eq!(app.import_csv("units", csv).await.body["created"], 2);
    let names: Vec<String> = units(&app)
        .await
        .iter()
        .map(|u| u["name"].as_str().unwrap().to_owned())
        .collect();
    assert!(names.contains(&"=HYPERLINK(\"x\")".to_owned()), "{names:?}");
    assert!(names.contains(&"=1+1".to_owned()), "{names:?}");
    // A workbook's formula gives its cached value.
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in (0u16..).zip(["code", "name", "kind", "parent_code"]) {
        sheet.write_string(0, c, h).unwrap();
    }
    sheet.write_string(1, 0, "C").unwrap();
    sheet
        .write_formula(1, 1, rust_xlsxwriter::Formula::new("=\"Tổ \"&\"C\"").set_result("Tổ C"))
        .unwrap();
    sheet.write_string(1, 2, "agency").unwrap();
    sheet.write_string(1, 3, "P").unwrap();
    let reply = app
        .import_as("units", Some(&app.admin_token), XLSX, book.save_to_buffer().unwrap())
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert!(units(&app).await.iter().any(|u| u["name"] == "Tổ C"));
}

/// An OpenDocument spreadsheet, as LibreOffice saves one (`tests/api/fixtures/units.ods`,
/// made by `soffice --convert-to ods` from a CSV of two units): read like a workbook, its
/// days as date cells.
#[tokio::test]
async fn an_ods_file_imports_like_a_workbook() {
    let app = TestApp::spawn().await;
    let file = include_bytes!("fixtures/units.ods").to_vec();
    let reply = app
        .import_as(
            "units?file_name=units.ods",
            Some(&app.admin_token),
            "application/vnd.oasis.opendocument.spreadsheet",
            file,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(reply.body["created"], 2);
    let all = units(&app).await;
    let ward = all.iter().find(|u| u["code"] == "A").unwrap();
    assert_eq!(ward["kind"], "ward");
    assert_eq!(ward["established_on"], "2020-01-01");
}
