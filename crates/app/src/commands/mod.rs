//! One module per subcommand.

mod check;
mod migrate;
mod seed;
mod serve;
mod token;

use std::process::ExitCode;

use crate::cli::Command;
use crate::error::AppError;

/// Runs `command`. `check` chooses its own exit code (0, 1 or 2); the others succeed or
/// fail.
pub async fn run(command: Command) -> Result<ExitCode, AppError> {
    let done = match command {
        Command::Migrate {
            down_to,
            allow_data_loss,
        } => migrate::run(down_to, allow_data_loss).await,
        Command::Seed => seed::run().await,
        Command::Serve => serve::run().await,
        Command::Token(args) => token::run(&args),
        Command::Check {
            catalog: true,
            json: _,
        } => return Ok(check::print_catalog().await),
        Command::Check { json, .. } => return Ok(check::run(json).await),
    };
    done.map(|()| ExitCode::SUCCESS)
}
