//! From PostgreSQL's failures to the domain's error variants.
//!
//! A failed statement is classified once, by SQLSTATE and constraint name, into a
//! [`Meaning`]; each operation then turns the meanings it has a variant for into that
//! variant, and everything else into a [`StoreError`] whose source is the
//! [`DbFailure`] itself: what it means, then its whole cause. Nothing is logged here:
//! the caller that ends the story (the HTTP layer, for a request, inside the request's
//! span) logs it once, with [`mtdb_domain::ErrorChain`]. The domain errors' own
//! messages carry no SQL text and no other tenant's data.

use std::error::Error as StdError;
use std::fmt;

use deadpool_postgres::PoolError;
use mtdb_domain::{
    CreateTenantError, DeleteTenantError, GetTenantError, ListTenantsError, StoreError,
    UpdateTenantError,
};
use tokio_postgres::error::SqlState;

type BoxError = Box<dyn StdError + Send + Sync>;

/// Constraint names the migrations give their unique index and their trigger checks.
#[allow(missing_docs)] // Each is the name a failing statement reports.
pub mod constraint {
    pub const LIVE_NAME: &str = "tenants_live_name_key";
    pub const PARENT_LIVE: &str = "tenants_parent_live";
    pub const DEPTH: &str = "tenants_depth_ck";
    pub const NO_LIVE_SUBSIDIARIES: &str = "tenants_no_live_subsidiaries";
    pub const RENAME_SCOPE: &str = "tenants_rename_scope";
}

/// What a failure means to the domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Meaning {
    DuplicateName,
    ParentNotFound,
    DepthExceeded,
    HasSubsidiaries,
    /// Row level security or a missing grant refused the statement (42501).
    Refused,
    /// The server cannot be reached or is going away; worth retrying later.
    Unavailable,
    /// A table, function or role of the schema does not exist: the migrations were
    /// reverted (or never applied). Unavailable too, with its own log line.
    SchemaMissing,
    Internal,
}

/// Classifies a server error. Only the named constraints of our schema earn a domain
/// meaning: a unique violation on any other index is a bug, not a duplicate name.
pub(crate) fn meaning_of(code: &SqlState, constraint: Option<&str>) -> Meaning {
    let code_str = code.code();
    // Integrity classes raised by our constraints and trigger checks.
    let integrity = code_str.starts_with("23") || *code == SqlState::RAISE_EXCEPTION;
    match constraint {
        Some(constraint::LIVE_NAME) if *code == SqlState::UNIQUE_VIOLATION => {
            return Meaning::DuplicateName
        }
        Some(constraint::PARENT_LIVE) if integrity => return Meaning::ParentNotFound,
        Some(constraint::DEPTH) if integrity => return Meaning::DepthExceeded,
        Some(constraint::NO_LIVE_SUBSIDIARIES) if integrity => return Meaning::HasSubsidiaries,
        Some(constraint::RENAME_SCOPE) if *code == SqlState::INSUFFICIENT_PRIVILEGE => {
            return Meaning::Refused
        }
        _ => {}
    }
    if *code == SqlState::INSUFFICIENT_PRIVILEGE {
        return Meaning::Refused;
    }
    // 42P01 undefined table, 42883 undefined function, 42704 undefined object, 3F000
    // undefined schema; 22023 is what `set_config('role', ...)` raises for a role that
    // does not exist (no statement of ours passes another invalid parameter value).
    if *code == SqlState::UNDEFINED_TABLE
        || *code == SqlState::UNDEFINED_FUNCTION
        || *code == SqlState::UNDEFINED_OBJECT
        || *code == SqlState::INVALID_SCHEMA_NAME
        || *code == SqlState::INVALID_PARAMETER_VALUE
    {
        return Meaning::SchemaMissing;
    }
    // 08: connection exceptions; 57P01-03: the server is shutting down or starting;
    // 53300: too many connections.
    if code_str.starts_with("08")
        || *code == SqlState::ADMIN_SHUTDOWN
        || *code == SqlState::CRASH_SHUTDOWN
        || *code == SqlState::CANNOT_CONNECT_NOW
        || *code == SqlState::TOO_MANY_CONNECTIONS
    {
        return Meaning::Unavailable;
    }
    Meaning::Internal
}

/// The step of a unit of work a failure happened in, in front of its cause.
#[derive(Debug, thiserror::Error)]
#[error("{step}")]
struct Step {
    step: &'static str,
    #[source]
    source: BoxError,
}

/// A failed unit of work: what it means, and its cause for the logs. Its `Display` says
/// what it means (and, for a missing schema, what to do); `source()` is the cause.
#[derive(Debug)]
pub(crate) struct DbFailure {
    pub(crate) meaning: Meaning,
    cause: BoxError,
}

impl DbFailure {
    pub(crate) fn internal(cause: impl Into<BoxError>) -> Self {
        Self::with_meaning(Meaning::Internal, cause)
    }

    pub(crate) fn with_meaning(meaning: Meaning, cause: impl Into<BoxError>) -> Self {
        Self {
            meaning,
            cause: cause.into(),
        }
    }

