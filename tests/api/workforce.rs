//! The year-end workforce statistics (issue #14), on a small tree whose right answers are
//! counted by hand: people who move, rank up, retire and join across the day counted.

use std::collections::BTreeMap;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{TestApp, Tree};

const DAY: &str = "2018-12-31";

/// A person of the tree: the body of `POST /officials` and what happens to them.
async fn person(app: &TestApp, body: Value) -> i64 {
    app.official(body).await["id"].as_i64().unwrap()
}

async fn rank(app: &TestApp, id: i64, rank: &str, since: &str) {
    let reply = app
        .post(
            &format!("/api/v1/officials/{id}/ranks"),
            json!({"rank": rank, "since": since}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
}

async fn levels(app: &TestApp, id: i64, records: &[(&str, &str, &str)]) {
    for (dimension, level, on) in records {
        let reply = app.qualify(id, dimension, level, on).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    }
}

/// The city's people, each counted by hand in the expected figures below; their ids by code.
async fn people(app: &TestApp, tree: &Tree) -> BTreeMap<&'static str, i64> {
    // An: ward A; a Tày Buddhist woman and party member, 28 on the day; a specialist who
    // becomes a principal specialist after the day.
    let an = person(
        app,
        json!({"code": "A", "full_name": "Hoàng Thị An", "gender": "female", "date_of_birth": "1990-06-01",
        "unit_id": tree.ward_a, "category": "civil_servant", "started_on": "2012-07-01",
        "ethnicity": "02", "religion": "01", "party_joined_on": "2015-05-19"}),
    )
    .await;
    rank(app, an, "specialist", "2015-01-01").await;
    rank(app, an, "principal_specialist", "2019-03-01").await;
    levels(
        app,
        an,
        &[
            ("education", "university", "2012-06-01"),
            ("political_theory", "intermediate", "2016-01-01"),
            ("state_management", "specialist", "2017-01-01"),
            ("it", "basic", "2014-01-01"),
            ("foreign_language", "level_2", "2013-01-01"),
        ],
    )
    .await;
    // Bình: ward A; 40 on the very day; a master's degree awarded that day counts, a
    // doctorate after it does not.
    let binh = person(
        app,
        json!({"code": "B", "full_name": "Lê Văn Bình", "gender": "male", "date_of_birth": "1978-12-31",
        "unit_id": tree.ward_a, "category": "cadre", "started_on": "2008-01-01", "ethnicity": "01", "religion": "00"}),
    )
    .await;
    rank(app, binh, "clerk", "2010-01-01").await;
    levels(
        app,
        binh,
        &[
            ("education", "university", "2002-06-01"),
            ("education", "master", DAY),
            ("education", "doctorate", "2019-01-05"),
            ("political_theory", "advanced", "2015-01-01"),
            ("it", "advanced", "2016-01-01"),
            ("foreign_language", "level_4", "2017-01-01"),
        ],
    )
    .await;
    // Cường: ward B; retired on the day itself: no longer counted.
    let cuong = person(
        app,
        json!({"code": "C", "full_name": "Trần Văn Cường", "gender": "male", "date_of_birth": "1958-01-01",
        "unit_id": tree.ward_b, "category": "civil_servant", "started_on": "1990-01-01"}),
    )
    .await;
    rank(app, cuong, "principal_specialist", "2000-01-01").await;
    let retired = app
        .post(
            &format!("/api/v1/officials/{cuong}/separation"),
            json!({"status": "retired", "effective_on": DAY}),
        )
        .await;
    assert_eq!(retired.status, StatusCode::OK, "{}", retired.body);
    // Dung: ward B; 61 on the day, retires after it; religion and ethnic group unknown.
    let dung = person(
        app,
        json!({"code": "D", "full_name": "Phạm Thị Dung", "gender": "female", "date_of_birth": "1957-05-01",
        "unit_id": tree.ward_b, "category": "civil_servant", "started_on": "1985-01-01"}),
    )
    .await;
    rank(app, dung, "senior_specialist", "2000-01-01").await;
    levels(
        app,
        dung,
        &[
            ("education", "college", "1990-01-01"),
            ("state_management", "senior_specialist", "2005-01-01"),
        ],
    )
    .await;
    let later = app
        .post(
            &format!("/api/v1/officials/{dung}/separation"),
            json!({"status": "retired", "effective_on": "2019-06-30"}),
        )
        .await;
    assert_eq!(later.status, StatusCode::OK, "{}", later.body);
    // Én: in ward B on the day, moved to ward A after it; a Catholic.
    let en = person(app, json!({"code": "E", "full_name": "Đỗ Văn Én", "gender": "male", "date_of_birth": "1985-01-01",
        "unit_id": tree.ward_b, "category": "civil_servant", "started_on": "2010-01-01", "ethnicity": "01", "religion": "02"})).await;
    rank(app, en, "staff", "2010-01-01").await;
    levels(
        app,
        en,
        &[
            ("education", "elementary", "2005-01-01"),
            ("foreign_language", "level_1", "2011-01-01"),
        ],
    )
    .await;
    let moved = app
        .post(
            &format!("/api/v1/officials/{en}/transfer"),
            json!({"unit_id": tree.ward_a, "effective_on": "2019-02-01"}),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    // Phúc: joins ward A after the day.
    let phuc = person(
        app,
        json!({"code": "F", "full_name": "Vũ Văn Phúc", "gender": "male", "date_of_birth": "1995-01-01",
        "unit_id": tree.ward_a, "category": "civil_servant", "started_on": "2019-01-10"}),
    )
    .await;
    // Giang: on the city's own staff; 48, party member, a bachelor of political theory.
    let giang = person(
        app,
        json!({"code": "G", "full_name": "Ngô Văn Giang", "gender": "male", "date_of_birth": "1970-03-03",
        "unit_id": tree.city, "category": "cadre", "started_on": "2000-01-01", "party_joined_on": "1995-02-03"}),
    )
    .await;
    levels(
        app,
        giang,
        &[
            ("political_theory", "advanced", "2005-01-01"),
            ("political_theory", "bachelor", "2010-01-01"),
        ],
    )
    .await;
    BTreeMap::from([
        ("A", an),
        ("B", binh),
        ("C", cuong),
        ("D", dung),
        ("E", en),
        ("F", phuc),
        ("G", giang),
    ])
}

fn counts(pairs: &[(&str, i64)]) -> BTreeMap<String, i64> {
    pairs.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect()
}

/// The non-zero counts of a row's `values`.
fn non_zero(values: &Value) -> BTreeMap<String, i64> {
    values
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, n)| n.as_i64() != Some(0))
        .map(|(k, n)| (k.clone(), n.as_i64().unwrap()))
        .collect()
}

