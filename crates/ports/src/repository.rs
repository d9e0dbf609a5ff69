use async_trait::async_trait;
use mtdb_domain::{
    Actor, CreateTenantError, DeleteMode, DeleteTenantError, GetTenantError, ListQuery,
    ListTenantsError, NewTenant, Precondition, Tenant, TenantChanges, TenantId, TenantPage,
    UpdateTenantError,
};

use crate::TenantPageStream;

/// Where tenants live, seen through one principal's eyes.
///
/// # The security contract
/// Every method is one unit of work (one transaction) performed **as `actor`**. Before its
/// first statement an implementation MUST establish `actor.principal` as the store's
/// context, scoped to that unit of work only, so that the store itself (row level
/// security) decides which rows exist:
///
/// | principal | rows that exist for it |
/// |---|---|
/// | platform admin | every live tenant |
/// | tenant P (a parent) | P and P's live subsidiaries |
/// | tenant S (a subsidiary) | S only |
/// | a deleted or unknown tenant | none |
///
/// Rows outside that set MUST be reported exactly like rows that do not exist. No method
/// may carry a principal over into another unit of work, and an implementation MUST NOT
/// filter by tenant itself: a mistake in its queries must not be able to widen the set.
/// Deleted tenants are never returned.
///
/// Every method fails with `Store(StoreError::Unavailable)` when the store cannot be
/// reached in time, `Store(StoreError::Overloaded)` when the principal's organization
/// already has its configured number of units of work in flight or queued, and
/// `Store(StoreError::Internal)` on anything unexpected.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait TenantRepository: Send + Sync {
    /// Stores a new tenant and returns it as stored (id, timestamps, version 1).
    ///
    /// # Errors
    /// - `ParentNotFound`: the parent is missing, deleted or not visible to `actor`.
    /// - `HierarchyDepthExceeded`: the parent is itself a subsidiary.
    /// - `Forbidden`: the store refused a placement the principal may not create
    ///   (a tenant principal creating a parent, or a subsidiary elsewhere than under itself).
    /// - `DuplicateName`: a live sibling has the same name under NFKC and full case
    ///   folding (docs/api.md, "Names").
    async fn insert(&self, actor: &Actor, new: &NewTenant) -> Result<Tenant, CreateTenantError>;

    /// The live tenant `id`, if `actor` can see it. An implementation MUST answer
    /// `NotFound` for a missing, a deleted and an invisible id with the same work, so that
    /// the response time does not tell them apart (docs/performance.md, "Timing").
    ///
    /// # Errors
    /// `NotFound` when it is missing, deleted or invisible to `actor`.
    async fn find(&self, actor: &Actor, id: TenantId) -> Result<Tenant, GetTenantError>;

    /// One page of the tenants `actor` can see, ordered by `created_at` then `tenant_id`,
    /// with the count of all of them under the same filter, read in one snapshot: the page
    /// of [`list_stream`](Self::list_stream), waited for whole.
    async fn list(&self, actor: &Actor, query: &ListQuery) -> Result<TenantPage, ListTenantsError> {
        self.list_stream(actor, query).await?.collect().await
    }

    /// [`list`](Self::list), delivered tenant by tenant: the count (and every failure
    /// before the first tenant) is known when this returns, the tenants follow from the
    /// same snapshot as the consumer takes them. Memory held by the stream MUST NOT grow
    /// with the page. Dropping the stream early MUST end the unit of work (rolled back)
    /// and give its connection back clean.
    async fn list_stream(
        &self,
        actor: &Actor,
        query: &ListQuery,
    ) -> Result<TenantPageStream, ListTenantsError>;

    /// Replaces name and metadata of the visible tenant `id`, bumps its version and
    /// returns the new state. The precondition is checked against the row as locked for
    /// the write, so two writers cannot both pass it.
    ///
    /// # Errors
    /// - `NotFound`: missing, deleted or invisible to `actor`.
    /// - `Forbidden`: the store refused a rename by a principal other than the platform
    ///   admin or the tenant's parent (the name changed but `actor` may not choose it).
    /// - `PreconditionFailed`: the current version does not satisfy `precondition`.
    /// - `DuplicateName`: a live sibling has the same name under NFKC and full case
    ///   folding (docs/api.md, "Names").
    async fn update(
        &self,
        actor: &Actor,
        id: TenantId,
        changes: &TenantChanges,
        precondition: &Precondition,
    ) -> Result<Tenant, UpdateTenantError>;

    /// Soft-deletes the visible tenant `id` (it keeps its row with a deletion time and
    /// disappears from every read) and, with [`DeleteMode::Cascade`], its live
    /// subsidiaries, all in one transaction. Checks on the locked row, in this order:
    ///
    /// # Errors
    /// - `NotFound`: missing, deleted or invisible to `actor`.
    /// - `Forbidden`: the store refused the delete (only the admin or the tenant's parent
    ///   may delete it).
    /// - `PreconditionFailed`: the current version does not satisfy `precondition`.
    /// - `HasSubsidiaries`: live subsidiaries exist and `mode` is `Restrict`.
    async fn soft_delete(
        &self,
        actor: &Actor,
        id: TenantId,
        mode: DeleteMode,
        precondition: &Precondition,
    ) -> Result<(), DeleteTenantError>;
}
