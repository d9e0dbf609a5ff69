//! The fintech demo (README), with its fixed ids.

use tokio_postgres::{Statement, Transaction};
use uuid::Uuid;

use mtdb_postgres::AsConnection;

use crate::admin::{connect, AdminError};
use conflict::{is_name_taken, name_taken};

mod conflict;
mod demo;

pub use conflict::{NameHolder, SeedError};
pub use demo::{
    DemoTenant, BARCLAYS, BARCLAYS_UK, DEMO_TENANTS, HSBC, HSBC_HONG_KONG, HSBC_LONDON,
};

/// Inserts the demo tenants that are not there yet, as the platform admin under row level
/// security (the owner switches role like the application does), and returns how many it
/// inserted. Idempotent: a demo id that exists, live or deleted, is left as it is (a
/// live one under another name is only logged).
///
/// The seed's audit rows carry no `sub` (NULL), which no token can give: a token's `sub`
/// is never empty (docs/security.md, "Who the audit names").
///
/// # Errors
/// Nothing is seeded on any error (one transaction). [`SeedError::NameTaken`] when
/// another live tenant holds a demo tenant's name among its siblings;
/// [`SeedError::ParentDeleted`] when a demo parent is soft-deleted, so that its demo
/// subsidiaries cannot be under it; otherwise a bad URL, an unreachable server, or a
/// refused statement.
pub async fn seed_demo(admin: &(impl AsConnection + ?Sized)) -> Result<u64, SeedError> {
    let mut client = connect(admin, "admin").await?;
    let mut tx = client
        .transaction()
        .await
        .map_err(AdminError::db("starting the seed"))?;
    tx.execute(
        "select set_config('role', 'mtdb_platform_admin', true)",
        &[],
    )
    .await
    .map_err(AdminError::db("switching to the platform admin role"))?;
    // Only the id arbitrates: a name held by another tenant is an error to report, not a
    // reason to skip (the demo's subsidiaries would then fail on a missing parent).
    let insert = tx
        .prepare(
            "insert into tenants (tenant_id, name, parent_tenant_id, tenant_type, metadata) \
             values ($1, $2, $3, $4, $5) on conflict (tenant_id) do nothing",
        )
        .await
        .map_err(AdminError::db("preparing the seed"))?;
    let live = live_demo_names(&tx).await?;
    let mut deleted_parents: Vec<DemoTenant> = Vec::new();
    let mut inserted = 0;
    for tenant in DEMO_TENANTS {
        if let Some(name) = live.iter().find(|(id, _)| *id == tenant.id).map(|(_, n)| n) {
            if name != tenant.name {
                tracing::warn!(id = %tenant.id, demo = tenant.name, name = %name,
                    "a demo tenant was renamed; left as it is");
            }
            continue;
        }
        // The insert trigger would refuse a subsidiary under a deleted parent, with
        // nothing to say about which or why: say it here.
        if let Some(parent) = deleted_parents.iter().find(|p| Some(p.id) == tenant.parent) {
            return Err(SeedError::ParentDeleted {
                parent: *parent,
                subsidiary: tenant,
            });
        }
        let added = insert_one(&mut tx, &insert, tenant).await?;
        // Not live (read above) and not inserted: the id exists, soft-deleted.
        if added == 0 && tenant.parent.is_none() {
            deleted_parents.push(tenant);
        }
        inserted += added;
    }
    tx.commit()
        .await
        .map_err(AdminError::db("committing the seed"))?;
    Ok(inserted)
}

/// The demo ids that are live, with their names (row level security shows the platform
/// admin live rows only).
async fn live_demo_names(tx: &Transaction<'_>) -> Result<Vec<(Uuid, String)>, SeedError> {
    let ids: Vec<Uuid> = DEMO_TENANTS.iter().map(|t| t.id).collect();
    let rows = tx
        .query(
            "select tenant_id, name from tenants where tenant_id = any($1)",
            &[&ids],
        )
        .await
        .map_err(AdminError::db("reading the demo tenants already there"))?;
    rows.iter()
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
        .collect::<Result<_, tokio_postgres::Error>>()
        .map_err(|e| AdminError::db("reading the demo tenants already there")(e).into())
}

/// One demo tenant, in a savepoint so that a name conflict can still be explained.
async fn insert_one(
    tx: &mut Transaction<'_>,
    insert: &Statement,
    tenant: DemoTenant,
) -> Result<u64, SeedError> {
    let savepoint = tx
        .savepoint("demo_tenant")
        .await
        .map_err(AdminError::db("opening a savepoint"))?;
    let params: [&(dyn tokio_postgres::types::ToSql + Sync); 5] = [
        &tenant.id,
        &tenant.name,
        &tenant.parent,
        &tenant.tenant_type(),
        &tenant.metadata(),
    ];
    match savepoint.execute(insert, &params).await {
        Ok(n) => {
            savepoint
                .commit()
                .await
                .map_err(AdminError::db("releasing a savepoint"))?;
            Ok(n)
        }
        Err(e) if is_name_taken(&e) => {
            savepoint
                .rollback()
                .await
                .map_err(AdminError::db("rolling back to a savepoint"))?;
            Err(name_taken(tx, tenant, e).await)
        }
        Err(source) => Err(SeedError::Insert {
            demo: tenant,
            source,
        }),
    }
}
