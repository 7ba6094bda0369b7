//! The command line: `migrate`, `seed --demo` (idempotent, refusing other data), `openapi`,
//! `import`.

use std::process::Command;

fn run(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cadre-records"))
        .args(args)
        .current_dir(dir)
        .env("DATABASE_URL", dir.join("cadre.db"))
        .env("RUST_LOG", "info")
        .env_remove("CADRE_JWT_SECRET")
        .output()
        .expect("the binary runs")
}

#[test]
fn migrate_and_seed_the_demo_twice() {
    let dir = tempfile::tempdir().unwrap();
    assert!(run(dir.path(), &["migrate"]).status.success());
    let first = run(dir.path(), &["seed", "--demo"]);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(String::from_utf8_lossy(&first.stdout).contains("loaded the Phúc Yên demo data set"));
    let second = run(dir.path(), &["seed", "--demo"]);
    assert!(second.status.success());
    assert!(String::from_utf8_lossy(&second.stdout).contains("already loaded"));
    let neither = run(dir.path(), &["seed"]);
    assert!(!neither.status.success(), "seed needs --demo or --synthetic");
}

#[test]
fn openapi_prints_the_committed_document() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["openapi"]);
    assert!(out.status.success());
    crate::openapi::assert_same_document(&String::from_utf8(out.stdout).expect("UTF-8"));
}

#[test]
fn import_a_file_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("don-vi.csv");
    std::fs::write(
        &file,
        "Mã đơn vị;Tên đơn vị;Loại đơn vị;Mã đơn vị cấp trên\nP;Tỉnh P;province;\nA;Phường A;Phường;P\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let dry = run(dir.path(), &["import", "units", path, "--dry-run"]);
    let log = String::from_utf8_lossy(&dry.stdout);
    assert!(dry.status.success(), "{log}{}", String::from_utf8_lossy(&dry.stderr));
    assert!(
        log.contains("dry run: would have created 2, updated 0, left 0 unchanged"),
        "{log}"
    );
    let done = run(dir.path(), &["import", "units", path]);
    assert!(String::from_utf8_lossy(&done.stdout).contains("imported: created 2"));
    let again = run(dir.path(), &["import", "units", path, "--mode", "upsert"]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("left 2 unchanged"));
    // In create mode the stored codes are errors, each printed with its cell; nothing is written.
    let refused = run(dir.path(), &["import", "units", path]);
    let log = String::from_utf8_lossy(&refused.stdout);
    assert!(!refused.status.success());
    assert!(log.contains("cell=A2") && log.contains("cell=A3"), "{log}");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("the file has 2 errors"));
    let nobody = run(dir.path(), &["import", "units", path, "--as", "nobody"]);
    assert!(!nobody.status.success());
    assert!(String::from_utf8_lossy(&nobody.stderr).contains("no user is called nobody"));
}
