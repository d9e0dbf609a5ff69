//! The audit trail: a row per create, update and delete, written by the database in the
//! same transaction, and out of reach of every application role.

use mtdb_domain::{DeleteMode, Precondition};
use mtdb_testing::TestDatabase;
use serde_json::json;

use crate::repository::{changes, new_subsidiary};
use crate::support::*;

/// How many audit rows exist. Read as the owner: operators read the trail through the
/// owner's connection, and no application role may read it at all.
pub async fn count(db: &TestDatabase) -> i64 {
    owner_client(db)
        .await
        .query_one("select count(*) from tenant_audit", &[])
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn every_change_is_audited_with_action_and_actor() {
    let db = seeded().await;
    let repo = repository(&db);
    let created = repo
        .insert(&tenant(HSBC), &new_subsidiary("HSBC Paris", HSBC))
        .await
        .unwrap();
    repo.update(
        &admin(),
        created.id,
        &changes("HSBC France", json!({"country": "France"})),
        &Precondition::None,
    )
    .await
    .unwrap();
    repo.soft_delete(
        &tenant(HSBC),
        created.id,
        DeleteMode::Restrict,
        &Precondition::None,
    )
    .await
    .unwrap();

    let trail: Vec<String> = owner_client(&db)
        .await
        .query(
            "select format('%s by %s as %s: %s -> %s, deleted %s', action, actor_sub, \
                    actor_principal, coalesce(before ->> 'name', '-'), after ->> 'name', \
                    after ->> 'deleted_at' is not null) \
             from tenant_audit where tenant_id = $1 order by audit_id",
            &[&created.id.as_uuid()],
        )
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    let sub = subject().as_str().to_owned();
    assert_eq!(
        trail,
        vec![
            format!("create by {sub} as tenant:{HSBC}: - -> HSBC Paris, deleted f"),
            format!("update by {sub} as platform_admin: HSBC Paris -> HSBC France, deleted f"),
            format!("delete by {sub} as tenant:{HSBC}: HSBC France -> HSBC France, deleted t"),
        ]
    );
}

#[tokio::test]
async fn the_seed_and_a_cascade_are_audited_too() {
    let db = seeded().await;
    assert_eq!(count(&db).await, 5);
    repository(&db)
        .soft_delete(&admin(), id(HSBC), DeleteMode::Cascade, &Precondition::None)
        .await
        .unwrap();
    let deletes: i64 = owner_client(&db)
        .await
        .query_one(
            "select count(*) from tenant_audit where action = 'delete'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(deletes, 3);
}

#[tokio::test]
async fn a_refused_write_leaves_no_audit_row() {
    let db = seeded().await;
    let before = count(&db).await;
    let repo = repository(&db);
    let _ = repo
        .insert(&tenant(HSBC), &new_subsidiary("HSBC Hong Kong", HSBC))
        .await
        .unwrap_err();
    let _ = repo
        .soft_delete(
            &admin(),
            id(HSBC),
            DeleteMode::Restrict,
            &Precondition::None,
        )
        .await
        .unwrap_err();
    assert_eq!(count(&db).await, before);
}

#[tokio::test]
async fn no_application_role_can_read_rewrite_or_erase_the_trail() {
    let db = seeded().await;
    let before = count(&db).await;
    let mut client = app_client(&db).await;
    for ctx in [Ctx::Login, Ctx::Tenant(HSBC), Ctx::Admin] {
        for sql in [
            "update tenant_audit set actor_sub = 'nobody'",
            "delete from tenant_audit",
            "truncate tenant_audit",
            "insert into tenant_audit (tenant_id, action, actor_principal) \
             values (gen_random_uuid(), 'create', 'forged')",
            "select count(*) from tenant_audit",
        ] {
            let err = exec_as(&mut client, ctx, sql)
                .await
                .expect_err(&format!("{ctx:?} may run: {sql}"));
            assert_eq!(code(&err), "42501", "{ctx:?}: {sql}");
        }
    }
    assert_eq!(count(&db).await, before);
}
