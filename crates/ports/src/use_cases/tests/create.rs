use super::*;

fn admin_actor() -> Actor {
    actor(Principal::PlatformAdmin)
}

#[tokio::test]
async fn the_admin_creates_a_parent_in_one_unit_of_work_without_locking_anything() {
    let mut tx = MockTenantTransaction::new();
    tx.expect_lock().never();
    tx.expect_insert().times(1).returning(|_| Ok(hsbc()));
    ending(&mut tx, End::Commit);
    let service = TenantUseCases::new(store_with(tx));

    let created = service
        .create(&admin_actor(), new_tenant(Placement::TopLevel))
        .await
        .unwrap();
    assert_eq!(created.id, id(HSBC));
}

#[tokio::test]
async fn a_tenant_may_not_create_a_parent_and_no_unit_of_work_starts() {
    let mut store = MockTenantStore::new();
    store.expect_begin().never();
    let service = TenantUseCases::new(store);

    let err = service
        .create(
            &actor(Principal::Tenant(id(HSBC))),
            new_tenant(Placement::TopLevel),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden);
}

#[tokio::test]
async fn an_invisible_parent_is_not_found_and_nothing_is_written() {
    let mut tx = MockTenantTransaction::new();
    tx.expect_lock()
        .with(eq(id(2)), eq(Lock::Share))
        .times(1)
        .returning(|_, _| Ok(None));
    tx.expect_insert().never();
    ending(&mut tx, End::Rollback);
    let service = TenantUseCases::new(store_with(tx));

    let err = service
        .create(
            &actor(Principal::Tenant(id(HSBC))),
            new_tenant(Placement::SubsidiaryOf(id(2))),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, CreateTenantError::ParentNotFound));
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn a_subsidiary_cannot_hold_subsidiaries() {
    let mut tx = tx_locking(Some(hsbc_hk()), Lock::Share, End::Rollback);
    tx.expect_insert().never();
    let service = TenantUseCases::new(store_with(tx));

    let err = service
        .create(
            &actor(Principal::Tenant(id(HSBC_HK))),
            new_tenant(Placement::SubsidiaryOf(id(HSBC_HK))),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::HierarchyDepthExceeded);
}

#[tokio::test]
async fn a_parent_creates_a_subsidiary_under_itself_in_the_transaction_that_locked_it() {
    let mut tx = tx_locking(Some(hsbc()), Lock::Share, End::Commit);
    tx.expect_insert()
        .withf(|new| new.placement == Placement::SubsidiaryOf(id(HSBC)))
        .times(1)
        .returning(|_| Ok(hsbc_hk()));
    let service = TenantUseCases::new(store_with(tx));

    let created = service
        .create(
            &actor(Principal::Tenant(id(HSBC))),
            new_tenant(Placement::SubsidiaryOf(id(HSBC))),
        )
        .await
        .unwrap();
    assert_eq!(created.parent_id(), Some(id(HSBC)));
}

#[tokio::test]
async fn store_failures_while_locking_the_parent_pass_through() {
    let mut tx = MockTenantTransaction::new();
    tx.expect_lock().returning(|_, _| Err(unavailable()));
    tx.expect_insert().never();
    ending(&mut tx, End::Rollback);
    let service = TenantUseCases::new(store_with(tx));

    let err = service
        .create(
            &admin_actor(),
            new_tenant(Placement::SubsidiaryOf(id(HSBC))),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
}

#[tokio::test]
async fn a_unit_of_work_that_cannot_start_is_the_store_failure() {
    let mut store = MockTenantStore::new();
    store
        .expect_begin()
        .times(1)
        .returning(|_| Err(StoreError::Overloaded));
    let service = TenantUseCases::new(store);

    let err = service
        .create(&admin_actor(), new_tenant(Placement::TopLevel))
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        CreateTenantError::Store(StoreError::Overloaded)
    ));
}

#[tokio::test]
async fn duplicate_names_reported_by_the_store_pass_through_and_roll_back() {
    let mut tx = MockTenantTransaction::new();
    tx.expect_insert()
        .returning(|_| Err(CreateTenantError::DuplicateName));
    ending(&mut tx, End::Rollback);
    let service = TenantUseCases::new(store_with(tx));

    let err = service
        .create(&admin_actor(), new_tenant(Placement::TopLevel))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DuplicateName);
}

#[tokio::test]
async fn a_failed_commit_is_the_store_failure() {
    let mut tx = MockTenantTransaction::new();
    tx.expect_insert().returning(|_| Ok(hsbc()));
    tx.expect_commit().times(1).returning(|| Err(unavailable()));
    tx.expect_rollback().never();
    let service = TenantUseCases::new(store_with(tx));

    let err = service
        .create(&admin_actor(), new_tenant(Placement::TopLevel))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
}
