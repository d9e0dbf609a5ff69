//! Schema migrations: refinery applies `migrations/V*.sql`; their reverses
//! (`V*.down.sql`, which refinery's file pattern ignores) are ours to run.
//!
//! Both directions hold a session-level advisory lock in the target database for the
//! whole run, so two `mtdb migrate` against one database never interleave.

mod down;
mod history;
mod losses;
mod reverse;
mod reworded;

pub use down::{migrate_down, migrate_down_to, DataLoss};

use crate::admin::{connect, AdminError};
use history::{lock, unlock};
use mtdb_postgres::AsConnection;

mod embedded {
    refinery::embed_migrations!("../../migrations");
}

/// Applies every migration not yet applied, each in its own transaction, and returns
/// the versions it applied.
///
/// # Errors
/// A bad URL, an unreachable server, or a migration that fails (it is rolled back; the
/// ones before it stay applied).
pub async fn migrate_up(admin: &(impl AsConnection + ?Sized)) -> Result<Vec<u32>, AdminError> {
    let mut client = connect(admin, "admin").await?;
    lock(&client).await?;
    let runner = embedded::migrations::runner();
    let checksum = |version: u32| {
        runner
            .get_migrations()
            .iter()
            .find(|m| m.version() == version)
            .map(refinery::Migration::checksum)
    };
    if let Err(e) = reworded::accept_rewordings(&client, checksum).await {
        unlock(&client).await;
        return Err(e);
    }
    let result = runner
        .set_abort_divergent(true)
        .run_async(&mut client)
        .await
        .map_err(AdminError::Migrate)
        .map(|report| {
            let applied = report.applied_migrations();
            applied.iter().map(refinery::Migration::version).collect()
        });
    unlock(&client).await;
    result
}

/// Versions and names of the embedded up migrations, oldest first.
#[cfg(test)]
fn embedded_versions() -> Vec<(u32, String)> {
    embedded::migrations::runner()
        .get_migrations()
        .iter()
        .map(|m| (m.version(), m.name().to_owned()))
        .collect()
}
