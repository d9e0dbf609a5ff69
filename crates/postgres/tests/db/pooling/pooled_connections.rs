//! One pooled connection serves one principal after another: nothing of one unit of work
//! may leak into the next, after success, failure or cancellation alike.

use std::time::Duration;

use futures::StreamExt;
use mtdb_domain::{CreateTenantError, ListQuery, Precondition};
use mtdb_testing::TestDatabase;
use serde_json::json;

use crate::repository::{changes, new_subsidiary};
use crate::support::*;

/// What the connection itself looks like between units of work, checked on the pool's
/// only connection without any role switch.
pub(crate) async fn assert_clean(db: &TestDatabase) {
    let client = db.pool().get().await.unwrap();
    let row = client
        .query_one(
            "select current_user::text, current_setting('role'), \
                    coalesce(current_setting('app.current_tenant_id', true), ''), \
                    coalesce(current_setting('app.actor_sub', true), ''), \
                    pg_current_xact_id_if_assigned() is null",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, String>(0), login_name(db));
    assert_eq!(row.get::<_, String>(1), "none");
    assert_eq!(row.get::<_, String>(2), "");
    assert_eq!(row.get::<_, String>(3), "");
    assert!(row.get::<_, bool>(4), "a transaction is still open");
    // A read-only transaction has no id: only its start time gives it away. As the first
    // statement of its own transaction, a simple query sees now() = statement_timestamp().
    let rows = client
        .simple_query("select (now() = statement_timestamp())::text")
        .await
        .unwrap();
    let first = rows.iter().find_map(|m| match m {
        tokio_postgres::SimpleQueryMessage::Row(row) => row.get(0).map(str::to_owned),
        _ => None,
    });
    assert_eq!(
        first.as_deref(),
        Some("true"),
        "a transaction is still open"
    );
    // And the login role itself still reads nothing.
    match client.query_one("select count(*) from tenants", &[]).await {
        Ok(row) => assert_eq!(row.get::<_, i64>(0), 0),
        Err(e) => assert_eq!(code(&e), "42501"),
    }
}

pub(crate) async fn seeded_with_one_connection() -> TestDatabase {
    let db = TestDatabase::with_pool_size(1).await;
    mtdb_postgres_admin::seed_demo(db.admin_url())
        .await
        .unwrap();
    db
}

#[tokio::test]
async fn principals_take_turns_on_one_connection() {
    let db = seeded_with_one_connection().await;
    let repo = repository(&db);
    let count = |page: mtdb_domain::TenantPage| page.total_count;
    let all = ListQuery::default();

    assert_eq!(count(repo.list(&admin(), &all).await.unwrap()), 5);
    assert_clean(&db).await;
    assert_eq!(
        count(repo.list(&tenant(HSBC_HONG_KONG), &all).await.unwrap()),
        1
    );
    assert_clean(&db).await;
    assert_eq!(count(repo.list(&tenant(UNKNOWN), &all).await.unwrap()), 0);
    assert_eq!(count(repo.list(&tenant(HSBC), &all).await.unwrap()), 3);
    assert_eq!(count(repo.list(&admin(), &all).await.unwrap()), 5);
    assert_clean(&db).await;
}

#[tokio::test]
async fn a_failed_unit_of_work_leaves_nothing_behind() {
    let db = seeded_with_one_connection().await;
    let repo = repository(&db);
    let err = repo
        .insert(&admin(), &new_subsidiary("HSBC London", HSBC))
        .await
        .unwrap_err();
    assert!(matches!(err, CreateTenantError::DuplicateName));
    assert_clean(&db).await;
    let page = repo
        .list(&tenant(UNKNOWN), &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(page.total_count, 0);
}

#[tokio::test]
async fn a_cancelled_unit_of_work_rolls_back_and_leaves_nothing_behind() {
    let db = seeded_with_one_connection().await;
    let repo = repository(&db);
    let before = snapshot(&db).await;

    // Hold HSBC's row so that the update blocks mid-transaction, then give up on it.
    let mut blocker = app_client(&db).await;
    let tx = begin(&mut blocker, Ctx::Admin).await.unwrap();
    tx.execute(
        "select 1 from tenants where tenant_id = $1 for update",
        &[&HSBC],
    )
    .await
    .unwrap();
    let (actor, never) = (admin(), changes("Never", json!({})));
    let update = repo.update(&actor, id(HSBC), &never, &Precondition::None);
    assert!(tokio::time::timeout(Duration::from_millis(300), update)
        .await
        .is_err());
    tx.rollback().await.unwrap();

    assert_clean(&db).await;
    assert_eq!(snapshot(&db).await, before);
    let page = repo
        .list(&tenant(HSBC_HONG_KONG), &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(page.total_count, 1);
}

#[tokio::test]
async fn a_list_dropped_half_way_rolls_back_and_leaves_nothing_behind() {
    let db = seeded_with_one_connection().await;
    add_subsidiaries(&db, HSBC, 60, 500).await;
    let repo = repository(&db);
    let all = mtdb_domain::ListQuery::parse(Some(1000), None, None).unwrap();

    // The consumer takes one tenant of 62 and goes away (a client that disconnects):
    // the rest are still to be read inside the transaction.
    let mut page = repo.list_stream(&admin(), &all).await.unwrap();
    assert_eq!(page.total_count, 65);
    page.tenants.next().await.unwrap().unwrap();
    drop(page);

    assert_clean(&db).await;
    let page = repo
        .list(&tenant(HSBC_HONG_KONG), &ListQuery::default())
        .await
        .unwrap();
    assert_eq!((page.total_count, page.tenants.len()), (1, 1));
}
