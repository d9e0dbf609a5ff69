//! The read replica's series (docs/replicas.md): reads by where they ran and why, the
//! measured replay lag, and whether the standby is in use. Read from the routing at each
//! scrape, like the pool gauges; the labels come from the adapter's fixed set.

use std::sync::atomic::{AtomicU64, Ordering};

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;

/// The routing of reads as the metrics see it: a plain snapshot, so this crate never
/// names a database type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReplicaSnapshot {
    /// The standby's replay lag now, in seconds.
    pub lag_seconds: f64,
    /// Whether the standby answered its last probe (and no read failed on it since).
    pub up: bool,
    /// Reads so far by `(target, reason)`: `replica`/`fresh`, or `primary` and why.
    pub reads: Vec<(&'static str, &'static str, u64)>,
}

pub(super) type ReplicaReader = Box<dyn Fn() -> ReplicaSnapshot + Send + Sync>;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReadLabels {
    target: &'static str,
    reason: &'static str,
}

pub(super) struct ReplicaMetrics {
    reads: Family<ReadLabels, Counter>,
    lag: Gauge<f64, AtomicU64>,
    up: Gauge,
    read: ReplicaReader,
}

impl ReplicaMetrics {
    pub(super) fn register(registry: &mut Registry, read: ReplicaReader) -> Self {
        let reads = Family::<ReadLabels, Counter>::default();
        registry.register(
            "db_reads",
            "Reads (GET, list) by target (replica, primary) and reason (fresh, strong_consistency, replica_lagging, replica_down, replica_failed)",
            reads.clone(),
        );
        let lag = Gauge::<f64, AtomicU64>::default();
        registry.register(
            "db_replica_lag_seconds",
            "The standby's replay lag: age of the oldest sampled primary WAL position not yet replayed",
            lag.clone(),
        );
        let up = Gauge::default();
        registry.register(
            "db_replica_up",
            "1 while the standby answers its probes and no read failed on it since",
            up.clone(),
        );
        Self {
            reads,
            lag,
            up,
            read,
        }
    }

    /// Copies the routing's numbers into the series; the counts only ever grow at the
    /// source, so storing them keeps the counters monotonic.
    pub(super) fn refresh(&self) {
        let snapshot = (self.read)();
        self.lag.set(snapshot.lag_seconds);
        self.up.set(i64::from(snapshot.up));
        for (target, reason, count) in snapshot.reads {
            self.reads
                .get_or_create(&ReadLabels { target, reason })
                .inner()
                .store(count, Ordering::Relaxed);
        }
    }
}
