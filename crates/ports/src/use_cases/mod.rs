use async_trait::async_trait;
use mtdb_domain::{
    rules, Actor, CreateTenantError, DeleteMode, DeleteTenantError, GetTenantError, ListQuery,
    ListTenantsError, NewTenant, Placement, Precondition, StoreError, Tenant, TenantChanges,
    TenantId, UpdateTenantError,
};
use tracing::Instrument;

use crate::page_stream::TenantPageStream;
use crate::service::TenantService;
use crate::store::{Lock, TenantStore, TenantTransaction};

/// The tenant use cases, the only place that orchestrates: each request is one unit of
/// work of the store (one transaction on one connection), and each checks the domain's
/// rules in the documented order (docs/api.md, "Order of checks") against what that one
/// transaction sees. The store runs as the same principal under row level security and
/// enforces the rules again (policies, triggers).
pub struct TenantUseCases<S> {
    store: S,
}

impl<S: TenantStore> TenantUseCases<S> {
    /// The use cases over `store`, which must run each unit of work as its actor under
    /// row level security (see [`TenantStore`]).
    pub fn new(store: S) -> Self {
        Self { store }
    }

    // The bodies are plain async fns, instrumented from the outside: coverage tools do not
    // see into an `async_trait` method under `#[tracing::instrument]`.

    async fn create_tenant(
        &self,
        actor: &Actor,
        new: NewTenant,
    ) -> Result<Tenant, CreateTenantError> {
        if new.placement == Placement::TopLevel {
            rules::ensure_may_create_top_level(&actor.principal)?;
        }
        let mut tx = self.store.begin(actor).await?;
        let placed = place(tx.as_mut(), &new).await;
        finish(tx, placed).await
    }

    async fn get_tenant(&self, actor: &Actor, id: TenantId) -> Result<Tenant, GetTenantError> {
        let tenant = self
            .store
            .find(actor, id)
            .await?
            .ok_or(GetTenantError::NotFound)?;
        // Row level security already decided; a row outside the rules here means the
        // database policies and the domain disagree. Fail closed and say so loudly.
        if !rules::can_see(&actor.principal, &tenant) {
            tracing::error!("the store returned a tenant the principal may not see");
            return Err(GetTenantError::Store(StoreError::Internal(
                "visibility rule violated by the store".into(),
            )));
        }
        Ok(tenant)
    }

    async fn update_tenant(
        &self,
        actor: &Actor,
        id: TenantId,
        changes: TenantChanges,
        precondition: Precondition,
    ) -> Result<Tenant, UpdateTenantError> {
        let mut tx = self.store.begin(actor).await?;
        let updated = replace(tx.as_mut(), actor, id, &changes, &precondition).await;
        finish(tx, updated).await
    }

    async fn delete_tenant(
        &self,
        actor: &Actor,
        id: TenantId,
        mode: DeleteMode,
        precondition: Precondition,
    ) -> Result<(), DeleteTenantError> {
        let mut tx = self.store.begin(actor).await?;
        let removed = remove(tx.as_mut(), actor, id, mode, &precondition).await;
        finish(tx, removed).await
    }
}

/// Create, inside its transaction: the parent, locked against a concurrent delete, must
/// be visible (`404`) and a parent itself (`409`). The insert trigger checks both again.
async fn place(
    tx: &mut dyn TenantTransaction,
    new: &NewTenant,
) -> Result<Tenant, CreateTenantError> {
    if let Placement::SubsidiaryOf(parent_id) = new.placement {
        let parent = tx
            .lock(parent_id, Lock::Share)
            .await?
            .ok_or(CreateTenantError::ParentNotFound)?;
        rules::ensure_may_hold_subsidiary(&parent)?;
    }
    tx.insert(new).await
}

