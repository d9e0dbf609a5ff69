use crate::config::process_env;
use crate::error::AppError;
use crate::startup::Application;

/// `mtdb serve`: refuses to start on a missing setting or an unsafe database setup.
pub async fn run() -> Result<(), AppError> {
    let settings = process_env().serve_settings()?;
    Application::build(settings)
        .await?
        .run_until_stopped()
        .await
}
