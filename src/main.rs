#![deny(clippy::unwrap_used, clippy::expect_used)]

use clap::{Parser, Subcommand};

use cadre_records::config::Config;
use cadre_records::db::{self, DbUrl};
use cadre_records::demo::{self, Seeded};
use cadre_records::domain::{ImportKind, ImportMode};
use cadre_records::error::{ApiError, ConflictKind};
use cadre_records::startup::{open_database, Application};
use cadre_records::synthetic;
use cadre_records::{api, openapi, telemetry};

/// cadre-records: training records of cadres, civil servants and public employees.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the REST API (the default).
    Serve {
        /// Load the Phúc Yên demo data set first, if the database is empty.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load a data set into the database.
    #[command(group(clap::ArgGroup::new("set").required(true).args(["demo", "synthetic"])))]
    Seed {
        /// The Phúc Yên demo data set (idempotent).
        #[arg(long)]
        demo: bool,
        /// A synthetic country for benchmarks, into an empty database.
        #[arg(long, requires = "officials")]
        synthetic: bool,
        /// With --synthetic: how many officials.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
        officials: Option<u32>,
        /// With --synthetic: years of training history, ending with 2025.
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(i32).range(1..=30))]
        years: i32,
        /// With --synthetic: the random seed (the same seed gives the same data).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// With --demo: load it even when the database already holds other records.
        #[arg(long)]
        force: bool,
    },
    /// Import a spreadsheet (XLSX, ODS or CSV) as `POST /api/v1/imports/{kind}` does: the
    /// whole file or nothing, every error listed.
    Import {
        /// What the file brings in: units, positions, officials, qualifications, enrollments,
        /// plan_items or plan_needs.
        kind: String,
        /// The file (.xlsx, .ods or .csv).
        file: std::path::PathBuf,
        /// Check every row and write nothing but the import's record.
        #[arg(long)]
        dry_run: bool,
        /// `create` (default) or `upsert`.
        #[arg(long, default_value = "create")]
        mode: String,
        /// Write as this user, with their rights (default: the system, with every right).
        #[arg(long = "as")]
        as_user: Option<String>,
    },
    /// Copy the SQLite database (`DATABASE_URL`) into a new file while the service keeps
    /// serving, and check the copy. (PostgreSQL: `pg_dump`, as README says.)
    Backup {
        /// The backup to write; it must not exist.
        file: std::path::PathBuf,
    },
    /// Put a backup in place of the SQLite database (`DATABASE_URL`), which no running
    /// service may have open.
    Restore {
        /// The backup to restore.
        file: std::path::PathBuf,
        /// Replace a database that exists (it is lost unless backed up).
        #[arg(long)]
        force: bool,
    },
    /// Copy a SQLite database into a new PostgreSQL database: every table, in one transaction,
    /// checked row by row (counts and checksums) before it commits.
    Copy {
        /// The SQLite database's file (migrated first, if this build has newer migrations).
        #[arg(long)]
        from: std::path::PathBuf,
        /// The PostgreSQL database, empty (as `createdb` makes it) or migrated with no records:
        /// `postgres://user@host/name` (a password is best kept in `~/.pgpass` or `PGPASSWORD`).
        #[arg(long)]
        to: String,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Run one report straight on the database, again and again, and print how fast it is
    /// (the floor that the HTTP benchmark is compared with).
    BenchReport {
        /// `qualifications`, `training`, `compliance`, `workforce` or `training-results`.
        #[arg(long)]
        report: String,
        /// The unit whose subtree the report covers.
        #[arg(long)]
        unit: i64,
        /// Qualifications, workforce: group by direct child unit.
        #[arg(long)]
        group_by_unit: bool,
        /// Training: the year the classes start in; training results: the year reported.
        #[arg(long, default_value_t = 2025)]
        year: i32,
        /// How many runs.
        #[arg(long, default_value_t = 50)]
        iterations: u32,
    },
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Openapi) = cli.command {
        return match openapi::document().to_pretty_json() {
            Ok(json) => {
                println!("{json}");
                std::process::ExitCode::SUCCESS
            }
            Err(e) => fail(&e.to_string()),
        };
    }
    if let Err(e) = telemetry::init() {
        return fail(&e);
    }
    // Copying needs neither the service's configuration nor its secret.
    if let Some(Command::Copy { from, to }) = &cli.command {
        return match copy(from, to) {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => fail(&e),
        };
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => return fail(&e),
    };
    let outcome = match cli.command {
        Some(Command::Migrate) => open_database(&config).map(|_| ()),
        Some(Command::Backup { file }) => backup(&config, &file),
        Some(Command::Restore { file, force }) => restore(&config, &file, force),
        Some(Command::BenchReport {
            report,
            unit,
            group_by_unit,
            year,
            iterations,
        }) => bench_report(&config, &report, unit, group_by_unit, year, iterations),
        Some(Command::Seed { demo: true, force, .. }) => seed_demo(&config, force, false),
        Some(Command::Seed {
            officials, years, seed, ..
        }) => seed_synthetic(&config, officials.unwrap_or(1000), years, seed),
        Some(Command::Import {
            kind,
            file,
            dry_run,
            mode,
            as_user,
        }) => import(&config, &kind, &file, dry_run, &mode, as_user.as_deref()),
        Some(Command::Serve { demo: true }) => seed_demo(&config, false, true).and_then(|()| serve(&config)),
        _ => serve(&config),
    };
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

