use super::*;

#[tokio::test]
async fn the_admin_creates_a_parent_without_looking_anything_up() {
    let mut repo = MockTenantRepository::new();
    repo.expect_find().never();
    repo.expect_insert().times(1).returning(|_, _| Ok(hsbc()));
    let service = TenantUseCases::new(repo);

    let created = service
        .create(
            &actor(Principal::PlatformAdmin),
            new_tenant(Placement::TopLevel),
        )
        .await
        .unwrap();
    assert_eq!(created.id, id(HSBC));
}

#[tokio::test]
async fn a_tenant_may_not_create_a_parent_and_nothing_is_written() {
    let mut repo = MockTenantRepository::new();
    repo.expect_insert().never();
    let service = TenantUseCases::new(repo);

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
    let mut repo = MockTenantRepository::new();
    repo.expect_find()
        .with(mockall::predicate::always(), eq(id(2)))
        .returning(|_, _| Err(GetTenantError::NotFound));
    repo.expect_insert().never();
    let service = TenantUseCases::new(repo);

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
    let mut repo = MockTenantRepository::new();
    repo.expect_find().returning(|_, _| Ok(hsbc_hk()));
    repo.expect_insert().never();
    let service = TenantUseCases::new(repo);

    let err = service
        .create(
            &actor(Principal::Tenant(id(HSBC))),
            new_tenant(Placement::SubsidiaryOf(id(HSBC_HK))),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::HierarchyDepthExceeded);
}

#[tokio::test]
async fn a_parent_creates_a_subsidiary_under_itself() {
    let mut repo = MockTenantRepository::new();
    repo.expect_find().returning(|_, _| Ok(hsbc()));
    repo.expect_insert()
        .withf(|a, n| {
            a.principal == Principal::Tenant(id(HSBC))
                && n.placement == Placement::SubsidiaryOf(id(HSBC))
        })
        .times(1)
        .returning(|_, _| Ok(hsbc_hk()));
    let service = TenantUseCases::new(repo);

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
async fn store_failures_while_finding_the_parent_pass_through() {
    let mut repo = MockTenantRepository::new();
    repo.expect_find()
        .returning(|_, _| Err(GetTenantError::Store(unavailable())));
    repo.expect_insert().never();
    let service = TenantUseCases::new(repo);

    let err = service
        .create(
            &actor(Principal::PlatformAdmin),
            new_tenant(Placement::SubsidiaryOf(id(HSBC))),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
}

#[tokio::test]
async fn duplicate_names_reported_by_the_store_pass_through() {
    let mut repo = MockTenantRepository::new();
    repo.expect_insert()
        .returning(|_, _| Err(CreateTenantError::DuplicateName));
    let service = TenantUseCases::new(repo);

    let err = service
        .create(
            &actor(Principal::PlatformAdmin),
            new_tenant(Placement::TopLevel),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DuplicateName);
}
