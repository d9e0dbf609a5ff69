use deadpool_postgres::Pool;
use mtdb_domain::{Actor, GetTenantError, Principal, Tenant, TenantId};

use super::sql;
use crate::errors::DbFailure;
use crate::row::tenant_from_row;
use crate::unit_of_work::{begin, checkout, Access};

pub(super) async fn find(
    pool: &Pool,
    actor: &Actor,
    id: TenantId,
) -> Result<Tenant, GetTenantError> {
    find_visible(pool, actor, id)
        .await?
        .ok_or(GetTenantError::NotFound)
}

async fn find_visible(
    pool: &Pool,
    actor: &Actor,
    id: TenantId,
) -> Result<Option<Tenant>, DbFailure> {
    let mut client = checkout(pool).await?;
    let tx = begin(&mut client, actor, Access::ReadOnly).await?;
    let find = match actor.principal {
        Principal::Tenant(_) => sql::FIND_AS_TENANT,
        Principal::PlatformAdmin => sql::FIND_AS_ADMIN,
    };
    let statement = tx.prepare_cached(find).await?;
    let row = tx.query_opt(&statement, &[&id.as_uuid()]).await?;
    let tenant = row.as_ref().map(tenant_from_row).transpose()?;
    tx.commit().await?;
    Ok(tenant)
}
