//! The rule tables of docs/security.md section 3, over the demo organizations.

use super::*;
use crate::errors::ErrorKind;
use crate::fixture;
use crate::tenant_id::TenantId;

fn id(n: u32) -> TenantId {
    format!("00000000-0000-4000-8000-{n:012}").parse().unwrap()
}

fn tenant(n: u32, placement: Placement) -> Tenant {
    Tenant {
        name: fixture::name(&format!("tenant {n}")),
        ..fixture::tenant(id(n), placement)
    }
}

struct Demo {
    hsbc: Tenant,
    hsbc_hk: Tenant,
    barclays: Tenant,
    barclays_uk: Tenant,
}

fn demo() -> Demo {
    Demo {
        hsbc: tenant(1, Placement::TopLevel),
        hsbc_hk: tenant(11, Placement::SubsidiaryOf(id(1))),
        barclays: tenant(2, Placement::TopLevel),
        barclays_uk: tenant(21, Placement::SubsidiaryOf(id(2))),
    }
}

const ADMIN: Principal = Principal::PlatformAdmin;

fn as_tenant(t: &Tenant) -> Principal {
    Principal::Tenant(t.id)
}

#[test]
fn visibility_table() {
    let d = demo();
    let all = [&d.hsbc, &d.hsbc_hk, &d.barclays, &d.barclays_uk];
    let unknown = Principal::Tenant(id(999));
    let table: [(Principal, [bool; 4]); 6] = [
        (ADMIN, [true, true, true, true]),
        (as_tenant(&d.hsbc), [true, true, false, false]),
        (as_tenant(&d.hsbc_hk), [false, true, false, false]),
        (as_tenant(&d.barclays), [false, false, true, true]),
        (as_tenant(&d.barclays_uk), [false, false, false, true]),
        (unknown, [false, false, false, false]),
    ];
    for (principal, expected) in table {
        let seen: Vec<bool> = all.iter().map(|t| can_see(&principal, t)).collect();
        assert_eq!(seen, expected, "{principal}");
    }
}

#[test]
fn only_the_admin_creates_parents() {
    let d = demo();
    assert!(ensure_may_create_top_level(&ADMIN).is_ok());
    for t in [&d.hsbc, &d.hsbc_hk, &d.barclays_uk] {
        let err = ensure_may_create_top_level(&as_tenant(t)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Forbidden);
    }
}

#[test]
fn subsidiaries_go_under_parents_only() {
    let d = demo();
    assert!(ensure_may_hold_subsidiary(&d.hsbc).is_ok());
    assert!(ensure_may_hold_subsidiary(&d.barclays).is_ok());
    for sub in [&d.hsbc_hk, &d.barclays_uk] {
        let err = ensure_may_hold_subsidiary(sub).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::HierarchyDepthExceeded);
    }
}

#[test]
fn delete_table() {
    let d = demo();
    let targets = [&d.hsbc, &d.hsbc_hk, &d.barclays, &d.barclays_uk];
    let table: [(Principal, [bool; 4]); 5] = [
        (ADMIN, [true, true, true, true]),
        (as_tenant(&d.hsbc), [false, true, false, false]),
        (as_tenant(&d.hsbc_hk), [false, false, false, false]),
        (as_tenant(&d.barclays), [false, false, false, true]),
        (as_tenant(&d.barclays_uk), [false, false, false, false]),
    ];
    for (principal, expected) in table {
        let allowed: Vec<bool> = targets
            .iter()
            .map(|t| ensure_may_delete(&principal, t).is_ok())
            .collect();
        assert_eq!(allowed, expected, "{principal}");
    }
}

#[test]
fn live_subsidiaries_block_a_delete_unless_cascading() {
    use DeleteMode::*;
    use TenantType::*;
    let table = [
        (Parent, 0, Restrict, true),
        (Parent, 0, Cascade, true),
        (Parent, 2, Restrict, false),
        (Parent, 2, Cascade, true),
        (Subsidiary, 0, Restrict, true),
        (Subsidiary, 0, Cascade, true),
    ];
    for (tenant_type, live, mode, ok) in table {
        let result = ensure_may_remove(tenant_type, live, mode);
        assert_eq!(result.is_ok(), ok, "{tenant_type} {live} {mode:?}");
        if let Err(e) = result {
            assert_eq!(e.kind(), ErrorKind::HasSubsidiaries);
        }
    }
}

fn name(raw: &str) -> TenantName {
    TenantName::parse(raw).unwrap()
}

#[test]
fn rename_table() {
    let d = demo();
    // Who may give each tenant a new name: the admin, and a subsidiary's parent.
    let table: [(Principal, &Tenant, bool); 7] = [
        (ADMIN, &d.hsbc, true),
        (ADMIN, &d.hsbc_hk, true),
        (as_tenant(&d.hsbc), &d.hsbc_hk, true),
        (as_tenant(&d.hsbc), &d.hsbc, false),
        (as_tenant(&d.hsbc_hk), &d.hsbc_hk, false),
        (as_tenant(&d.barclays), &d.barclays, false),
        (as_tenant(&d.barclays_uk), &d.barclays_uk, false),
    ];
    for (principal, target, allowed) in table {
        let result = ensure_may_rename(&principal, target, &name("A New Name"));
        assert_eq!(
            result.is_ok(),
            allowed,
            "{principal:?} renaming {}",
            target.id
        );
        if let Err(e) = result {
            assert_eq!(e.kind(), ErrorKind::Forbidden);
        }
    }
}

#[test]
fn keeping_the_name_is_a_metadata_update_anyone_who_sees_the_tenant_may_make() {
    let d = demo();
    for (principal, target) in [
        (as_tenant(&d.hsbc), &d.hsbc),
        (as_tenant(&d.hsbc_hk), &d.hsbc_hk),
        (ADMIN, &d.barclays),
    ] {
        let same = target.name.clone();
        assert!(ensure_may_rename(&principal, target, &same).is_ok());
    }
}

#[test]
fn a_name_that_differs_only_in_case_is_a_rename() {
    let d = demo();
    let shouted = name(&d.hsbc.name.as_str().to_uppercase());
    let err = ensure_may_rename(&as_tenant(&d.hsbc), &d.hsbc, &shouted).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden);
}
