//! Lists as files: every list answers every matching row (not a page) as CSV and as XLSX, in
//! the columns the imports read, with the caller's scope applied.

use calamine::Data;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, XLSX};

#[tokio::test]
async fn every_list_downloads_all_its_rows() {
    let app = TestApp::spawn_demo().await;
    let mut largest = 0;
    for (list, query) in [
        ("units", ""),
        ("positions", ""),
        ("officials", ""),
        ("courses", ""),
        ("classes", ""),
        ("enrollments", ""),
        ("audit-log", ""),
        ("officials", "status=active"),
        ("enrollments", "status=completed"),
    ] {
        let total = app.get(&format!("/api/v1/{list}?{query}&limit=1")).await.body["total"]
            .as_u64()
            .unwrap() as usize;
        let rows = app
            .download(&format!("/api/v1/{list}/download?{query}&labels=codes"))
            .await
            .csv();
        assert_eq!(rows.len(), 1 + total, "{list}?{query}: the header and every row");
        largest = largest.max(total);
        let sheet = app
            .download(&format!("/api/v1/{list}/download?{query}&format=xlsx"))
            .await;
        assert_eq!(sheet.content_type, XLSX);
        let cells = sheet.xlsx();
        assert_eq!(cells.len(), 3 + total, "{list}?{query}: title, blank, header, rows");
    }
    assert!(largest > 50, "some list holds more than a page: {largest}");
}

#[tokio::test]
async fn an_officials_export_names_the_post_by_codes() {
    let app = TestApp::spawn_demo().await;
    let ward = app.unit_id("VP-PY-PT").await;
    let rows = app
        .download(&format!(
            "/api/v1/officials/download?unit_id={ward}&labels=codes&include=sensitive"
        ))
        .await
        .csv();
    assert_eq!(
        rows[0],
        [
            "code",
            "full_name",
            "gender",
            "date_of_birth",
            "party_joined_on",
            "national_id",
            "ethnicity",
            "religion",
            "general_education",
            "unit_code",
            "position_code",
            "category",
            "started_on",
            "rank",
            "rank_since",
            "education",
            "political_theory",
            "state_management",
            "it",
            "foreign_language",
            "status",
            "separated_on",
            "id"
        ]
    );
    let ha = rows.iter().find(|r| r[0] == "PT-C01").unwrap();
    let official = app.get(&format!("/api/v1/officials/{}", ha[22])).await.body;
    assert_eq!(
        ha[..13],
        [
            "PT-C01",
            "Nguyễn Thị Thu Hà",
            "female",
            "1972-04-12",
            ha[4].as_str(),
            official["national_id"].as_str().unwrap(),
            official["ethnicity"].as_str().unwrap(),
            official["religion"].as_str().unwrap(),
            "10/10",
            "VP-PY-PT",
            "P-BT",
            "cadre",
            "2010-07-01"
        ]
    );
    assert_eq!(ha[5].len(), 12, "{ha:?}");
    assert_eq!(ha[13], official["rank"].as_str().unwrap());
    assert_eq!(ha[15], official["education"].as_str().unwrap());
    assert_eq!(ha[20], "active");
    // For people: Vietnamese headers and labels; in XLSX, days are dates.
    let vi = app
        .download(&format!("/api/v1/officials/download?unit_id={ward}"))
        .await
        .csv();
    assert_eq!(vi[0][..3], ["Mã cán bộ", "Họ và tên", "Giới tính"]);
    let ha = vi.iter().find(|r| r[0] == "PT-C01").unwrap();
    assert_eq!(ha[2], "Nữ");
    let cells = app
        .download(&format!(
            "/api/v1/officials/download?unit_id={ward}&format=xlsx&include=sensitive"
        ))
        .await
        .xlsx();
    let ha = cells.iter().find(|r| r[0] == Data::String("PT-C01".into())).unwrap();
    assert!(matches!(ha[3], Data::DateTime(_)), "{:?}", ha[3]);
    assert_eq!(
        ha[5],
        Data::String(official["national_id"].as_str().unwrap().to_owned()),
        "text, zeros kept"
    );
    assert_eq!(ha[8], Data::String("10/10".to_owned()), "a grade, not a date");
    assert_eq!(ha[22], Data::Float(official["id"].as_f64().unwrap()));
}

