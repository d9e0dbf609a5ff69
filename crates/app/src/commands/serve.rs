use crate::config::process_env;
use crate::error::AppError;
use crate::shutdown::install_signal_handlers;
use crate::startup::Application;

/// `mtdb serve`: refuses to start on a missing setting or an unsafe database setup.
/// The signal handlers come first, so that a signal sent as soon as the server says it
/// listens is already handled (docs/architecture.md, "Stopping").
pub async fn run() -> Result<(), AppError> {
    let settings = process_env().serve_settings()?;
    let stops =
        install_signal_handlers().map_err(AppError::io("installing the signal handlers"))?;
    Application::build(settings).await?.run_until(stops).await
}
