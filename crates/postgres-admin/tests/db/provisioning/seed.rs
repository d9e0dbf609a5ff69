//! `mtdb seed` against a database that already holds tenants of its own: it names the
//! tenant in the way and how to proceed, changes nothing, and stays idempotent. And the
//! seed's audit rows are told apart from any token's (docs/security.md, "Who the audit
//! names").

use mtdb_domain::{Actor, DeleteMode, ListQuery, Precondition, Principal, Subject};
use mtdb_postgres_admin::seed::{seed_demo, SeedError};
use mtdb_testing::TestDatabase;

use crate::support::*;

async fn live_count(db: &TestDatabase) -> u64 {
    let page = repository(db)
        .list(&admin(), &ListQuery::default())
        .await
        .unwrap();
    page.total_count
}

#[tokio::test]
async fn another_live_hsbc_is_named_with_its_id_and_the_way_out() {
    let db = TestDatabase::create().await;
    let repo = repository(&db);
    let other = repo.insert(&admin(), &new_parent("hsbc")).await.unwrap();

    let err = seed_demo(db.admin_url()).await.unwrap_err();

    assert!(matches!(err, SeedError::NameTaken { .. }), "{err:?}");
    let message = err.to_string();
    for needed in [
        "\"hsbc\"",
        &other.id.to_string(),
        "\"HSBC\"",
        "fixed ids",
        "delete or rename",
        "another database",
    ] {
        assert!(
            message.contains(needed),
            "{needed:?} missing from: {message}"
        );
    }
    // Nothing was seeded: the seed is one transaction.
    assert_eq!(live_count(&db).await, 1);

    // Renamed out of the way, the demo goes in; a second run changes nothing.
    repo.update(
        &admin(),
        other.id,
        &changes("HSBC (ours)", serde_json::json!({})),
        &Precondition::None,
    )
    .await
    .unwrap();
    assert_eq!(seed_demo(db.admin_url()).await.unwrap(), 5);
    assert_eq!(seed_demo(db.admin_url()).await.unwrap(), 0);
    assert_eq!(live_count(&db).await, 6);
}

#[tokio::test]
async fn a_subsidiary_name_taken_under_the_demo_parent_is_named_with_that_parent() {
    let db = TestDatabase::create().await;
    // HSBC under its fixed id (as an earlier, partial demo would have left it), and
    // someone else's "HSBC HONG KONG" under it.
    let mut raw = app_client(&db).await;
    let sql = format!(
        "insert into tenants (tenant_id, name, tenant_type) values ('{HSBC}', 'HSBC', 'parent')"
    );
    exec_as(&mut raw, Ctx::Admin, &sql).await.unwrap();
    let other = repository(&db)
        .insert(&admin(), &new_subsidiary("HSBC HONG KONG", HSBC))
        .await
        .unwrap();

    let err = seed_demo(db.admin_url()).await.unwrap_err();

    let message = err.to_string();
    for needed in [
        "\"HSBC HONG KONG\"",
        &other.id.to_string(),
        "\"HSBC Hong Kong\"",
        &HSBC.to_string(),
        "delete or rename",
    ] {
        assert!(
            message.contains(needed),
            "{needed:?} missing from: {message}"
        );
    }
    assert_eq!(live_count(&db).await, 2);
}

#[tokio::test]
async fn a_demo_tenant_deleted_and_its_name_reused_is_not_a_conflict() {
    let db = seeded().await;
    let repo = repository(&db);
    repo.soft_delete(
        &admin(),
        id(HSBC_LONDON),
        DeleteMode::Restrict,
        &Precondition::None,
    )
    .await
    .unwrap();
    repo.insert(&admin(), &new_subsidiary("HSBC LONDON", HSBC))
        .await
        .unwrap();

    // The demo's London still exists (deleted) under its fixed id: the seed leaves it be.
    assert_eq!(seed_demo(db.admin_url()).await.unwrap(), 0);
    assert_eq!(live_count(&db).await, 5);
}

#[tokio::test]
async fn the_seed_audit_rows_cannot_be_mistaken_for_a_tokens() {
    let db = seeded().await;
    // A platform-admin token whose issuer chose the sub "mtdb seed".
    let lookalike = Actor::new(
        Principal::PlatformAdmin,
        Subject::parse("mtdb seed").unwrap(),
    );
    repository(&db)
        .update(
            &lookalike,
            id(BARCLAYS),
            &changes("Barclays", serde_json::json!({"x": 1})),
            &Precondition::None,
        )
        .await
        .unwrap();

    let owner = owner_client(&db).await;
    let rows = owner
        .query(
            "select tenant_id, action, actor_sub, actor_principal from tenant_audit order by audit_id",
            &[],
        )
        .await
        .unwrap();
    let seeded: Vec<_> = rows
        .iter()
        .filter(|r| r.get::<_, Option<String>>("actor_sub").is_none())
        .collect();
    assert_eq!(seeded.len(), 5, "the seed's five creates, and only them");
    assert!(seeded
        .iter()
        .all(|r| r.get::<_, String>("action") == "create"));
    let last = rows.last().unwrap();
    assert_eq!(
        last.get::<_, Option<String>>("actor_sub").as_deref(),
        Some("mtdb seed")
    );
    assert_eq!(last.get::<_, String>("actor_principal"), "platform_admin");
}
