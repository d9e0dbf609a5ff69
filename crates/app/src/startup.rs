//! Wiring: the postgres adapter behind the use cases behind the HTTP adapter.
//!
//! `Application::build` binds (port 0 in tests), `port()` tells which port, and
//! `run_until_stopped()` serves until a signal stops it (the `shutdown` module). With
//! `MTDB_METRICS_LISTEN`, a second listener serves Prometheus metrics.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use mtdb_http::{ApiDeps, IdentityProviders, InFlight, Metrics, PoolSnapshot, TokenVerifier};
use mtdb_ports::{TenantService, TenantUseCases};
use mtdb_postgres::{
    FairnessSettings, Pools, PostgresHealthProbe, PostgresTenantRepository, ReadRouting,
};

use crate::config::ServeSettings;
use crate::error::AppError;
use crate::shutdown::{self, Servers, Stops};

mod reads;

/// `mtdb serve` built and bound but not yet serving: its listeners are open (so its ports
/// are known) and the database's roles were checked, which refuses an unsafe setup.
pub struct Application {
    port: u16,
    server: mtdb_http::Server,
    in_flight: InFlight,
    shutdown_grace: Duration,
    metrics: Option<MetricsListener>,
}

struct MetricsListener {
    port: u16,
    server: mtdb_http::Server,
}

impl Application {
    /// Binds, connects, refuses to start on an unsafe database setup, and builds the
    /// server.
    ///
    /// # Errors
    /// [`AppError::Listen`] for an address that cannot be bound; [`AppError::Database`]
    /// when the pool cannot be set up, the database cannot be reached, or its login role
    /// could bypass row level security; [`AppError::InvalidSetting`] for JWT keys that
    /// make no verifier; [`AppError::Io`] when a server cannot start.
    pub async fn build(settings: ServeSettings) -> Result<Self, AppError> {
        // Bound first: a busy address is the quickest failure to report, and nothing
        // else (a database round trip, a message saying we are about to serve) should
        // happen before it.
        let listener = bind(settings.listen, "MTDB_LISTEN")?;
        let metrics_listener = settings
            .metrics_listen
            .map(|addr| bind(addr, "MTDB_METRICS_LISTEN"))
            .transpose()?;
        let db = &settings.database;
        // The reserved connections come on top of the shared ones (docs/fairness.md).
        let connections = db.pool_size.saturating_add(db.pool_reserve);
        // Split as many ways as the server has event loops, each of which opens and
        // drives its own pool's connections (docs/performance.md, "Thread hops").
        let pool = mtdb_postgres::connect_pools(
            &db.connection,
            connections,
            db.pool_timeout,
            db.statements,
            mtdb_http::event_loops(),
        )
        .map_err(AppError::database(
            "setting up the pool for DATABASE_URL failed",
        ))?;
        // Fail closed at start: a login role that could bypass row level security
        // would make every policy moot. On a connection of its own, closed after: one
        // of the pools' would stay driven by this start-up runtime, not an event loop.
        let checks =
            mtdb_postgres::connect_pool_with(&db.connection, 1, db.pool_timeout, db.statements)
                .map_err(AppError::database(
                    "setting up the pool for DATABASE_URL failed",
                ))?;
        mtdb_postgres_admin::check_roles(&checks)
            .await
            .map_err(AppError::database(
                "checking DATABASE_URL's login role before serving failed",
            ))?;
        drop(checks);
        let fairness = FairnessSettings {
            org_max_requests: db.org_max_requests,
            reserved_connections: db.pool_reserve,
            page_deadline: settings.http.response_timeout,
        };
        let repository = PostgresTenantRepository::with_fairness(pool.clone(), fairness);
        let verifier = TokenVerifier::new(settings.jwt)
            .map_err(AppError::config("the JWT settings"))?
            .with_leeway(settings.oidc.leeway);
        let verifier = if settings.oidc.issuers.is_empty() {
            verifier
        } else {
            // The issuer binding asks the primary's repository, whose fair gate then
            // knows the principal's organization for the request's own unit of work.
            let directory = Arc::new(repository.clone());
            let oidc = settings.oidc;
            let providers = IdentityProviders::start(oidc.issuers, oidc.refresh, directory)
                .await
                .map_err(AppError::config("MTDB_OIDC_ISSUERS"))?;
            verifier.with_providers(Arc::new(providers))
        };
        let routing = reads::routing(db, repository.clone(), fairness, connections)?;
        let (metrics, metrics_listener) = metrics_listener
            .map(|listener| serve_metrics(listener, &pool, repository, &routing))
            .transpose()?
            .unzip();
        let port = local_port(&listener)?;
        let primary_reads = routing.stats().is_some().then(|| {
            Arc::new(TenantUseCases::new(routing.primary_only())) as Arc<dyn TenantService>
        });
        let deps = ApiDeps {
            service: Arc::new(TenantUseCases::new(routing)),
            primary_reads,
            health: Arc::new(PostgresHealthProbe::new(pool)),
            verifier: Arc::new(verifier),
            metrics,
        };
        let in_flight = InFlight::default();
        let server = mtdb_http::build_server(listener, deps, settings.http, in_flight.clone())
            .map_err(AppError::io("starting the API server"))?;
        tracing::info!(address = %settings.listen, port, "mtdb is listening");
        Ok(Self {
            port,
            server,
            in_flight,
            shutdown_grace: settings.shutdown_grace,
            metrics: metrics_listener,
        })
    }

