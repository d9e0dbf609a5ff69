use deadpool_postgres::{Pool, Transaction};
use mtdb_domain::{
    Actor, GetTenantError, ListQuery, ListTenantsError, Principal, Tenant, TenantId, TenantPage,
};

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

pub(super) async fn list(
    pool: &Pool,
    actor: &Actor,
    query: &ListQuery,
) -> Result<TenantPage, ListTenantsError> {
    // The page and its count come from one snapshot, so they agree.
    let mut client = checkout(pool).await?;
    let tx = begin(&mut client, actor, Access::ReadOnly).await?;
    let total_count = count(&tx, query).await?;
    // An offset past what PostgreSQL can take is past every row there can be.
    let tenants = match i64::try_from(query.offset) {
        Ok(offset) if query.offset < total_count => page(&tx, query, offset).await?,
        _ => Vec::new(),
    };
    tx.commit().await.map_err(DbFailure::from)?;
    Ok(TenantPage {
        tenants,
        total_count,
        limit: query.limit,
        offset: query.offset,
    })
}

async fn count(tx: &Transaction<'_>, query: &ListQuery) -> Result<u64, DbFailure> {
    let tenant_type = query.tenant_type.map(|t| t.as_str());
    let statement = tx.prepare_cached(sql::COUNT).await?;
    let total: i64 = tx
        .query_one(&statement, &[&tenant_type])
        .await?
        .try_get(0)?;
    u64::try_from(total).map_err(DbFailure::internal)
}

async fn page(
    tx: &Transaction<'_>,
    query: &ListQuery,
    offset: i64,
) -> Result<Vec<Tenant>, DbFailure> {
    let tenant_type = query.tenant_type.map(|t| t.as_str());
    let limit = i64::from(query.limit.get());
    let statement = tx.prepare_cached(sql::PAGE).await?;
    let rows = tx
        .query(&statement, &[&tenant_type, &limit, &offset])
        .await?;
    rows.iter().map(tenant_from_row).collect()
}
