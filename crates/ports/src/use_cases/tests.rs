//! The use cases against a mocked store and transaction: no database, milliseconds.

use mockall::predicate::eq;
use mtdb_domain::{fixture, ErrorKind, Metadata, Principal, Subject, TenantPage, Version};

use super::*;
use crate::store::{MockTenantStore, MockTenantTransaction};

fn id(n: u32) -> TenantId {
    format!("00000000-0000-4000-8000-{n:012}").parse().unwrap()
}

fn tenant(n: u32, placement: Placement) -> Tenant {
    Tenant {
        name: fixture::name(&format!("tenant {n}")),
        version: Version::new(3),
        ..fixture::tenant(id(n), placement)
    }
}

fn actor(principal: Principal) -> Actor {
    Actor::new(principal, Subject::parse("tester").unwrap())
}

fn new_tenant(placement: Placement) -> NewTenant {
    fixture::new_tenant("New Bank", placement)
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

/// How a unit of work must end.
#[derive(Clone, Copy)]
enum End {
    Commit,
    Rollback,
}

/// A transaction whose `lock` answers `locked` for any id with the lock `mode`, and that
/// must end exactly once as `end` says.
fn tx_locking(locked: Option<Tenant>, mode: Lock, end: End) -> MockTenantTransaction {
    let mut tx = MockTenantTransaction::new();
    tx.expect_lock()
        .withf(move |_, m| *m == mode)
        .returning(move |_, _| Ok(locked.clone()));
    ending(&mut tx, end);
    tx
}

fn ending(tx: &mut MockTenantTransaction, end: End) {
    match end {
        End::Commit => {
            tx.expect_commit().times(1).returning(|| Ok(()));
            tx.expect_rollback().never();
        }
        End::Rollback => {
            tx.expect_commit().never();
            tx.expect_rollback().times(1).returning(|| ());
        }
    }
}

/// A store whose one unit of work is `tx`; it is asked for no other.
fn store_with(tx: MockTenantTransaction) -> MockTenantStore {
    let mut store = MockTenantStore::new();
    store
        .expect_begin()
        .times(1)
        .return_once(move |_| Ok(Box::new(tx)));
    store.expect_find().never();
    store
}

mod create;
mod delete;
mod read;
mod update;
