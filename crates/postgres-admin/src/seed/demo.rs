//! The demo tenants: HSBC and Barclays with their subsidiaries, at fixed ids.

use serde_json::{json, Value};
use uuid::Uuid;

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