    /// Names the database step that failed ("locking the tenant"): the logged cause chain
    /// then starts with it. The meaning stays the cause's.
    pub(crate) fn step(self, step: &'static str) -> Self {
        Self {
            meaning: self.meaning,
            cause: Box::new(Step {
                step,
                source: self.cause,
            }),
        }
    }

    /// The store's own failure, opaque to callers from here on (its `Display` says only
    /// "unavailable" or "failed"); its source is this failure, with the whole chain.
    pub(crate) fn into_store(self) -> StoreError {
        match self.meaning {
            Meaning::Unavailable | Meaning::SchemaMissing => {
                StoreError::Unavailable(Box::new(self))
            }
            _ => StoreError::Internal(Box::new(self)),
        }
    }
}

impl fmt::Display for DbFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.meaning {
            Meaning::Unavailable => f.write_str("the database is unavailable"),
            Meaning::SchemaMissing => f.write_str(
                "the database schema is missing (migrations reverted or never applied): \
                 run `mtdb migrate`",
            ),
            meaning => write!(f, "unexpected database failure ({meaning:?})"),
        }
    }
}

impl StdError for DbFailure {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(self.cause.as_ref())
    }
}

/// `.step("...")` on any fallible database call: see [`DbFailure::step`].
pub(crate) trait StepContext<T> {
    fn step(self, step: &'static str) -> Result<T, DbFailure>;
}

impl<T, E: Into<DbFailure>> StepContext<T> for Result<T, E> {
    fn step(self, step: &'static str) -> Result<T, DbFailure> {
        self.map_err(|e| e.into().step(step))
    }
}

impl From<tokio_postgres::Error> for DbFailure {
    fn from(e: tokio_postgres::Error) -> Self {
        Self {
            meaning: client_meaning(&e),
            cause: Box::new(e),
        }
    }
}

impl From<PoolError> for DbFailure {
    fn from(e: PoolError) -> Self {
        let meaning = match &e {
            PoolError::Timeout(_) | PoolError::Closed => Meaning::Unavailable,
            PoolError::Backend(pg) => client_meaning(pg),
            PoolError::NoRuntimeSpecified | PoolError::PostCreateHook(_) => Meaning::Internal,
        };
        Self {
            meaning,
            cause: Box::new(e),
        }
    }
}

/// A failed statement as the store's failure, classified as every unit of work's is
/// (for the operator's tools, which share the request path's meanings).
pub fn store_error(e: tokio_postgres::Error) -> StoreError {
    DbFailure::from(e).into_store()
}

/// A failed pool checkout as the store's failure: see [`store_error`].
pub fn pool_store_error(e: PoolError) -> StoreError {
    DbFailure::from(e).into_store()
}

/// A client-side error: the server's own error if there is one, else the connection's.
pub(crate) fn client_meaning(e: &tokio_postgres::Error) -> Meaning {
    match e.as_db_error() {
        Some(db) => meaning_of(db.code(), db.constraint()),
        None if e.is_closed() || caused_by_io(e) => Meaning::Unavailable,
        // Type conversions and protocol surprises: bugs.
        None => Meaning::Internal,
    }
}

fn caused_by_io(e: &(dyn StdError + 'static)) -> bool {
    let mut source = e.source();
    while let Some(cause) = source {
        if cause.is::<std::io::Error>() {
            return true;
        }
        source = cause.source();
    }
    false
}

impl From<DbFailure> for StoreError {
    fn from(f: DbFailure) -> Self {
        f.into_store()
    }
}

impl From<DbFailure> for CreateTenantError {
    fn from(f: DbFailure) -> Self {
        match f.meaning {
            Meaning::DuplicateName => Self::DuplicateName,
            Meaning::ParentNotFound => Self::ParentNotFound,
            Meaning::DepthExceeded => Self::HierarchyDepthExceeded,
            Meaning::Refused => Self::Forbidden,
            _ => Self::Store(f.into_store()),
        }
    }
}

impl DbFailure {
    /// For a read: row level security filters rows and never refuses a `select`, so a
    /// refusal there is a missing grant, which only a reverted (or broken) schema lacks.
    pub(crate) fn read_failure(mut self) -> StoreError {
        if self.meaning == Meaning::Refused {
            self.meaning = Meaning::SchemaMissing;
        }
        self.into_store()
    }
}

impl From<DbFailure> for GetTenantError {
    fn from(f: DbFailure) -> Self {
        Self::Store(f.read_failure())
    }
}

impl From<DbFailure> for ListTenantsError {
    fn from(f: DbFailure) -> Self {
        Self::Store(f.read_failure())
    }
}

impl From<DbFailure> for UpdateTenantError {
    fn from(f: DbFailure) -> Self {
        match f.meaning {
            Meaning::DuplicateName => Self::DuplicateName,
            // tenants_rename_scope: a rename by a principal that may not choose the name.
            Meaning::Refused => Self::Forbidden,
            _ => Self::Store(f.into_store()),
        }
    }
}

impl From<DbFailure> for DeleteTenantError {
    fn from(f: DbFailure) -> Self {
        match f.meaning {
            Meaning::HasSubsidiaries => Self::HasSubsidiaries,
            Meaning::Refused => Self::Forbidden,
            _ => Self::Store(f.into_store()),
        }
    }
}

#[cfg(test)]
mod tests;
