//! The store as each API request drives it: through the use cases, one unit of work per
//! call. Named after the operations the tests are about (`insert`, `find`, ...), so that a
//! test reads as what it exercises.

use mtdb_domain::{
    Actor, CreateTenantError, DeleteMode, DeleteTenantError, GetTenantError, ListQuery,
    ListTenantsError, NewTenant, Precondition, Tenant, TenantChanges, TenantId, TenantPage,
    UpdateTenantError,
};
use mtdb_ports::{TenantPageStream, TenantService, TenantUseCases};
use mtdb_postgres::PostgresTenantRepository;

pub struct Repo {
    store: PostgresTenantRepository,
    service: TenantUseCases<PostgresTenantRepository>,
}

impl Repo {
    pub fn new(store: PostgresTenantRepository) -> Self {
        Self {
            service: TenantUseCases::new(store.clone()),
            store,
        }
    }

    pub fn waiting(&self) -> usize {
        self.store.waiting()
    }

    pub async fn insert(
        &self,
        actor: &Actor,
        new: &NewTenant,
    ) -> Result<Tenant, CreateTenantError> {
        self.service.create(actor, new.clone()).await
    }

    pub async fn find(&self, actor: &Actor, id: TenantId) -> Result<Tenant, GetTenantError> {
        self.service.get(actor, id).await
    }

    pub async fn list(
        &self,
        actor: &Actor,
        query: &ListQuery,
    ) -> Result<TenantPage, ListTenantsError> {
        self.list_stream(actor, query).await?.collect().await
    }

    pub async fn list_stream(
        &self,
        actor: &Actor,
        query: &ListQuery,
    ) -> Result<TenantPageStream, ListTenantsError> {
        self.service.list(actor, query.clone()).await
    }

    pub async fn update(
        &self,
        actor: &Actor,
        id: TenantId,
        changes: &TenantChanges,
        precondition: &Precondition,
    ) -> Result<Tenant, UpdateTenantError> {
        self.service
            .update(actor, id, changes.clone(), precondition.clone())
            .await
    }

    pub async fn soft_delete(
        &self,
        actor: &Actor,
        id: TenantId,
        mode: DeleteMode,
        precondition: &Precondition,
    ) -> Result<(), DeleteTenantError> {
        self.service
            .delete(actor, id, mode, precondition.clone())
            .await
    }
}
