//! One error enum per operation, each ending in the store's own failure. Which variants an
//! operation can return is part of its signature; [`ErrorKind`] gives adapters one place
//! to map them (to HTTP statuses, for instance) without knowing every enum.

use std::error::Error as StdError;

type BoxError = Box<dyn StdError + Send + Sync>;

/// The families of failure that callers tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    NotFound,
    Forbidden,
    DuplicateName,
    HasSubsidiaries,
    HierarchyDepthExceeded,
    PreconditionFailed,
    /// One organization already has as many requests in flight or queued as it may.
    TooManyRequests,
    Unavailable,
    Internal,
}

/// The tenant store failed for reasons of its own. The cause is kept for the logs and
/// never shown to a client.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Unreachable, or no connection could be had within the pool's timeout.
    #[error("the tenant store is unavailable")]
    Unavailable(#[source] BoxError),
    /// The caller's organization already has as many units of work in flight or waiting
    /// for a connection as it may have; the others are served meanwhile. Retry later.
    #[error("the organization has too many requests in flight")]
    Overloaded,
    /// Anything else: a bug or a broken schema.
    #[error("the tenant store failed")]
    Internal(#[source] BoxError),
}

impl StoreError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Unavailable(_) => ErrorKind::Unavailable,
            Self::Overloaded => ErrorKind::TooManyRequests,
            Self::Internal(_) => ErrorKind::Internal,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CreateTenantError {
    #[error("only the platform admin may create a parent tenant")]
    Forbidden,
    /// The parent does not exist, is deleted, or is not visible to the principal: the
    /// three are deliberately indistinguishable.
    #[error("parent tenant not found")]
    ParentNotFound,
    #[error("a subsidiary cannot have subsidiaries")]
    HierarchyDepthExceeded,
    #[error("a live tenant with this name already exists under the same parent")]
    DuplicateName,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl CreateTenantError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Forbidden => ErrorKind::Forbidden,
            Self::ParentNotFound => ErrorKind::NotFound,
            Self::HierarchyDepthExceeded => ErrorKind::HierarchyDepthExceeded,
            Self::DuplicateName => ErrorKind::DuplicateName,
            Self::Store(e) => e.kind(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum GetTenantError {
    /// Missing, deleted, or invisible to the principal: indistinguishable by design.
    #[error("tenant not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl GetTenantError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::NotFound => ErrorKind::NotFound,
            Self::Store(e) => e.kind(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ListTenantsError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ListTenantsError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Store(e) => e.kind(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum UpdateTenantError {
    #[error("tenant not found")]
    NotFound,
    /// A rename by a principal that may not choose this tenant's name (only the platform
    /// admin or the tenant's parent may), whether or not the new name is taken.
    #[error("only the platform admin or the tenant's parent may rename it")]
    Forbidden,
    #[error("the tenant has changed since the version given in If-Match")]
    PreconditionFailed,
    #[error("a live tenant with this name already exists under the same parent")]
    DuplicateName,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl UpdateTenantError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::NotFound => ErrorKind::NotFound,
            Self::Forbidden => ErrorKind::Forbidden,
            Self::PreconditionFailed => ErrorKind::PreconditionFailed,
            Self::DuplicateName => ErrorKind::DuplicateName,
            Self::Store(e) => e.kind(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DeleteTenantError {
    #[error("tenant not found")]
    NotFound,
    #[error("only the platform admin or the tenant's parent may delete it")]
    Forbidden,
    #[error("the tenant has changed since the version given in If-Match")]
    PreconditionFailed,
    #[error("the tenant has live subsidiaries; delete them first or use cascade=true")]
    HasSubsidiaries,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl DeleteTenantError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::NotFound => ErrorKind::NotFound,
            Self::Forbidden => ErrorKind::Forbidden,
            Self::PreconditionFailed => ErrorKind::PreconditionFailed,
            Self::HasSubsidiaries => ErrorKind::HasSubsidiaries,
            Self::Store(e) => e.kind(),
        }
    }
}
