//! Wiring: the postgres adapter behind the use cases behind the HTTP adapter.
//!
//! `Application::build` binds (port 0 in tests), `port()` tells which port, and
//! `run_until_stopped()` serves until SIGINT/SIGTERM, draining requests in flight. With
//! `MTDB_METRICS_LISTEN`, a second listener serves Prometheus metrics.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use mtdb_http::{ApiDeps, Metrics, PoolSnapshot, TokenVerifier};
use mtdb_ports::TenantUseCases;
use mtdb_postgres::{FairnessSettings, Pool, PostgresHealthProbe, PostgresTenantRepository};

use crate::config::ServeSettings;
use crate::error::AppError;

pub struct Application {
    port: u16,
    server: mtdb_http::Server,
    metrics: Option<MetricsListener>,
}

struct MetricsListener {
    port: u16,
    server: mtdb_http::Server,
}

impl Application {
    /// Connects, refuses to start on an unsafe database setup, binds and builds the server.
    pub async fn build(settings: ServeSettings) -> Result<Self, AppError> {
        let db = &settings.database;
        // The reserved connections come on top of the shared ones (docs/fairness.md).
        let connections = db.pool_size.saturating_add(db.pool_reserve);
        let pool = mtdb_postgres::connect_pool(&db.url, connections, db.pool_timeout)
            .map_err(AppError::database)?;
        // Fail closed at start: a login role that could bypass row level security
        // would make every policy moot.
        mtdb_postgres::check_roles(&pool)
            .await
            .map_err(AppError::database)?;
        let verifier = TokenVerifier::new(settings.jwt).map_err(AppError::config)?;
        let fairness = FairnessSettings {
            org_max_requests: db.org_max_requests,
            reserved_connections: db.pool_reserve,
        };
        let repository = PostgresTenantRepository::with_fairness(pool.clone(), fairness);
        let (metrics, metrics_listener) = settings
            .metrics_listen
            .map(|addr| serve_metrics(addr, &pool, repository.clone()))
            .transpose()?
            .unzip();
        let listener = TcpListener::bind(settings.listen).map_err(AppError::Io)?;
        let port = listener.local_addr().map_err(AppError::Io)?.port();
        let deps = ApiDeps {
            service: Arc::new(TenantUseCases::new(repository)),
            health: Arc::new(PostgresHealthProbe::new(pool)),
            verifier: Arc::new(verifier),
            metrics,
        };
        let server =
            mtdb_http::build_server(listener, deps, settings.http).map_err(AppError::Io)?;
        tracing::info!(address = %settings.listen, port, "mtdb is listening");
        Ok(Self {
            port,
            server,
            metrics: metrics_listener,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The metrics listener's port, when metrics are on.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|m| m.port)
    }

    /// Serves until SIGINT/SIGTERM stops both listeners (each drains its requests).
    pub async fn run_until_stopped(self) -> Result<(), AppError> {
        let metrics = async {
            match self.metrics {
                Some(listener) => listener.server.await,
                None => Ok(()),
            }
        };
        tokio::try_join!(self.server, metrics).map_err(AppError::Io)?;
        Ok(())
    }
}

/// The metrics registry, its pool gauges reading `pool` (and the fair queue in front of
/// it, where requests wait for a connection), and its own listener on `addr`.
fn serve_metrics(
    addr: SocketAddr,
    pool: &Pool,
    repository: PostgresTenantRepository,
) -> Result<(Arc<Metrics>, MetricsListener), AppError> {
    let pool = pool.clone();
    let metrics = Arc::new(Metrics::new(move || {
        let status = pool.status();
        PoolSnapshot {
            max_size: status.max_size as u64,
            size: status.size as u64,
            available: status.available as u64,
            waiting: (status.waiting + repository.waiting()) as u64,
        }
    }));
    let listener = TcpListener::bind(addr).map_err(AppError::Io)?;
    let port = listener.local_addr().map_err(AppError::Io)?.port();
    let server =
        mtdb_http::build_metrics_server(listener, metrics.clone()).map_err(AppError::Io)?;
    tracing::info!(address = %addr, port, "metrics are served");
    Ok((metrics, MetricsListener { port, server }))
}
