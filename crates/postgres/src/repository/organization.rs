//! Learning a tenant principal's organization (its root tenant) from the database, once:
//! see `crate::fairness`. Only the first unit of work of each principal pays this
//! lookup; its root never changes afterwards.

use deadpool_postgres::Pool;
use mtdb_domain::{Actor, TenantId};
use uuid::Uuid;

use crate::errors::DbFailure;
use crate::unit_of_work::{begin, checkout, Access};

// As the principal itself, under row level security: a live tenant sees its own row, a
// deleted or unknown one sees nothing (and then counts as its own organization).
const ROOT: &str = "select coalesce(parent_tenant_id, tenant_id) from tenants \
     where tenant_id = $1 and deleted_at is null";

/// The root of the live tenant `id` as `actor` (acting as `id`) sees it.
pub(super) async fn root_of(
    pool: &Pool,
    actor: &Actor,
    id: TenantId,
) -> Result<Option<TenantId>, DbFailure> {
    let mut client = checkout(pool).await?;
    let tx = begin(&mut client, actor, Access::ReadOnly).await?;
    let statement = tx.prepare_cached(ROOT).await?;
    let row = tx.query_opt(&statement, &[&id.as_uuid()]).await?;
    let root: Option<Uuid> = row.map(|row| row.try_get(0)).transpose()?;
    tx.commit().await?;
    Ok(root.map(TenantId::from))
}
