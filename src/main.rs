#![deny(clippy::unwrap_used, clippy::expect_used)]

use clap::{Parser, Subcommand};

use cadre_records::config::Config;
use cadre_records::startup::{prepare_database, Application};
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
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
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
        Some(Command::Migrate) => prepare_database(&config).map(|_| ()),
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

fn fail(message: &str) -> std::process::ExitCode {
    tracing::error!("{message}");
    eprintln!("cadre-records: {message}");
    std::process::ExitCode::FAILURE
}
