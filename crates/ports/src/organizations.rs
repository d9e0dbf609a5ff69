use async_trait::async_trait;
use mtdb_domain::{Actor, StoreError, TenantId};

/// Which organization a tenant principal belongs to, for the HTTP adapter's issuer
/// binding (docs/operations.md, "Identity providers"): asked once per principal, before
/// any unit of work of the request.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait OrganizationDirectory: Send + Sync {
    /// The root tenant (the parent, or the tenant itself when it is a parent) of the
    /// tenant `actor` acts as, or `None` when the store shows `actor` no such tenant. An
    /// implementation MUST answer with the same statements whether the tenant exists or
    /// not, and may remember answers that never change.
    async fn organization_of(&self, actor: &Actor) -> Result<Option<TenantId>, StoreError>;
}
