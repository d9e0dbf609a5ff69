use async_trait::async_trait;
use mtdb_domain::{
    rules, Actor, CreateTenantError, DeleteMode, DeleteTenantError, GetTenantError, ListQuery,
    ListTenantsError, NewTenant, Placement, Precondition, StoreError, Tenant, TenantChanges,
    TenantId, UpdateTenantError,
};

use crate::{TenantPageStream, TenantRepository, TenantService};

/// The tenant use cases: each checks the domain's rules in the documented order (docs/api.md), then
/// asks the repository, which runs as the same principal under row level security.
pub struct TenantUseCases<R> {
    repository: R,
}

impl<R: TenantRepository> TenantUseCases<R> {
    pub fn new(repository: R) -> Self {
        Self { repository }
    }
}

#[async_trait]
impl<R: TenantRepository> TenantService for TenantUseCases<R> {
    #[tracing::instrument(skip_all, fields(principal = %actor.principal))]
    async fn create(&self, actor: &Actor, new: NewTenant) -> Result<Tenant, CreateTenantError> {
        match new.placement {
            Placement::TopLevel => rules::ensure_may_create_top_level(&actor.principal)?,
            Placement::SubsidiaryOf(parent_id) => {
                let parent = match self.repository.find(actor, parent_id).await {
                    Ok(parent) => parent,
                    Err(GetTenantError::NotFound) => return Err(CreateTenantError::ParentNotFound),
                    Err(GetTenantError::Store(e)) => return Err(e.into()),
                };
                rules::ensure_may_hold_subsidiary(&parent)?;
            }
        }
        self.repository.insert(actor, &new).await
    }

    #[tracing::instrument(skip_all, fields(principal = %actor.principal, tenant_id = %id))]
    async fn get(&self, actor: &Actor, id: TenantId) -> Result<Tenant, GetTenantError> {
        let tenant = self.repository.find(actor, id).await?;
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

    #[tracing::instrument(skip_all, fields(principal = %actor.principal))]
    async fn list(
        &self,
        actor: &Actor,
        query: ListQuery,
    ) -> Result<TenantPageStream, ListTenantsError> {
        self.repository.list_stream(actor, &query).await
    }

    #[tracing::instrument(skip_all, fields(principal = %actor.principal, tenant_id = %id))]
    async fn update(
        &self,
        actor: &Actor,
        id: TenantId,
        changes: TenantChanges,
        precondition: Precondition,
    ) -> Result<Tenant, UpdateTenantError> {
        // Read as the principal first, as delete does: invisible is NotFound before any
        // other answer, and a forbidden rename is refused before the precondition and the
        // name's uniqueness are looked at (docs/api.md, "Update"), so its 403 says nothing
        // about whether the name is taken.
        let target = match self.repository.find(actor, id).await {
            Ok(target) => target,
            Err(GetTenantError::NotFound) => return Err(UpdateTenantError::NotFound),
            Err(GetTenantError::Store(e)) => return Err(e.into()),
        };
        rules::ensure_may_rename(&actor.principal, &target, &changes.name)?;
        if !precondition.allows(target.version) {
            return Err(UpdateTenantError::PreconditionFailed);
        }
        // The repository re-checks the version on the locked row; PostgreSQL re-checks the
        // rename (tenants_rename_scope) and the name's uniqueness.
        self.repository
            .update(actor, id, &changes, &precondition)
            .await
    }

    #[tracing::instrument(skip_all, fields(principal = %actor.principal, tenant_id = %id))]
    async fn delete(
        &self,
        actor: &Actor,
        id: TenantId,
        mode: DeleteMode,
        precondition: Precondition,
    ) -> Result<(), DeleteTenantError> {
        let target = match self.repository.find(actor, id).await {
            Ok(target) => target,
            Err(GetTenantError::NotFound) => return Err(DeleteTenantError::NotFound),
            Err(GetTenantError::Store(e)) => return Err(e.into()),
        };
        rules::ensure_may_delete(&actor.principal, &target)?;
        if !precondition.allows(target.version) {
            return Err(DeleteTenantError::PreconditionFailed);
        }
        // The repository re-checks the version and the subsidiaries on the locked row.
        self.repository
            .soft_delete(actor, id, mode, &precondition)
            .await
    }
}

#[cfg(test)]
mod tests;
