//! [`TenantStore`] on PostgreSQL: each read, and each [`PgTransaction`], is one unit of
//! work (see [`crate::unit_of_work`]) acting as the caller's principal under row level
//! security, admitted once by the fair gate and holding its pass until it ends.

mod organization;
mod read;
pub(crate) mod sql;
mod stream;
mod transaction;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use mtdb_domain::{Actor, ListQuery, ListTenantsError, StoreError, Tenant, TenantId};
use mtdb_ports::{OrganizationDirectory, TenantPageStream, TenantStore, TenantTransaction};

use crate::errors::DbFailure;
use crate::fairness::{FairnessSettings, Gate, Membership, Organization, Pass};
use crate::pools::Pools;
use crate::unit_of_work::{prepare_context, Connection};
use transaction::PgTransaction;

/// Every statement the repository may run unnamed, with the parameters' types it gives
/// the server for it.
pub(crate) fn typed_statements() -> Vec<(&'static str, Vec<tokio_postgres::types::Type>)> {
    fn entry<const N: usize>(
        sql: &crate::statement::Sql<N>,
    ) -> (&'static str, Vec<tokio_postgres::types::Type>) {
        (sql.text, sql.types.to_vec())
    }
    use sql::typed as t;
    vec![
        entry(&crate::unit_of_work::CONTEXT_STATEMENT),
        entry(&organization::ROOT),
        entry(&t::INSERT),
        entry(&t::FIND_AS_TENANT),
        entry(&t::FIND_AS_ADMIN),
        entry(&t::CALL_FIND_AS_TENANT),
        entry(&t::CALL_FIND_AS_ADMIN),
        entry(&t::PAGE),
        entry(&t::COUNT),
        entry(&t::COUNT_AS_ADMIN),
        entry(&t::LOCK_FOR_UPDATE),
        entry(&t::LOCK_FOR_SHARE),
        entry(&t::UPDATE),
        entry(&t::COUNT_LIVE_SUBSIDIARIES),
        entry(&t::SOFT_DELETE_SUBSIDIARIES),
        entry(&t::SOFT_DELETE),
    ]
}

/// The wait for a connection when the pool was built without a timeout.
const DEFAULT_WAIT: Duration = Duration::from_secs(5);

/// The tenant store, shared by every request; cheap to clone (the pool is an `Arc`).
#[derive(Clone)]
pub struct PostgresTenantRepository {
    pool: Pools,
    gate: Arc<Gate>,
    page_deadline: Duration,
}

impl PostgresTenantRepository {
    /// `pool` must connect as the application login role, never as the owner or a
    /// superuser (`mtdb serve` checks: `mtdb_postgres_admin::check_roles`). Shared with the
    /// default fairness settings.
    pub fn new(pool: impl Into<Pools>) -> Self {
        Self::with_fairness(pool, FairnessSettings::default())
    }

    /// As [`new`](Self::new), with the pool shared between organizations as `settings`
    /// say: one permit per pooled connection, handed out round-robin, and a bound on each
    /// organization's units of work in flight or queued (docs/fairness.md).
    pub fn with_fairness(pool: impl Into<Pools>, settings: FairnessSettings) -> Self {
        let pool = pool.into();
        let connections = pool.status().max_size;
        let wait = pool.wait().unwrap_or(DEFAULT_WAIT);
        let gate = Arc::new(Gate::new(connections, wait, settings));
        Self {
            pool,
            gate,
            page_deadline: settings.page_deadline,
        }
    }

    /// Units of work waiting for a pooled connection now (for tests and metrics).
    pub fn waiting(&self) -> usize {
        self.gate.waiting()
    }

    /// Admits one unit of work of `actor`'s organization and waits for its turn. A tenant
    /// principal met for the first time is placed first ([`Self::organization_of`]); one
    /// whose id names no tenant counts with the other unplaced principals.
    async fn enter(&self, actor: &Actor) -> Result<Pass, StoreError> {
        let organization = match self.gate.membership(&actor.principal) {
            Membership::Known(organization) => organization,
            Membership::Unknown(_) => match self.organization_of(actor).await? {
                Some(root) => Organization::Root(root),
                None => Organization::Unplaced,
            },
        };
        self.gate.enter(organization).await
    }

    /// The root tenant of the organization that `actor`, a tenant principal, counts in
    /// (its parent for a subsidiary, itself for a parent), whether its tenant is live or
    /// deleted; `None` for the platform admin and for an id that never named a tenant.
    /// Remembered after the first lookup, which is one read-only unit of work as `actor`,
    /// admitted with the other principals not placed yet (docs/fairness.md, "Which
    /// organization a principal belongs to").
    ///
    /// # Errors
    /// As any read: `Overloaded`, `Unavailable`, `Internal`.
    async fn organization_of(&self, actor: &Actor) -> Result<Option<TenantId>, StoreError> {
        let id = match self.gate.membership(&actor.principal) {
            Membership::Known(Organization::Root(root)) => return Ok(Some(root)),
            Membership::Known(_) => return Ok(None),
            Membership::Unknown(id) => id,
        };
        let _pass = self.gate.enter(Organization::Unplaced).await?;
        let root = organization::root_of(&self.pool, actor)
            .await
            .map_err(DbFailure::read_failure)?;
        if let Some(root) = root {
            self.gate.learn(id, root);
        }
        Ok(root)
    }
}

#[async_trait]
impl OrganizationDirectory for PostgresTenantRepository {
    async fn organization_of(&self, actor: &Actor) -> Result<Option<TenantId>, StoreError> {
        PostgresTenantRepository::organization_of(self, actor).await
    }
}

#[async_trait]
impl TenantStore for PostgresTenantRepository {
    #[tracing::instrument(skip_all, fields(principal = %actor.principal, tenant_id = %id))]
    async fn find(&self, actor: &Actor, id: TenantId) -> Result<Option<Tenant>, StoreError> {
        let _pass = self.enter(actor).await?;
        read::find(&self.pool, actor, id)
            .await
            .map_err(DbFailure::read_failure)
    }

    #[tracing::instrument(skip_all, fields(principal = %actor.principal))]
    async fn list_stream(
        &self,
        actor: &Actor,
        query: &ListQuery,
    ) -> Result<TenantPageStream, ListTenantsError> {
        let pass = self.enter(actor).await?;
        let (pool, deadline) = (self.pool.clone(), self.page_deadline);
        stream::list(pool, actor.clone(), query.clone(), pass, deadline).await
    }

    #[tracing::instrument(skip_all, fields(principal = %actor.principal))]
    async fn reach(&self, actor: &Actor) -> Result<(), StoreError> {
        let _pass = self.enter(actor).await?;
        read::reach(&self.pool, actor)
            .await
            .map_err(DbFailure::read_failure)
    }

    #[tracing::instrument(skip_all, fields(principal = %actor.principal))]
    async fn begin(&self, actor: &Actor) -> Result<Box<dyn TenantTransaction>, StoreError> {
        let pass = self.enter(actor).await?;
        let connection = Connection::checkout(&self.pool).await?;
        let context = prepare_context(&connection).await?;
        Ok(Box::new(PgTransaction::new(
            connection,
            context,
            actor.clone(),
            pass,
        )))
    }
}
