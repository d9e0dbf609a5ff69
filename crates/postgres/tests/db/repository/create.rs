use mtdb_domain::{CreateTenantError, DeleteMode, ListQuery, Placement, Precondition, TenantType};

use super::{new_parent, new_subsidiary};
use crate::support::*;

#[tokio::test]
async fn the_admin_creates_parents_and_tenants_create_their_subsidiaries() {
    let db = seeded().await;
    let repo = repository(&db);

    let bnp = repo
        .insert(&admin(), &new_parent("BNP Paribas"))
        .await
        .unwrap();
    assert_eq!(bnp.placement, Placement::TopLevel);
    assert_eq!(bnp.version.get(), 1);
    assert_eq!(bnp.metadata.as_map()["country"], "France");
    assert_eq!(repo.find(&admin(), bnp.id).await.unwrap(), bnp);

    let fortis = repo
        .insert(
            &tenant(bnp.id.as_uuid()),
            &new_subsidiary("BNP Fortis", bnp.id.as_uuid()),
        )
        .await
        .unwrap();
    assert_eq!(fortis.tenant_type(), TenantType::Subsidiary);
    assert_eq!(fortis.parent_id(), Some(bnp.id));
    let page = repo
        .list(&tenant(bnp.id.as_uuid()), &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(page.total_count, 2);
}

#[tokio::test]
async fn the_store_refuses_what_the_domain_would_have_refused() {
    // The repository is called directly, skipping the use cases' checks: these are the
    // database's own answers.
    let db = seeded().await;
    let repo = repository(&db);
    let before = snapshot(&db).await;

    let err = repo
        .insert(&tenant(HSBC), &new_parent("Rogue"))
        .await
        .unwrap_err();
    assert!(matches!(err, CreateTenantError::Forbidden), "{err:?}");

    for (actor, parent) in [
        (tenant(HSBC), BARCLAYS),
        (tenant(HSBC_HONG_KONG), HSBC),
        (tenant(UNKNOWN), HSBC),
        (admin(), UNKNOWN),
    ] {
        let err = repo
            .insert(&actor, &new_subsidiary("Elsewhere", parent))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                CreateTenantError::ParentNotFound | CreateTenantError::Forbidden
            ),
            "{} under {parent}: {err:?}",
            actor.principal
        );
    }

    for actor in [admin(), tenant(HSBC), tenant(HSBC_HONG_KONG)] {
        let err = repo
            .insert(&actor, &new_subsidiary("Too Deep", HSBC_HONG_KONG))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                CreateTenantError::HierarchyDepthExceeded | CreateTenantError::Forbidden
            ),
            "{}: {err:?}",
            actor.principal
        );
    }
    assert_eq!(snapshot(&db).await, before);
}

#[tokio::test]
async fn missing_and_invisible_parents_are_parent_not_found() {
    let db = seeded().await;
    let repo = repository(&db);
    for (actor, parent) in [(admin(), UNKNOWN), (tenant(HSBC), BARCLAYS)] {
        let err = repo
            .insert(&actor, &new_subsidiary("Nowhere", parent))
            .await
            .unwrap_err();
        assert!(matches!(err, CreateTenantError::ParentNotFound), "{err:?}");
    }
}

#[tokio::test]
async fn the_admin_under_a_subsidiary_is_hierarchy_depth_exceeded() {
    let db = seeded().await;
    let err = repository(&db)
        .insert(&admin(), &new_subsidiary("Too Deep", HSBC_HONG_KONG))
        .await
        .unwrap_err();
    assert!(
        matches!(err, CreateTenantError::HierarchyDepthExceeded),
        "{err:?}"
    );
}

#[tokio::test]
async fn names_are_unique_among_live_siblings_ignoring_case() {
    let db = seeded().await;
    let repo = repository(&db);

    for (actor, new) in [
        (admin(), new_parent("hsbc")),
        (admin(), new_parent("BARCLAYS")),
        (tenant(HSBC), new_subsidiary("hsbc hong kong", HSBC)),
        (admin(), new_subsidiary("HSBC LONDON", HSBC)),
    ] {
        let err = repo.insert(&actor, &new).await.unwrap_err();
        assert!(matches!(err, CreateTenantError::DuplicateName), "{err:?}");
    }
    // The same name under another parent, or as a parent, is someone else.
    repo.insert(
        &tenant(BARCLAYS),
        &new_subsidiary("HSBC Hong Kong", BARCLAYS),
    )
    .await
    .unwrap();
    repo.insert(&admin(), &new_parent("HSBC Hong Kong"))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_deleted_parent_takes_no_new_subsidiaries() {
    let db = seeded().await;
    let repo = repository(&db);
    repo.soft_delete(
        &admin(),
        id(BARCLAYS),
        DeleteMode::Cascade,
        &Precondition::None,
    )
    .await
    .unwrap();
    let err = repo
        .insert(&admin(), &new_subsidiary("Barclays Ghost", BARCLAYS))
        .await
        .unwrap_err();
    assert!(matches!(err, CreateTenantError::ParentNotFound), "{err:?}");
}
