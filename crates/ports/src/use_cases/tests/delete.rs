use super::*;

fn repo_finding(target: Tenant) -> MockTenantRepository {
    let mut repo = MockTenantRepository::new();
    repo.expect_find().returning(move |_, _| Ok(target.clone()));
    repo
}

#[tokio::test]
async fn a_parent_deletes_its_subsidiary() {
    let mut repo = repo_finding(hsbc_hk());
    repo.expect_soft_delete()
        .withf(|_, tid, mode, _| *tid == id(HSBC_HK) && *mode == DeleteMode::Restrict)
        .times(1)
        .returning(|_, _, _, _| Ok(()));
    let service = TenantUseCases::new(repo);

    service
        .delete(
            &actor(Principal::Tenant(id(HSBC))),
            id(HSBC_HK),
            DeleteMode::Restrict,
            Precondition::None,
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn no_tenant_deletes_itself() {
    for (me, target) in [(HSBC, hsbc()), (HSBC_HK, hsbc_hk())] {
        let mut repo = repo_finding(target);
        repo.expect_soft_delete().never();
        let service = TenantUseCases::new(repo);

        let err = service
            .delete(
                &actor(Principal::Tenant(id(me))),
                id(me),
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
    let mut repo = MockTenantRepository::new();
    repo.expect_find()
        .returning(|_, _| Err(GetTenantError::NotFound));
    repo.expect_soft_delete().never();
    let service = TenantUseCases::new(repo);

    let err = service
        .delete(
            &actor(Principal::Tenant(id(HSBC_HK))),
            id(2),
            DeleteMode::Restrict,
            Precondition::OneOf(vec![]),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn forbidden_comes_before_a_failed_precondition() {
    let mut repo = repo_finding(hsbc());
    repo.expect_soft_delete().never();
    let service = TenantUseCases::new(repo);

    let err = service
        .delete(
            &actor(Principal::Tenant(id(HSBC))),
            id(HSBC),
            DeleteMode::Restrict,
            Precondition::OneOf(vec![Version::new(1)]),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden);
}

#[tokio::test]
async fn a_stale_version_is_refused_without_writing() {
    let mut repo = repo_finding(hsbc());
    repo.expect_soft_delete().never();
    let service = TenantUseCases::new(repo);

    let err = service
        .delete(
            &actor(Principal::PlatformAdmin),
            id(HSBC),
            DeleteMode::Restrict,
            Precondition::OneOf(vec![Version::new(2)]),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PreconditionFailed);
}

#[tokio::test]
async fn live_subsidiaries_reported_by_the_store_pass_through() {
    let mut repo = repo_finding(hsbc());
    repo.expect_soft_delete()
        .returning(|_, _, _, _| Err(DeleteTenantError::HasSubsidiaries));
    let service = TenantUseCases::new(repo);

    let err = service
        .delete(
            &actor(Principal::PlatformAdmin),
            id(HSBC),
            DeleteMode::Restrict,
            Precondition::OneOf(vec![Version::new(3)]),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::HasSubsidiaries);
}
