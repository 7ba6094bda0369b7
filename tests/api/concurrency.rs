//! Writers that race: parallel requests on one record, made deterministic by holding the
//! lock they need from a second connection until every one of them waits for it.

use std::collections::{BTreeMap, HashMap};

use futures_util::future::join_all;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{Reply, TestApp};

const RACERS: usize = 8;

/// The statuses of a batch of replies, counted.
fn tally(replies: &[Reply]) -> BTreeMap<u16, usize> {
    let mut counts = BTreeMap::new();
    for reply in replies {
        *counts.entry(reply.status.as_u16()).or_default() += 1;
    }
    counts
}

async fn official_in(app: &TestApp, code: &str, unit: i64) -> i64 {
    app.official(
        json!({"code": code, "full_name": format!("Người {code}"), "gender": "female",
                        "unit_id": unit, "category": "civil_servant", "started_on": "2020-01-01"}),
    )
    .await["id"]
        .as_i64()
        .expect("an id")
}

async fn open_assignments(app: &TestApp, official: i64) -> usize {
    let history = app.get(&format!("/api/v1/officials/{official}/assignments")).await;
    history
        .body
        .as_array()
        .expect("a list")
        .iter()
        .filter(|a| a["ended_on"].is_null())
        .count()
}

#[tokio::test]
async fn parallel_transfers_of_one_official_leave_exactly_one_open_assignment() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let id = official_in(&app, "T1", t.ward_a).await;
    let path = format!("/api/v1/officials/{id}/transfer");

    // The same move sent eight times (a double-clicked form): one lands, the others find
    // the official already moved that day.
    let held = app.hold_row("officials", id);
    let moves = (0..RACERS).map(|_| app.post(&path, json!({"unit_id": t.ward_b, "effective_on": "2024-03-01"})));
    let (replies, ()) = tokio::join!(join_all(moves), held.release_when_waiting(RACERS as i64));
    assert_eq!(tally(&replies).get(&200), Some(&1), "{:?}", tally(&replies));
    assert_eq!(open_assignments(&app, id).await, 1);

    // Eight moves to different units and days, each sent with the version last read:
    // exactly one applies, the others are told the official has changed.
    let version = app.get(&format!("/api/v1/officials/{id}")).await.body["version"]
        .as_i64()
        .expect("a version");
    let etag = format!("\"{version}\"");
    let held = app.hold_row("officials", id);
    let moves = (0..RACERS).map(|i| {
        let unit = if i % 2 == 0 { t.ward_a } else { t.city };
        let (app, path, etag) = (&app, &path, &etag);
        async move {
            app.send_with(
                Method::POST,
                path,
                Some(&app.admin_token),
                Some(json!({"unit_id": unit, "effective_on": format!("2025-0{}-01", i + 1)})),
                &[("If-Match", etag.as_str())],
            )
            .await
        }
    });
    let (replies, ()) = tokio::join!(join_all(moves), held.release_when_waiting(RACERS as i64));
    assert_eq!(
        tally(&replies),
        BTreeMap::from([(200, 1), (412, RACERS - 1)]),
        "{:?}",
        replies.iter().map(|r| r.body.to_string()).collect::<Vec<_>>()
    );
    assert_eq!(open_assignments(&app, id).await, 1);
    let official = app.get(&format!("/api/v1/officials/{id}")).await;
    assert_eq!(official.body["version"], version + 1);
}

#[tokio::test]
async fn parallel_patches_with_the_same_if_match_apply_once() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let id = official_in(&app, "P1", t.ward_a).await;
    let held = app.hold_row("officials", id);
    let path = format!("/api/v1/officials/{id}");
    let patches = (0..RACERS).map(|i| {
        app.send_with(
            Method::PATCH,
            &path,
            Some(&app.admin_token),
            Some(json!({"full_name": format!("Tên mới {i}")})),
            &[("If-Match", "\"1\"")],
        )
    });
    let (replies, ()) = tokio::join!(join_all(patches), held.release_when_waiting(RACERS as i64));
    assert_eq!(tally(&replies), BTreeMap::from([(200, 1), (412, RACERS - 1)]));
    for reply in replies.iter().filter(|r| r.status == StatusCode::PRECONDITION_FAILED) {
        reply.assert_code(412, "stale_version");
    }
    let winner = replies.iter().find(|r| r.status == StatusCode::OK).expect("one 200");
    let official = app.get(&format!("/api/v1/officials/{id}")).await;
    assert_eq!(official.body["version"], 2);
    assert_eq!(official.body["full_name"], winner.body["full_name"]);
}

