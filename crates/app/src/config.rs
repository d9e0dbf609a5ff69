//! Settings from the environment (a `.env` file is loaded first by `main`). Each
//! command asks only for what it needs, and a missing or invalid setting is an error
//! that names the variable.

use std::net::SocketAddr;
use std::time::Duration;

use mtdb_http::{HttpSettings, JwtSettings};
use mtdb_postgres::{
    AsConnection, ConnectionSettings, FairnessSettings, StatementMode, MIN_ORG_MAX_REQUESTS,
};
use secrecy::SecretSlice;

mod env;
mod error;
mod http;
mod replica;
mod tokens;
pub use env::{process_env, Env};
use error::invalid;
pub use error::ConfigError;
pub use replica::ReadReplicaSettings;
pub use tokens::OidcSettings;

/// The application login role's connection pool. `Debug` shows no password: the
/// connection keeps it in a secret.
#[derive(Debug, Clone)]
pub struct DatabaseSettings {
    /// `DATABASE_URL`, parsed.
    pub connection: ConnectionSettings,
    /// The connections every organization shares (`MTDB_DB_POOL_SIZE`, at least 1).
    pub pool_size: usize,
    /// Connections beyond `pool_size` kept for organizations that hold none of the
    /// others (`MTDB_DB_POOL_RESERVE`, docs/fairness.md).
    pub pool_reserve: usize,
    /// How long a request waits for a connection before `503`
    /// (`MTDB_DB_POOL_TIMEOUT_MS`, at least 1 ms).
    pub pool_timeout: Duration,
    /// One organization's requests in flight or queued at once before `429`
    /// (`MTDB_ORG_MAX_REQUESTS`, docs/fairness.md).
    pub org_max_requests: usize,
    /// Named or unnamed statements (`MTDB_DB_STATEMENTS`, docs/pgbouncer.md).
    pub statements: StatementMode,
    /// The hot standby `GET` and the list read from (`MTDB_READ_DATABASE_URL`,
    /// docs/replicas.md); none by default.
    pub read_replica: Option<ReadReplicaSettings>,
}

/// Everything `mtdb serve` needs.
#[derive(Debug, Clone)]
pub struct ServeSettings {
    /// Where the API listens (`MTDB_LISTEN`, 127.0.0.1:8080 unless set).
    pub listen: SocketAddr,
    /// The application login role's pool and the per-organization limits.
    pub database: DatabaseSettings,
    /// How bearer tokens are verified (`MTDB_JWT_*`).
    pub jwt: JwtSettings,
    /// The identity providers trusted besides (`MTDB_OIDC_*`) and the clock skew.
    pub oidc: OidcSettings,
    /// Where Prometheus metrics are served (`MTDB_METRICS_LISTEN`); none when unset, so
    /// that metrics are never exposed on the API's address.
    pub metrics_listen: Option<SocketAddr>,
    /// The HTTP layer's limits (`MTDB_HTTP_BODY_TIMEOUT_MS`, `MTDB_HTTP_WRITE_TIMEOUT_MS`,
    /// `MTDB_HTTP_RESPONSE_TIMEOUT_MS`).
    pub http: HttpSettings,
    /// How long `SIGTERM`/`SIGINT` wait for requests in flight before cutting them
    /// (`MTDB_SHUTDOWN_GRACE_MS`, docs/architecture.md "Stopping").
    pub shutdown_grace: Duration,
}

impl ServeSettings {
    /// Loopback on a port the OS picks, a pool of 8 (no reserve) with a 5 s timeout,
    /// HS256 tokens only: the server that the end-to-end tests and the benchmark start.
    ///
    /// # Errors
    /// `database` is a string that is not a connection string.
    pub fn ephemeral(
        database: &(impl AsConnection + ?Sized),
        hs256_secret: &[u8],
    ) -> Result<Self, ConfigError> {
        let database = database
            .as_connection()
            .map_err(|e| invalid("DATABASE_URL", format!("not a connection string ({e})")))?
            .into_owned();
        Ok(Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            database: DatabaseSettings {
                connection: database,
                pool_size: 8,
                // None: the pool is exactly 8 (tests that want a reserve ask for one).
                pool_reserve: 0,
                pool_timeout: Duration::from_secs(5),
                org_max_requests: FairnessSettings::default().org_max_requests,
                statements: StatementMode::Auto,
                read_replica: None,
            },
            jwt: JwtSettings {
                hs256_secret: SecretSlice::from(hs256_secret.to_vec()),
                public_key_pem: None,
                issuer: None,
                audience: None,
            },
            oidc: OidcSettings::default(),
            metrics_listen: None,
            http: HttpSettings::default(),
            shutdown_grace: DEFAULT_SHUTDOWN_GRACE,
        })
    }
}

