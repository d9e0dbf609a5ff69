use std::net::SocketAddr;

use crate::config::process_env;
use crate::error::AppError;
use crate::shutdown::install_signal_handlers;
use crate::startup::Application;

/// `mtdb serve`: refuses to start on a missing setting, a busy address or an unsafe
/// database setup. The signal handlers come first, so that a signal sent as soon as the
/// server says it listens is already handled (docs/architecture.md, "Stopping").
///
/// Once it listens, and only then, it prints one line on stdout,
/// `mtdb is listening on http://<address>`: `make run` waits for it before printing the
/// demo tokens, so that a failed start never shows tokens for a server that is not there.
pub async fn run() -> Result<(), AppError> {
    let settings = process_env().serve_settings()?;
    let stops =
        install_signal_handlers().map_err(AppError::io("installing the signal handlers"))?;
    let ip = settings.listen.ip();
    let app = Application::build(settings).await?;
    println!(
        "mtdb is listening on http://{}",
        SocketAddr::new(ip, app.port())
    );
    app.run_until(stops).await
}
