use crate::config::process_env;
use crate::error::AppError;

/// `mtdb seed`: the fintech demo (README), idempotent.
pub async fn run() -> Result<(), AppError> {
    let admin = process_env().admin_database()?;
    let inserted = mtdb_postgres_admin::seed_demo(&admin)
        .await
        .map_err(AppError::database("seeding the demo tenants failed"))?;
    tracing::info!(inserted, "demo tenants seeded");
    Ok(())
}