/// Every unit's ancestors by `parent_id`, refusing a cycle.
async fn assert_no_cycle(app: &TestApp) {
    let units = app.get("/api/v1/units?limit=500").await;
    let parents: HashMap<i64, Option<i64>> = units.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|u| (u["id"].as_i64().expect("id"), u["parent_id"].as_i64()))
        .collect();
    for &start in parents.keys() {
        let mut seen = vec![start];
        let mut at = start;
        while let Some(Some(parent)) = parents.get(&at) {
            assert!(!seen.contains(parent), "a cycle through {seen:?} and {parent}");
            seen.push(*parent);
            at = *parent;
        }
    }
}

#[tokio::test]
async fn two_units_moved_under_each_other_at_once_make_no_cycle() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    for round in 0..3 {
        let first = app.unit(&format!("A{round}"), "Tổ A", "agency", Some(t.city)).await;
        let second = app.unit(&format!("B{round}"), "Tổ B", "agency", Some(t.city)).await;
        let held = app.hold_unit_tree();
        let app = &app;
        let moves = [(first, second), (second, first)].map(|(unit, parent)| async move {
            app.patch(&format!("/api/v1/units/{unit}"), json!({"parent_id": parent}))
                .await
        });
        let (replies, ()) = tokio::join!(join_all(moves), held.release_when_waiting(2));
        let counts = tally(&replies);
        assert_eq!(counts.get(&200), Some(&1), "{counts:?}");
        let refused = replies
            .iter()
            .find(|r| r.status != StatusCode::OK)
            .expect("one refused");
        refused.assert_fields(&["parent_id"]);
        assert_no_cycle(app).await;
        // The moved unit's subtree follows it: listing under the other one finds both.
        let (moved, under) = if replies[0].status == StatusCode::OK {
            (first, second)
        } else {
            (second, first)
        };
        let subtree = app.get(&format!("/api/v1/units?unit_id={under}")).await;
        let ids: Vec<i64> = subtree.body["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|u| u["id"].as_i64().expect("id"))
            .collect();
        assert!(ids.contains(&moved) && ids.contains(&under), "{ids:?}");
    }
}

#[tokio::test]
async fn parallel_qualifications_keep_the_highest_level() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let id = official_in(&app, "Q1", t.ward_a).await;
    // Three rounds, so that an unlocked implementation cannot pass by the luck of the order.
    let rounds: [(&str, &[&str], &str); 3] = [
        ("education", &EDUCATION[1..], "doctorate"),
        (
            "state_management",
            &["clerk", "specialist", "principal_specialist", "senior_specialist"],
            "senior_specialist",
        ),
        (
            "foreign_language",
            &["level_1", "level_2", "level_3", "level_4", "level_5", "level_6"],
            "level_6",
        ),
    ];
    for (dimension, levels, highest) in rounds {
        let held = app.hold_row("officials", id);
        let inserts = levels
            .iter()
            .map(|level| app.qualify(id, dimension, level, "2021-06-30"));
        let (replies, ()) = tokio::join!(join_all(inserts), held.release_when_waiting(levels.len() as i64));
        assert_eq!(tally(&replies), BTreeMap::from([(201, levels.len())]));
        let official = app.get(&format!("/api/v1/officials/{id}")).await;
        assert_eq!(official.body[dimension], highest, "{}", official.body);
    }
    let report = app
        .get(&format!("/api/v1/reports/qualifications?unit_id={}", t.ward_a))
        .await;
    let education = report.body["dimensions"]["education"].as_array().expect("levels");
    let doctorate = education.iter().find(|l| l["level"] == "doctorate").expect("doctorate");
    assert_eq!(
        (doctorate["count"].as_i64(), report.body["headcount"].as_i64()),
        (Some(1), Some(1))
    );
}

