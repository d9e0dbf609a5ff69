//! One error enum per operation, each ending in the store's own failure. Which variants an
//! operation can return is part of its signature; [`ErrorKind`] gives adapters one place
//! to map them (to HTTP statuses, for instance) without knowing every enum.

use std::error::Error as StdError;

type BoxError = Box<dyn StdError + Send + Sync>;

/// The families of failure that callers tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The tenant does not exist, is deleted, or is not visible to the principal.
    NotFound,
    /// The principal may see the tenant but not make this change.
    Forbidden,
    /// Another live tenant under the same parent has the same name (after NFKC and case folding).
    DuplicateName,
    /// A parent tenant with live subsidiaries, deleted without `cascade`.
    HasSubsidiaries,
    /// A subsidiary named as the parent of a new tenant.
    HierarchyDepthExceeded,
    /// The tenant's version is not the one named in `If-Match`.
    PreconditionFailed,
    /// One organization already has as many requests in flight or queued as it may.
    TooManyRequests,
    /// The store cannot be reached, or no connection came within the pool's timeout.
    Unavailable,
    /// A failure the caller cannot act on: a bug or a broken schema.
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
    /// The family of this failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Unavailable(_) => ErrorKind::Unavailable,
            Self::Overloaded => ErrorKind::TooManyRequests,
            Self::Internal(_) => ErrorKind::Internal,
        }
    }
}

/// Why a create failed (docs/api.md, `POST /api/v1/tenants`).
#[derive(Debug, thiserror::Error)]
pub enum CreateTenantError {
    /// A tenant principal tried to create a parent tenant.
    #[error("only the platform admin may create a parent tenant")]
    Forbidden,
    /// The parent does not exist, is deleted, or is not visible to the principal: the
    /// three are deliberately indistinguishable.
    #[error("parent tenant not found")]
    ParentNotFound,
    /// The parent is a subsidiary: the hierarchy has two levels at most.
    #[error("a subsidiary cannot have subsidiaries")]
    HierarchyDepthExceeded,
    /// A live sibling already has this name.
    #[error("a live tenant with this name already exists under the same parent")]
    DuplicateName,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl CreateTenantError {
    /// The family of this failure.
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

/// Why reading one tenant failed.
#[derive(Debug, thiserror::Error)]
pub enum GetTenantError {
    /// Missing, deleted, or invisible to the principal: indistinguishable by design.
    #[error("tenant not found")]
    NotFound,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl GetTenantError {
    /// The family of this failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::NotFound => ErrorKind::NotFound,
            Self::Store(e) => e.kind(),
        }
    }
}

/// Why listing failed: only the store can fail it.
#[derive(Debug, thiserror::Error)]
pub enum ListTenantsError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ListTenantsError {
    /// The family of this failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Store(e) => e.kind(),
        }
    }
}

/// Why an update failed (docs/api.md, `PUT /api/v1/tenants/{tenant_id}`).
#[derive(Debug, thiserror::Error)]
pub enum UpdateTenantError {
    /// Missing, deleted, or invisible to the principal: indistinguishable by design.
    #[error("tenant not found")]
    NotFound,
    /// A rename by a principal that may not choose this tenant's name (only the platform
    /// admin or the tenant's parent may), whether or not the new name is taken.
    #[error("only the platform admin or the tenant's parent may rename it")]
    Forbidden,
    /// `If-Match` names another version; nothing was changed.
    #[error("the tenant has changed since the version given in If-Match")]
    PreconditionFailed,
    /// A live sibling already has the new name.
    #[error("a live tenant with this name already exists under the same parent")]
    DuplicateName,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl UpdateTenantError {
    /// The family of this failure.
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

/// Why a delete failed (docs/api.md, `DELETE /api/v1/tenants/{tenant_id}`).
#[derive(Debug, thiserror::Error)]
pub enum DeleteTenantError {
    /// Missing, deleted, or invisible to the principal: indistinguishable by design.
    #[error("tenant not found")]
    NotFound,
    /// Neither the platform admin nor the tenant's parent: no tenant deletes itself.
    #[error("only the platform admin or the tenant's parent may delete it")]
    Forbidden,
    /// `If-Match` names another version; nothing was deleted.
    #[error("the tenant has changed since the version given in If-Match")]
    PreconditionFailed,
    /// The tenant has live subsidiaries and the request did not ask for a cascade.
    #[error("the tenant has live subsidiaries; delete them first or use cascade=true")]
    HasSubsidiaries,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl DeleteTenantError {
    /// The family of this failure.
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
