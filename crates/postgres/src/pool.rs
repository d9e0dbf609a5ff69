//! The application's connection pool.

use std::time::Duration;

use crate::connection::AsConnection;
use crate::server_address;
use crate::statement::{self, StatementMode};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};

/// Why [`connect_pool`] built no pool; no database was contacted yet.
#[derive(Debug, thiserror::Error)]
pub enum PoolSetupError {
    /// The message of the parser names the bad part, never the password.
    #[error("the database URL is not a valid PostgreSQL connection string")]
    InvalidUrl(#[source] tokio_postgres::Error),
    /// The TLS settings (`sslmode`, `sslrootcert`) could not be put together.
    #[error("the database URL's TLS settings cannot be used")]
    Tls(#[source] crate::tls::TlsError),
    /// A pool of zero connections, which could serve nothing.
    #[error("the pool size must be at least 1")]
    ZeroSize,
    /// deadpool refused the configuration.
    #[error("the connection pool could not be built")]
    Build(#[source] deadpool_postgres::BuildError),
}

/// Builds the pool for `database_url` (the application login role): at most `max_size`
/// connections (`MTDB_DB_POOL_SIZE`); `timeout` (`MTDB_DB_POOL_TIMEOUT_MS`) bounds both
/// the wait for a free connection and the opening of a new one, after which the request
/// fails as unavailable. Connects lazily: the first checkout opens the first connection.
/// Statements as [`StatementMode::Auto`] decides for each connection.
///
/// # Errors
/// An unparsable URL, a zero size, or a pool the builder refuses.
pub fn connect_pool(
    database: &(impl AsConnection + ?Sized),
    max_size: usize,
    timeout: Duration,
) -> Result<Pool, PoolSetupError> {
    connect_pool_with(database, max_size, timeout, StatementMode::Auto)
}

/// As [`connect_pool`], with the repository's statements run as `statements` says
/// (`MTDB_DB_STATEMENTS`, docs/pgbouncer.md): each new connection is checked (`auto`)
/// or marked before it serves anything.
///
/// # Errors
/// As [`connect_pool`].
pub fn connect_pool_with(
    database: &(impl AsConnection + ?Sized),
    max_size: usize,
    timeout: Duration,
    statements: StatementMode,
) -> Result<Pool, PoolSetupError> {
    if max_size == 0 {
        return Err(PoolSetupError::ZeroSize);
    }
    let settings = database
        .as_connection()
        .map_err(PoolSetupError::InvalidUrl)?;
    let tls = settings.tls().map_err(PoolSetupError::Tls)?;
    let mut config = settings.config();
    // A stopped or unreachable server must fail a request within the pool timeout, not
    // after the operating system's TCP timeout. The limit applies to each host in turn:
    // with several (failover), a dead first host that drops packets must leave time for
    // the next. A URL's own `connect_timeout` wins.
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(per_host(timeout, config.get_hosts().len()));
    }
    if config.get_application_name().is_none() {
        config.application_name("mtdb");
    }
    // `Fast` recycling only checks that the connection is open. That is enough because
    // the application never sets anything at session level: the role and the tenant
    // context are set with `set_config(..., true)` inside each transaction and die with
    // it, and a transaction dropped unfinished is rolled back before the connection's
    // next statement. A connection the server closed is discarded and replaced. Nothing
    // runs between checkouts either, so a transaction-mode pooler sees no session-level
    // statement (`Clean` would send `RESET ALL`, `DISCARD ...` to whichever server
    // connection the pooler picks).
    let manager = Manager::from_config(
        config,
        tls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(max_size)
        .wait_timeout(Some(timeout))
        .create_timeout(Some(timeout))
        .recycle_timeout(Some(timeout))
        .runtime(Runtime::Tokio1)
        .post_create(statement::hook(statements, timeout))
        .post_create(server_address::hook(timeout))
        .build()
        .map_err(PoolSetupError::Build)
}

/// `timeout` shared by `hosts` connection attempts.
pub(crate) fn per_host(timeout: Duration, hosts: usize) -> Duration {
    timeout / u32::try_from(hosts.max(1)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_host_gets_its_share_of_the_timeout() {
        assert_eq!(per_host(Duration::from_secs(3), 1), Duration::from_secs(3));
        assert_eq!(
            per_host(Duration::from_secs(3), 2),
            Duration::from_millis(1500)
        );
        assert_eq!(per_host(Duration::from_secs(3), 0), Duration::from_secs(3));
    }

    const TIMEOUT: Duration = Duration::from_millis(500);

    #[test]
    fn refuses_garbage_and_zero_size() {
        assert!(matches!(
            connect_pool("postgres://x:y@localhost:notaport/db", 2, TIMEOUT),
            Err(PoolSetupError::InvalidUrl(_))
        ));
        assert!(matches!(
            connect_pool("postgres://localhost/db", 0, TIMEOUT),
            Err(PoolSetupError::ZeroSize)
        ));
    }

    #[tokio::test]
    async fn an_unreachable_server_is_unavailable_within_the_timeout() {
        // Port 1 on localhost: nothing listens there.
        let pool = connect_pool("postgres://u:p@127.0.0.1:1/db", 2, TIMEOUT).unwrap();
        // The guard only tells "answered" from "hung"; it is far above TIMEOUT.
        let err = tokio::time::timeout(Duration::from_secs(60), pool.get())
            .await
            .expect("the pool answered instead of hanging")
            .unwrap_err();
        let failure = crate::errors::DbFailure::from(err);
        assert_eq!(failure.meaning, crate::errors::Meaning::Unavailable);
    }
}
