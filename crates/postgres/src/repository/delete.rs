use deadpool_postgres::{Pool, Transaction};
use mtdb_domain::{rules, Actor, DeleteMode, DeleteTenantError, Precondition, TenantId};

use super::sql;
use super::write::lock_live;
use crate::errors::DbFailure;
use crate::unit_of_work::{begin, checkout, Access};

/// Checks on the locked row, in the port's order: visible, may delete, precondition,
/// subsidiaries. The database enforces the delete rule again (policies) and the
/// subsidiaries rule again (trigger); either refusal still comes back as its variant.
pub(super) async fn soft_delete(
    pool: &Pool,
    actor: &Actor,
    id: TenantId,
    mode: DeleteMode,
    precondition: &Precondition,
) -> Result<(), DeleteTenantError> {
    let mut client = checkout(pool).await?;
    let tx = begin(&mut client, actor, Access::ReadWrite).await?;
    let target = lock_live(&tx, id)
        .await?
        .ok_or(DeleteTenantError::NotFound)?;
    rules::ensure_may_delete(&actor.principal, &target)?;
    if !precondition.allows(target.version) {
        return Err(DeleteTenantError::PreconditionFailed);
    }
    let live_subsidiaries = count_live_subsidiaries(&tx, id).await?;
    rules::ensure_may_remove(target.tenant_type(), live_subsidiaries, mode)?;
    if live_subsidiaries > 0 {
        // Only reached with `Cascade`: the children go first, so that the target's own
        // delete passes the trigger that refuses to orphan live subsidiaries.
        execute(&tx, sql::SOFT_DELETE_SUBSIDIARIES, id).await?;
    }
    if execute(&tx, sql::SOFT_DELETE, id).await? == 0 {
        // Visible and locked, yet the update policy filtered it out: the store refused.
        return Err(DeleteTenantError::Forbidden);
    }
    tx.commit().await.map_err(DbFailure::from)?;
    Ok(())
}

async fn count_live_subsidiaries(tx: &Transaction<'_>, id: TenantId) -> Result<u64, DbFailure> {
    let statement = tx.prepare_cached(sql::COUNT_LIVE_SUBSIDIARIES).await?;
    let count: i64 = tx
        .query_one(&statement, &[&id.as_uuid()])
        .await?
        .try_get(0)?;
    u64::try_from(count).map_err(DbFailure::internal)
}

async fn execute(tx: &Transaction<'_>, sql: &str, id: TenantId) -> Result<u64, DbFailure> {
    let statement = tx.prepare_cached(sql).await?;
    Ok(tx.execute(&statement, &[&id.as_uuid()]).await?)
}
