use mtdb_domain::{Precondition, UpdateTenantError, Version};
use serde_json::json;

use super::{changes, new_subsidiary};
use crate::support::*;

#[tokio::test]
async fn an_update_replaces_name_and_metadata_and_bumps_the_version() {
    let db = seeded().await;
    let repo = repository(&db);
    let before = repo.find(&admin(), id(HSBC_LONDON)).await.unwrap();

    let after = repo
        .update(
            &tenant(HSBC),
            id(HSBC_LONDON),
            &changes(
                "  HSBC UK  ",
                json!({"country": "United Kingdom", "tier": 1}),
            ),
            &Precondition::OneOf(vec![before.version]),
        )
        .await
        .unwrap();
    assert_eq!(after.name.as_str(), "HSBC UK");
    assert_eq!(after.metadata.as_map()["tier"], 1);
    assert_eq!(after.metadata.as_map().len(), 2);
    assert_eq!(after.version.get(), before.version.get() + 1);
    assert!(after.updated_at > before.updated_at);
    assert_eq!(after.created_at, before.created_at);
    assert_eq!(after.placement, before.placement);
    assert_eq!(
        repo.find(&tenant(HSBC_LONDON), id(HSBC_LONDON))
            .await
            .unwrap(),
        after
    );
}

#[tokio::test]
async fn each_principal_updates_what_it_sees() {
    let db = seeded().await;
    let repo = repository(&db);
    // Renames by the admin and by a parent; metadata updates (the name kept) by the
    // tenant itself.
    let ok = [
        (admin(), BARCLAYS, "Renamed 0"),
        (tenant(HSBC), HSBC, "HSBC"),
        (tenant(HSBC), HSBC_HONG_KONG, "Renamed 2"),
        (tenant(HSBC_LONDON), HSBC_LONDON, "HSBC London"),
    ];
    for (actor, target, name) in ok {
        repo.update(
            &actor,
            id(target),
            &changes(name, json!({"updated": true})),
            &Precondition::None,
        )
        .await
        .unwrap_or_else(|e| panic!("{} -> {target}: {e:?}", actor.principal));
    }
    let before = snapshot(&db).await;
    let not_found = [
        (tenant(HSBC), BARCLAYS),
        (tenant(HSBC_LONDON), HSBC),
        (tenant(HSBC_LONDON), HSBC_HONG_KONG),
        (tenant(UNKNOWN), HSBC),
        (admin(), UNKNOWN),
    ];
    for (actor, target) in not_found {
        let err = repo
            .update(
                &actor,
                id(target),
                &changes("Mine", json!({})),
                &Precondition::None,
            )
            .await
            .unwrap_err();
        assert!(matches!(err, UpdateTenantError::NotFound), "{err:?}");
    }
    assert_eq!(snapshot(&db).await, before);
}

#[tokio::test]
async fn a_stale_precondition_changes_nothing() {
    let db = seeded().await;
    let repo = repository(&db);
    let before = snapshot(&db).await;
    for precondition in [
        Precondition::OneOf(vec![Version::new(2)]),
        Precondition::OneOf(vec![]),
    ] {
        let err = repo
            .update(
                &admin(),
                id(HSBC),
                &changes("Stale", json!({})),
                &precondition,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, UpdateTenantError::PreconditionFailed),
            "{err:?}"
        );
    }
    assert_eq!(snapshot(&db).await, before);

    let updated = repo
        .update(
            &admin(),
            id(HSBC),
            &changes("HSBC Holdings", json!({})),
            &Precondition::OneOf(vec![Version::new(7), Version::new(1)]),
        )
        .await
        .unwrap();
    assert_eq!(updated.version.get(), 2);
    let err = repo
        .update(
            &admin(),
            id(HSBC),
            &changes("HSBC Again", json!({})),
            &Precondition::OneOf(vec![Version::new(1)]),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, UpdateTenantError::PreconditionFailed));
}

#[tokio::test]
async fn renaming_onto_a_live_sibling_is_a_duplicate_but_case_changes_are_not() {
    let db = seeded().await;
    let repo = repository(&db);
    let err = repo
        .update(
            &tenant(HSBC),
            id(HSBC_LONDON),
            &changes("hsbc HONG KONG", json!({})),
            &Precondition::None,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, UpdateTenantError::DuplicateName), "{err:?}");
    let err = repo
        .update(
            &admin(),
            id(BARCLAYS),
            &changes("hsbc", json!({})),
            &Precondition::None,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, UpdateTenantError::DuplicateName), "{err:?}");

    // A tenant may change the case of its own name, and take a name used elsewhere.
    repo.update(
        &admin(),
        id(HSBC),
        &changes("hsbc", json!({})),
        &Precondition::None,
    )
    .await
    .unwrap();
    repo.insert(
        &tenant(BARCLAYS),
        &new_subsidiary("Barclays Wealth", BARCLAYS),
    )
    .await
    .unwrap();
    repo.update(
        &tenant(HSBC),
        id(HSBC_LONDON),
        &changes("Barclays Wealth", json!({})),
        &Precondition::None,
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn the_store_refuses_a_self_rename_whether_the_name_is_taken_or_not() {
    // The repository skips the use case's rule: PostgreSQL's tenants_rename_scope decides.
    let db = seeded().await;
    let repo = repository(&db);
    let before = snapshot(&db).await;
    for (me, new_name) in [
        (HSBC, "bArClAyS"),
        (HSBC, "An Unused Name"),
        (HSBC_HONG_KONG, "HSBC London"),
        (HSBC_HONG_KONG, "Another Unused Name"),
        // A change of case is a change of name.
        (HSBC, "hsbc"),
    ] {
        let err = repo
            .update(
                &tenant(me),
                id(me),
                &changes(new_name, json!({})),
                &Precondition::None,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, UpdateTenantError::Forbidden),
            "{me} -> {new_name}: {err:?}"
        );
    }
    assert_eq!(snapshot(&db).await, before);
}

#[tokio::test]
async fn names_that_only_look_different_are_duplicates() {
    let db = seeded().await;
    let repo = repository(&db);
    for (first, second) in crate::isolation::names::SPOOF_PAIRS {
        let kept = repo
            .insert(&tenant(HSBC), &new_subsidiary(first, HSBC))
            .await
            .unwrap_or_else(|e| panic!("{first}: {e:?}"));
        let err = repo
            .update(
                &tenant(HSBC),
                id(HSBC_LONDON),
                &changes(second, json!({})),
                &Precondition::None,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, UpdateTenantError::DuplicateName),
            "{first} / {second}: {err:?}"
        );
        repo.soft_delete(
            &tenant(HSBC),
            kept.id,
            mtdb_domain::DeleteMode::Restrict,
            &Precondition::None,
        )
        .await
        .unwrap();
    }
}
