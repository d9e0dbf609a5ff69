use super::*;

fn locking(target: Tenant, end: End) -> MockTenantTransaction {
    tx_locking(Some(target), Lock::Update, end)
}

fn changes(name: &str) -> TenantChanges {
    fixture::changes(name, Metadata::default())
}

async fn update(
    tx: MockTenantTransaction,
    principal: Principal,
    target: u32,
    name: &str,
    precondition: Precondition,
) -> Result<Tenant, UpdateTenantError> {
    TenantUseCases::new(store_with(tx))
        .update(&actor(principal), id(target), changes(name), precondition)
        .await
}

#[tokio::test]
async fn a_parent_renames_its_subsidiary() {
    let mut tx = locking(hsbc_hk(), End::Commit);
    tx.expect_update()
        .withf(|tid, c| *tid == id(HSBC_HK) && c.name.as_str() == "HSBC Asia")
        .times(1)
        .returning(|_, _| Ok(hsbc_hk()));

    update(
        tx,
        Principal::Tenant(id(HSBC)),
        HSBC_HK,
        "HSBC Asia",
        Precondition::None,
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn no_tenant_renames_itself_and_the_store_is_never_asked() {
    // The store is never asked: so whether the name is taken cannot change the answer.
    for (me, target) in [(HSBC, hsbc()), (HSBC_HK, hsbc_hk())] {
        for new_name in ["bArClAyS", "An Unused Name"] {
            let mut tx = locking(target.clone(), End::Rollback);
            tx.expect_update().never();
            let err = update(
                tx,
                Principal::Tenant(id(me)),
                me,
                new_name,
                Precondition::None,
            )
            .await
            .unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Forbidden, "{me} -> {new_name}");
        }
    }
}

#[tokio::test]
async fn keeping_the_name_is_a_metadata_update_a_tenant_makes_itself() {
    for (me, target) in [(HSBC, hsbc()), (HSBC_HK, hsbc_hk())] {
        let same = target.name.as_str().to_owned();
        let mut tx = locking(target.clone(), End::Commit);
        tx.expect_update()
            .times(1)
            .returning(move |_, _| Ok(target.clone()));
        update(tx, Principal::Tenant(id(me)), me, &same, Precondition::None)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn the_admin_renames_any_tenant() {
    for target in [hsbc(), hsbc_hk()] {
        let n = if target.parent_id().is_some() {
            HSBC_HK
        } else {
            HSBC
        };
        let mut tx = locking(target.clone(), End::Commit);
        tx.expect_update()
            .times(1)
            .returning(move |_, _| Ok(target.clone()));
        update(
            tx,
            Principal::PlatformAdmin,
            n,
            "Renamed",
            Precondition::None,
        )
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn invisible_is_not_found_before_anything_else() {
    let mut tx = MockTenantTransaction::new();
    tx.expect_lock().times(1).returning(|_, _| Ok(None));
    tx.expect_update().never();
    ending(&mut tx, End::Rollback);

    let err = update(
        tx,
        Principal::Tenant(id(HSBC_HK)),
        2,
        "Mine",
        Precondition::OneOf(vec![]),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn forbidden_comes_before_a_failed_precondition() {
    let mut tx = locking(hsbc(), End::Rollback);
    tx.expect_update().never();

    let err = update(
        tx,
        Principal::Tenant(id(HSBC)),
        HSBC,
        "bArClAyS",
        Precondition::OneOf(vec![Version::new(1)]),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden);
}

#[tokio::test]
async fn a_stale_version_is_refused_without_writing() {
    let mut tx = locking(hsbc_hk(), End::Rollback);
    tx.expect_update().never();

    let err = update(
        tx,
        Principal::Tenant(id(HSBC)),
        HSBC_HK,
        "HSBC Asia",
        Precondition::OneOf(vec![Version::new(2)]),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PreconditionFailed);
}

#[tokio::test]
async fn a_duplicate_reported_by_the_store_passes_through() {
    let mut tx = locking(hsbc_hk(), End::Rollback);
    tx.expect_update()
        .returning(|_, _| Err(UpdateTenantError::DuplicateName));

    let err = update(
        tx,
        Principal::Tenant(id(HSBC)),
        HSBC_HK,
        "HSBC London",
        Precondition::OneOf(vec![Version::new(3)]),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DuplicateName);
}

#[tokio::test]
async fn a_store_failure_while_reading_is_the_store_failure() {
    let mut tx = MockTenantTransaction::new();
    tx.expect_lock().returning(|_, _| Err(unavailable()));
    tx.expect_update().never();
    ending(&mut tx, End::Rollback);

    let err = update(tx, Principal::PlatformAdmin, HSBC, "X", Precondition::None)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
}

#[tokio::test]
async fn the_precondition_is_checked_on_the_row_the_transaction_locked() {
    // The version the lock returned is the one judged: no second read can disagree.
    let mut tx = locking(hsbc(), End::Commit);
    tx.expect_update().times(1).returning(|_, _| Ok(hsbc()));
    update(
        tx,
        Principal::PlatformAdmin,
        HSBC,
        "Renamed",
        Precondition::OneOf(vec![Version::new(3)]),
    )
    .await
    .unwrap();
}
