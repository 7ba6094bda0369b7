//! `copy --from <sqlite> --to <postgres>`: the move from the embedded database to
//! PostgreSQL. It needs both backends at once, so the copies run on the PostgreSQL test run
//! (`TEST_DATABASE_URL`), from SQLite files made for them; what `copy` refuses before it
//! touches PostgreSQL is tested on both runs.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{command, count_on, empty_database, sqlite_database, DataSet, TestApp, Writers, ADMIN_PASSWORD};

/// Whether this run has a PostgreSQL server to copy into.
fn on_postgres() -> bool {
    std::env::var("TEST_DATABASE_URL").is_ok_and(|url| url.starts_with("postgres"))
}

/// What `copy` refuses before it writes anything: a target that is not PostgreSQL, a source
/// that is not there (SQLite would otherwise make an empty file of it), a source given as a
/// PostgreSQL URL.
#[test]
fn copy_refuses_what_is_not_a_move_from_sqlite_to_postgresql() {
    let (source, _source) = sqlite_database(DataSet::Demo);
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.db");
    let other = other.to_str().unwrap();
    let (done, log) = command(&source, &["copy", "--from", &source, "--to", other]);
    assert!(!done && log.contains("--to is a PostgreSQL URL"), "{log}");
    assert!(!std::path::Path::new(other).exists(), "no file made at --to");
    let missing = dir.path().join("missing.db");
    let missing = missing.to_str().unwrap();
    let target = "postgres://postgres@127.0.0.1:5432/never_made";
    let (done, log) = command(&source, &["copy", "--from", missing, "--to", target]);
    assert!(!done && log.contains("no SQLite database at"), "{log}");
    assert!(!std::path::Path::new(missing).exists(), "no file made at --from");
    let (done, log) = command(&source, &["copy", "--from", target, "--to", target]);
    assert!(!done && log.contains("--from is the SQLite database's file"), "{log}");
}

/// Every page of a list, by its `next` cursor.
async fn every_item(app: &TestApp, path: &str) -> Vec<Value> {
    let join = if path.contains('?') { '&' } else { '?' };
    let mut items = Vec::new();
    let mut next = format!("{path}{join}limit=500");
    loop {
        let reply = app.get(&next).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
        items.extend(reply.body["items"].as_array().expect("items").iter().cloned());
        match reply.body["next"].as_str() {
            Some(cursor) => next = format!("{path}{join}limit=500&cursor={cursor}"),
            None => return items,
        }
    }
}

/// The ids of a list's items.
fn ids(items: &[Value]) -> BTreeSet<i64> {
    items.iter().map(|item| item["id"].as_i64().expect("an id")).collect()
}

/// What each side answers to the same reads, compared: the audit and processing logs (as far
/// as the copy holds them: reading people on either side adds to its own processing log),
/// every list, every report over the whole tree, and people one by one.
async fn same_answers(source: &TestApp, target: &TestApp) {
    for log in ["/api/v1/audit-log", "/api/v1/processing-log"] {
        let copied = every_item(source, log).await;
        let last = ids(&copied).last().copied().unwrap_or(0);
        let there: Vec<Value> = every_item(target, log)
            .await
            .into_iter()
            .filter(|item| item["id"].as_i64().unwrap() <= last)
            .collect();
        assert_eq!(copied, there, "{log}");
    }
    for list in [
        "/api/v1/units",
        "/api/v1/positions",
        "/api/v1/courses",
        "/api/v1/classes",
        "/api/v1/enrollments",
        "/api/v1/users",
        "/api/v1/imports",
        "/api/v1/plans",
        "/api/v1/officials",
        "/api/v1/officials?sort=full_name",
        "/api/v1/officials?q=nguyen%20van",
        "/api/v1/officials?q=thi",
    ] {
        let ours = every_item(source, list).await;
        assert_eq!(ours, every_item(target, list).await, "{list}");
    }
    let units = every_item(source, "/api/v1/units").await;
    let root = units
        .iter()
        .find(|unit| unit["parent_id"].is_null())
        .expect("a root unit")["id"]
        .as_i64()
        .unwrap();
    let years: BTreeSet<i64> = every_item(source, "/api/v1/plans")
        .await
        .iter()
        .map(|plan| plan["year"].as_i64().unwrap())
        .chain([2018, 2024])
        .collect();
    let mut reports = vec![
        format!("/api/v1/reports/qualifications?unit_id={root}"),
        format!("/api/v1/reports/workforce?unit_id={root}"),
        format!("/api/v1/reports/compliance?unit_id={root}"),
        format!("/api/v1/reports/training?unit_id={root}&from=2010-01-01&to=2025-12-31"),
    ];
    for year in years {
        reports.push(format!("/api/v1/reports/training-results?unit_id={root}&year={year}"));
        reports.push(format!("/api/v1/reports/plan-vs-actual?unit_id={root}&year={year}"));
    }
    for report in &reports {
        let ours = source.get(report).await;
        assert_eq!(ours.status, StatusCode::OK, "{report}: {}", ours.body);
        assert_eq!(ours.body, target.get(report).await.body, "{report}");
    }
    for official in every_item(source, "/api/v1/officials").await.iter().take(60) {
        let id = official["id"].as_i64().unwrap();
        for path in [
            format!("/api/v1/officials/{id}"),
            format!("/api/v1/officials/{id}/qualifications"),
            format!("/api/v1/officials/{id}/assignments"),
            format!("/api/v1/officials/{id}/enrollments"),
        ] {
            let ours = source.get(&path).await;
            assert_eq!(ours.status, StatusCode::OK, "{path}");
            assert_eq!(ours.body, target.get(&path).await.body, "{path}");
        }
    }
}

