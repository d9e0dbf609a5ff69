//! The fintech demo (README), with its fixed ids.

use serde_json::{json, Value};
use tokio_postgres::{Statement, Transaction};
use uuid::Uuid;

use crate::admin::{connect, AdminError};
use crate::connection::AsConnection;
use crate::seed_conflict::{is_name_taken, name_taken};
pub use crate::seed_conflict::{NameHolder, SeedError};

/// One demo tenant. Parents come before their subsidiaries in [`DEMO_TENANTS`].
#[derive(Debug, Clone, Copy)]
pub struct DemoTenant {
    pub id: Uuid,
    pub name: &'static str,
    pub parent: Option<Uuid>,
    country: &'static str,
    business_unit: &'static str,
    regulator: &'static str,
}

pub const HSBC: Uuid = Uuid::from_u128(0x0000_0000_0000_4000_8000_0000_0000_0001);
pub const HSBC_HONG_KONG: Uuid = Uuid::from_u128(0x0000_0000_0000_4000_8000_0000_0000_0011);
pub const HSBC_LONDON: Uuid = Uuid::from_u128(0x0000_0000_0000_4000_8000_0000_0000_0012);
pub const BARCLAYS: Uuid = Uuid::from_u128(0x0000_0000_0000_4000_8000_0000_0000_0002);
pub const BARCLAYS_UK: Uuid = Uuid::from_u128(0x0000_0000_0000_4000_8000_0000_0000_0021);

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
    pub fn tenant_type(&self) -> &'static str {
        match self.parent {
            None => "parent",
            Some(_) => "subsidiary",
        }
    }

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
/// inserted. Idempotent: a demo id that exists, live or deleted, is skipped.
///
/// The seed's audit rows carry no `sub` (NULL), which no token can give: a token's `sub`
/// is never empty (docs/security.md, "Who the audit names").
///
/// # Errors
/// [`SeedError::NameTaken`] when another live tenant holds a demo tenant's name among its
/// siblings (nothing is seeded then); otherwise a bad URL, an unreachable server, or a
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
    let mut inserted = 0;
    for tenant in &DEMO_TENANTS {
        inserted += insert_one(&mut tx, &insert, *tenant).await?;
    }
    tx.commit()
        .await
        .map_err(AdminError::db("committing the seed"))?;
    Ok(inserted)
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
        Err(e) => Err(AdminError::db("inserting a demo tenant")(e).into()),
    }
}
