//! V8's live counts: the platform admin's `total_count` read from `tenant_counts`, kept
//! by triggers in every write's own transaction (docs/performance.md, "Lists at scale").

use std::sync::Arc;

use mtdb_domain::{DeleteMode, ListQuery, Precondition, TenantType};
use mtdb_testing::TestDatabase;
use serde_json::json;

use crate::repository::{changes, new_subsidiary};
use crate::support::*;

/// The live tenants as the platform admin sees them, counted the slow way.
async fn counted(db: &TestDatabase, tenant_type: Option<&str>) -> u64 {
    let mut client = app_client(db).await;
    let tx = begin(&mut client, Ctx::Admin).await.unwrap();
    let n: i64 = tx
        .query_one(
            "select count(*) from tenants where deleted_at is null \
             and ($1::text is null or tenant_type = $1)",
            &[&tenant_type],
        )
        .await
        .unwrap()
        .get(0);
    tx.commit().await.unwrap();
    u64::try_from(n).unwrap()
}

async fn assert_exact(db: &TestDatabase, repo: &Repo) {
    for (filter, name) in [
        (None, None),
        (Some(TenantType::Parent), Some("parent")),
        (Some(TenantType::Subsidiary), Some("subsidiary")),
    ] {
        let query = ListQuery {
            tenant_type: filter,
            ..ListQuery::default()
        };
        let page = repo.list(&admin(), &query).await.unwrap();
        assert_eq!(page.total_count, counted(db, name).await, "{name:?}");
    }
}

#[tokio::test]
async fn the_admins_count_is_exact_after_every_kind_of_write() {
    let db = seeded().await;
    let repo = repository(&db);
    assert_exact(&db, &repo).await;

    let created = repo
        .insert(&tenant(HSBC), &new_subsidiary("HSBC Paris", HSBC))
        .await
        .unwrap();
    assert_exact(&db, &repo).await;
    let renamed = changes("HSBC France", json!({"country": "FR"}));
    repo.update(&admin(), created.id, &renamed, &Precondition::None)
        .await
        .unwrap();
    assert_exact(&db, &repo).await;
    repo.soft_delete(
        &tenant(HSBC),
        created.id,
        DeleteMode::Restrict,
        &Precondition::None,
    )
    .await
    .unwrap();
    assert_exact(&db, &repo).await;
    // A cascade: one statement deletes two subsidiaries, the next their parent.
    repo.soft_delete(&admin(), id(HSBC), DeleteMode::Cascade, &Precondition::None)
        .await
        .unwrap();
    assert_exact(&db, &repo).await;
    let page = repo.list(&admin(), &ListQuery::default()).await.unwrap();
    assert_eq!(page.total_count, 2);
}

#[tokio::test]
async fn the_admins_count_is_exact_under_concurrent_writes_of_many_organizations() {
    let db = seeded().await;
    let repo = Arc::new(repository(&db));
    let mut writers = Vec::new();
    for n in 0..24 {
        let repo = Arc::clone(&repo);
        writers.push(tokio::spawn(async move {
            let parent = if n % 2 == 0 { HSBC } else { BARCLAYS };
            let who = if n % 3 == 0 { admin() } else { tenant(parent) };
            let name = format!("Concurrent {n}");
            let created = repo
                .insert(&who, &new_subsidiary(&name, parent))
                .await
                .unwrap();
            if n % 4 == 0 {
                repo.soft_delete(&who, created.id, DeleteMode::Restrict, &Precondition::None)
                    .await
                    .unwrap();
            }
        }));
    }
    // Lists read while the writes go on: each sees a count that matches its own snapshot.
    for _ in 0..10 {
        let page = repo.list(&admin(), &ListQuery::default()).await.unwrap();
        assert!((5..=29).contains(&page.total_count), "{}", page.total_count);
    }
    for writer in writers {
        writer.await.unwrap();
    }
    assert_exact(&db, &repo).await;
    assert_eq!(counted(&db, None).await, 5 + 24 - 6);
}

#[tokio::test]
async fn only_the_platform_admin_reads_the_counts_and_no_application_role_writes_them() {
    let db = seeded().await;
    let mut client = app_client(&db).await;
    for ctx in [Ctx::Tenant(HSBC), Ctx::Login] {
        let tx = begin(&mut client, ctx).await.unwrap();
        let err = tx
            .query_one("select sum(live) from tenant_counts", &[])
            .await
            .unwrap_err();
        assert_eq!(code(&err), "42501", "{ctx:?}");
    }
    for write in [
        "update tenant_counts set live = live + 1",
        "insert into tenant_counts values ('parent', 1, 100)",
        "delete from tenant_counts",
        "truncate tenant_counts",
    ] {
        let tx = begin(&mut client, Ctx::Admin).await.unwrap();
        let err = tx.batch_execute(write).await.unwrap_err();
        assert_eq!(code(&err), "42501", "{write}");
    }
    // The trigger's helper is no one's to call.
    let tx = begin(&mut client, Ctx::Admin).await.unwrap();
    let err = tx
        .batch_execute("select tenant_counts_add('{\"parent\": 1000}')")
        .await
        .unwrap_err();
    assert_eq!(code(&err), "42501");
}
