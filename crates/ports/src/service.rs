use async_trait::async_trait;
use mtdb_domain::{
    Actor, CreateTenantError, DeleteMode, DeleteTenantError, GetTenantError, ListQuery,
    ListTenantsError, NewTenant, Precondition, Tenant, TenantChanges, TenantId, UpdateTenantError,
};

use crate::page_stream::TenantPageStream;

/// What the core offers its driving adapters (the HTTP API): the five tenant operations
/// of docs/api.md, each checked against its rules in the documented order (docs/api.md,
/// "Order of checks"), and each returning that operation's error enum.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait TenantService: Send + Sync {
    /// Creates a parent (platform admin only: `Forbidden`) or a subsidiary under a
    /// visible parent tenant (`ParentNotFound`, then `HierarchyDepthExceeded`).
    async fn create(&self, actor: &Actor, new: NewTenant) -> Result<Tenant, CreateTenantError>;

    /// The tenant `id` if `actor` can see it, else `NotFound`.
    async fn get(&self, actor: &Actor, id: TenantId) -> Result<Tenant, GetTenantError>;

    /// A page of what `actor` can see, delivered tenant by tenant.
    async fn list(
        &self,
        actor: &Actor,
        query: ListQuery,
    ) -> Result<TenantPageStream, ListTenantsError>;

    /// What a list would answer before its first tenant, reading none: for `HEAD`, which
    /// has the list's status and headers and no body (docs/api.md).
    async fn list_head(&self, actor: &Actor) -> Result<(), ListTenantsError>;

    /// Replaces name and metadata: `NotFound`, `PreconditionFailed`, `DuplicateName`.
    async fn update(
        &self,
        actor: &Actor,
        id: TenantId,
        changes: TenantChanges,
        precondition: Precondition,
    ) -> Result<Tenant, UpdateTenantError>;

    /// Soft-deletes: `NotFound`, then `Forbidden` (only the admin or the tenant's parent),
    /// then `PreconditionFailed`, then `HasSubsidiaries` unless cascading.
    async fn delete(
        &self,
        actor: &Actor,
        id: TenantId,
        mode: DeleteMode,
        precondition: Precondition,
    ) -> Result<(), DeleteTenantError>;
}
