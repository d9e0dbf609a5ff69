//! [`TenantRepository`] on PostgreSQL: each method is one unit of work (see
//! [`crate::unit_of_work`]) acting as the caller's principal under row level security.

mod delete;
mod read;
pub(crate) mod sql;
mod write;

use async_trait::async_trait;
use deadpool_postgres::Pool;
use mtdb_domain::{
    Actor, CreateTenantError, DeleteMode, DeleteTenantError, GetTenantError, ListQuery,
    ListTenantsError, NewTenant, Precondition, Tenant, TenantChanges, TenantId, TenantPage,
    UpdateTenantError,
};
use mtdb_ports::TenantRepository;

/// The tenant store, shared by every request; cheap to clone (the pool is an `Arc`).
#[derive(Clone)]
pub struct PostgresTenantRepository {
    pool: Pool,
}

impl PostgresTenantRepository {
    /// `pool` must connect as the application login role, never as the owner or a
    /// superuser (see [`crate::check_roles`]).
    pub fn new(pool: Pool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl TenantRepository for PostgresTenantRepository {
    #[tracing::instrument(skip_all, fields(principal = %actor.principal))]
    async fn insert(&self, actor: &Actor, new: &NewTenant) -> Result<Tenant, CreateTenantError> {
        write::insert(&self.pool, actor, new).await
    }

    #[tracing::instrument(skip_all, fields(principal = %actor.principal, tenant_id = %id))]
    async fn find(&self, actor: &Actor, id: TenantId) -> Result<Tenant, GetTenantError> {
        read::find(&self.pool, actor, id).await
    }

    #[tracing::instrument(skip_all, fields(principal = %actor.principal))]
    async fn list(&self, actor: &Actor, query: &ListQuery) -> Result<TenantPage, ListTenantsError> {
        read::list(&self.pool, actor, query).await
    }

    #[tracing::instrument(skip_all, fields(principal = %actor.principal, tenant_id = %id))]
    async fn update(
        &self,
        actor: &Actor,
        id: TenantId,
        changes: &TenantChanges,
        precondition: &Precondition,
    ) -> Result<Tenant, UpdateTenantError> {
        write::update(&self.pool, actor, id, changes, precondition).await
    }

    #[tracing::instrument(skip_all, fields(principal = %actor.principal, tenant_id = %id))]
    async fn soft_delete(
        &self,
        actor: &Actor,
        id: TenantId,
        mode: DeleteMode,
        precondition: &Precondition,
    ) -> Result<(), DeleteTenantError> {
        delete::soft_delete(&self.pool, actor, id, mode, precondition).await
    }
}