fn serve(config: &Config) -> Result<(), String> {
    actix_web::rt::System::new().block_on(async {
        let app = Application::build(config)?;
        app.run().await.map_err(|e| e.to_string())?;
        tracing::info!("stopped: the requests in flight were answered, the database connections closed");
        Ok(())
    })
}

/// The SQLite file of `DATABASE_URL`, or why a backup or restore is not this command's.
fn sqlite_file(config: &Config) -> Result<String, String> {
    DbUrl::parse(&config.database_url)
        .sqlite_path()
        .map(str::to_owned)
        .ok_or_else(|| {
            "DATABASE_URL names PostgreSQL: back it up with pg_dump --format=custom and restore it with \
             pg_restore (README, Operations)"
                .to_owned()
        })
}

/// `backup FILE`: a checked online copy of the SQLite database.
fn backup(config: &Config, file: &std::path::Path) -> Result<(), String> {
    let started = std::time::Instant::now();
    let copy = db::backup::backup(&sqlite_file(config)?, file)?;
    tracing::info!(
        file = %file.display(),
        bytes = copy.bytes,
        officials = copy.officials,
        migrations = copy.migrations,
        seconds = started.elapsed().as_secs_f64(),
        "backup taken and checked"
    );
    Ok(())
}

/// `restore FILE [--force]`: the backup put in place of the SQLite database.
fn restore(config: &Config, file: &std::path::Path, force: bool) -> Result<(), String> {
    let database = sqlite_file(config)?;
    let restored = db::backup::restore(&database, file, force)?;
    tracing::info!(
        database,
        officials = restored.officials,
        migrations = restored.migrations,
        "restored; the service applies any newer migrations when it starts"
    );
    Ok(())
}

/// `copy --from FILE --to URL`: the SQLite database copied into PostgreSQL, with a line per
/// table (and per hundred thousand rows of a large one) and the checked sums at the end.
fn copy(from: &std::path::Path, to: &str) -> Result<(), String> {
    let shown = format!("{:?}", DbUrl::parse(to));
    tracing::info!(from = %from.display(), to = %shown, "copying");
    let copied = db::copy::copy(&from.to_string_lossy(), to, &mut |line| tracing::info!("{line}"))?;
    let rows: u64 = copied.tables.iter().map(|t| t.rows).sum();
    for table in &copied.tables {
        tracing::info!(
            table = table.table,
            rows = table.rows,
            sha256 = table.checksum,
            "copied and checked"
        );
    }
    tracing::info!(
        tables = copied.tables.len(),
        rows,
        seconds = format!("{:.1}", copied.seconds),
        "copied: every table's count and checksum are the same in PostgreSQL; the sequences start past the source's ids"
    );
    Ok(())
}

/// Loads the demo data set; on `serve --demo`, a database holding other data is left alone.
fn seed_demo(config: &Config, force: bool, serving: bool) -> Result<(), String> {
    let db = open_database(config)?;
    match demo::seed(&db, force) {
        Ok(Seeded::Loaded) => tracing::info!("loaded the Phúc Yên demo data set"),
        Ok(Seeded::AlreadyLoaded) => tracing::info!("the Phúc Yên demo data set is already loaded"),
        Err(ApiError::Conflict(ConflictKind::NotEmpty, message)) if serving => {
            tracing::warn!("demo data not loaded: {message}")
        }
        Err(e) => return Err(format!("demo data not loaded: {e}")),
    }
    Ok(())
}

