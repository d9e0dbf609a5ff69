//! The fintech demo (README), with its fixed ids.

use serde_json::{json, Value};
use tokio_postgres::{Statement, Transaction};
use uuid::Uuid;

use crate::admin::{connect, AdminError};
use crate::seed_conflict::{is_name_taken, name_taken};
pub use crate::seed_conflict::{NameHolder, SeedError};
use mtdb_postgres::AsConnection;

/// One demo tenant. Parents come before their subsidiaries in [`DEMO_TENANTS`].
#[derive(Debug, Clone, Copy)]
pub struct DemoTenant {
    /// Its fixed id, which the README's and docs/api.md's examples use.
    pub id: Uuid,
    /// Its name as seeded.
    pub name: &'static str,
    /// Its parent's id for a subsidiary, `None` for a parent.
    pub parent: Option<Uuid>,
    country: &'static str,
    business_unit: &'static str,
    regulator: &'static str,
}

/// HSBC's fixed id: a parent tenant.
pub const HSBC: Uuid = Uuid::from_u128(0x0000_0000_0000_4000_8000_0000_0000_0001);
/// HSBC Hong Kong's fixed id: a subsidiary of [`HSBC`].
pub const HSBC_HONG_KONG: Uuid = Uuid::from_u128(0x0000_0000_0000_4000_8000_0000_0000_0011);
/// HSBC London's fixed id: a subsidiary of [`HSBC`].
pub const HSBC_LONDON: Uuid = Uuid::from_u128(0x0000_0000_0000_4000_8000_0000_0000_0012);
/// Barclays' fixed id: a parent tenant, which HSBC's principals must never see.
pub const BARCLAYS: Uuid = Uuid::from_u128(0x0000_0000_0000_4000_8000_0000_0000_0002);
/// Barclays UK's fixed id: a subsidiary of [`BARCLAYS`].
pub const BARCLAYS_UK: Uuid = Uuid::from_u128(0x0000_0000_0000_4000_8000_0000_0000_0021);

/// The five demo tenants, each parent before its subsidiaries (the order they are
/// inserted in).
pub const DEMO_TENANTS: [DemoTenant; 5] = [
    DemoTenant {
        id: HSBC,
        name: "HSBC",
        parent: None,
        country: "United Kingdom",
        business_unit: "group",
        regulator: "PRA",
    },
    DemoTenant {
        id: HSBC_HONG_KONG,
        name: "HSBC Hong Kong",
        parent: Some(HSBC),
        country: "Hong Kong",
        business_unit: "retail_banking",
        regulator: "HKMA",
    },
    DemoTenant {
        id: HSBC_LONDON,
        name: "HSBC London",
        parent: Some(HSBC),
        country: "United Kingdom",
        business_unit: "commercial_banking",
        regulator: "PRA",
    },
    DemoTenant {
        id: BARCLAYS,
        name: "Barclays",
        parent: None,
        country: "United Kingdom",
        business_unit: "group",
        regulator: "PRA",
    },
    DemoTenant {
        id: BARCLAYS_UK,
        name: "Barclays UK",
        parent: Some(BARCLAYS),
        country: "United Kingdom",
        business_unit: "retail_banking",
        regulator: "FCA",
    },
];

impl DemoTenant {
    /// `"parent"` or `"subsidiary"`, as the database and the API spell it.
    pub fn tenant_type(&self) -> &'static str {
        match self.parent {
            None => "parent",
            Some(_) => "subsidiary",
        }
    }

    /// The metadata it is seeded with: country, business unit, regulator and currency.
    pub fn metadata(&self) -> Value {
        json!({
            "country": self.country,
            "business_unit": self.business_unit,
            "regulator": self.regulator,
            "currency": if self.country == "Hong Kong" { "HKD" } else { "GBP" },
        })
    }
}

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