#[tokio::test]
async fn every_column_is_counted_as_of_the_day() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    people(&app, &tree).await;
    let reply = app
        .get(&format!("/api/v1/reports/workforce?unit_id={}&as_of={DAY}", tree.city))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let report = reply.body;
    assert_eq!(report["columns"].as_array().unwrap().len(), 33);
    assert_eq!(
        report["columns"][1],
        json!({"key": "women", "label": "Nữ", "group": "Trong đó"})
    );
    let rows = report["rows"].as_array().unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["unit_name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Thành phố Phúc Yên", "Phường Phúc Thắng", "Phường Xuân Hòa"]);
    let city = counts(&[
        ("headcount", 1),
        ("party_member", 1),
        ("political_theory_bachelor", 1),
        ("age_41_50", 1),
    ]);
    let ward_a = counts(&[
        ("headcount", 2),
        ("women", 1),
        ("ethnic_minority", 1),
        ("religious", 1),
        ("party_member", 1),
        ("rank_specialist", 1),
        ("rank_clerk", 1),
        ("education_university", 1),
        ("education_master", 1),
        ("political_theory_intermediate", 1),
        ("political_theory_advanced", 1),
        ("state_management_specialist", 1),
        ("it_basic", 1),
        ("it_advanced", 1),
        ("foreign_language_level_1_3", 1),
        ("foreign_language_level_4_up", 1),
        ("age_under_30", 1),
        ("age_30_40", 1),
    ]);
    let ward_b = counts(&[
        ("headcount", 2),
        ("women", 1),
        ("religious", 1),
        ("rank_senior_specialist", 1),
        ("rank_staff", 1),
        ("education_college", 1),
        ("education_elementary", 1),
        ("state_management_senior_specialist", 1),
        ("foreign_language_level_1_3", 1),
        ("age_30_40", 1),
        ("age_over_60", 1),
    ]);
    assert_eq!(non_zero(&rows[0]["values"]), city);
    assert_eq!(non_zero(&rows[1]["values"]), ward_a);
    assert_eq!(non_zero(&rows[2]["values"]), ward_b);
    let mut total = city.clone();
    for part in [&ward_a, &ward_b] {
        for (key, n) in part {
            *total.entry(key.clone()).or_default() += n;
        }
    }
    assert_eq!(non_zero(&report["total"]), total);
    assert_eq!(
        report["total"].as_object().unwrap().len(),
        33,
        "every column, zeros included"
    );

    // The unit alone, a category, and a later day (An's promotion, Dung retired, Én moved,
    // Phúc joined, Bình's doctorate).
    let alone = app
        .get(&format!(
            "/api/v1/reports/workforce?unit_id={}&as_of={DAY}&group_by=none",
            tree.city
        ))
        .await
        .body;
    assert_eq!(alone["rows"].as_array().unwrap().len(), 1);
    assert_eq!(non_zero(&alone["rows"][0]["values"]), total);
    let servants = app
        .get(&format!(
            "/api/v1/reports/workforce?unit_id={}&as_of={DAY}&category=civil_servant&group_by=none",
            tree.city
        ))
        .await
        .body;
    assert_eq!(servants["total"]["headcount"], 3, "An, Dung, Én");
    let later = app
        .get(&format!(
            "/api/v1/reports/workforce?unit_id={}&as_of=2019-12-31",
            tree.ward_a
        ))
        .await
        .body;
    let ward_a_later = non_zero(&later["total"]);
    assert_eq!(ward_a_later["headcount"], 4, "An, Bình, Én, Phúc: {ward_a_later:?}");
    assert_eq!(ward_a_later["rank_principal_specialist"], 1);
    assert_eq!(ward_a_later["education_doctorate"], 1);
    assert!(!ward_a_later.contains_key("rank_specialist"));

    // An hr user of ward B cannot count the city; with no day, the last 31 December.
    let clerk = app.token_for("hr", Some(tree.ward_b)).await;
    let refused = app
        .send(
            reqwest::Method::GET,
            &format!("/api/v1/reports/workforce?unit_id={}", tree.city),
            Some(&clerk),
            None,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let default = app
        .get(&format!("/api/v1/reports/workforce?unit_id={}", tree.ward_b))
        .await
        .body;
    let year = chrono::Datelike::year(&chrono::Utc::now().date_naive()) - 1;
    assert_eq!(default["as_of"], format!("{year}-12-31"));
}