/// Update, on the row locked for the write: invisible is `404` before any other answer,
/// and a forbidden rename is refused before the precondition and the name's uniqueness
/// are looked at (docs/api.md, "Order of checks"), so its `403` says nothing about either.
/// PostgreSQL re-checks the rename (tenants_rename_scope) and the name's uniqueness.
async fn replace(
    tx: &mut dyn TenantTransaction,
    actor: &Actor,
    id: TenantId,
    changes: &TenantChanges,
    precondition: &Precondition,
) -> Result<Tenant, UpdateTenantError> {
    let target = tx
        .lock(id, Lock::Update)
        .await?
        .ok_or(UpdateTenantError::NotFound)?;
    rules::ensure_may_rename(&actor.principal, &target, &changes.name)?;
    if !precondition.allows(target.version) {
        return Err(UpdateTenantError::PreconditionFailed);
    }
    tx.update(id, changes).await
}

/// Delete, on the row locked for the write: visible, may delete, precondition, then the
/// subsidiaries. The policies refuse the delete again, the update trigger the orphans.
async fn remove(
    tx: &mut dyn TenantTransaction,
    actor: &Actor,
    id: TenantId,
    mode: DeleteMode,
    precondition: &Precondition,
) -> Result<(), DeleteTenantError> {
    let target = tx
        .lock(id, Lock::Update)
        .await?
        .ok_or(DeleteTenantError::NotFound)?;
    rules::ensure_may_delete(&actor.principal, &target)?;
    if !precondition.allows(target.version) {
        return Err(DeleteTenantError::PreconditionFailed);
    }
    let live_subsidiaries = tx.live_subsidiaries(id).await?;
    rules::ensure_may_remove(target.tenant_type(), live_subsidiaries, mode)?;
    tx.soft_delete(id, mode).await
}

/// Commits what succeeded, rolls back what did not.
async fn finish<T, E: From<StoreError>>(
    tx: Box<dyn TenantTransaction>,
    outcome: Result<T, E>,
) -> Result<T, E> {
    match outcome {
        Ok(value) => {
            tx.commit().await?;
            Ok(value)
        }
        Err(refused) => {
            tx.rollback().await;
            Err(refused)
        }
    }
}

#[async_trait]
impl<S: TenantStore> TenantService for TenantUseCases<S> {
    async fn create(&self, actor: &Actor, new: NewTenant) -> Result<Tenant, CreateTenantError> {
        let span = tracing::info_span!("create", principal = %actor.principal);
        self.create_tenant(actor, new).instrument(span).await
    }

    async fn get(&self, actor: &Actor, id: TenantId) -> Result<Tenant, GetTenantError> {
        let span = tracing::info_span!("get", principal = %actor.principal, tenant_id = %id);
        self.get_tenant(actor, id).instrument(span).await
    }

    async fn list(
        &self,
        actor: &Actor,
        query: ListQuery,
    ) -> Result<TenantPageStream, ListTenantsError> {
        let span = tracing::info_span!("list", principal = %actor.principal);
        self.store.list_stream(actor, &query).instrument(span).await
    }

    async fn list_head(&self, actor: &Actor) -> Result<(), ListTenantsError> {
        let span = tracing::info_span!("list_head", principal = %actor.principal);
        Ok(self.store.reach(actor).instrument(span).await?)
    }

    async fn update(
        &self,
        actor: &Actor,
        id: TenantId,
        changes: TenantChanges,
        precondition: Precondition,
    ) -> Result<Tenant, UpdateTenantError> {
        let span = tracing::info_span!("update", principal = %actor.principal, tenant_id = %id);
        self.update_tenant(actor, id, changes, precondition)
            .instrument(span)
            .await
    }

    async fn delete(
        &self,
        actor: &Actor,
        id: TenantId,
        mode: DeleteMode,
        precondition: Precondition,
    ) -> Result<(), DeleteTenantError> {
        let span = tracing::info_span!("delete", principal = %actor.principal, tenant_id = %id);
        self.delete_tenant(actor, id, mode, precondition)
            .instrument(span)
            .await
    }
}

#[cfg(test)]
mod tests;