impl<F: Fn(&str) -> Option<String>> Env<F> {
    /// Everything `mtdb serve` reads from the environment.
    ///
    /// # Errors
    /// The first missing or invalid setting among those of [`ServeSettings`].
    pub fn serve_settings(&self) -> Result<ServeSettings, ConfigError> {
        let default_listen = SocketAddr::from(([127, 0, 0, 1], 8080));
        Ok(ServeSettings {
            listen: self.parsed("MTDB_LISTEN", default_listen)?,
            database: self.database_settings()?,
            jwt: self.jwt_settings()?,
            oidc: self.oidc_settings()?,
            metrics_listen: self
                .optional("MTDB_METRICS_LISTEN")
                .map(|raw| {
                    raw.trim()
                        .parse()
                        .map_err(|e| invalid("MTDB_METRICS_LISTEN", e))
                })
                .transpose()?,
            http: self.http_settings()?,
            shutdown_grace: self.shutdown_grace()?,
        })
    }

    /// The drain's grace period (`MTDB_SHUTDOWN_GRACE_MS`): an error unless a whole
    /// number of milliseconds from 1 to one hour.
    pub fn shutdown_grace(&self) -> Result<Duration, ConfigError> {
        const NAME: &str = "MTDB_SHUTDOWN_GRACE_MS";
        // Up to an hour: a longer wait is more likely a typo than a plan, and a
        // supervisor would kill the process long before.
        const MAX_MS: u64 = 3_600_000;
        self.millis(NAME, DEFAULT_SHUTDOWN_GRACE, MAX_MS)
    }

    /// The application login role's pool: `DATABASE_URL` (required), its size, reserve
    /// and timeout, and the per-organization limit on requests.
    ///
    /// # Errors
    /// `DATABASE_URL` missing or not a connection string, a pool size or timeout of 0,
    /// an `MTDB_ORG_MAX_REQUESTS` under the minimum, or any value that is not a number.
    pub fn database_settings(&self) -> Result<DatabaseSettings, ConfigError> {
        let connection = self
            .connection("DATABASE_URL")?
            .ok_or(ConfigError::Missing("DATABASE_URL"))?;
        let pool_size = self.parsed("MTDB_DB_POOL_SIZE", default_pool_size())?;
        if pool_size == 0 {
            return Err(invalid("MTDB_DB_POOL_SIZE", "must be at least 1"));
        }
        let timeout_ms: u64 = self.parsed("MTDB_DB_POOL_TIMEOUT_MS", 3_000)?;
        if timeout_ms == 0 {
            return Err(invalid("MTDB_DB_POOL_TIMEOUT_MS", "must be at least 1"));
        }
        let pool_reserve = self.parsed("MTDB_DB_POOL_RESERVE", DEFAULT_POOL_RESERVE)?;
        let org_max_requests = self.parsed(
            "MTDB_ORG_MAX_REQUESTS",
            FairnessSettings::default().org_max_requests,
        )?;
        if org_max_requests < MIN_ORG_MAX_REQUESTS {
            return Err(invalid(
                "MTDB_ORG_MAX_REQUESTS",
                format!("must be at least {MIN_ORG_MAX_REQUESTS}"),
            ));
        }
        let read_replica = self.read_replica_settings(&connection)?;
        Ok(DatabaseSettings {
            read_replica,
            connection,
            pool_size,
            pool_reserve,
            pool_timeout: Duration::from_millis(timeout_ms),
            org_max_requests,
            statements: self.parsed("MTDB_DB_STATEMENTS", StatementMode::Auto)?,
        })
    }

    /// The owner's connection (`MTDB_ADMIN_DATABASE_URL`), for `migrate` and `seed`: an
    /// error when missing or not a connection string.
    pub fn admin_database(&self) -> Result<ConnectionSettings, ConfigError> {
        self.connection("MTDB_ADMIN_DATABASE_URL")?
            .ok_or(ConfigError::Missing("MTDB_ADMIN_DATABASE_URL"))
    }

    /// The application login role's connection when given (`migrate` provisions that
    /// role): an error when `DATABASE_URL` is set but not a connection string.
    pub fn app_database(&self) -> Result<Option<ConnectionSettings>, ConfigError> {
        self.connection("DATABASE_URL")
    }
}

/// The drain's default limit: Kubernetes' default grace period, so that a pod stopped
/// with defaults drains as long as it may.
const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Connections kept for organizations that hold none of the shared ones: enough for a
/// few quiet organizations' requests while another holds every shared connection.
const DEFAULT_POOL_RESERVE: usize = 4;

/// Enough connections to keep every core busy while others wait on the network.
fn default_pool_size() -> usize {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    (cores * 4).clamp(4, 32)
}

#[cfg(test)]
mod tests;
