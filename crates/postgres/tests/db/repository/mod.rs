//! The obligations of the adapter (`mtdb_ports::TenantRepository`) against the real database.

mod create;
mod delete;
mod list;
mod read;
mod update;

use mtdb_domain::{fixture, Metadata, NewTenant, Placement, TenantChanges};
use serde_json::json;

use crate::support::id;

pub fn new_parent(name: &str) -> NewTenant {
    NewTenant {
        metadata: Metadata::parse(Some(json!({"country": "France"}))).unwrap(),
        ..fixture::new_tenant(name, Placement::TopLevel)
    }
}

pub fn new_subsidiary(name: &str, parent: uuid::Uuid) -> NewTenant {
    fixture::new_tenant(name, Placement::SubsidiaryOf(id(parent)))
}

pub fn changes(name: &str, metadata: serde_json::Value) -> TenantChanges {
    fixture::changes(name, Metadata::parse(Some(metadata)).unwrap())
}
