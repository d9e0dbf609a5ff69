use async_trait::async_trait;
use mtdb_domain::{
    Actor, CreateTenantError, DeleteMode, DeleteTenantError, ListQuery, ListTenantsError,
    NewTenant, StoreError, Tenant, TenantChanges, TenantId, UpdateTenantError,
};

use crate::page_stream::TenantPageStream;

/// Where tenants live, seen through one principal's eyes.
///
/// # The security contract
/// Every read, and every [`TenantTransaction`], is one unit of work (one transaction on one
/// connection) performed **as `actor`**. Before its first statement an implementation MUST
/// establish `actor.principal` as the store's context, scoped to that unit of work only,
/// so that the store itself (row level security) decides which rows exist:
///
/// | principal | rows that exist for it |
/// |---|---|
/// | platform admin | every live tenant |
/// | tenant P (a parent) | P and P's live subsidiaries |
/// | tenant S (a subsidiary) | S only |
/// | a deleted or unknown tenant | none |
///
/// Rows outside that set MUST be reported exactly like rows that do not exist. No unit of
/// work may carry a principal over into another, and an implementation MUST NOT filter by
/// tenant itself, nor judge the domain's rules: the use cases do, and the store enforces
/// them again on its own terms (policies, triggers). Deleted tenants are never returned.
///
/// Every method fails with `StoreError::Unavailable` when the store cannot be reached in
/// time, `StoreError::Overloaded` when the principal's organization already has its
/// configured number of units of work in flight or queued, and `StoreError::Internal` on
/// anything unexpected.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait TenantStore: Send + Sync {
    /// The live tenant `id`, if `actor` can see it, in one read-only unit of work. An
    /// implementation MUST answer `None` for a missing, a deleted and an invisible id with
    /// the same work, so that the response time does not tell them apart
    /// (docs/performance.md, "Timing").
    async fn find(&self, actor: &Actor, id: TenantId) -> Result<Option<Tenant>, StoreError>;

    /// One page of the tenants `actor` can see, ordered by `created_at` then `tenant_id`,
    /// with the exact count of all of them under the same filter, read in one snapshot and
    /// delivered tenant by tenant: the count (and every failure before the first tenant)
    /// is known when this returns, the tenants follow as the consumer takes them. Memory
    /// held by the stream MUST NOT grow with the page. Dropping the stream early MUST end
    /// the unit of work and leave nothing of it on any pooled connection.
    async fn list_stream(
        &self,
        actor: &Actor,
        query: &ListQuery,
    ) -> Result<TenantPageStream, ListTenantsError>;

    /// One unit of work as `actor` that reads nothing: admitted like any other, its
    /// context set, ended at once (one round trip). What a `HEAD` on a list runs: the
    /// statuses a list can answer before its first tenant, with none of its work.
    async fn reach(&self, actor: &Actor) -> Result<(), StoreError>;

    /// Starts a read-write unit of work as `actor`. It holds one connection (and the
    /// organization's turn) until [`commit`](TenantTransaction::commit) or
    /// [`rollback`](TenantTransaction::rollback); dropped unfinished, nothing of it is
    /// committed and nothing of it reaches another unit of work.
    async fn begin(&self, actor: &Actor) -> Result<Box<dyn TenantTransaction>, StoreError>;
}

/// How [`TenantTransaction::lock`] holds the row until the transaction ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lock {
    /// Others may read and share-lock it, nobody may change or delete it (a parent a new
    /// subsidiary is placed under).
    Share,
    /// Nobody else may lock, change or delete it (the row a write checks and changes).
    Update,
}

/// One read-write unit of work of one principal (see [`TenantStore`]). Every statement
/// runs in the same transaction, so what a use case checks is what it writes over.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait TenantTransaction: Send {
    /// The live tenant `id` if the principal sees it, locked as `lock` says until the
    /// transaction ends; `None` if it is missing, deleted or invisible.
    async fn lock(&mut self, id: TenantId, lock: Lock) -> Result<Option<Tenant>, StoreError>;

    /// Stores a new tenant and returns it as stored (id, timestamps, version 1).
    ///
    /// # Errors
    /// What the store itself refused: `ParentNotFound`, `HierarchyDepthExceeded`,
    /// `Forbidden` (a placement the principal may not create), `DuplicateName`.
    async fn insert(&mut self, new: &NewTenant) -> Result<Tenant, CreateTenantError>;

    /// Replaces name and metadata of the visible tenant `id`, bumps its version and
    /// returns the new state.
    ///
    /// # Errors
    /// What the store refused: `Forbidden` (a rename by a principal that may not choose
    /// the name), `DuplicateName`.
    async fn update(
        &mut self,
        id: TenantId,
        changes: &TenantChanges,
    ) -> Result<Tenant, UpdateTenantError>;

    /// How many live subsidiaries `id` has.
    async fn live_subsidiaries(&mut self, id: TenantId) -> Result<u64, StoreError>;

    /// Soft-deletes the tenant `id` (it keeps its row with a deletion time and disappears
    /// from every read) and, with [`DeleteMode::Cascade`], its live subsidiaries first.
    ///
    /// # Errors
    /// What the store refused: `Forbidden`, `HasSubsidiaries`.
    async fn soft_delete(
        &mut self,
        id: TenantId,
        mode: DeleteMode,
    ) -> Result<(), DeleteTenantError>;

    /// Makes every write of the unit of work durable and ends it.
    async fn commit(self: Box<Self>) -> Result<(), StoreError>;

    /// Ends the unit of work without writing anything.
    async fn rollback(self: Box<Self>);
}
