//! The use cases against a mocked repository: no database, milliseconds.

use chrono::{DateTime, Utc};
use mockall::predicate::eq;
use mtdb_domain::{ErrorKind, Metadata, Principal, Subject, TenantName, TenantPage, Version};

use super::*;
use crate::MockTenantRepository;

fn id(n: u32) -> TenantId {
    format!("00000000-0000-4000-8000-{n:012}").parse().unwrap()
}

fn tenant(n: u32, placement: Placement) -> Tenant {
    Tenant {
        id: id(n),
        name: TenantName::parse(&format!("tenant {n}")).unwrap(),
        placement,
        metadata: Metadata::default(),
        created_at: DateTime::<Utc>::UNIX_EPOCH,
        updated_at: DateTime::<Utc>::UNIX_EPOCH,
        version: Version::new(3),
    }
}

fn actor(principal: Principal) -> Actor {
    Actor::new(principal, Subject::parse("tester").unwrap())
}

fn new_tenant(placement: Placement) -> NewTenant {
    NewTenant {
        name: TenantName::parse("New Bank").unwrap(),
        placement,
        metadata: Metadata::default(),
    }
}

const HSBC: u32 = 1;
const HSBC_HK: u32 = 11;

fn hsbc() -> Tenant {
    tenant(HSBC, Placement::TopLevel)
}

fn hsbc_hk() -> Tenant {
    tenant(HSBC_HK, Placement::SubsidiaryOf(id(HSBC)))
}

fn unavailable() -> StoreError {
    StoreError::Unavailable("connection refused".into())
}

mod create;
mod delete;
mod read;
mod update;
