use std::time::Duration;

use async_trait::async_trait;
use mtdb_domain::StoreError;
use mtdb_ports::HealthProbe;

use crate::errors::{DbFailure, Meaning};
use crate::pools::Pools;

/// Asks the pool for a connection and the server whether the schema's tables exist: no
/// role switch, no tenant data.
#[derive(Clone)]
pub struct PostgresHealthProbe {
    pool: Pools,
}

impl PostgresHealthProbe {
    /// A probe over the application's pool: each check borrows one connection.
    pub fn new(pool: impl Into<Pools>) -> Self {
        Self { pool: pool.into() }
    }

    /// The pool's own wait, or a couple of seconds if it has none: a half-open TCP
    /// connection must not hang the health check.
    fn deadline(&self) -> Duration {
        self.pool.wait().unwrap_or(Duration::from_secs(2))
    }

    /// Healthy only when the schema's tables are there: a reverted schema answers every
    /// request with 503, and the health check says so too (docs/api.md, "Health").
    /// An unnamed statement whatever `MTDB_DB_STATEMENTS` says: safe through any pooler
    /// (docs/pgbouncer.md), and a probe every few seconds needs no cached plan.
    async fn ping(&self) -> Result<(), DbFailure> {
        let client = self.pool.get().await?;
        let present: bool = client
            .query_typed_one(SCHEMA_PRESENT, &[])
            .await?
            .try_get(0)?;
        if present {
            Ok(())
        } else {
            Err(DbFailure::with_meaning(
                Meaning::SchemaMissing,
                SchemaMissing,
            ))
        }
    }
}

/// Catalog lookups only: no privilege needed, no tenant data read.
const SCHEMA_PRESENT: &str = "select pg_catalog.to_regclass('public.tenants') is not null \
     and pg_catalog.to_regclass('public.tenant_audit') is not null";

#[derive(Debug, thiserror::Error)]
#[error("the health check did not finish in time")]
struct HealthTimeout;

#[derive(Debug, thiserror::Error)]
#[error("table tenants or tenant_audit does not exist")]
struct SchemaMissing;

#[async_trait]
impl HealthProbe for PostgresHealthProbe {
    async fn check(&self) -> Result<(), StoreError> {
        match tokio::time::timeout(self.deadline(), self.ping()).await {
            Ok(result) => result.map_err(DbFailure::into_store),
            Err(_elapsed) => {
                Err(DbFailure::with_meaning(Meaning::Unavailable, HealthTimeout).into_store())
            }
        }
    }
}
