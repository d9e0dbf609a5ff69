use super::*;

fn repo_finding(target: Tenant) -> MockTenantRepository {
    let mut repo = MockTenantRepository::new();
    repo.expect_find().returning(move |_, _| Ok(target.clone()));
    repo
}

fn changes(name: &str) -> TenantChanges {
    TenantChanges {
        name: TenantName::parse(name).unwrap(),
        metadata: Metadata::default(),
    }
}

async fn update(
    repo: MockTenantRepository,
    principal: Principal,
    target: u32,
    name: &str,
    precondition: Precondition,
) -> Result<Tenant, UpdateTenantError> {
    TenantUseCases::new(repo)
        .update(&actor(principal), id(target), changes(name), precondition)
        .await
}

#[tokio::test]
async fn a_parent_renames_its_subsidiary() {
    let mut repo = repo_finding(hsbc_hk());
    repo.expect_update()
        .withf(|a, tid, c, _| {
            a.principal == Principal::Tenant(id(HSBC))
                && *tid == id(HSBC_HK)
                && c.name.as_str() == "HSBC Asia"
        })
        .times(1)
        .returning(|_, _, _, _| Ok(hsbc_hk()));

    update(
        repo,
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
            let mut repo = repo_finding(target.clone());
            repo.expect_update().never();
            let err = update(
                repo,
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
        let mut repo = repo_finding(target.clone());
        repo.expect_update()
            .times(1)
            .returning(move |_, _, _, _| Ok(target.clone()));
        update(
            repo,
            Principal::Tenant(id(me)),
            me,
            &same,
            Precondition::None,
        )
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
        let mut repo = repo_finding(target.clone());
        repo.expect_update()
            .times(1)
            .returning(move |_, _, _, _| Ok(target.clone()));
        update(
            repo,
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
    let mut repo = MockTenantRepository::new();
    repo.expect_find()
        .returning(|_, _| Err(GetTenantError::NotFound));
    repo.expect_update().never();

    let err = update(
        repo,
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
    let mut repo = repo_finding(hsbc());
    repo.expect_update().never();

    let err = update(
        repo,
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
    let mut repo = repo_finding(hsbc_hk());
    repo.expect_update().never();

    let err = update(
        repo,
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
    let mut repo = repo_finding(hsbc_hk());
    repo.expect_update()
        .returning(|_, _, _, _| Err(UpdateTenantError::DuplicateName));

    let err = update(
        repo,
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
    let mut repo = MockTenantRepository::new();
    repo.expect_find()
        .returning(|_, _| Err(GetTenantError::Store(unavailable())));
    repo.expect_update().never();

    let err = update(
        repo,
        Principal::PlatformAdmin,
        HSBC,
        "X",
        Precondition::None,
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
}

#[tokio::test]
async fn the_precondition_goes_to_the_store_which_rechecks_it_on_the_locked_row() {
    let mut repo = repo_finding(hsbc());
    repo.expect_update()
        .withf(|_, tid, c, p| {
            *tid == id(HSBC)
                && c.name.as_str() == "Renamed"
                && *p == Precondition::OneOf(vec![Version::new(3)])
        })
        // A writer that came in between the read and the lock.
        .returning(|_, _, _, _| Err(UpdateTenantError::PreconditionFailed));

    let err = update(
        repo,
        Principal::PlatformAdmin,
        HSBC,
        "Renamed",
        Precondition::OneOf(vec![Version::new(3)]),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PreconditionFailed);
}