/// A completion recorded while another program (an import, a script) writes the official's
/// history beside it: the history's triggers lock the official as the service's writes do, so
/// the completion waits for that write and carries the post it gives the day of completion
/// (without the lock it read the history as it stood, and kept the day without a post).
#[tokio::test]
async fn a_completion_waits_for_the_history_written_beside_it() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let id = official_in(&app, "H1", t.ward_a).await;
    let chair = app
        .post(
            "/api/v1/positions",
            json!({"code": "CT", "title": "Chủ tịch", "category": "cadre", "leadership": true}),
        )
        .await
        .id();
    let course = app
        .post(
            "/api/v1/courses",
            json!({"code": "BD", "title": "Bồi dưỡng", "kind": "refresher"}),
        )
        .await
        .id();
    let class = app
        .post(
            "/api/v1/classes",
            json!({"code": "L1", "name": "Lớp 1", "course_id": course, "organizer_unit_id": t.city,
                   "starts_on": "2018-03-01", "ends_on": "2018-03-31", "status": "finished"}),
        )
        .await
        .id();
    let enrollment = app
        .post("/api/v1/enrollments", json!({"class_id": class, "official_id": id}))
        .await
        .id();
    let path = format!("/api/v1/enrollments/{enrollment}");
    let enrolled = app.patch(&path, json!({"status": "enrolled"})).await;
    assert_eq!(enrolled.status, StatusCode::OK, "{}", enrolled.body);

    // Their chairmanship of 2015–2019, written by another program and not yet committed.
    let held = app.hold_writing(&format!(
        "INSERT INTO assignments (official_id, unit_id, position_id, category, started_on, ended_on, created_at, updated_at) \
         VALUES ({id}, {}, {chair}, 'cadre', '2015-01-01', '2019-12-31', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        t.ward_a
    ));
    let (completed, ()) = tokio::join!(
        app.patch(&path, json!({"status": "completed"})),
        held.release_when_waiting(1)
    );
    assert_eq!(completed.status, StatusCode::OK, "{}", completed.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COALESCE(official_position_id, 0) FROM enrollments WHERE id = {enrollment}"
        )),
        chair
    );
    let report = app
        .get(&format!(
            "/api/v1/reports/training-results?unit_id={}&year=2018",
            t.ward_a
        ))
        .await;
    let row = report.body["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["key"] == "refresher")
        .expect("the refresher row")
        .clone();
    assert_eq!(
        (row["values"]["total"].as_i64(), row["values"]["leaders"].as_i64()),
        (Some(1), Some(1)),
        "{row}"
    );
}

/// The qualification report's figures as `(dimension, level) → count`, and its headcount.
fn figures(report: &Value) -> (i64, BTreeMap<(String, String), i64>) {
    let mut counts = BTreeMap::new();
    for (dimension, levels) in report["dimensions"].as_object().expect("dimensions") {
        for level in levels.as_array().expect("levels") {
            counts.insert(
                (dimension.clone(), level["level"].as_str().expect("level").to_owned()),
                level["count"].as_i64().expect("count"),
            );
        }
    }
    (report["headcount"].as_i64().expect("headcount"), counts)
}

