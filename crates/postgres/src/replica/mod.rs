//! Read replicas: [`ReadRouting`] is the [`TenantStore`] that sends `find` and
//! `list_stream` to a hot standby when it is healthy and its replay lag is within the
//! bound, and everything else (every write, and every read inside a write's
//! transaction, since both run in [`begin`](TenantStore::begin)) to the primary
//! (docs/replicas.md).
//!
//! Both sides are [`PostgresTenantRepository`] values, each over its own pool and fair
//! gate, so a read on the standby is the same unit of work, under the same row level
//! security, as on the primary: a physical standby carries the primary's policies, roles
//! and grants byte for byte.

mod counts;
pub mod lag;
mod monitor;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use mtdb_domain::{Actor, ListQuery, ListTenantsError, StoreError, Tenant, TenantId};
use mtdb_ports::{TenantPageStream, TenantStore, TenantTransaction};

use crate::connection::ConnectionSettings;
use crate::repository::PostgresTenantRepository;
pub use counts::{ReadCounts, ReadRoute};
use monitor::ReplicaState;
pub use monitor::{Fallback, PRIMARY_PROBE, PROBE_INTERVAL, STANDBY_PROBE};

/// The default `MTDB_READ_MAX_LAG_MS`.
pub const DEFAULT_MAX_LAG: Duration = Duration::from_millis(1000);

/// A standby to read from: its repository (connected as the same login role), the
/// connection settings of both servers for the monitor, and the largest lag allowed.
pub struct ReadReplica {
    /// Its pool and fair gate.
    pub store: PostgresTenantRepository,
    /// Where the monitor asks the primary for its WAL position (`DATABASE_URL`).
    pub primary: ConnectionSettings,
    /// Where the monitor asks the standby what it replayed (`MTDB_READ_DATABASE_URL`).
    pub standby: ConnectionSettings,
    /// Reads go to the primary while the standby lags more (`MTDB_READ_MAX_LAG_MS`).
    pub max_lag: Duration,
}

struct Replica {
    store: PostgresTenantRepository,
    state: Arc<ReplicaState>,
    max_lag: Duration,
}

/// The tenant store that reads from a standby when it may (see the module). Cheap to
/// clone; every clone shares the monitor and the counts.
#[derive(Clone)]
pub struct ReadRouting {
    primary: PostgresTenantRepository,
    replica: Option<Arc<Replica>>,
    counts: Arc<ReadCounts>,
    /// Every read on the primary, counted as asked for (read-your-writes).
    strong: bool,
}

/// What the metrics show of the routing.
#[derive(Debug, Clone, Copy)]
pub struct ReplicaStats {
    /// The standby's replay lag as measured now.
    pub lag: Duration,
    /// Whether it answered its last probe and no read failed on it since.
    pub up: bool,
    /// Reads by where they ran and why.
    pub reads: [(ReadRoute, u64); 5],
}

impl ReadRouting {
    /// Reads on `standby` when given, else every unit of work on `primary`. Starts the
    /// standby's monitor: call it inside the Tokio runtime.
    pub fn new(primary: PostgresTenantRepository, standby: Option<ReadReplica>) -> Self {
        let replica = standby.map(|s| {
            Arc::new(Replica {
                store: s.store,
                state: monitor::spawn(s.primary, s.standby),
                max_lag: s.max_lag,
            })
        });
        Self {
            primary,
            replica,
            counts: Arc::default(),
            strong: false,
        }
    }

    /// The same store with every read on the primary: for a client that asked to see its
    /// own writes.
    pub fn primary_only(&self) -> Self {
        Self {
            strong: true,
            ..self.clone()
        }
    }

    /// The lag, the standby's state and the counts; `None` without a standby.
    pub fn stats(&self) -> Option<ReplicaStats> {
        let replica = self.replica.as_ref()?;
        let (lag, up) = replica.state.lag();
        Some(ReplicaStats {
            lag,
            up,
            reads: self.counts.snapshot(),
        })
    }

    /// The standby to read from now, or why not (counted now when not).
    fn replica(&self) -> Option<&Replica> {
        let replica = self.replica.as_deref()?;
        let route = if self.strong {
            ReadRoute::Requested
        } else {
            match replica.state.verdict(replica.max_lag) {
                Ok(()) => return Some(replica),
                Err(Fallback::Down) => ReadRoute::Down,
                Err(Fallback::Lagging) => ReadRoute::Lagging,
            }
        };
        self.counts.count(route);
        None
    }

    /// Whether a read that failed on the standby runs again on the primary. Reads are
    /// idempotent; only an organization over its limit is not retried (it would be on
    /// the primary too). An unavailable standby is down until its next good probe.
    fn retry(&self, replica: &Replica, error: &StoreError) -> bool {
        let retry = match error {
            StoreError::Unavailable(_) => {
                replica.state.mark_down();
                true
            }
            // A query cancelled by a conflict with recovery, for one: the primary has none.
            StoreError::Internal(_) => true,
            StoreError::Overloaded => false,
        };
        if retry {
            tracing::warn!(error = %error, "a read failed on the standby: retried on the primary");
            self.counts.count(ReadRoute::Retried);
        } else {
            self.counts.count(ReadRoute::Replica);
        }
        retry
    }
}

#[async_trait]
impl TenantStore for ReadRouting {
    async fn find(&self, actor: &Actor, id: TenantId) -> Result<Option<Tenant>, StoreError> {
        if let Some(replica) = self.replica() {
            match replica.store.find(actor, id).await {
                Err(error) if self.retry(replica, &error) => {}
                Err(error) => return Err(error),
                Ok(found) => {
                    self.counts.count(ReadRoute::Replica);
                    return Ok(found);
                }
            }
        }
        self.primary.find(actor, id).await
    }

    async fn list_stream(
        &self,
        actor: &Actor,
        query: &ListQuery,
    ) -> Result<TenantPageStream, ListTenantsError> {
        if let Some(replica) = self.replica() {
            // Only a failure before the stream is returned is retried: once tenants flow,
            // the response has begun.
            match replica.store.list_stream(actor, query).await {
                Err(ListTenantsError::Store(error)) if self.retry(replica, &error) => {}
                Err(error) => return Err(error),
                Ok(page) => {
                    self.counts.count(ReadRoute::Replica);
                    return Ok(page);
                }
            }
        }
        self.primary.list_stream(actor, query).await
    }

    async fn reach(&self, actor: &Actor) -> Result<(), StoreError> {
        if let Some(replica) = self.replica() {
            match replica.store.reach(actor).await {
                Err(error) if self.retry(replica, &error) => {}
                other => return other,
            }
        }
        self.primary.reach(actor).await
    }

    async fn begin(&self, actor: &Actor) -> Result<Box<dyn TenantTransaction>, StoreError> {
        self.primary.begin(actor).await
    }
}
