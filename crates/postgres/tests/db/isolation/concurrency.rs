//! Many requests at once: the database decides, and every loser gets a domain error.

use std::sync::Arc;

use futures::future::join_all;
use mtdb_domain::{
    CreateTenantError, DeleteMode, DeleteTenantError, Precondition, UpdateTenantError, Version,
};
use mtdb_testing::TestDatabase;
use serde_json::json;

use crate::repository::{changes, new_parent, new_subsidiary};
use crate::support::*;

const RACERS: usize = 12;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_creates_of_one_name_give_exactly_one_tenant() {
    let db = TestDatabase::with_pool_size(RACERS).await;
    mtdb_postgres_admin::seed_demo(db.admin_url())
        .await
        .unwrap();
    let repo = Arc::new(repository(&db));
    let tasks = (0..RACERS).map(|n| {
        let repo = Arc::clone(&repo);
        tokio::spawn(async move {
            // Different spellings of one name, as a tenant and as the admin.
            let name = if n % 2 == 0 {
                "HSBC Singapore"
            } else {
                "hsbc singapore"
            };
            let actor = if n % 3 == 0 { admin() } else { tenant(HSBC) };
            repo.insert(&actor, &new_subsidiary(name, HSBC)).await
        })
    });
    let results: Vec<_> = join_all(tasks)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let created = results.iter().filter(|r| r.is_ok()).count();
    let duplicates = results
        .iter()
        .filter(|r| matches!(r, Err(CreateTenantError::DuplicateName)))
        .count();
    assert_eq!((created, duplicates), (1, RACERS - 1), "{results:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_top_level_creates_give_exactly_one_tenant() {
    let db = TestDatabase::with_pool_size(RACERS).await;
    let repo = Arc::new(repository(&db));
    let tasks = (0..RACERS).map(|_| {
        let repo = Arc::clone(&repo);
        tokio::spawn(async move { repo.insert(&admin(), &new_parent("Santander")).await })
    });
    let results: Vec<_> = join_all(tasks)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    assert!(results
        .iter()
        .all(|r| r.is_ok() || matches!(r, Err(CreateTenantError::DuplicateName))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_updates_of_one_version_let_exactly_one_through() {
    let db = TestDatabase::with_pool_size(RACERS).await;
    mtdb_postgres_admin::seed_demo(db.admin_url())
        .await
        .unwrap();
    let repo = Arc::new(repository(&db));
    let tasks = (0..RACERS).map(|n| {
        let repo = Arc::clone(&repo);
        tokio::spawn(async move {
            let precondition = Precondition::OneOf(vec![Version::new(1)]);
            let changes = changes(&format!("HSBC Group {n}"), json!({}));
            // The admin: HSBC may not rename itself.
            repo.update(&admin(), id(HSBC), &changes, &precondition)
                .await
        })
    });
    let results: Vec<_> = join_all(tasks)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    assert!(results
        .iter()
        .all(|r| r.is_ok() || matches!(r, Err(UpdateTenantError::PreconditionFailed))));
    let hsbc = repo.find(&admin(), id(HSBC)).await.unwrap();
    assert_eq!(hsbc.version.get(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_parent_deleted_while_a_subsidiary_is_created_never_leaves_an_orphan() {
    let db = TestDatabase::with_pool_size(4).await;
    let repo = Arc::new(repository(&db));
    for round in 0..8 {
        let parent = repo
            .insert(&admin(), &new_parent(&format!("Bank {round}")))
            .await
            .unwrap();
        let (create, delete) = tokio::join!(
            {
                let repo = Arc::clone(&repo);
                async move {
                    repo.insert(
                        &tenant(parent.id.as_uuid()),
                        &new_subsidiary("Branch", parent.id.as_uuid()),
                    )
                    .await
                }
            },
            {
                let repo = Arc::clone(&repo);
                async move {
                    repo.soft_delete(
                        &admin(),
                        parent.id,
                        DeleteMode::Restrict,
                        &Precondition::None,
                    )
                    .await
                }
            }
        );
        match (&create, &delete) {
            (Ok(_), Err(DeleteTenantError::HasSubsidiaries)) => {}
            (Err(CreateTenantError::ParentNotFound), Ok(())) => {}
            other => panic!("round {round}: {other:?}"),
        }
    }
}
