use mtdb_postgres_admin::{AdminError, DataLoss};

use crate::config::process_env;
use crate::error::AppError;

/// `mtdb migrate [--down-to N [--allow-data-loss]]`: as the owner, apply (or revert) the
/// migrations; then create or update the application login role named in `DATABASE_URL`
/// (only one mtdb created: docs/security.md, "Whose login role").
pub async fn run(down_to: Option<u32>, allow_data_loss: bool) -> Result<(), AppError> {
    let env = process_env();
    let admin = env.admin_database()?;
    if let Some(version) = down_to {
        let data_loss = if allow_data_loss {
            DataLoss::Allow
        } else {
            DataLoss::Refuse
        };
        let reverted = mtdb_postgres_admin::migrate_down(&admin, version, data_loss)
            .await
            .map_err(AppError::database(
                "reverting the migrations (as MTDB_ADMIN_DATABASE_URL's role) failed",
            ))?;
        tracing::info!(version, ?reverted, "migrations reverted");
        return Ok(());
    }
    let app = env.app_database()?;
    // A role that is not mtdb's stops the run before any migration is applied.
    if let Some(app) = &app {
        mtdb_postgres_admin::check_login_role(&admin, app)
            .await
            .map_err(|e| match e {
                // The check's first step is the owner's connection: its failure is
                // MTDB_ADMIN_DATABASE_URL's, whatever DATABASE_URL says.
                AdminError::Connect(_) => {
                    AppError::database("connecting with MTDB_ADMIN_DATABASE_URL failed")(e)
                }
                _ => AppError::database(
                    "checking the application login role of DATABASE_URL failed",
                )(e),
            })?;
    }
    mtdb_postgres_admin::migrate_up(&admin)
        .await
        .map_err(AppError::database(
            "applying the migrations (as MTDB_ADMIN_DATABASE_URL's role) failed",
        ))?;
    tracing::info!("migrations applied");
    match app {
        Some(app) => {
            mtdb_postgres_admin::ensure_login_role(&admin, &app)
                .await
                .map_err(AppError::database(
                    "provisioning the application login role of DATABASE_URL failed",
                ))?;
            tracing::info!("application login role provisioned from DATABASE_URL");
        }
        None => tracing::warn!("DATABASE_URL is not set: no application login role provisioned"),
    }
    Ok(())
}