/// Writes through the service that leave a row in the tables a data set leaves empty (users,
/// a failed login's throttle, an import, the processing log) and an official deleted after
/// the last one kept, whose id must never come back; returns the deleted one's id.
async fn write_a_little_of_everything(app: &TestApp) -> i64 {
    let unit = every_item(app, "/api/v1/units").await[0]["id"].as_i64().unwrap();
    app.user_with_token("hr", Some(unit)).await;
    let failed = app
        .send(
            reqwest::Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"username": "admin", "password": "not the password"})),
        )
        .await;
    assert_eq!(failed.status, StatusCode::UNAUTHORIZED);
    let imported = app
        .import_csv(
            "positions",
            "code,title,category\nCP-1,Chuyên viên sao chép,civil_servant\n",
        )
        .await;
    assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.body);
    let kept = app
        .official(
            json!({"code": "COPY-KEPT", "full_name": "Lê Thị Chép", "gender": "female",
                         "unit_id": unit, "category": "cadre", "national_id": "001190000123"}),
        )
        .await;
    let shown = app.get(&format!("/api/v1/officials/{}", kept["id"])).await;
    assert_eq!(shown.status, StatusCode::OK);
    let gone = app
        .official(json!({"code": "COPY-GONE", "full_name": "Lê Văn Xoá", "gender": "male",
                         "unit_id": unit, "category": "cadre"}))
        .await;
    let gone = gone["id"].as_i64().unwrap();
    assert_eq!(
        app.delete(&format!("/api/v1/officials/{gone}")).await.status,
        StatusCode::NO_CONTENT
    );
    gone
}

/// A data set copied from SQLite into PostgreSQL: the copy prints a line per table and its
/// check, every table of the target holds what the source holds (the library's comparison,
/// which also finds a value changed behind the copy's back), both services answer the same
/// to every read, new records take ids past every id the source ever gave (a deleted
/// official's included), and a second copy into the same database is refused and changes
/// nothing.
async fn copied_data_set_answers_the_same(set: DataSet) {
    let (source_url, _source_db) = sqlite_database(set);
    let (target_url, _target_db) = empty_database();
    let source = TestApp::spawn_at(&source_url).await;
    let deleted = write_a_little_of_everything(&source).await;
    // The target migrated first (the copy takes a migrated database that holds no record, as
    // well as a new one): the indexes the copy drops and builds again are the migrations'.
    let (done, log) = command(&target_url, &["migrate"]);
    assert!(done, "{log}");
    let indexes = "SELECT sum(hashtext(indexname || indexdef)) FROM pg_indexes WHERE schemaname = current_schema()";
    let migrated = count_on(&target_url, indexes);

    let args = ["copy", "--from", &source_url, "--to", &target_url].map(str::to_owned);
    let (done, log) = tokio::task::spawn_blocking(move || command("", &args.each_ref().map(String::as_str)))
        .await
        .unwrap();
    assert!(done, "{log}");
    for line in [
        "officials: ",
        "audit_log: ",
        "checking: every table read back",
        "copied: every table's count and checksum are the same",
    ] {
        assert!(log.contains(line), "{line:?} not in {log}");
    }
    let (sources, targets) = cadre_records::db::copy::compare(&source_url, &target_url).expect("compared");
    assert_eq!(sources, targets);
    assert_eq!(count_on(&target_url, indexes), migrated, "the same indexes as migrated");
    let empty: Vec<&str> = sources
        .iter()
        .filter(|t| t.rows == 0)
        .map(|t| t.table.as_str())
        .collect();
    // Left empty at rest: the PostgreSQL-only queue of revisions (emptied at each commit);
    // the kept workforce counts are filled by the first workforce report.
    assert_eq!(empty, ["unit_revisions_pending", "workforce_counts"], "{sources:?}");

    // A value changed behind the copy's back (by a microsecond) is found, in that table only;
    // put back, the sides agree again.
    let first = count_on(&target_url, "SELECT min(id) FROM audit_log");
    let shift = |sign: &str| {
        let mut conn = cadre_records::db::establish_postgres(&target_url).unwrap();
        diesel::connection::SimpleConnection::batch_execute(
            &mut conn,
            &format!("UPDATE audit_log SET at = at {sign} interval '1 microsecond' WHERE id = {first}"),
        )
        .unwrap();
    };
    shift("+");
    let (sources, targets) = cadre_records::db::copy::compare(&source_url, &target_url).expect("compared");
    let differ: Vec<&str> = sources
        .iter()
        .zip(&targets)
        .filter(|(ours, theirs)| ours != theirs)
        .map(|(ours, _)| ours.table.as_str())
        .collect();
    assert_eq!(differ, ["audit_log"]);
    shift("-");
    let (sources, targets) = cadre_records::db::copy::compare(&source_url, &target_url).expect("compared");
    assert_eq!(sources, targets);

    let target = TestApp::spawn_at(&target_url).await;
    same_answers(&source, &target).await;

    // New records take fresh ids on the target.
    let unit = every_item(&target, "/api/v1/units").await[0]["id"].as_i64().unwrap();
    let new = target
        .official(json!({"code": "COPY-NEW", "full_name": "Lê Văn Mới", "gender": "male",
                         "unit_id": unit, "category": "cadre"}))
        .await;
    assert!(new["id"].as_i64().unwrap() > deleted, "{new} reuses an id SQLite gave");
    let new_unit = target.unit("COPY-U", "Phường Mới", "ward", Some(unit)).await;
    assert!(!ids(&every_item(&source, "/api/v1/units").await).contains(&new_unit));
    let audit = every_item(&target, "/api/v1/audit-log?entity=official&action=create").await;
    assert_eq!(
        audit[0]["entity_id"], new["id"],
        "the newest entry is the new official's"
    );
    let logged_in = target.login("admin", ADMIN_PASSWORD).await;
    assert!(!logged_in.is_empty(), "the copied admin logs in on PostgreSQL");

    // Copying again into the same database: refused, nothing written.
    let before = count_on(&target_url, "SELECT count(*) FROM officials");
    let (done, log) = command("", &["copy", "--from", &source_url, "--to", &target_url]);
    assert!(
        !done && log.contains("the target is not empty") && log.contains("officials"),
        "{log}"
    );
    assert_eq!(count_on(&target_url, "SELECT count(*) FROM officials"), before);
}