#[tokio::test]
async fn the_files_give_the_json_figures_laid_out_as_the_form() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    people(&app, &tree).await;
    let path = format!("/api/v1/reports/workforce?unit_id={}&as_of={DAY}", tree.city);
    let report = app.get(&path).await.body;
    let keys: Vec<String> = report["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap().to_owned())
        .collect();
    let download = path.replace("/workforce?", "/workforce/download?");

    // CSV: one flat header, a row per part, the total last.
    let csv = app.download(&format!("{download}&labels=codes")).await.csv();
    assert_eq!(csv[0][..3], ["no", "unit_name", "headcount"]);
    assert_eq!(csv.len(), 1 + 3 + 1);
    for (line, row) in csv[1..4].iter().zip(report["rows"].as_array().unwrap()) {
        assert_eq!(line[1], row["unit_name"].as_str().unwrap());
        for (i, key) in keys.iter().enumerate() {
            assert_eq!(line[2 + i], row["values"][key].to_string(), "{key}");
        }
    }
    assert_eq!(csv[4][1], "Tổng cộng");
    assert_eq!(csv[4][2], report["total"]["headcount"].to_string());

    // XLSX: title lines, the groups' headings above the columns' headers, numbered columns,
    // numbers as numbers.
    let cells = app.download(&format!("{download}&format=xlsx")).await.xlsx();
    let text = |row: &[calamine::Data], col: usize| row.get(col).map(ToString::to_string).unwrap_or_default();
    let header = cells
        .iter()
        .position(|row| text(row, 0) == "STT")
        .expect("the header row");
    assert_eq!(text(&cells[header], 2), "Tổng số");
    assert_eq!(
        text(&cells[header], 3),
        "Trong đó",
        "the group's heading, merged over its columns"
    );
    assert_eq!(text(&cells[header + 1], 3), "Nữ");
    assert_eq!(text(&cells[header + 1], 7), "Chuyên viên cao cấp");
    assert_eq!(cells[header + 2][0], calamine::Data::Float(1.0), "the numbering row");
    assert_eq!(cells[header + 2][34], calamine::Data::Float(35.0));
    let total = &cells[header + 6];
    assert_eq!(text(total, 1), "Tổng cộng");
    for (i, key) in keys.iter().enumerate() {
        let wanted = report["total"][key].as_f64().unwrap();
        assert_eq!(total[2 + i], calamine::Data::Float(wanted), "{key}");
    }
}

