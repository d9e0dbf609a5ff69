use crate::config::process_env;
use crate::error::AppError;

/// `mtdb seed`: the fintech demo (README), idempotent.
pub async fn run() -> Result<(), AppError> {
    let admin_url = process_env().admin_database_url()?;
    let inserted = mtdb_postgres::seed_demo(&admin_url)
        .await
        .map_err(AppError::database)?;
    tracing::info!(inserted, "demo tenants seeded");
    Ok(())
}