#[tokio::test]
async fn a_burst_of_concurrent_writes_keeps_the_groups_summing_to_the_parent() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let ward_c = app.unit("VP-PY-ND", "Phường Nam Viêm", "ward", Some(t.city)).await;
    let wards = [t.ward_a, t.ward_b, ward_c];
    let mut people = Vec::new();
    for i in 0..12 {
        people.push(official_in(&app, &format!("B{i}"), wards[i % 3]).await);
    }
    let levels = ["college", "university", "master", "doctorate", "intermediate"];
    let mut burst: Vec<std::pin::Pin<Box<dyn std::future::Future<Output = Reply> + '_>>> = Vec::new();
    for (i, &person) in people.iter().enumerate() {
        // Three education records and one of political theory for each, a move for every
        // other one, a separation for every fourth one (never one that moves): all at once,
        // many about the same people.
        for level in levels.iter().skip(i % 3).take(3) {
            burst.push(Box::pin(app.qualify(person, "education", level, "2022-01-15")));
        }
        burst.push(Box::pin(app.qualify(
            person,
            "political_theory",
            "intermediate",
            "2022-01-15",
        )));
        if i % 2 == 0 {
            // The same day's move to each of the other two wards: only one can happen.
            for step in 1..=2 {
                let app = &app;
                burst.push(Box::pin(async move {
                    app.post(
                        &format!("/api/v1/officials/{person}/transfer"),
                        json!({"unit_id": wards[(i + step) % 3], "effective_on": "2023-05-01"}),
                    )
                    .await
                }));
            }
        }
        if i % 4 == 3 {
            let app = &app;
            burst.push(Box::pin(async move {
                app.post(
                    &format!("/api/v1/officials/{person}/separation"),
                    json!({"status": "retired", "effective_on": "2023-06-01"}),
                )
                .await
            }));
        }
    }
    let replies = join_all(burst).await;
    let refused: Vec<&Reply> = replies.iter().filter(|r| !r.status.is_success()).collect();
    assert_eq!(
        refused.len(),
        6,
        "one of each pair of moves: {:?}",
        refused
            .iter()
            .map(|r| (r.status, r.body.to_string()))
            .collect::<Vec<_>>()
    );
    for reply in refused {
        reply.assert_fields(&["effective_on"]);
    }

    // Today's report (from the kept counters) and yesterday's (from the history, which no
    // write dated today changed) must agree, and each one's groups sum to the whole.
    let yesterday = (chrono::Utc::now().date_naive() - chrono::Days::new(1)).to_string();
    let mut evaluations = Vec::new();
    for as_of in ["", &format!("&as_of={yesterday}")] {
        let report = app
            .get(&format!(
                "/api/v1/reports/qualifications?unit_id={}&group_by=unit{as_of}",
                t.city
            ))
            .await;
        assert_eq!(report.status, StatusCode::OK, "{}", report.body);
        let (headcount, counts) = figures(&report.body);
        assert_eq!(headcount, 12 - 3, "three of the twelve retired");
        let mut summed: BTreeMap<(String, String), i64> = BTreeMap::new();
        let mut summed_headcount = 0;
        for group in report.body["groups"].as_array().expect("groups") {
            let (n, group_counts) = figures(group);
            summed_headcount += n;
            for (key, count) in group_counts {
                *summed.entry(key).or_default() += count;
            }
        }
        assert_eq!(summed_headcount, headcount, "{as_of}");
        assert_eq!(summed, counts, "{as_of}");
        evaluations.push(counts);
    }
    assert_eq!(evaluations[0], evaluations[1]);
    let counts = &evaluations[0];
    let doctorates = counts[&("education".to_owned(), "doctorate".to_owned())];
    // Each kept level is the highest of the person's records.
    let mut expected_doctorates = 0;
    for (i, &person) in people.iter().enumerate() {
        let official = app.get(&format!("/api/v1/officials/{person}")).await;
        let highest = levels
            .iter()
            .skip(i % 3)
            .take(3)
            .max_by_key(|l| rank(l))
            .expect("a level");
        assert_eq!(official.body["education"], *highest, "{}", official.body);
        if *highest == "doctorate" && official.body["status"] == "active" {
            expected_doctorates += 1;
        }
    }
    assert_eq!(doctorates, expected_doctorates);
}

/// The education levels, lowest first, as the specification orders them.
const EDUCATION: [&str; 7] = [
    "none",
    "elementary",
    "intermediate",
    "college",
    "university",
    "master",
    "doctorate",
];

fn rank(level: &str) -> usize {
    EDUCATION.iter().position(|l| *l == level).expect("an education level")
}

/// As many people as there are racers, each with a national ID: a read of one by an admin
/// discloses it and leaves a processing-log entry.
async fn people_with_national_ids(app: &TestApp) -> Vec<i64> {
    let t = app.tree().await;
    let mut people = Vec::new();
    for i in 0..RACERS {
        let body = json!({"code": format!("P{i}"), "full_name": format!("Người P{i}"), "gender": "female",
                          "unit_id": t.ward_a, "category": "civil_servant", "started_on": "2020-01-01",
                          "national_id": format!("02618500{i:04}")});
        people.push(app.official(body).await["id"].as_i64().expect("an id"));
    }
    people
}

