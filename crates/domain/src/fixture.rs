//! Valid tenants for tests (feature `fixtures`): the one place that names every field of
//! [`Tenant`], [`NewTenant`] and [`TenantChanges`], so that a field added to a tenant is
//! added here and nowhere else in the tests. A test changes what it cares about with
//! struct update syntax: `Tenant { version: Version::new(3), ..fixture::tenant(id, placement) }`.

use chrono::{DateTime, Utc};

use crate::{Metadata, NewTenant, Placement, Tenant, TenantChanges, TenantId, TenantName, Version};

/// A name that parses, for fixtures; panics on one that does not (a broken test).
pub fn name(raw: &str) -> TenantName {
    TenantName::parse(raw).unwrap_or_else(|e| panic!("fixture name {raw:?}: {e}"))
}

/// A stored tenant at `placement`: named after its id, no metadata, created and last
/// changed at the Unix epoch, version 1.
pub fn tenant(id: TenantId, placement: Placement) -> Tenant {
    Tenant {
        id,
        name: name(&format!("tenant {id}")),
        placement,
        metadata: Metadata::default(),
        created_at: DateTime::<Utc>::UNIX_EPOCH,
        updated_at: DateTime::<Utc>::UNIX_EPOCH,
        version: Version::new(1),
    }
}

/// A create request for `name` at `placement`, without metadata.
pub fn new_tenant(raw_name: &str, placement: Placement) -> NewTenant {
    NewTenant {
        name: name(raw_name),
        placement,
        metadata: Metadata::default(),
    }
}

/// An update to `name` and `metadata`.
pub fn changes(raw_name: &str, metadata: Metadata) -> TenantChanges {
    TenantChanges {
        name: name(raw_name),
        metadata,
    }
}
