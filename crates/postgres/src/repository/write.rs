use deadpool_postgres::{Pool, Transaction};
use mtdb_domain::{
    Actor, CreateTenantError, NewTenant, Precondition, Tenant, TenantChanges, TenantId,
    UpdateTenantError,
};
use serde_json::Value;

use super::sql;
use crate::errors::DbFailure;
use crate::row::tenant_from_row;
use crate::unit_of_work::{begin, checkout, Access};

pub(super) async fn insert(
    pool: &Pool,
    actor: &Actor,
    new: &NewTenant,
) -> Result<Tenant, CreateTenantError> {
    // The policies and the insert trigger decide whether this principal may place a
    // tenant there; their refusals come back as the create's error variants.
    let mut client = checkout(pool).await?;
    let tx = begin(&mut client, actor, Access::ReadWrite).await?;
    let statement = tx
        .prepare_cached(sql::INSERT)
        .await
        .map_err(DbFailure::from)?;
    let parent = new.placement.parent().map(|p| p.as_uuid());
    let metadata = Value::Object(new.metadata.as_map().clone());
    let row = tx
        .query_one(
            &statement,
            &[
                &new.name.as_str(),
                &parent,
                &new.placement.tenant_type().as_str(),
                &metadata,
            ],
        )
        .await
        .map_err(DbFailure::from)?;
    let tenant = tenant_from_row(&row)?;
    tx.commit().await.map_err(DbFailure::from)?;
    Ok(tenant)
}

pub(super) async fn update(
    pool: &Pool,
    actor: &Actor,
    id: TenantId,
    changes: &TenantChanges,
    precondition: &Precondition,
) -> Result<Tenant, UpdateTenantError> {
    let mut client = checkout(pool).await?;
    let tx = begin(&mut client, actor, Access::ReadWrite).await?;
    let current = lock_live(&tx, id)
        .await?
        .ok_or(UpdateTenantError::NotFound)?;
    if !precondition.allows(current.version) {
        return Err(UpdateTenantError::PreconditionFailed);
    }
    let updated = replace(&tx, id, changes).await?;
    tx.commit().await.map_err(DbFailure::from)?;
    Ok(updated)
}

/// The live tenant `id` if visible, locked `for update` until the transaction ends.
pub(super) async fn lock_live(
    tx: &Transaction<'_>,
    id: TenantId,
) -> Result<Option<Tenant>, DbFailure> {
    let statement = tx.prepare_cached(sql::LOCK).await?;
    let row = tx.query_opt(&statement, &[&id.as_uuid()]).await?;
    row.as_ref().map(tenant_from_row).transpose()
}

async fn replace(
    tx: &Transaction<'_>,
    id: TenantId,
    changes: &TenantChanges,
) -> Result<Tenant, DbFailure> {
    let statement = tx.prepare_cached(sql::UPDATE).await?;
    let metadata = Value::Object(changes.metadata.as_map().clone());
    let row = tx
        .query_opt(
            &statement,
            &[&id.as_uuid(), &changes.name.as_str(), &metadata],
        )
        .await?;
    // The row is locked and visible: if the update still touched nothing, a policy
    // disagrees with the lock's, which is a schema bug.
    let row = row.ok_or_else(|| DbFailure::internal("the locked tenant could not be updated"))?;
    tenant_from_row(&row)
}
