//! Prometheus metrics, served on their own listener (`MTDB_METRICS_LISTEN`), never on the
//! API port (docs/api.md, "Metrics"). The access log middleware feeds [`Metrics::observe`]
//! with the measurement it logs; the pool gauges are read when a scrape arrives.
//!
//! Labels are bounded whatever clients send: the method is one of the standard methods or
//! `OTHER`, the route is the pattern (`/api/v1/tenants/{tenant_id}`, never a raw path) or
//! `unmatched`, and the status is one the server itself chose. No principal or tenant id
//! is ever a label. (Invented 1,000-byte methods once grew the output to 487 MB.)

pub(crate) mod labels;
pub(crate) mod replica;
pub(crate) mod server;
pub(crate) mod text_format;

use std::sync::atomic::AtomicU64;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

pub use replica::ReplicaSnapshot;

/// The content type of [`Metrics::render`]'s output (OpenMetrics).
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// The connection pool as the metrics see it: a plain snapshot, so this crate never
/// names a database type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PoolSnapshot {
    /// The most connections the pool may open.
    pub max_size: u64,
    /// The connections open now, idle or in use.
    pub size: u64,
    /// The idle connections ready to be handed out.
    pub available: u64,
    /// The requests waiting for a connection, in the pool's queue or the fair queue.
    pub waiting: u64,
}

type PoolReader = Box<dyn Fn() -> PoolSnapshot + Send + Sync>;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RefusalLabels {
    reason: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: &'static str,
}

type Buckets = fn() -> Histogram;

/// The registry and every metric mtdb exports.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, Buckets>,
    pool: Family<PoolLabels, Gauge<u64, AtomicU64>>,
    refused: Family<RefusalLabels, Counter>,
    read_pool: PoolReader,
    replica: Option<replica::ReplicaMetrics>,
}

impl Metrics {
    /// `read_pool` is called on every scrape for the pool gauges.
    pub fn new(read_pool: impl Fn() -> PoolSnapshot + Send + Sync + 'static) -> Self {
        let mut registry = Registry::with_prefix("mtdb");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route pattern and status",
            requests.clone(),
        );
        // 0.5 ms to about 4 s.
        let latency = Family::<RouteLabels, Histogram, Buckets>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.0005, 2.0, 14))
        });
        registry.register(
            "http_request_duration_seconds",
            "Time from request to response, by method and route pattern",
            latency.clone(),
        );
        let pool = Family::<PoolLabels, Gauge<u64, AtomicU64>>::default();
        registry.register(
            "db_pool_connections",
            "Database pool: max (configured), open, idle (open and free), waiting (requests queued for a connection)",
            pool.clone(),
        );
        let refused = Family::<RefusalLabels, Counter>::default();
        registry.register(
            "auth_refused",
            "Requests refused as unauthenticated, by reason (one of a fixed set, never the token or its claims)",
            refused.clone(),
        );
        Self {
            registry,
            requests,
            latency,
            pool,
            refused,
            read_pool: Box::new(read_pool),
            replica: None,
        }
    }

    /// Adds the read replica's series, `read` called on every scrape (docs/replicas.md).
    #[must_use]
    pub fn with_replica(
        mut self,
        read: impl Fn() -> ReplicaSnapshot + Send + Sync + 'static,
    ) -> Self {
        self.replica = Some(replica::ReplicaMetrics::register(
            &mut self.registry,
            Box::new(read),
        ));
        self
    }

    /// Records one answered request. `route` is the matched pattern, if any: a pattern
    /// comes from the routing table, so it is one of a fixed few. `method` is folded
    /// into a fixed set (`labels::method`).
    pub fn observe(&self, method: &str, route: Option<&str>, status: u16, seconds: f64) {
        let route = route.unwrap_or("unmatched").to_owned();
        let method = labels::method(method);
        self.latency
            .get_or_create(&RouteLabels {
                method,
                route: route.clone(),
            })
            .observe(seconds);
        self.requests
            .get_or_create(&RequestLabels {
                method,
                route,
                status,
            })
            .inc();
    }

    /// Counts one request refused as unauthenticated. `reason` is one of the fixed
    /// reasons of the verifier (`AuthError::reason`), a string of the program's own.
    pub(crate) fn refused(&self, reason: &'static str) {
        self.refused.get_or_create(&RefusalLabels { reason }).inc();
    }

    /// Every metric in the OpenMetrics text format, the pool read now.
    ///
    /// # Errors
    /// Only if formatting into a `String` fails, which it does not.
    pub fn render(&self) -> Result<String, std::fmt::Error> {
        let snapshot = (self.read_pool)();
        for (state, value) in [
            ("max", snapshot.max_size),
            ("open", snapshot.size),
            ("idle", snapshot.available),
            ("waiting", snapshot.waiting),
        ] {
            self.pool.get_or_create(&PoolLabels { state }).set(value);
        }
        if let Some(replica) = &self.replica {
            replica.refresh();
        }
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)?;
        Ok(text)
    }
}

#[cfg(test)]
mod tests;
