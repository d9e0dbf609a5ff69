use super::*;

fn locking(target: Tenant, end: End) -> MockTenantTransaction {
    tx_locking(Some(target), Lock::Update, end)
}

async fn delete(
    tx: MockTenantTransaction,
    principal: Principal,
    target: u32,
    mode: DeleteMode,
    precondition: Precondition,
) -> Result<(), DeleteTenantError> {
    TenantUseCases::new(store_with(tx))
        .delete(&actor(principal), id(target), mode, precondition)
        .await
}

#[tokio::test]
async fn a_parent_deletes_its_subsidiary_in_the_transaction_that_locked_it() {
    let mut tx = locking(hsbc_hk(), End::Commit);
    tx.expect_live_subsidiaries().returning(|_| Ok(0));
    tx.expect_soft_delete()
        .with(eq(id(HSBC_HK)), eq(DeleteMode::Restrict))
        .times(1)
        .returning(|_, _| Ok(()));

    delete(
        tx,
        Principal::Tenant(id(HSBC)),
        HSBC_HK,
        DeleteMode::Restrict,
        Precondition::None,
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn no_tenant_deletes_itself() {
    for (me, target) in [(HSBC, hsbc()), (HSBC_HK, hsbc_hk())] {
        let mut tx = locking(target, End::Rollback);
        tx.expect_live_subsidiaries().never();
        tx.expect_soft_delete().never();

        let err = delete(
            tx,
            Principal::Tenant(id(me)),
            me,
            DeleteMode::Cascade,
            Precondition::None,
        )
        .await
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Forbidden);
    }
}

#[tokio::test]
async fn invisible_is_not_found_before_anything_else() {
    let mut tx = tx_locking(None, Lock::Update, End::Rollback);
    tx.expect_soft_delete().never();

    let err = delete(
        tx,
        Principal::Tenant(id(HSBC_HK)),
        2,
        DeleteMode::Restrict,
        Precondition::OneOf(vec![]),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn forbidden_comes_before_a_failed_precondition() {
    let mut tx = locking(hsbc(), End::Rollback);
    tx.expect_soft_delete().never();

    let err = delete(
        tx,
        Principal::Tenant(id(HSBC)),
        HSBC,
        DeleteMode::Restrict,
        Precondition::OneOf(vec![Version::new(1)]),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden);
}

#[tokio::test]
async fn a_stale_version_is_refused_before_the_subsidiaries_are_counted() {
    let mut tx = locking(hsbc_hk(), End::Rollback);
    tx.expect_live_subsidiaries().never();
    tx.expect_soft_delete().never();

    let err = delete(
        tx,
        Principal::Tenant(id(HSBC)),
        HSBC_HK,
        DeleteMode::Restrict,
        Precondition::OneOf(vec![Version::new(2)]),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PreconditionFailed);
}

#[tokio::test]
async fn live_subsidiaries_refuse_a_restricted_delete_without_writing() {
    let mut tx = locking(hsbc(), End::Rollback);
    tx.expect_live_subsidiaries()
        .with(eq(id(HSBC)))
        .returning(|_| Ok(2));
    tx.expect_soft_delete().never();

    let err = delete(
        tx,
        Principal::PlatformAdmin,
        HSBC,
        DeleteMode::Restrict,
        Precondition::OneOf(vec![Version::new(3)]),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::HasSubsidiaries);
}

#[tokio::test]
async fn a_cascade_deletes_a_parent_with_live_subsidiaries() {
    let mut tx = locking(hsbc(), End::Commit);
    tx.expect_live_subsidiaries().returning(|_| Ok(2));
    tx.expect_soft_delete()
        .with(eq(id(HSBC)), eq(DeleteMode::Cascade))
        .times(1)
        .returning(|_, _| Ok(()));

    delete(
        tx,
        Principal::PlatformAdmin,
        HSBC,
        DeleteMode::Cascade,
        Precondition::None,
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn live_subsidiaries_reported_by_the_store_pass_through() {
    // A subsidiary that appeared after the count (the trigger refuses the orphan).
    let mut tx = locking(hsbc(), End::Rollback);
    tx.expect_live_subsidiaries().returning(|_| Ok(0));
    tx.expect_soft_delete()
        .returning(|_, _| Err(DeleteTenantError::HasSubsidiaries));

    let err = delete(
        tx,
        Principal::PlatformAdmin,
        HSBC,
        DeleteMode::Restrict,
        Precondition::OneOf(vec![Version::new(3)]),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::HasSubsidiaries);
}
