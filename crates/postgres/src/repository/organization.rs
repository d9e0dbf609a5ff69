//! Learning a tenant principal's organization (its root tenant) from the database, once:
//! see `crate::fairness`. Only the first unit of work of each principal pays this
//! lookup; its root never changes afterwards, deleted or not. Its statement is always
//! unnamed: once per principal, a parse costs nothing worth a named statement that a
//! pooler between mtdb and PostgreSQL might not carry (docs/pgbouncer.md).

use mtdb_domain::{Actor, Principal, TenantId};
use tokio_postgres::types::{ToSql, Type};
use uuid::Uuid;

use crate::errors::DbFailure;
use crate::pools::Pools;
use crate::statement::{Ready, Sql};
use crate::unit_of_work::{prepare_context, read_once, Connection};

// As the principal itself: a live tenant's own row under row level security, else (a
// deleted tenant sees no row of its own) its creation in the audit trail, through V12's
// function, which answers for the context tenant only. NULL: no tenant ever had this id.
pub(super) static ROOT: Sql<1> = Sql {
    text: "select coalesce((select coalesce(parent_tenant_id, tenant_id) from tenants \
           where tenant_id = $1 and deleted_at is null), mtdb_context_organization())",
    types: [Type::UUID],
};

/// The root tenant of the organization `actor` (a tenant principal) belongs to, whether
/// its tenant is live or deleted; `None` for the platform admin and for an id that never
/// named a tenant. One read-only unit of work as `actor`, outside the fair gate: the
/// caller admits it.
pub(super) async fn root_of(pool: &Pools, actor: &Actor) -> Result<Option<TenantId>, DbFailure> {
    let Principal::Tenant(id) = actor.principal else {
        return Ok(None);
    };
    let connection = Connection::checkout(pool).await?;
    let client = connection.client()?;
    let context = prepare_context(&connection).await?;
    let statement = Ready::Unnamed(&ROOT);
    let id = id.as_uuid();
    let params: [&(dyn ToSql + Sync); 1] = [&id];
    let query = statement.query_one(client, params);
    let step = ("reading the organization", query);
    let row = read_once(&connection, &context, actor, step).await?;
    let root: Option<Uuid> = row.try_get(0)?;
    Ok(root.map(TenantId::from))
}
