//! `MTDB_DB_STATEMENTS`: which connections may use named statements, decided once per
//! connection as the pool opens it (docs/pgbouncer.md).

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, LazyLock, Mutex, Weak};
use std::time::Duration;

use deadpool_postgres::{ClientWrapper, HookError, StatementCache};

use super::pooler;

/// How the repository runs its statements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatementMode {
    /// Named on a connection found to reach PostgreSQL directly, unnamed on any other
    /// (a pooler in between, or no clear answer).
    #[default]
    Auto,
    /// Named everywhere: for a direct connection, or a pooler in session mode.
    Prepared,
    /// Unnamed everywhere: safe behind any pooler, one parse per statement.
    Unnamed,
}

impl StatementMode {
    /// The setting's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Prepared => "prepared",
            Self::Unnamed => "unnamed",
        }
    }
}

impl fmt::Display for StatementMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A value that is none of `auto`, `prepared` and `unnamed`.
#[derive(Debug, thiserror::Error)]
#[error("must be auto, prepared or unnamed")]
pub struct InvalidStatementMode;

impl FromStr for StatementMode {
    type Err = InvalidStatementMode;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value {
            "auto" => Ok(Self::Auto),
            "prepared" => Ok(Self::Prepared),
            "unnamed" => Ok(Self::Unnamed),
            _ => Err(InvalidStatementMode),
        }
    }
}

/// The connections that may use named statements. A connection is known by the address
/// of its statement cache, an allocation of its own for its whole life; the weak
/// reference kept here keeps that address from going to another connection's cache while
/// the entry exists. A connection not found here runs unnamed statements: a pool built
/// without [`hook`], or a decision that was never made, fails safe.
static NAMED: LazyLock<Mutex<HashMap<usize, Weak<StatementCache>>>> = LazyLock::new(Mutex::default);

fn key(client: &ClientWrapper) -> usize {
    Arc::as_ptr(&client.statement_cache) as usize
}

/// Whether `client` may use named statements.
pub(crate) fn allows_named(client: &ClientWrapper) -> bool {
    NAMED
        .lock()
        .map(|named| named.contains_key(&key(client)))
        .unwrap_or(false)
}

fn allow_named(client: &ClientWrapper) {
    if let Ok(mut named) = NAMED.lock() {
        // Connections closed since the last time are forgotten here.
        named.retain(|_, cache| cache.strong_count() > 0);
        named.insert(key(client), Arc::downgrade(&client.statement_cache));
    }
}

/// The pool's hook for each connection it opens, before anyone uses it: decides, once,
/// whether the connection may use named statements. deadpool's create timeout does not
/// cover hooks: `bound` (the pool's timeout) does, and an answer too late counts as unsure.
pub(crate) fn hook(mode: StatementMode, bound: Duration) -> deadpool_postgres::Hook {
    deadpool_postgres::Hook::async_fn(move |client: &mut ClientWrapper, _| {
        Box::pin(async move {
            let named = match mode {
                StatementMode::Prepared => true,
                StatementMode::Unnamed => false,
                // Unsure counts as a pooler: unnamed statements work everywhere.
                StatementMode::Auto => {
                    let direct = tokio::time::timeout(bound, pooler::direct(client)).await;
                    direct.ok().flatten() == Some(true)
                }
            };
            tracing::debug!(%mode, named, "statements for a new connection");
            if named {
                allow_named(client);
            }
            Ok::<(), HookError>(())
        })
    })
}
