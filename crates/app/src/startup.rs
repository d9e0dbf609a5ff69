//! Wiring: the postgres adapter behind the use cases behind the HTTP adapter.
//!
//! `Application::build` binds (port 0 in tests), `port()` tells which port, and
//! `run_until_stopped()` serves until SIGINT/SIGTERM, draining requests in flight.

use std::net::TcpListener;
use std::sync::Arc;

use mtdb_http::{ApiDeps, TokenVerifier};
use mtdb_ports::TenantUseCases;
use mtdb_postgres::{PostgresHealthProbe, PostgresTenantRepository};

use crate::config::ServeSettings;
use crate::error::AppError;

pub struct Application {
    port: u16,
    server: mtdb_http::Server,
}

impl Application {
    /// Connects, refuses to start on an unsafe database setup, binds and builds the server.
    pub async fn build(settings: ServeSettings) -> Result<Self, AppError> {
        let db = &settings.database;
        let pool = mtdb_postgres::connect_pool(&db.url, db.pool_size, db.pool_timeout)
            .map_err(AppError::database)?;
        // Fail closed at start: a login role that could bypass row level security
        // would make every policy moot.
        mtdb_postgres::check_roles(&pool)
            .await
            .map_err(AppError::database)?;
        let verifier = TokenVerifier::new(settings.jwt).map_err(AppError::config)?;
        if let Some(addr) = settings.metrics_listen {
            tracing::warn!(%addr, "MTDB_METRICS_LISTEN is set, but this build serves no metrics");
        }
        let listener = TcpListener::bind(settings.listen).map_err(AppError::Io)?;
        let port = listener.local_addr().map_err(AppError::Io)?.port();
        let deps = ApiDeps {
            service: Arc::new(TenantUseCases::new(PostgresTenantRepository::new(
                pool.clone(),
            ))),
            health: Arc::new(PostgresHealthProbe::new(pool)),
            verifier: Arc::new(verifier),
        };
        let server = mtdb_http::build_server(listener, deps).map_err(AppError::Io)?;
        tracing::info!(address = %settings.listen, port, "mtdb is listening");
        Ok(Self { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> Result<(), AppError> {
        self.server.await.map_err(AppError::Io)
    }
}
