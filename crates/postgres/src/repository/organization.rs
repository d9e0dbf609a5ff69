//! Learning a tenant principal's organization (its root tenant) from the database, once:
//! see `crate::fairness`. Only the first unit of work of each principal pays this
//! lookup; its root never changes afterwards. Its statement is always unnamed: once per
//! principal, a parse costs nothing worth a named statement that a pooler between mtdb
//! and PostgreSQL might not carry (docs/pgbouncer.md).

use deadpool_postgres::Pool;
use mtdb_domain::{Actor, TenantId};
use tokio_postgres::types::{ToSql, Type};
use uuid::Uuid;

use crate::errors::DbFailure;
use crate::statement::{Ready, Sql};
use crate::unit_of_work::{prepare_context, read_once, Connection};

// As the principal itself, under row level security: a live tenant sees its own row, a
// deleted or unknown one sees nothing (and then counts as its own organization).
pub(super) static ROOT: Sql<1> = Sql {
    text: "select coalesce(parent_tenant_id, tenant_id) from tenants \
           where tenant_id = $1 and deleted_at is null",
    types: [Type::UUID],
};

/// The root of the live tenant `id` as `actor` (acting as `id`) sees it.
pub(super) async fn root_of(
    pool: &Pool,
    actor: &Actor,
    id: TenantId,
) -> Result<Option<TenantId>, DbFailure> {
    let connection = Connection::checkout(pool).await?;
    let client = connection.client()?;
    let context = prepare_context(&connection).await?;
    let statement = Ready::Unnamed(&ROOT);
    let id = id.as_uuid();
    let params: [&(dyn ToSql + Sync); 1] = [&id];
    let query = statement.query_opt(client, params);
    let step = ("reading the organization", query);
    let row = read_once(&connection, &context, actor, step).await?;
    let root: Option<Uuid> = row.map(|row| row.try_get(0)).transpose()?;
    Ok(root.map(TenantId::from))
}
