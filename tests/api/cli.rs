//! The command line: `migrate`, `seed --demo` (idempotent, refusing other data), `openapi`.

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