/// The figures of each part of the city on the day, as the report gives them.
async fn figures(app: &TestApp, tree: &Tree) -> BTreeMap<i64, BTreeMap<String, i64>> {
    let reply = app
        .get(&format!("/api/v1/reports/workforce?unit_id={}&as_of={DAY}", tree.city))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let mut parts: BTreeMap<i64, BTreeMap<String, i64>> = reply.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| (row["unit_id"].as_i64().unwrap(), non_zero(&row["values"])))
        .collect();
    for unit in [tree.city, tree.ward_a, tree.ward_b] {
        parts.entry(unit).or_default();
    }
    parts
}

/// `expected`, with `delta` added to the counts of `unit` (a count at 0 leaves the map).
fn moved(expected: &mut BTreeMap<i64, BTreeMap<String, i64>>, unit: i64, delta: &[(&str, i64)]) {
    let counts = expected.entry(unit).or_default();
    for (key, n) in delta {
        let slot = counts.entry((*key).to_owned()).or_default();
        *slot += n;
        if *slot == 0 {
            counts.remove(*key);
        }
    }
}

#[tokio::test]
async fn kept_counts_are_read_again_and_follow_every_write_of_the_history() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let ids = people(&app, &tree).await;
    let mut expected = figures(&app, &tree).await;
    assert_eq!(expected[&tree.ward_a]["headcount"], 2);
    // Each unit of the subtree has its counts kept for the day: the city and its two wards.
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM workforce_counts WHERE as_of = '{DAY}' AND category = ''"
        )),
        3
    );

    // A second report reads the kept counts: a count changed behind the service's back shows.
    let tamper = "UPDATE workforce_counts SET counts = REPLACE(REPLACE(counts, \
                  '\"headcount\":1,', '\"headcount\":99,'), '\"headcount\":2,', '\"headcount\":99,') \
                  WHERE category = ''";
    app.sql(tamper, tamper);
    let read = figures(&app, &tree).await;
    for unit in [tree.city, tree.ward_a, tree.ward_b] {
        assert_eq!(read[&unit]["headcount"], 99);
    }

    // Each write that changes the day's figures makes its units counted again.
    // A qualification awarded before the day (Én, ward B): elementary → university.
    let record = app.qualify(ids["E"], "education", "university", "2015-06-01").await;
    assert_eq!(record.status, StatusCode::CREATED, "{}", record.body);
    moved(
        &mut expected,
        tree.ward_b,
        &[("education_elementary", -1), ("education_university", 1)],
    );
    // Both wards are counted again (Én was in ward A later: every unit of his history is),
    // the city, where he never was, keeps its counts.
    let now = figures(&app, &tree).await;
    assert_eq!(now[&tree.ward_a], expected[&tree.ward_a]);
    assert_eq!(now[&tree.ward_b], expected[&tree.ward_b]);
    assert_eq!(
        now[&tree.city]["headcount"], 99,
        "the city's counts are still the kept ones"
    );
    // ... and removed again.
    let removed = app
        .delete(&format!(
            "/api/v1/officials/{}/qualifications/{}",
            ids["E"], record.body["id"]
        ))
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.body);
    moved(
        &mut expected,
        tree.ward_b,
        &[("education_elementary", 1), ("education_university", -1)],
    );
    assert_eq!(figures(&app, &tree).await[&tree.ward_b], expected[&tree.ward_b]);

    // A rank held since before the day (Giang, the city's own staff).
    rank(&app, ids["G"], "specialist", "2001-01-01").await;
    moved(&mut expected, tree.city, &[("rank_specialist", 1)]);
    assert_eq!(figures(&app, &tree).await[&tree.city], expected[&tree.city]);

    // A personal field corrected (Bình, ward A: a woman, a Thái).
    let patched = app
        .patch(
            &format!("/api/v1/officials/{}", ids["B"]),
            json!({"gender": "female", "ethnicity": "03"}),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
    moved(&mut expected, tree.ward_a, &[("women", 1), ("ethnic_minority", 1)]);
    assert_eq!(figures(&app, &tree).await, expected);

    // Moved out before the day (Giang, from the city to ward B), and retired before it
    // (Bình): whole people leave and join parts.
    let transfer = app
        .post(
            &format!("/api/v1/officials/{}/transfer", ids["G"]),
            json!({"unit_id": tree.ward_b, "effective_on": "2018-06-01"}),
        )
        .await;
    assert_eq!(transfer.status, StatusCode::OK, "{}", transfer.body);
    let giang = expected.insert(tree.city, BTreeMap::new()).unwrap();
    for (key, n) in &giang {
        moved(&mut expected, tree.ward_b, &[(key.as_str(), *n)]);
    }
    assert_eq!(figures(&app, &tree).await, expected);
    let retired = app
        .post(
            &format!("/api/v1/officials/{}/separation", ids["B"]),
            json!({"status": "retired", "effective_on": "2018-06-30"}),
        )
        .await;
    assert_eq!(retired.status, StatusCode::OK, "{}", retired.body);
    moved(
        &mut expected,
        tree.ward_a,
        &[
            ("headcount", -1),
            ("women", -1),
            ("ethnic_minority", -1),
            ("rank_clerk", -1),
            ("education_master", -1),
            ("political_theory_advanced", -1),
            ("it_advanced", -1),
            ("foreign_language_level_4_up", -1),
            ("age_30_40", -1),
        ],
    );
    assert_eq!(figures(&app, &tree).await, expected);

    // A newcomer hired before the day, into ward A.
    person(
        &app,
        json!({"code": "H", "full_name": "Mai Thị Hoa", "gender": "female", "date_of_birth": "1992-02-02",
        "unit_id": tree.ward_a, "category": "public_employee", "started_on": "2018-03-01"}),
    )
    .await;
    moved(
        &mut expected,
        tree.ward_a,
        &[("headcount", 1), ("women", 1), ("age_under_30", 1)],
    );
    assert_eq!(figures(&app, &tree).await, expected);

    // Writes after the day change nothing of it, and the kept counts are whole: the report
    // of the city alone, by category and for ward A on its own agree with the parts.
    rank(&app, ids["A"], "senior_specialist", "2020-01-01").await;
    assert_eq!(figures(&app, &tree).await, expected);

    // Counts made another way (another layout of the columns, an older service) are made again.
    let relaid = "UPDATE workforce_counts SET layout = 'older', \
                  counts = REPLACE(counts, '\"headcount\":', '\"headcount\":1') WHERE category = ''";
    app.sql(relaid, relaid);
    assert_eq!(figures(&app, &tree).await, expected);
    let servants = app
        .get(&format!(
            "/api/v1/reports/workforce?unit_id={}&as_of={DAY}&category=public_employee&group_by=none",
            tree.city
        ))
        .await
        .body;
    assert_eq!(servants["total"]["headcount"], 1, "Hoa");
}

