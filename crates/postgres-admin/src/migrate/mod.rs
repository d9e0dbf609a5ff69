//! Schema migrations: refinery applies `migrations/V*.sql`; their reverses
//! (`V*.down.sql`, which refinery's file pattern ignores) are ours to run.
//!
//! Both directions hold a session-level advisory lock in the target database for the
//! whole run, so two `mtdb migrate` against one database never interleave.

mod down;
mod losses;
mod reverse;
mod reworded;

pub use down::{migrate_down, migrate_down_to, DataLoss};

use tokio_postgres::Client;

use crate::admin::{connect, AdminError};
use mtdb_postgres::AsConnection;

mod embedded {
    refinery::embed_migrations!("../../migrations");
}

/// refinery's history table, in the target database's default schema.
const HISTORY_TABLE: &str = "refinery_schema_history";

/// The advisory lock key of migrations: "mtdbmigr" in ASCII.
const LOCK_KEY: i64 = 0x6d74_6462_6d69_6772;

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

/// Applied versions, newest first; none when refinery never ran here.
pub(super) async fn applied_versions(client: &Client) -> Result<Vec<u32>, AdminError> {
    let exists: bool = client
        .query_one("select to_regclass($1) is not null", &[&HISTORY_TABLE])
        .await
        .and_then(|row| row.try_get(0))
        .map_err(AdminError::db("reading the migration history"))?;
    if !exists {
        return Ok(Vec::new());
    }
    let rows = client
        .query(
            "select version from refinery_schema_history order by version desc",
            &[],
        )
        .await
        .map_err(AdminError::db("reading the migration history"))?;
    rows.iter()
        .map(|row| row.try_get::<_, i32>(0))
        .map(|v| v.map(|v| u32::try_from(v).unwrap_or(0)))
        .collect::<Result<_, _>>()
        .map_err(AdminError::db("reading the migration history"))
}

pub(super) async fn lock(client: &Client) -> Result<(), AdminError> {
    client
        .execute("select pg_advisory_lock($1)", &[&LOCK_KEY])
        .await
        .map_err(AdminError::db("taking the migration lock"))?;
    Ok(())
}

/// Best effort: the lock also ends with the session, which ends when `client` drops.
pub(super) async fn unlock(client: &Client) {
    if let Err(e) = client
        .execute("select pg_advisory_unlock($1)", &[&LOCK_KEY])
        .await
    {
        tracing::warn!(error = %e, "releasing the migration lock failed");
    }
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