#[tokio::test]
async fn the_demo_copied_to_postgresql_answers_the_same() {
    if on_postgres() {
        copied_data_set_answers_the_same(DataSet::Demo).await;
    }
}

#[tokio::test]
async fn a_synthetic_country_copied_to_postgresql_answers_the_same() {
    if on_postgres() {
        copied_data_set_answers_the_same(DataSet::Synthetic).await;
    }
}

/// A copy taken while the source's service keeps writing is one moment of the source: every
/// official it holds has the audit entry written with it and no entry lacks its official,
/// and it holds every write acknowledged before the copy began.
#[tokio::test]
async fn a_copy_taken_during_writes_is_one_moment_of_the_source() {
    if !on_postgres() {
        return;
    }
    let (source_url, _source_db) = sqlite_database(DataSet::Synthetic);
    let (target_url, _target_db) = empty_database();
    let source = TestApp::spawn_at(&source_url).await;
    let unit = every_item(&source, "/api/v1/units").await[0]["id"].as_i64().unwrap();
    let writers = Writers::start(&source, unit, "DURING-");
    writers.wait_for(10).await;
    let before = writers.count();
    let args = ["copy", "--from", &source_url, "--to", &target_url].map(str::to_owned);
    let (done, log) = tokio::task::spawn_blocking(move || command("", &args.each_ref().map(String::as_str)))
        .await
        .unwrap();
    assert!(done, "{log}");
    let after = writers.count();
    writers.stop().await;
    let copied = count_on(&target_url, "SELECT count(*) FROM officials WHERE code LIKE 'DURING-%'");
    let entries = count_on(
        &target_url,
        "SELECT count(*) FROM audit_log a JOIN officials o ON o.id = a.entity_id \
         WHERE a.entity = 'official' AND a.action = 'create' AND o.code LIKE 'DURING-%'",
    );
    let orphans = count_on(
        &target_url,
        "SELECT count(*) FROM audit_log a WHERE a.entity = 'official' AND a.action = 'create' \
         AND NOT EXISTS (SELECT 1 FROM officials o WHERE o.id = a.entity_id)",
    );
    assert_eq!(copied, entries, "every copied official has its audit entry");
    assert_eq!(orphans, 0, "no audit entry without its official");
    let copied = usize::try_from(copied).unwrap();
    assert!(
        (before..=after).contains(&copied),
        "{copied} copied, {before} acknowledged before the copy, {after} after"
    );
    assert!(
        after > before,
        "the writes went on during the copy ({before} before, {after} after)"
    );
}
