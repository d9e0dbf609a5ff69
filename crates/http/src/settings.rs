//! The limits of the HTTP layer: those the operator may set, and the servers' own.

use std::time::Duration;

/// Limits of the HTTP layer that the operator may set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpSettings {
    /// How long a request body may take to arrive, counted from when the handler starts
    /// reading it: then `408 REQUEST_TIMEOUT` and the connection is closed.
    pub body_timeout: Duration,
}

impl HttpSettings {
    /// The body timeout when the operator sets none (`MTDB_HTTP_BODY_TIMEOUT_MS`): 10 s.
    pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(10);
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            body_timeout: Self::DEFAULT_BODY_TIMEOUT,
        }
    }
}

/// actix's own limit on a graceful stop, beyond any grace period the caller may choose:
/// the caller cuts a drain that runs late (by dropping the server), so that it knows it
/// did and can say so; actix would cut it silently and report success.
pub(crate) const SHUTDOWN_TIMEOUT_SECS: u64 = 7 * 24 * 60 * 60;
