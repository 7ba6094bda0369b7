//! The personnel record (issue #14): one person's identity, post, levels and histories in
//! one call, with names — as JSON, as an XLSX sheet laid out like the paper form, and as a
//! print-ready HTML page (printed to PDF by headless Chromium in `.ci/record-print`).

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::TestApp;

/// A person with a transfer, two ranks, qualifications, a completed course, a course in
/// progress and a withdrawal; their name holds characters HTML must escape.
async fn person(app: &TestApp) -> i64 {
    let tree = app.tree().await;
    let chair = app
        .post(
            "/api/v1/positions",
            json!({"code": "CT", "title": "Chủ tịch UBND phường", "category": "cadre", "leadership": true}),
        )
        .await
        .id();
    let office = app
        .position("VP", "Công chức Văn phòng – Thống kê", "civil_servant")
        .await;
    let ha = app
        .official(
            json!({"code": "HA-01", "full_name": "Nguyễn Thị Hà & <Lan>", "gender": "female",
                         "date_of_birth": "1985-02-03", "national_id": "026185000123", "ethnicity": "02",
                         "religion": "01", "party_joined_on": "2012-05-19", "general_education": "12 / 12", "unit_id": tree.ward_a,
                         "position_id": office, "category": "civil_servant", "started_on": "2010-05-01"}),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let moved = app
        .post(
            &format!("/api/v1/officials/{ha}/transfer"),
            json!({"unit_id": tree.ward_b, "position_id": chair, "effective_on": "2016-01-01"}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    for (rank, since) in [("clerk", "2010-05-01"), ("specialist", "2015-01-01")] {
        let reply = app
            .post(
                &format!("/api/v1/officials/{ha}/ranks"),
                json!({"rank": rank, "since": since}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }
    let degree = app
        .post(
            &format!("/api/v1/officials/{ha}/qualifications"),
            json!({"dimension": "education", "level": "university", "field": "Luật",
                   "institution": "Trường Đại học Luật Hà Nội", "awarded_on": "2008-06-30"}),
        )
        .await;
    assert_eq!(degree.status, StatusCode::CREATED, "{}", degree.body);
    app.qualify(ha, "political_theory", "intermediate", "2014-06-01").await;
    let management = app
        .post(
            "/api/v1/courses",
            json!({"code": "QLNN-CV", "title": "Bồi dưỡng QLNN ngạch chuyên viên", "kind": "state_management",
                                        "confers_dimension": "state_management", "confers_level": "specialist",
                                        "provider": "Học viện Hành chính Quốc gia"}),
        )
        .await
        .id();
    let refresher = app
        .post(
            "/api/v1/courses",
            json!({"code": "BD", "title": "Bồi dưỡng kỹ năng", "kind": "refresher"}),
        )
        .await
        .id();
    let class = |code: &str, course: i64, starts: &str, ends: &str, more: Value| {
        let mut body = json!({"code": code, "name": code, "course_id": course, "organizer_unit_id": tree.city,
                              "starts_on": starts, "ends_on": ends});
        for (key, value) in more.as_object().unwrap() {
            body[key] = value.clone();
        }
        body
    };
    let qlnn = app
        .post(
            "/api/v1/classes",
            class(
                "QLNN-2017",
                management,
                "2017-03-01",
                "2017-04-30",
                json!({"provider": "Trường Chính trị tỉnh Vĩnh Phúc", "study_mode": "part_time"}),
            ),
        )
        .await
        .id();
    let skills = app
        .post(
            "/api/v1/classes",
            class("BD-2018", refresher, "2018-09-01", "2018-09-05", json!({})),
        )
        .await
        .id();
    let dropped = app
        .post(
            "/api/v1/classes",
            class("BD-2019", refresher, "2019-09-01", "2019-09-05", json!({})),
        )
        .await
        .id();
    for (class, steps) in [
        (
            qlnn,
            vec![
                json!({"status": "enrolled"}),
                json!({"status": "completed", "certificate_no": "QL-123", "result": "good"}),
            ],
        ),
        (skills, vec![json!({"status": "enrolled"})]),
        (dropped, vec![json!({"status": "withdrawn"})]),
    ] {
        let id = app
            .post("/api/v1/enrollments", json!({"class_id": class, "official_id": ha}))
            .await
            .id();
        for step in steps {
            let reply = app.patch(&format!("/api/v1/enrollments/{id}"), step).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        }
    }
    ha
}

#[tokio::test]
async fn the_personnel_record_gathers_everything_with_names() {
    let app = TestApp::spawn().await;
    let ha = person(&app).await;
    let reply = app.get(&format!("/api/v1/officials/{ha}/record")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let record = reply.body;
    assert_eq!(record["code"], "HA-01");
    assert_eq!(
        record["identity"],
        json!({"full_name": "Nguyễn Thị Hà & <Lan>", "gender": {"code": "female", "label": "Nữ"},
               "date_of_birth": "1985-02-03", "national_id": "026185000123",
               "ethnicity": {"code": "02", "label": "Tày"}, "religion": {"code": "01", "label": "Phật giáo"},
               "party_joined_on": "2012-05-19"})
    );
    let post = &record["post"];
    assert_eq!(
        (
            &post["unit_name"],
            &post["position_title"],
            &post["leadership"],
            &post["category"]["code"]
        ),
        (
            &json!("Phường Xuân Hòa"),
            &json!("Chủ tịch UBND phường"),
            &json!(true),
            &json!("cadre")
        )
    );
    assert_eq!(
        (
            &post["rank"]["code"],
            &post["rank_number"],
            &post["rank_since"],
            &post["status"]["code"]
        ),
        (
            &json!("specialist"),
            &json!("01.003"),
            &json!("2015-01-01"),
            &json!("active")
        )
    );
    assert_eq!(record["general_education"], "12/12");
    let levels: Vec<(&str, &str)> = record["levels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["dimension"]["code"].as_str().unwrap(),
                l["level"]["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        levels,
        [
            ("education", "university"),
            ("political_theory", "intermediate"),
            ("state_management", "specialist"),
            ("foreign_language", "none"),
            ("it", "none")
        ]
    );
    assert_eq!(
        (
            &record["levels"][0]["field"],
            &record["levels"][0]["institution"],
            &record["levels"][0]["awarded_on"]
        ),
        (
            &json!("Luật"),
            &json!("Trường Đại học Luật Hà Nội"),
            &json!("2008-06-30")
        )
    );
    assert_eq!(
        record["levels"][2]["awarded_on"], "2017-04-30",
        "conferred by the course"
    );
    assert_eq!(
        record["work_history"],
        json!([
            {"from": "2010-05-01", "to": "2015-12-31", "unit_id": record["work_history"][0]["unit_id"],
             "unit_name": "Phường Phúc Thắng", "position_title": "Công chức Văn phòng – Thống kê",
             "category": {"code": "civil_servant", "label": "Công chức"},
             "end_reason": {"code": "transfer", "label": "Điều động, luân chuyển"}},
            {"from": "2016-01-01", "to": null, "unit_id": post["unit_id"], "unit_name": "Phường Xuân Hòa",
             "position_title": "Chủ tịch UBND phường", "category": {"code": "cadre", "label": "Cán bộ"}, "end_reason": null}
        ])
    );
    assert_eq!(
        record["rank_history"],
        json!([
            {"rank": {"code": "clerk", "label": "Cán sự"}, "number": "01.004", "since": "2010-05-01", "until": "2014-12-31"},
            {"rank": {"code": "specialist", "label": "Chuyên viên"}, "number": "01.003", "since": "2015-01-01", "until": null}
        ])
    );
    let training = record["training_history"].as_array().unwrap();
    assert_eq!(training.len(), 2, "the withdrawal is not history: {training:?}");
    assert_eq!(
        (
            &training[0]["provider"],
            &training[0]["course_title"],
            &training[0]["from"],
            &training[0]["to"]
        ),
        (
            &json!("Trường Chính trị tỉnh Vĩnh Phúc"),
            &json!("Bồi dưỡng QLNN ngạch chuyên viên"),
            &json!("2017-03-01"),
            &json!("2017-04-30")
        )
    );
    assert_eq!(
        (
            &training[0]["study_mode"]["code"],
            &training[0]["location"]["code"],
            &training[0]["conferred"]["code"],
            &training[0]["certificate_no"],
            &training[0]["result"]["code"]
        ),
        (
            &json!("part_time"),
            &json!("domestic"),
            &json!("specialist"),
            &json!("QL-123"),
            &json!("good")
        )
    );
    assert_eq!(
        (
            &training[1]["status"]["code"],
            &training[1]["conferred"],
            &training[1]["provider"]
        ),
        (&json!("enrolled"), &Value::Null, &Value::Null)
    );

    // The form as XLSX: the JSON's values in their sections.
    let xlsx = app
        .download(&format!("/api/v1/officials/{ha}/record?format=xlsx"))
        .await;
    let cells: Vec<String> = xlsx
        .xlsx()
        .into_iter()
        .flatten()
        .map(|cell| cell.to_string())
        .filter(|text| !text.is_empty())
        .collect();
    for wanted in [
        "SƠ YẾU LÝ LỊCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC",
        "Nguyễn Thị Hà & <Lan>",
        "026185000123",
        "Tày",
        "Giáo dục phổ thông",
        "12/12",
        "I. THÔNG TIN CHUNG",
        "II. TRÌNH ĐỘ",
        "III. QUÁ TRÌNH CÔNG TÁC",
        "IV. QUÁ TRÌNH GIỮ NGẠCH CÔNG CHỨC",
        "V. ĐÀO TẠO, BỒI DƯỠNG",
        "Đại học, chuyên ngành Luật — Trường Đại học Luật Hà Nội (30/06/2008)",
        "Chuyên viên (mã ngạch 01.003), từ 01/01/2015",
        "01/05/2010 – 31/12/2015",
        "01/01/2016 – nay",
        "01.004",
        "Chuyên viên (số QL-123)",
        "Không tập trung",
        "Bồi dưỡng kỹ năng",
    ] {
        assert!(cells.iter().any(|cell| cell == wanted), "{wanted:?} not in {cells:?}");
    }

    // The page: Vietnamese, every section in order, every value escaped, locked down.
    let page = app
        .client
        .get(format!("{}/api/v1/officials/{ha}/record?format=html", app.address))
        .bearer_auth(&app.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let headers = page.headers().clone();
    assert_eq!(headers["content-type"], "text/html; charset=utf-8");
    assert!(headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'none'"));
    let html = page.text().await.unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains(r#"<html lang="vi">"#));
    assert!(
        html.contains("Nguyễn Thị Hà &#38; &#60;Lan&#62;") || html.contains("Nguyễn Thị Hà &amp; &lt;Lan&gt;"),
        "{html}"
    );
    assert!(!html.contains("<Lan>"));
    let mut at = 0;
    for heading in [
        "I. THÔNG TIN CHUNG",
        "II. TRÌNH ĐỘ",
        "III. QUÁ TRÌNH CÔNG TÁC",
        "IV. QUÁ TRÌNH GIỮ NGẠCH CÔNG CHỨC",
        "V. ĐÀO TẠO, BỒI DƯỠNG",
    ] {
        let found = html[at..]
            .find(heading)
            .unwrap_or_else(|| panic!("{heading} after byte {at}"));
        at += found;
    }
    assert!(html.contains("size: A4"));

    // Reach and format: another subtree's hr user, an unknown format, an unknown person.
    let outside = app.unit("HN", "Hà Nội", "province", None).await;
    let token = app.token_for("hr", Some(outside)).await;
    let denied = app
        .send(
            reqwest::Method::GET,
            &format!("/api/v1/officials/{ha}/record"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    app.get(&format!("/api/v1/officials/{ha}/record?format=pdf"))
        .await
        .assert_fields(&["format"]);
    assert_eq!(
        app.get("/api/v1/officials/999999/record").await.status,
        StatusCode::NOT_FOUND
    );
}
