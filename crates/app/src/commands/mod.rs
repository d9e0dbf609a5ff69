//! One module per subcommand.

mod migrate;
mod seed;
mod serve;
mod token;

use crate::cli::Command;
use crate::error::AppError;

pub async fn run(command: Command) -> Result<(), AppError> {
    match command {
        Command::Migrate { down_to } => migrate::run(down_to).await,
        Command::Seed => seed::run().await,
        Command::Serve => serve::run().await,
        Command::Token(args) => token::run(&args),
    }
}