/// A report that counted a unit before a write committed keeps its counts only under the
/// revision it read before counting: the next report counts the unit again. On PostgreSQL
/// the write commits while the report waits to store its counts (the lock held from a
/// second connection); SQLite's writers wait for each other, so there the write follows.
#[tokio::test]
async fn counts_made_before_a_write_are_not_served_after_it() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let ids = people(&app, &tree).await;
    let before = figures(&app, &tree).await;
    // Ward B's counts are stale (Dung's record), and the report that counts it again must wait.
    let record = app.qualify(ids["D"], "it", "basic", "2010-01-01").await;
    assert_eq!(record.status, StatusCode::CREATED, "{}", record.body);
    let mut held = app.hold_named("workforce_counts");
    let postgres = app.on_postgres();
    let write = async {
        held.wait_for(1).await;
        if postgres {
            rank(&app, ids["E"], "clerk", "2012-01-01").await;
            held.release();
        } else {
            held.release();
            rank(&app, ids["E"], "clerk", "2012-01-01").await;
        }
    };
    let (during, ()) = tokio::join!(figures(&app, &tree), write);
    let mut expected = before.clone();
    moved(&mut expected, tree.ward_b, &[("it_basic", 1)]);
    if postgres {
        assert_eq!(during, expected, "counted before the rank");
    }
    moved(&mut expected, tree.ward_b, &[("rank_staff", -1), ("rank_clerk", 1)]);
    assert_eq!(figures(&app, &tree).await, expected, "counted again after the rank");
}

