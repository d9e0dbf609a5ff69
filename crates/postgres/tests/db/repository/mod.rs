//! The obligations of the adapter (`mtdb_ports::TenantRepository`) against the real database.

mod create;
mod delete;
mod list;
mod read;
mod update;

use mtdb_domain::{Metadata, NewTenant, Placement, TenantChanges, TenantName};
use serde_json::json;

use crate::support::id;

pub fn new_parent(name: &str) -> NewTenant {
    NewTenant {
        name: TenantName::parse(name).unwrap(),
        placement: Placement::TopLevel,
        metadata: Metadata::parse(Some(json!({"country": "France"}))).unwrap(),
    }
}

pub fn new_subsidiary(name: &str, parent: uuid::Uuid) -> NewTenant {
    NewTenant {
        name: TenantName::parse(name).unwrap(),
        placement: Placement::SubsidiaryOf(id(parent)),
        metadata: Metadata::default(),
    }
}

pub fn changes(name: &str, metadata: serde_json::Value) -> TenantChanges {
    TenantChanges {
        name: TenantName::parse(name).unwrap(),
        metadata: Metadata::parse(Some(metadata)).unwrap(),
    }
}
