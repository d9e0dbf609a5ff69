//! [`TenantTransaction`] on PostgreSQL: one read-write transaction on one pooled
//! connection, started lazily with its first statement (`BEGIN`, the context and that
//! statement leave in one round trip). It checks no domain rule: it runs what the use case
//! asks and reports what the database refused (docs/architecture.md).

use std::future::Future;

use async_trait::async_trait;
use deadpool_postgres::Object;
use mtdb_domain::{
    Actor, CreateTenantError, DeleteMode, DeleteTenantError, NewTenant, StoreError, Tenant,
    TenantChanges, TenantId, UpdateTenantError,
};
use mtdb_ports::{Lock, TenantTransaction};
use tokio_postgres::types::ToSql;

use super::sql::typed as sql;
use crate::errors::{DbFailure, StepContext};
use crate::fairness::Pass;
use crate::row::{tenant_from_row, Inserted, Updated};
use crate::statement::{Ready, Sql};
use crate::unit_of_work::{begin_with, Access, Connection};

pub(super) struct PgTransaction {
    // Field order is drop order: the connection goes back to the pool (or is closed)
    // before the pass lets the next unit of work look for one.
    connection: Connection,
    context: Ready<3>,
    actor: Actor,
    state: State,
    _pass: Pass,
}

#[derive(Default)]
struct State {
    started: bool,
    // A statement failed: PostgreSQL has aborted the transaction, which may only end.
    failed: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("commit asked after a failed statement")]
struct CommitAfterFailure;

/// Runs one statement of the transaction; the first one starts it in the same round trip.
async fn run<T>(
    state: &mut State,
    client: &Object,
    context: &Ready<3>,
    actor: &Actor,
    (what, statement): (
        &'static str,
        impl Future<Output = Result<T, tokio_postgres::Error>>,
    ),
) -> Result<T, DbFailure> {
    if state.started {
        return statement.await.step(what);
    }
    state.started = true;
    begin_with(client, context, actor, Access::ReadWrite, (what, statement)).await
}

impl PgTransaction {
    pub(super) fn new(connection: Connection, context: Ready<3>, actor: Actor, pass: Pass) -> Self {
        Self {
            connection,
            context,
            actor,
            state: State::default(),
            _pass: pass,
        }
    }

    async fn prepared<const N: usize>(&self, sql: &'static Sql<N>) -> Result<Ready<N>, DbFailure> {
        self.connection.ready(sql, "preparing a statement").await
    }

    fn noted<T>(&mut self, result: Result<T, DbFailure>) -> Result<T, DbFailure> {
        self.state.failed |= result.is_err();
        result
    }

    async fn lock_row(&mut self, id: TenantId, lock: Lock) -> Result<Option<Tenant>, DbFailure> {
        let statement = self
            .prepared(match lock {
                Lock::Share => &sql::LOCK_FOR_SHARE,
                Lock::Update => &sql::LOCK_FOR_UPDATE,
            })
            .await?;
        let id = id.as_uuid();
        let client = self.connection.client()?;
        let params: [&(dyn ToSql + Sync); 1] = [&id];
        let query = statement.query_opt(client, params);
        let step = ("locking the tenant", query);
        let row = run(&mut self.state, client, &self.context, &self.actor, step).await?;
        row.as_ref().map(tenant_from_row).transpose()
    }

    async fn insert_row(&mut self, new: &NewTenant) -> Result<Tenant, DbFailure> {
        let statement = self.prepared(&sql::INSERT).await?;
        let inserted = Inserted::new(new);
        let client = self.connection.client()?;
        let query = statement.query_one(client, inserted.params());
        let step = ("inserting the tenant", query);
        let row = run(&mut self.state, client, &self.context, &self.actor, step).await?;
        tenant_from_row(&row)
    }

    async fn update_row(
        &mut self,
        id: TenantId,
        changes: &TenantChanges,
    ) -> Result<Tenant, DbFailure> {
        let statement = self.prepared(&sql::UPDATE).await?;
        let updated = Updated::new(id, changes);
        let client = self.connection.client()?;
        let query = statement.query_opt(client, updated.params());
        let step = ("updating the tenant", query);
        let row = run(&mut self.state, client, &self.context, &self.actor, step).await?;
        // Only ever asked for a row this transaction locked: if the update still touched
        // nothing, a policy disagrees with the lock's, which is a schema bug.
        let row =
            row.ok_or_else(|| DbFailure::internal("the locked tenant could not be updated"))?;
        tenant_from_row(&row)
    }

