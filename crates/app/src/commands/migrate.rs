use mtdb_postgres::DataLoss;

use crate::config::process_env;
use crate::error::AppError;

/// `mtdb migrate [--down-to N [--allow-data-loss]]`: as the owner, apply (or revert) the
/// migrations; then create or update the application login role named in `DATABASE_URL`
/// (only one mtdb created: docs/security.md, "Whose login role").
pub async fn run(down_to: Option<u32>, allow_data_loss: bool) -> Result<(), AppError> {
    let env = process_env();
    let admin_url = env.admin_database_url()?;
    if let Some(version) = down_to {
        let data_loss = if allow_data_loss {
            DataLoss::Allow
        } else {
            DataLoss::Refuse
        };
        let reverted = mtdb_postgres::migrate_down(&admin_url, version, data_loss)
            .await
            .map_err(AppError::database)?;
        tracing::info!(version, ?reverted, "migrations reverted");
        return Ok(());
    }
    let app_url = env.app_database_url();
    // A role that is not mtdb's stops the run before any migration is applied.
    if let Some(app_url) = &app_url {
        mtdb_postgres::check_login_role(&admin_url, app_url)
            .await
            .map_err(AppError::database)?;
    }
    mtdb_postgres::migrate_up(&admin_url)
        .await
        .map_err(AppError::database)?;
    tracing::info!("migrations applied");
    match app_url {
        Some(app_url) => {
            mtdb_postgres::ensure_login_role(&admin_url, &app_url)
                .await
                .map_err(AppError::database)?;
            tracing::info!("application login role provisioned from DATABASE_URL");
        }
        None => tracing::warn!("DATABASE_URL is not set: no application login role provisioned"),
    }
    Ok(())
}