/// Days other than a 31 December keep their counts only while they are the day asked for or
/// among the twelve latest others; year-ends are kept.
#[tokio::test]
async fn only_the_latest_other_days_keep_their_counts() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    people(&app, &tree).await;
    let days = |sql: &str| app.count(&format!("SELECT count(DISTINCT as_of) FROM workforce_counts{sql}"));
    for year in 2005..=2018 {
        for day in [format!("{year}-12-31"), format!("{year}-06-30")] {
            let reply = app
                .get(&format!(
                    "/api/v1/reports/workforce?unit_id={}&as_of={day}",
                    tree.ward_a
                ))
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        }
    }
    assert_eq!(days(""), 14 + 13);
    assert_eq!(days(" WHERE as_of = '2005-06-30'"), 0, "the oldest mid-year forgotten");
    // An old day asked for again is counted again, and the oldest other one forgotten.
    let again = app
        .get(&format!(
            "/api/v1/reports/workforce?unit_id={}&as_of=2005-06-30",
            tree.ward_a
        ))
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(days(" WHERE as_of = '2005-06-30'"), 1);
    assert_eq!(days(" WHERE as_of = '2006-06-30'"), 0);
    assert_eq!(days(""), 14 + 13);
}

/// A transaction raises, when it commits, every unit it wrote, however many rows noted them:
/// on PostgreSQL the first of its commit triggers raises them all and the others see it done;
/// a unit noted after a raise (constraints made immediate in between) is raised too. SQLite
/// raises each at once.
#[tokio::test]
async fn every_unit_a_transaction_wrote_is_raised_once_it_commits() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    people(&app, &tree).await;
    let revision = |unit: i64| {
        app.count(&format!(
            "SELECT COALESCE((SELECT revision FROM unit_revisions WHERE unit_id = {unit}), 0)"
        ))
    };
    let (a, b) = (revision(tree.ward_a), revision(tree.ward_b));
    let touch = |unit: i64| format!("UPDATE assignments SET updated_at = updated_at WHERE unit_id = {unit};");
    let (touch_a, touch_b) = (touch(tree.ward_a), touch(tree.ward_b));
    app.sql(
        &format!("BEGIN; {touch_a} {touch_a} {touch_b} COMMIT;"),
        &format!("BEGIN; {touch_a} {touch_a} SET CONSTRAINTS ALL IMMEDIATE; {touch_b} {touch_a} COMMIT;"),
    );
    assert!(revision(tree.ward_a) > a, "ward A raised");
    assert!(
        revision(tree.ward_b) > b,
        "ward B, noted after the first raise, raised too"
    );
    assert_eq!(app.count("SELECT count(*) FROM unit_revisions_pending"), 0);
    if app.on_postgres() {
        assert_eq!(
            (revision(tree.ward_a), revision(tree.ward_b)),
            (a + 2, b + 1),
            "once per raise: before the constraints were made immediate, and at commit"
        );
    }
}
