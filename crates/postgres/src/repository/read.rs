use mtdb_domain::{Actor, Principal, Tenant, TenantId};

use tokio_postgres::types::ToSql;

use super::sql::typed as sql;
use crate::errors::DbFailure;
use crate::pools::Pools;
use crate::row::tenant_from_row;
use crate::unit_of_work::{prepare_context, read_once, Connection};

/// The live tenant `id` if `actor` sees it: one read-only unit of work, one round trip.
pub(super) async fn find(
    pool: &Pools,
    actor: &Actor,
    id: TenantId,
) -> Result<Option<Tenant>, DbFailure> {
    let connection = Connection::checkout(pool).await?;
    let client = connection.client()?;
    let context = prepare_context(&connection).await?;
    // Named, the statement's plan is cached with it; unnamed, it would be planned at every
    // run (several times the find's own cost), so the same query runs inside V10's
    // function, whose plan PL/pgSQL caches per server connection (docs/pgbouncer.md).
    let find = match (actor.principal, connection.names_statements()) {
        (Principal::Tenant(_), true) => &sql::FIND_AS_TENANT,
        (Principal::Tenant(_), false) => &sql::CALL_FIND_AS_TENANT,
        (Principal::PlatformAdmin, true) => &sql::FIND_AS_ADMIN,
        (Principal::PlatformAdmin, false) => &sql::CALL_FIND_AS_ADMIN,
    };
    let statement = connection.ready(find, "preparing the lookup").await?;
    let id = id.as_uuid();
    let params: [&(dyn ToSql + Sync); 1] = [&id];
    let query = statement.query_opt(client, params);
    let row = read_once(&connection, &context, actor, ("reading the tenant", query)).await?;
    row.as_ref().map(tenant_from_row).transpose()
}

/// A unit of work as `actor` that reads nothing (`HEAD` on a list): `BEGIN`, the
/// principal's context and `COMMIT` in one round trip, so that the database answers as
/// that principal, as the list's first statements would.
pub(super) async fn reach(pool: &Pools, actor: &Actor) -> Result<(), DbFailure> {
    let connection = Connection::checkout(pool).await?;
    let context = prepare_context(&connection).await?;
    let nothing = async { Ok::<(), tokio_postgres::Error>(()) };
    read_once(
        &connection,
        &context,
        actor,
        ("reaching the store", nothing),
    )
    .await
}
