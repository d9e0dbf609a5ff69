//! refinery's history of applied versions, and the advisory lock every run holds.

use tokio_postgres::Client;

use crate::admin::AdminError;

/// refinery's history table, in the target database's default schema.
const HISTORY_TABLE: &str = "refinery_schema_history";

/// The advisory lock key of migrations: "mtdbmigr" in ASCII.
const LOCK_KEY: i64 = 0x6d74_6462_6d69_6772;

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