    async fn count_subsidiaries(&mut self, id: TenantId) -> Result<u64, DbFailure> {
        let statement = self.prepared(&sql::COUNT_LIVE_SUBSIDIARIES).await?;
        let id = id.as_uuid();
        let client = self.connection.client()?;
        let params: [&(dyn ToSql + Sync); 1] = [&id];
        let query = statement.query_one(client, params);
        let step = ("counting the live subsidiaries", query);
        let row = run(&mut self.state, client, &self.context, &self.actor, step).await?;
        let count: i64 = row.try_get(0)?;
        u64::try_from(count).map_err(DbFailure::internal)
    }

    /// The target's rows touched (0 when a policy filtered it out).
    async fn delete_rows(&mut self, id: TenantId, mode: DeleteMode) -> Result<u64, DbFailure> {
        let target = self.prepared(&sql::SOFT_DELETE).await?;
        let children = self.prepared(&sql::SOFT_DELETE_SUBSIDIARIES).await?;
        let id = id.as_uuid();
        let client = self.connection.client()?;
        let params: [&(dyn ToSql + Sync); 1] = [&id];
        let delete = target.execute(client, params);
        let (state, context, actor) = (&mut self.state, &self.context, &self.actor);
        match mode {
            DeleteMode::Restrict => {
                run(
                    state,
                    client,
                    context,
                    actor,
                    ("deleting the tenant", delete),
                )
                .await
            }
            // The children go first, in the same round trip, so that the target's own
            // delete passes the trigger that refuses to orphan live subsidiaries. If the
            // first fails, PostgreSQL refuses the second (the transaction is aborted).
            DeleteMode::Cascade => {
                let cascade = (
                    "deleting the subsidiaries",
                    children.execute(client, params),
                );
                let (cascaded, deleted) =
                    futures::join!(run(state, client, context, actor, cascade), delete);
                cascaded?;
                deleted.step("deleting the tenant")
            }
        }
    }

    async fn end(self: Box<Self>, sql: &'static str, step: &'static str) -> Result<(), DbFailure> {
        let client = self.connection.client()?;
        client.batch_execute(sql).await.step(step)?;
        // Outside any transaction again: the connection may serve the next unit of work.
        self.connection.release();
        Ok(())
    }
}

#[async_trait]
impl TenantTransaction for PgTransaction {
    async fn lock(&mut self, id: TenantId, lock: Lock) -> Result<Option<Tenant>, StoreError> {
        let locked = self.lock_row(id, lock).await;
        Ok(self.noted(locked)?)
    }

    async fn insert(&mut self, new: &NewTenant) -> Result<Tenant, CreateTenantError> {
        let inserted = self.insert_row(new).await;
        Ok(self.noted(inserted)?)
    }

    async fn update(
        &mut self,
        id: TenantId,
        changes: &TenantChanges,
    ) -> Result<Tenant, UpdateTenantError> {
        let updated = self.update_row(id, changes).await;
        Ok(self.noted(updated)?)
    }

    async fn live_subsidiaries(&mut self, id: TenantId) -> Result<u64, StoreError> {
        let counted = self.count_subsidiaries(id).await;
        Ok(self.noted(counted)?)
    }

    async fn soft_delete(
        &mut self,
        id: TenantId,
        mode: DeleteMode,
    ) -> Result<(), DeleteTenantError> {
        let deleted = self.delete_rows(id, mode).await;
        if self.noted(deleted)? == 0 {
            // Visible and locked, yet the update policy filtered it out: the store refused.
            return Err(DeleteTenantError::Forbidden);
        }
        Ok(())
    }

    async fn commit(self: Box<Self>) -> Result<(), StoreError> {
        if self.state.failed {
            // `COMMIT` would quietly roll back; say so instead of reporting success.
            self.end("rollback", "rolling back").await?;
            return Err(DbFailure::internal(CommitAfterFailure).into());
        }
        Ok(self.end("commit", "committing").await?)
    }

    async fn rollback(self: Box<Self>) {
        // A rollback that fails leaves the connection to be closed (see `Connection`);
        // the database ends the transaction then.
        if let Err(failure) = self.end("rollback", "rolling back").await {
            drop(StoreError::from(failure));
        }
    }
}
