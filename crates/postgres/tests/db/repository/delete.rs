use mtdb_domain::{
    DeleteMode, DeleteTenantError, GetTenantError, ListQuery, Precondition, Version,
};

use super::{new_parent, new_subsidiary};
use crate::support::*;

const RESTRICT: DeleteMode = DeleteMode::Restrict;
const NONE: Precondition = Precondition::None;

#[tokio::test]
async fn a_soft_deleted_tenant_disappears_for_everyone_and_frees_its_name() {
    let db = seeded().await;
    let repo = repository(&db);
    repo.soft_delete(&tenant(HSBC), id(HSBC_LONDON), RESTRICT, &NONE)
        .await
        .unwrap();
    for actor in [admin(), tenant(HSBC), tenant(HSBC_LONDON)] {
        let err = repo.find(&actor, id(HSBC_LONDON)).await.unwrap_err();
        assert!(matches!(err, GetTenantError::NotFound));
    }
    let page = repo.list(&admin(), &ListQuery::default()).await.unwrap();
    assert_eq!(page.total_count, 4);
    // Deleting it again: it is gone.
    let err = repo
        .soft_delete(&admin(), id(HSBC_LONDON), RESTRICT, &NONE)
        .await
        .unwrap_err();
    assert!(matches!(err, DeleteTenantError::NotFound), "{err:?}");

    let again = repo
        .insert(&tenant(HSBC), &new_subsidiary("hsbc london", HSBC))
        .await
        .unwrap();
    assert_ne!(again.id, id(HSBC_LONDON));
}

#[tokio::test]
async fn only_the_admin_or_the_parent_deletes() {
    let db = seeded().await;
    let repo = repository(&db);
    let before = snapshot(&db).await;
    for (actor, target) in [
        (tenant(HSBC_LONDON), HSBC_LONDON),
        (tenant(HSBC), HSBC),
        (tenant(BARCLAYS_UK), BARCLAYS_UK),
    ] {
        let err = repo
            .soft_delete(&actor, id(target), DeleteMode::Cascade, &NONE)
            .await
            .unwrap_err();
        assert!(matches!(err, DeleteTenantError::Forbidden), "{err:?}");
    }
    for (actor, target) in [
        (tenant(HSBC), BARCLAYS_UK),
        (tenant(HSBC_LONDON), HSBC),
        (tenant(HSBC_LONDON), HSBC_HONG_KONG),
        (admin(), UNKNOWN),
    ] {
        let err = repo
            .soft_delete(&actor, id(target), RESTRICT, &NONE)
            .await
            .unwrap_err();
        assert!(matches!(err, DeleteTenantError::NotFound), "{err:?}");
    }
    assert_eq!(snapshot(&db).await, before);
    repo.soft_delete(&tenant(BARCLAYS), id(BARCLAYS_UK), RESTRICT, &NONE)
        .await
        .unwrap();
    repo.soft_delete(&admin(), id(HSBC_HONG_KONG), RESTRICT, &NONE)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_stale_precondition_changes_nothing() {
    let db = seeded().await;
    let repo = repository(&db);
    let before = snapshot(&db).await;
    let err = repo
        .soft_delete(
            &admin(),
            id(HSBC_LONDON),
            RESTRICT,
            &Precondition::OneOf(vec![Version::new(9)]),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, DeleteTenantError::PreconditionFailed),
        "{err:?}"
    );
    assert_eq!(snapshot(&db).await, before);
    repo.soft_delete(
        &admin(),
        id(HSBC_LONDON),
        RESTRICT,
        &Precondition::OneOf(vec![Version::new(1)]),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn a_parent_with_live_subsidiaries_goes_only_with_cascade() {
    let db = seeded().await;
    let repo = repository(&db);
    let before = snapshot(&db).await;
    let err = repo
        .soft_delete(&admin(), id(HSBC), RESTRICT, &NONE)
        .await
        .unwrap_err();
    assert!(matches!(err, DeleteTenantError::HasSubsidiaries), "{err:?}");
    assert_eq!(snapshot(&db).await, before);

    repo.soft_delete(&admin(), id(HSBC), DeleteMode::Cascade, &NONE)
        .await
        .unwrap();
    let page = repo.list(&admin(), &ListQuery::default()).await.unwrap();
    let left: Vec<_> = page.tenants.iter().map(|t| t.id.as_uuid()).collect();
    assert_eq!(left, vec![BARCLAYS, BARCLAYS_UK]);
    for gone in [HSBC, HSBC_HONG_KONG, HSBC_LONDON] {
        assert_eq!(
            visible(&mut app_client(&db).await, Ctx::Tenant(gone))
                .await
                .unwrap(),
            0
        );
    }
}

#[tokio::test]
async fn a_parent_whose_subsidiaries_are_all_deleted_goes_without_cascade() {
    let db = seeded().await;
    let repo = repository(&db);
    let lone = repo
        .insert(&admin(), &new_parent("Lone Bank"))
        .await
        .unwrap();
    repo.soft_delete(&admin(), lone.id, RESTRICT, &NONE)
        .await
        .unwrap();

    repo.soft_delete(&tenant(BARCLAYS), id(BARCLAYS_UK), RESTRICT, &NONE)
        .await
        .unwrap();
    repo.soft_delete(&admin(), id(BARCLAYS), RESTRICT, &NONE)
        .await
        .unwrap();
}
