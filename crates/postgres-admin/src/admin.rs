//! One-off connections for the command line's administrative work (migrate, seed, role
//! provisioning), and the error those operations share.

use std::borrow::Cow;
use std::time::Duration;

use mtdb_domain::ErrorChain;
use tokio_postgres::error::SqlState;
use tokio_postgres::Client;

use mtdb_postgres::{AsConnection, ConnectionSettings};

/// How long an administrative connection may take to open unless its URL says otherwise.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Why an owner's operation (migrate, revert, provision the login role, seed) stopped.
/// Each message says what went wrong in the operator's terms; none holds a password.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// `which` names the URL ("admin", "application"); the parser's message never holds
    /// the password.
    #[error("the {which} database URL is not a valid PostgreSQL connection string")]
    InvalidUrl {
        /// Which connection string: "admin" or "application".
        which: &'static str,
        /// tokio-postgres's parse error, naming the bad part.
        #[source]
        source: tokio_postgres::Error,
    },
    /// The URL's TLS settings (`sslmode`, `sslrootcert`) could not be put together.
    #[error("the {which} database URL's TLS settings cannot be used")]
    Tls {
        /// Which connection string: "admin" or "application".
        which: &'static str,
        /// What was wrong.
        #[source]
        source: mtdb_postgres::TlsError,
    },
    /// `DATABASE_URL` lacks the user or the password the login role is provisioned with.
    #[error("the application database URL must name a user and a password")]
    MissingCredentials,
    /// `DATABASE_URL` names the owner role (held here), which owns the tables and so is
    /// not bound by their row level security.
    #[error("the application login role must differ from the owner role {0:?}")]
    LoginIsOwner(String),
    /// The login role exists with `SUPERUSER`, `BYPASSRLS` or `REPLICATION`, which the
    /// owner cannot take away: mtdb refuses to provision it.
    #[error(
        "the login role {role:?} has {attribute}, which only a superuser can remove: \
         run `ALTER ROLE {role} NO{attribute}` as a superuser"
    )]
    UnsafeLoginRole {
        /// The login role's name.
        role: String,
        /// The first unsafe attribute found, e.g. `BYPASSRLS`.
        attribute: &'static str,
    },
    /// The login role exists but neither carries mtdb's mark nor matches what mtdb
    /// would make: it is left untouched rather than taken over.
    #[error(
        "role {role:?} exists and was not created by mtdb migrate ({differences}): nothing \
         was changed. Name another role in DATABASE_URL; or, only if this role is meant to \
         be mtdb's login role (mtdb migrate will then reset its password and attributes), \
         mark it as a superuser or a CREATEROLE role with `{mark}` and run mtdb migrate again"
    )]
    NotOurRole {
        /// The role's name.
        role: String,
        /// How it differs from an mtdb login role, `; `-separated.
        differences: String,
        /// The `COMMENT ON ROLE` statement that marks it as mtdb's, to run only on
        /// purpose.
        mark: String,
    },
    /// The connection could not be opened (unreachable, refused, bad password).
    #[error("could not connect to the database")]
    Connect(#[source] tokio_postgres::Error),
    /// A statement failed; `context` says which step ("reading the login role").
    #[error("{context} failed")]
    Database {
        /// The step that failed.
        context: &'static str,
        /// The server's or the driver's error.
        #[source]
        source: tokio_postgres::Error,
    },
    /// refinery could not apply the migrations (including one changed after it was
    /// applied).
    #[error("applying the migrations failed")]
    Migrate(#[source] refinery::Error),
    /// A revert would drop tables or columns that hold rows, and data loss was not
    /// allowed: nothing was reverted.
    #[error(
        "reverting to version {target} would delete {lost}: nothing was changed. Back the \
         data up (pg_dump) and add --allow-data-loss to revert anyway"
    )]
    DataLoss {
        /// The version the revert was asked to reach.
        target: u32,
        /// What would be lost and how many rows, e.g. `tenants: 5 rows`.
        lost: String,
    },
    /// An applied migration (its version held here) has no embedded `.down.sql`.
    #[error("migration V{0} is applied but has no reverse script")]
    MissingReverse(u32),
}

impl AdminError {
    /// Wraps a failed statement with what it was for.
    pub(crate) fn db(context: &'static str) -> impl FnOnce(tokio_postgres::Error) -> Self {
        move |source| Self::Database { context, source }
    }

    /// The server's SQLSTATE, when a statement somewhere down the chain failed.
    pub(crate) fn sql_state(&self) -> Option<SqlState> {
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(self);
        while let Some(e) = cause {
            if let Some(code) = e
                .downcast_ref::<tokio_postgres::Error>()
                .and_then(tokio_postgres::Error::code)
            {
                return Some(code.clone());
            }
            cause = e.source();
        }
        None
    }
}

/// `target` parsed, if it is not yet; `which` names it in the error.
pub(crate) fn parse_url<'a>(
    target: &'a (impl AsConnection + ?Sized),
    which: &'static str,
) -> Result<Cow<'a, ConnectionSettings>, AdminError> {
    target
        .as_connection()
        .map_err(|source| AdminError::InvalidUrl { which, source })
}

/// Opens one connection; its I/O runs on a spawned task that ends with the connection.
pub async fn connect(
    target: &(impl AsConnection + ?Sized),
    which: &'static str,
) -> Result<Client, AdminError> {
    let settings = parse_url(target, which)?;
    let tls = settings
        .tls()
        .map_err(|source| AdminError::Tls { which, source })?;
    let mut config = settings.config();
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    if config.get_application_name().is_none() {
        config.application_name("mtdb admin");
    }
    let (client, connection) = config.connect(tls).await.map_err(AdminError::Connect)?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::warn!(cause = %ErrorChain(&e), "administrative connection failed");
        }
    });
    Ok(client)
}
