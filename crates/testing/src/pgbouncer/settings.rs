//! What a test asks of its PgBouncer: the pool mode, the server it fronts, its users.

use crate::urls::credentials;

/// PgBouncer's `pool_mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolMode {
    /// A server connection per client for the client's whole session.
    Session,
    /// A server connection per transaction: consecutive transactions of one client may
    /// run on different server connections, shared with other clients.
    Transaction,
}

impl PoolMode {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Self::Session => "session",
            Self::Transaction => "transaction",
        }
    }
}

/// What to start.
#[derive(Debug, Clone)]
pub struct PgBouncerSettings {
    /// The PostgreSQL server to pool for (its host and port are taken, nothing else).
    pub upstream_url: String,
    /// `pool_mode`.
    pub pool_mode: PoolMode,
    /// `default_pool_size`: server connections per database and user.
    pub default_pool_size: usize,
    /// `max_client_conn`.
    pub max_client_conn: usize,
    /// The user list: PgBouncer checks clients' passwords against it (SCRAM) and logs in
    /// to PostgreSQL with the same password.
    pub users: Vec<(String, String)>,
}

impl PgBouncerSettings {
    /// Transaction pooling in front of the first URL's server, `default_pool_size` server
    /// connections per database and user, and the users (and passwords) of every URL.
    ///
    /// # Panics
    /// For a string that is not a connection string, or one without user or password.
    pub fn transaction(urls: &[&str], default_pool_size: usize) -> Self {
        let first = urls.first().expect("at least one URL");
        Self {
            upstream_url: (*first).to_owned(),
            pool_mode: PoolMode::Transaction,
            default_pool_size,
            max_client_conn: 500,
            users: urls.iter().map(|url| credentials(url)).collect(),
        }
    }

    /// The same, with the user and password of `url` added (a throwaway login role).
    ///
    /// # Panics
    /// As [`transaction`](Self::transaction).
    #[must_use]
    pub fn with_user_of(mut self, url: &str) -> Self {
        self.users.push(credentials(url));
        self
    }
}