    /// The API listener's port: the one the OS chose when `MTDB_LISTEN` asked for 0.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The metrics listener's port, when metrics are on.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|m| m.port)
    }

    /// Serves until a signal stops both listeners (`shutdown::install_signal_handlers`).
    ///
    /// # Errors
    /// When the handlers cannot be installed, or as [`run_until`](Self::run_until).
    pub async fn run_until_stopped(self) -> Result<(), AppError> {
        let stops = shutdown::install_signal_handlers()
            .map_err(AppError::io("installing the signal handlers"))?;
        self.run_until(stops).await
    }

    /// Serves until `stops` asks to stop, then drains or cuts (`shutdown`).
    ///
    /// # Errors
    /// When a listener fails, or when requests in flight were cut.
    pub async fn run_until(self, stops: Stops) -> Result<(), AppError> {
        let mut handles = vec![self.server.handle()];
        handles.extend(self.metrics.as_ref().map(|m| m.server.handle()));
        let metrics = async {
            match self.metrics {
                Some(listener) => listener.server.await,
                None => Ok(()),
            }
        };
        let serving = async { tokio::try_join!(self.server, metrics).map(|_| ()) };
        let servers = Servers {
            serving,
            handles,
            in_flight: self.in_flight,
        };
        shutdown::serve_until_stopped(servers, stops, self.shutdown_grace).await
    }
}

/// A listener on `address`, or an error naming the address and the `variable` that set
/// it.
fn bind(address: SocketAddr, variable: &'static str) -> Result<TcpListener, AppError> {
    TcpListener::bind(address).map_err(|source| AppError::Listen {
        address,
        variable,
        source,
    })
}

fn local_port(listener: &TcpListener) -> Result<u16, AppError> {
    let address = listener
        .local_addr()
        .map_err(AppError::io("reading a listener's address"))?;
    Ok(address.port())
}

/// The metrics registry, its pool gauges reading `pool` (and the fair queue in front of
/// it, where requests wait for a connection), served on its own `listener`.
fn serve_metrics(
    listener: TcpListener,
    pool: &Pools,
    repository: PostgresTenantRepository,
    routing: &ReadRouting,
) -> Result<(Arc<Metrics>, MetricsListener), AppError> {
    let pool = pool.clone();
    let mut metrics = Metrics::new(move || {
        let status = pool.status();
        PoolSnapshot {
            max_size: status.max_size as u64,
            size: status.size as u64,
            available: status.available as u64,
            waiting: (status.waiting + repository.waiting()) as u64,
        }
    });
    if routing.stats().is_some() {
        let routing = routing.clone();
        metrics = metrics.with_replica(move || reads::snapshot(&routing).unwrap_or_default());
    }
    let metrics = Arc::new(metrics);
    let port = local_port(&listener)?;
    let server = mtdb_http::build_metrics_server(listener, metrics.clone())
        .map_err(AppError::io("starting the metrics server"))?;
    tracing::info!(port, "metrics are served");
    Ok((metrics, MetricsListener { port, server }))
}