/// Imports a file, with a progress line on a terminal and a summary (or every error) at the end.
fn import(
    config: &Config,
    kind: &str,
    file: &std::path::Path,
    dry_run: bool,
    mode: &str,
    as_user: Option<&str>,
) -> Result<(), String> {
    use std::io::{IsTerminal, Write};
    let kind = ImportKind::parse(kind).ok_or_else(|| {
        let kinds: Vec<&str> = ImportKind::ALL.iter().map(|k| k.code()).collect();
        format!("the kind is one of {}, not {kind:?}", kinds.join(", "))
    })?;
    let mode = ImportMode::parse(mode).ok_or_else(|| format!("--mode is create or upsert, not {mode:?}"))?;
    let db = open_database(config)?;
    let terminal = std::io::stderr().is_terminal();
    let started = std::time::Instant::now();
    let plan = api::imports::Plan { kind, mode, dry_run };
    let outcome = api::imports::import_path(&db, kind, file, plan, as_user, &mut |done, total| {
        if terminal {
            let width = 40;
            let filled = (done * width).checked_div(total).unwrap_or(width);
            eprint!(
                "\r[{}{}] {done}/{total} rows",
                "#".repeat(filled),
                " ".repeat(width - filled)
            );
            let _ = std::io::stderr().flush();
        }
    });
    if terminal {
        eprintln!();
    }
    match outcome {
        Ok(record) => {
            let seconds = started.elapsed().as_secs_f64();
            let what = if record.dry_run {
                "dry run: would have"
            } else {
                "imported:"
            };
            tracing::info!(
                import = record.id,
                rows = record.rows,
                seconds = format!("{seconds:.1}"),
                "{what} created {}, updated {}, left {} unchanged",
                record.created,
                record.updated,
                record.unchanged
            );
            Ok(())
        }
        Err(ApiError::Rows(rows)) => {
            for row in &rows {
                tracing::error!(row = row.row, cell = %row.cell, column = %row.column, value = %row.value, "{}", row.message);
            }
            Err(format!(
                "nothing was imported: the file has {} errors (above)",
                rows.len()
            ))
        }
        Err(e) => Err(format!("nothing was imported: {e}")),
    }
}

/// Loads a synthetic country, printing progress and the load rate.
fn seed_synthetic(config: &Config, officials: u32, years: i32, seed: u64) -> Result<(), String> {
    let db = open_database(config)?;
    let plan = synthetic::Plan {
        officials: officials as usize,
        years,
        seed,
    };
    let loaded = synthetic::seed(&db, plan, &mut |line| tracing::info!("{line}")).map_err(|e| e.to_string())?;
    tracing::info!(
        rows = loaded.rows,
        seconds = format!("{:.1}", loaded.seconds),
        rows_per_second = format!("{:.0}", loaded.rows as f64 / loaded.seconds.max(0.001)),
        "synthetic data loaded"
    );
    Ok(())
}

/// Times a report function on the database, without HTTP, and prints rate and percentiles.
#[allow(clippy::print_stdout)]
fn bench_report(
    config: &Config,
    report: &str,
    unit: i64,
    by_child: bool,
    year: i32,
    iterations: u32,
) -> Result<(), String> {
    use cadre_records::model::unit::Unit;
    use cadre_records::reports;
    let db = open_database(config)?;
    let mut conn = db.connection().map_err(|e| e.to_string())?;
    let unit = Unit::find(&mut conn, unit).map_err(|e| e.to_string())?;
    let today = cadre_records::clock::today();
    let from = chrono::NaiveDate::from_ymd_opt(year, 1, 1).ok_or("bad year")?;
    let to = chrono::NaiveDate::from_ymd_opt(year, 12, 31).ok_or("bad year")?;
    let mut run = || -> Result<(), String> {
        let outcome = match report {
            "qualifications" => reports::qualifications::report(&mut conn, &unit, today, None, by_child).map(|_| ()),
            "training" => reports::training::report(&mut conn, &unit, from, to).map(|_| ()),
            "compliance" => reports::compliance::report(&mut conn, &unit, today, 1000, 0).map(|_| ()),
            "workforce" => {
                let last_year_end =
                    chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&today) - 1, 12, 31).ok_or("bad day")?;
                reports::workforce::report(&mut conn, &unit, last_year_end, None, by_child).map(|_| ())
            }
            "training-results" => reports::training_results::report(&mut conn, &unit, from, to).map(|_| ()),
            other => return Err(format!("unknown report {other}")),
        };
        outcome.map_err(|e| e.to_string())
    };
    run()?;
    let mut times = Vec::new();
    let started = std::time::Instant::now();
    for _ in 0..iterations.max(1) {
        let one = std::time::Instant::now();
        run()?;
        times.push(one.elapsed().as_secs_f64() * 1000.0);
    }
    let total = started.elapsed().as_secs_f64();
    times.sort_by(f64::total_cmp);
    let at = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "{:.1} req/s p50 {:.2} ms p95 {:.2} ms p99 {:.2} ms ({} runs)",
        times.len() as f64 / total,
        at(0.5),
        at(0.95),
        at(0.99),
        times.len()
    );
    Ok(())
}

fn fail(message: &str) -> std::process::ExitCode {
    tracing::error!("{message}");
    eprintln!("cadre-records: {message}");
    std::process::ExitCode::FAILURE
}
