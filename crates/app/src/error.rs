//! The one error type of the commands, [`AppError`], which `main` prints with its
//! causes before exiting non-zero.

use std::error::Error as StdError;
use std::net::SocketAddr;

use crate::config::ConfigError;

type BoxError = Box<dyn StdError + Send + Sync>;

/// Why a command stopped. `main` prints it with every cause
/// ([`mtdb_domain::ErrorChain`]) and exits non-zero: each variant that wraps an error
/// keeps it as its `source`, so the chain reaches the root cause. Each message also
/// ends with its source's, for callers that only print `Display`; the chain printer
/// skips a cause already said.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A setting missing from the environment or unparsable, named by its variable.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A setting that parsed but could not be used (a JWT key that makes no verifier).
    #[error("configuration: {what}: {source}")]
    InvalidSetting {
        /// Which settings, e.g. "the JWT settings".
        what: &'static str,
        /// Why they could not be used.
        #[source]
        source: BoxError,
    },
    /// `context` says what the command was doing ("applying the migrations").
    #[error("database: {context}: {source}")]
    Database {
        /// The step that failed, as the operator would name it.
        context: &'static str,
        /// The adapter's error, whose own chain reaches PostgreSQL's message.
        #[source]
        source: BoxError,
    },
    /// A listener could not be bound: the address and the variable that set it.
    #[error("cannot listen on {address} (set by {variable}: choose a free address): {source}")]
    Listen {
        /// The address that could not be bound.
        address: SocketAddr,
        /// The environment variable that chose it (`MTDB_LISTEN`, `MTDB_METRICS_LISTEN`).
        variable: &'static str,
        /// The operating system's refusal (in use, not permitted, ...).
        #[source]
        source: std::io::Error,
    },
    /// An I/O failure outside the database: starting or running a server, installing
    /// the signal handlers.
    #[error("{context}: {source}")]
    Io {
        /// What the command was doing.
        context: &'static str,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// `serve` stopped before every request in flight was answered.
    #[error("stopped at once ({by}): {cut} requests in flight cut")]
    Cut {
        /// How many requests were still in flight when the servers were dropped.
        cut: usize,
        /// What cut them: `SIGQUIT` or "the grace period".
        by: &'static str,
    },
}

impl AppError {
    /// Wraps a database failure with what the command was doing.
    pub fn database<E: StdError + Send + Sync + 'static>(
        context: &'static str,
    ) -> impl FnOnce(E) -> Self {
        move |e| Self::Database {
            context,
            source: Box::new(e),
        }
    }

    /// Wraps a setting that the environment held but that could not be used.
    pub fn config<E: StdError + Send + Sync + 'static>(
        what: &'static str,
    ) -> impl FnOnce(E) -> Self {
        move |e| Self::InvalidSetting {
            what,
            source: Box::new(e),
        }
    }

    /// Wraps an I/O failure with what the command was doing.
    pub fn io(context: &'static str) -> impl FnOnce(std::io::Error) -> Self {
        move |source| Self::Io { context, source }
    }
}

#[cfg(test)]
mod tests {
    use mtdb_domain::ErrorChain;

    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("could not connect to the database")]
    struct Connect(#[source] std::io::Error);

    #[test]
    fn every_wrapping_variant_keeps_its_cause() {
        let root = || std::io::Error::other("password authentication failed for user \"x\"");
        let errors = [
            AppError::database("applying the migrations")(Connect(root())),
            AppError::config("the JWT keys")(Connect(root())),
            AppError::io("installing the signal handlers")(root()),
            AppError::Listen {
                address: SocketAddr::from(([127, 0, 0, 1], 8080)),
                variable: "MTDB_LISTEN",
                source: root(),
            },
        ];
        for error in errors {
            let printed = format!("{:#}", ErrorChain(&error));
            assert!(
                printed.contains("password authentication failed"),
                "{printed}"
            );
        }
    }
}