#[tokio::test]
async fn an_hr_export_holds_only_its_subtree() {
    let app = TestApp::spawn_demo().await;
    let ward = app.unit_id("VP-PY-PT").await;
    let clerk = app.token_for("hr", Some(ward)).await;
    let rows = app
        .download_as(
            "/api/v1/officials/download?labels=codes&include=sensitive",
            &clerk,
            None,
        )
        .await
        .csv();
    let mine = app.get(&format!("/api/v1/officials?unit_id={ward}&limit=1")).await.body["total"]
        .as_u64()
        .unwrap() as usize;
    assert_eq!(rows.len(), 1 + mine);
    assert!(rows.iter().skip(1).all(|r| r[9] == "VP-PY-PT"), "{rows:?}");
    let city = app.unit_id("VP-PY").await;
    let refused = app
        .send(
            reqwest::Method::GET,
            &format!("/api/v1/officials/download?unit_id={city}"),
            Some(&clerk),
            None,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let auditor = app.token_for("auditor", None).await;
    let refused = app
        .send(reqwest::Method::GET, "/api/v1/audit-log/download", Some(&clerk), None)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    app.download_as("/api/v1/audit-log/download", &auditor, None).await;
}

#[tokio::test]
async fn a_download_takes_only_its_list_filters() {
    let app = TestApp::spawn().await;
    for (path, field) in [
        ("/api/v1/officials/download?limit=10", "limit"),
        ("/api/v1/units/download?offset=10", "offset"),
        ("/api/v1/units/download?format=pdf", "format"),
        ("/api/v1/units/download?labels=english", "labels"),
        ("/api/v1/officials/download?gender=x", "gender"),
    ] {
        app.get(path).await.assert_fields(&[field]);
    }
}

#[tokio::test]
async fn an_officials_qualifications_download_as_records() {
    let app = TestApp::spawn().await;
    let ward = app.unit("W", "Phường W", "ward", None).await;
    let official = app
        .official(json!({"code": "A-1", "full_name": "=cmd|' /C calc'!A0", "gender": "male", "unit_id": ward, "category": "cadre"}))
        .await["id"]
        .as_i64()
        .unwrap();
    app.qualify(official, "education", "university", "2010-06-30").await;
    app.qualify(official, "it", "basic", "2012-01-01").await;
    let file = app
        .download(&format!(
            "/api/v1/officials/{official}/qualifications/download?labels=codes"
        ))
        .await;
    assert_eq!(file.disposition, "attachment; filename=\"qualifications-A-1.csv\"");
    let rows = file.csv();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1][..4], ["A-1", "it", "basic", "2012-01-01"]);
    assert_eq!(rows[2][..4], ["A-1", "education", "university", "2010-06-30"]);
    let only_it = app
        .download(&format!(
            "/api/v1/officials/{official}/qualifications/download?dimension=it"
        ))
        .await
        .csv();
    assert_eq!(only_it.len(), 2);
    assert_eq!(only_it[1][1..3], ["Tin học", "Ứng dụng CNTT cơ bản"]);
    // In a workbook a formula-like name is a text cell, never a formula.
    let cells = app
        .download(&format!(
            "/api/v1/officials/download?unit_id={ward}&format=xlsx&include=sensitive"
        ))
        .await
        .xlsx();
    assert_eq!(cells[3][1], Data::String("=cmd|' /C calc'!A0".into()));
    let rows = app
        .download(&format!("/api/v1/officials/download?unit_id={ward}"))
        .await
        .csv();
    assert_eq!(rows[1][1], "'=cmd|' /C calc'!A0", "in CSV it is neutralised");
}
