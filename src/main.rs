#![deny(clippy::unwrap_used, clippy::expect_used)]

use clap::{Parser, Subcommand};

use cadre_records::config::Config;
use cadre_records::demo::{self, Seeded};
use cadre_records::error::ApiError;
use cadre_records::startup::{open_database, Application};
use cadre_records::{openapi, telemetry};

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
    Seed {
        /// The Phúc Yên demo data set (idempotent).
        #[arg(long, required = true)]
        demo: bool,
        /// Load it even when the database already holds other records.
        #[arg(long)]
        force: bool,
    },
    /// Print the OpenAPI document.
    Openapi,
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
    telemetry::init();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => return fail(&e),
    };
    let outcome = match cli.command {
        Some(Command::Migrate) => open_database(&config).map(|_| ()),
        Some(Command::Seed { demo: _, force }) => seed_demo(&config, force, false),
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
        app.run().await.map_err(|e| e.to_string())
    })
}

/// Loads the demo data set; on `serve --demo`, a database holding other data is left alone.
fn seed_demo(config: &Config, force: bool, serving: bool) -> Result<(), String> {
    let db = open_database(config)?;
    match demo::seed(&db, force) {
        Ok(Seeded::Loaded) => tracing::info!("loaded the Phúc Yên demo data set"),
        Ok(Seeded::AlreadyLoaded) => tracing::info!("the Phúc Yên demo data set is already loaded"),
        Err(ApiError::Conflict(message)) if serving => tracing::warn!("demo data not loaded: {message}"),
        Err(e) => return Err(format!("demo data not loaded: {e}")),
    }
    Ok(())
}

fn fail(message: &str) -> std::process::ExitCode {
    tracing::error!("{message}");
    eprintln!("cadre-records: {message}");
    std::process::ExitCode::FAILURE
}
