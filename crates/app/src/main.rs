use std::process::ExitCode;

use clap::Parser;
use mtdb_app::cli::Cli;
use mtdb_app::error::AppError;
use mtdb_app::{commands, telemetry};
use mtdb_domain::ErrorChain;

#[tokio::main]
async fn main() -> ExitCode {
    // A missing .env is normal; a broken one is worth saying.
    if let Err(e) = dotenvy::dotenv() {
        if !e.not_found() {
            eprintln!("error: .env: {e}");
            return ExitCode::FAILURE;
        }
    }
    let cli = Cli::parse();
    if let Err(e) = telemetry::init() {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    match commands::run(cli.command).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {:#}", ErrorChain(&e));
            if matches!(e, AppError::Cut { .. }) {
                // Now, before the runtime's teardown: it would close the database
                // connections of the cut requests while the server's threads still run,
                // and their handlers would answer `503` after all (seen in the tests).
                std::process::exit(1);
            }
            ExitCode::FAILURE
        }
    }
}
