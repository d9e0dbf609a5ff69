//! Where reads go: with `MTDB_READ_DATABASE_URL`, second pools on the standby (the
//! primary's size, reserve and timeout, a fair gate of its own) behind the read routing;
//! without it, the primary alone (docs/replicas.md).

use mtdb_http::ReplicaSnapshot;
use mtdb_postgres::replica::ReadReplica;
use mtdb_postgres::{FairnessSettings, PostgresTenantRepository, ReadRouting};

use crate::config::DatabaseSettings;
use crate::error::AppError;

/// The routing over `primary`, reading from the configured standby when there is one.
///
/// # Errors
/// When the standby's pool cannot be set up (its URL's TLS settings, say). The standby is
/// not contacted here: one that is down at start-up only sends reads to the primary
/// until it answers.
pub(super) fn routing(
    db: &DatabaseSettings,
    primary: PostgresTenantRepository,
    fairness: FairnessSettings,
    connections: usize,
) -> Result<ReadRouting, AppError> {
    let Some(replica) = &db.read_replica else {
        return Ok(ReadRouting::new(primary, None));
    };
    // The same statement mode as the primary's pool: a standby behind its own PgBouncer
    // needs unnamed statements just the same (docs/pgbouncer.md). Split between the event
    // loops as the primary's is.
    let pool = mtdb_postgres::connect_pools(
        &replica.connection,
        connections,
        db.pool_timeout,
        db.statements,
        mtdb_http::event_loops(),
    )
    .map_err(AppError::database(
        "setting up the pool for MTDB_READ_DATABASE_URL failed",
    ))?;
    let standby = ReadReplica {
        store: PostgresTenantRepository::with_fairness(pool, fairness),
        primary: db.connection.clone(),
        standby: replica.connection.clone(),
        max_lag: replica.max_lag,
    };
    tracing::info!(
        max_lag_ms = u64::try_from(replica.max_lag.as_millis()).unwrap_or(u64::MAX),
        "reads go to the standby while it keeps up"
    );
    Ok(ReadRouting::new(primary, Some(standby)))
}

/// The routing's numbers for the metrics; `None` without a standby.
pub(super) fn snapshot(routing: &ReadRouting) -> Option<ReplicaSnapshot> {
    let stats = routing.stats()?;
    Some(ReplicaSnapshot {
        lag_seconds: stats.lag.as_secs_f64(),
        up: stats.up,
        reads: stats
            .reads
            .iter()
            .map(|&(route, count)| {
                let (target, reason) = route.labels();
                (target, reason, count)
            })
            .collect(),
    })
}
