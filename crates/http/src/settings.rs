//! The limits of the HTTP layer: those the operator may set, and the servers' own.

use std::time::Duration;

/// Limits of the HTTP layer that the operator may set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpSettings {
    /// How long a request body may take to arrive, counted from when the handler starts
    /// reading it: then `408 REQUEST_TIMEOUT` and the connection is closed.
    pub body_timeout: Duration,
    /// How long a response may wait for the client to take a single byte: then the
    /// connection is closed, and what it was writing (a list's unit of work) ends.
    pub write_timeout: Duration,
    /// How long a streamed response (a list's page) may take from the start of its unit
    /// of work to its last tenant: then it is cut. Enforced by the store, which is given
    /// it at start-up: every other response is whole in memory before it is written.
    pub response_timeout: Duration,
}

/// How many event loops (workers, one thread each) the API server runs: one per CPU
/// the process may use, actix's own default, said here so that the database's pools can
/// be split as many ways (`mtdb_postgres::connect_pools`).
pub fn event_loops() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

impl HttpSettings {
    /// The body timeout when the operator sets none (`MTDB_HTTP_BODY_TIMEOUT_MS`): 10 s.
    pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(10);
    /// The write timeout when the operator sets none (`MTDB_HTTP_WRITE_TIMEOUT_MS`): 10 s.
    pub const DEFAULT_WRITE_TIMEOUT: Duration = Duration::from_secs(10);
    /// The whole-response deadline when the operator sets none
    /// (`MTDB_HTTP_RESPONSE_TIMEOUT_MS`): 60 s, a full page of 1,000 tenants with 64 KiB
    /// of metadata each at about 1 MB/s.
    pub const DEFAULT_RESPONSE_TIMEOUT: Duration = Duration::from_secs(60);
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            body_timeout: Self::DEFAULT_BODY_TIMEOUT,
            write_timeout: Self::DEFAULT_WRITE_TIMEOUT,
            response_timeout: Self::DEFAULT_RESPONSE_TIMEOUT,
        }
    }
}

/// actix's own limit on a graceful stop, beyond any grace period the caller may choose:
/// the caller cuts a drain that runs late (by dropping the server), so that it knows it
/// did and can say so; actix would cut it silently and report success.
pub(crate) const SHUTDOWN_TIMEOUT_SECS: u64 = 7 * 24 * 60 * 60;