#[tokio::test]
async fn reads_made_at_once_commit_their_disclosures_together_each_before_its_answer() {
    let app = TestApp::spawn().await;
    let people = people_with_national_ids(&app).await;
    let before = app.count("SELECT count(*) FROM processing_log");

    // The log's writes held: the first read waits to commit its entry, the others gather
    // behind it. No answer may leave before its entry has committed.
    let released = std::sync::atomic::AtomicBool::new(false);
    let held = app.hold_table("processing_log");
    let reads = people.iter().map(|id| {
        let (app, released) = (&app, &released);
        async move {
            let reply = app.get(&format!("/api/v1/officials/{id}")).await;
            (reply, released.load(std::sync::atomic::Ordering::SeqCst))
        }
    });
    let release = async {
        let mut held = held;
        held.wait_for(1).await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        released.store(true, std::sync::atomic::Ordering::SeqCst);
        held.release();
    };
    let (replies, ()) = tokio::join!(join_all(reads), release);
    for (reply, after_release) in &replies {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(
            reply.body["national_id"].as_str().map(str::len),
            Some(12),
            "shown in full"
        );
        assert!(after_release, "answered before its disclosure was committed");
    }

    // One entry per read, naming its one person (besides the one its creation left).
    assert_eq!(app.count("SELECT count(*) FROM processing_log") - before, RACERS as i64);
    for id in &people {
        let entries = app.get(&format!("/api/v1/officials/{id}/processing-log")).await;
        let items: Vec<&Value> = entries.body["items"]
            .as_array()
            .expect("a list")
            .iter()
            .filter(|entry| entry["endpoint"] == "GET /api/v1/officials/{id}")
            .collect();
        assert_eq!(items.len(), 1, "{id}: {}", entries.body);
        assert_eq!(items[0]["request"], format!("GET /api/v1/officials/{id}"));
        assert_eq!(items[0]["people"], 1);
    }
    // Committed together: the read that found the log free alone, the seven that gathered
    // behind it in one more transaction (PostgreSQL shows each row's transaction).
    if app.on_postgres() {
        let commits = app.count(&format!(
            "SELECT count(DISTINCT xmin::text) FROM processing_log WHERE id > (SELECT max(id) - {RACERS} FROM processing_log)"
        ));
        assert_eq!(commits, 2);
    }
}

#[tokio::test]
async fn a_disclosure_that_fails_to_commit_fails_its_own_read_and_no_other() {
    let app = TestApp::spawn().await;
    let people = people_with_national_ids(&app).await;
    // A fault in the database: the entry of a read of the first person cannot be written.
    let faulty = format!("GET /api/v1/officials/{}", people[0]);
    app.sql(
        &format!(
            "CREATE TRIGGER fault BEFORE INSERT ON processing_log WHEN NEW.request = '{faulty}' \
             BEGIN SELECT RAISE(ABORT, 'fault'); END;"
        ),
        &format!(
            "CREATE FUNCTION fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
               IF NEW.request = '{faulty}' THEN RAISE EXCEPTION 'fault'; END IF; RETURN NEW; END $$; \
             CREATE TRIGGER fault BEFORE INSERT ON processing_log FOR EACH ROW EXECUTE FUNCTION fault();"
        ),
    );
    let before = app.count("SELECT count(*) FROM processing_log");

    // The last person's read finds the log held and waits to commit its entry alone; the
    // others, the faulty one among them, gather behind it into one batch, which fails as a
    // whole: each of its reads then writes its own entry alone.
    let held = app.hold_table("processing_log");
    let gathered = tokio::sync::Notify::new();
    let leader_path = format!("/api/v1/officials/{}", people[RACERS - 1]);
    let leader = app.get(&leader_path);
    let followers = async {
        gathered.notified().await;
        join_all(people[..RACERS - 1].iter().map(|id| {
            let app = &app;
            async move { app.get(&format!("/api/v1/officials/{id}")).await }
        }))
        .await
    };
    let release = async {
        let mut held = held;
        held.wait_for(1).await;
        gathered.notify_one();
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        held.release();
    };
    let (led, replies, ()) = tokio::join!(leader, followers, release);
    assert_eq!(led.status, StatusCode::OK, "{}", led.body);
    assert_eq!(
        replies[0].status,
        StatusCode::INTERNAL_SERVER_ERROR,
        "{}",
        replies[0].body
    );
    for reply in &replies[1..] {
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    // Every answered read left its entry; the failed one left none, and nothing half-written.
    assert_eq!(
        app.count("SELECT count(*) FROM processing_log") - before,
        RACERS as i64 - 1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) FROM processing_log_subjects WHERE official_id = {}",
            people[0]
        )),
        1,
        "only its creation's entry"
    );
}
