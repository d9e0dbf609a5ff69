//! The fintech demo (README), with its fixed ids.

use serde_json::{json, Value};
use uuid::Uuid;

use crate::admin::{connect, AdminError};

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
/// inserted. Idempotent: an existing id or a live tenant of the same name is skipped.
///
/// # Errors
/// A bad URL, an unreachable server, or a refused insert.
pub async fn seed_demo(admin_url: &str) -> Result<u64, AdminError> {
    let mut client = connect(admin_url, "admin").await?;
    let tx = client
        .transaction()
        .await
        .map_err(AdminError::db("starting the seed"))?;
    tx.execute(
        "select set_config('role', 'mtdb_platform_admin', true), \
                set_config('app.actor_sub', 'mtdb seed', true)",
        &[],
    )
    .await
    .map_err(AdminError::db("switching to the platform admin role"))?;
    let insert = tx
        .prepare(
            "insert into tenants (tenant_id, name, parent_tenant_id, tenant_type, metadata) \
             values ($1, $2, $3, $4, $5) on conflict do nothing",
        )
        .await
        .map_err(AdminError::db("preparing the seed"))?;
    let mut inserted = 0;
    for tenant in &DEMO_TENANTS {
        inserted += tx
            .execute(
                &insert,
                &[
                    &tenant.id,
                    &tenant.name,
                    &tenant.parent,
                    &tenant.tenant_type(),
                    &tenant.metadata(),
                ],
            )
            .await
            .map_err(AdminError::db("inserting a demo tenant"))?;
    }
    tx.commit()
        .await
        .map_err(AdminError::db("committing the seed"))?;
    Ok(inserted)
}
