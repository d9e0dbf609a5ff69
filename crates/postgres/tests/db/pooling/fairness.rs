//! One organization's flood cannot take the pool from the others (docs/fairness.md):
//! its own requests are bounded, the others' are admitted and served in turn.

use std::sync::Arc;
use std::time::Duration;

use mtdb_domain::{GetTenantError, ListQuery, ListTenantsError, Precondition, StoreError};
use mtdb_postgres::{FairnessSettings, PostgresTenantRepository};
use mtdb_testing::TestDatabase;
use uuid::Uuid;

use crate::repository::changes;
use crate::support::*;

/// Waits until `n` units of work queue for the pool; a hang guard, not a timing claim.
async fn until_waiting(repo: &Repo, n: usize) {
    let wait = async {
        while repo.waiting() != n {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(60), wait)
        .await
        .unwrap_or_else(|_| panic!("{n} never queued (now {})", repo.waiting()));
}

fn overloaded(result: Result<mtdb_domain::Tenant, GetTenantError>) -> bool {
    matches!(result, Err(GetTenantError::Store(StoreError::Overloaded)))
}

#[tokio::test]
async fn an_organization_has_64_requests_in_flight_and_the_65th_is_refused() {
    let db = TestDatabase::with_pool_size(1).await;
    mtdb_postgres_admin::seed_demo(db.admin_url())
        .await
        .unwrap();
    let settings = FairnessSettings {
        org_max_requests: 64,
        reserved_connections: 0,
        ..FairnessSettings::default()
    };
    let repo = Arc::new(Repo::new(PostgresTenantRepository::with_fairness(
        db.pool().clone(),
        settings,
    )));
    let hsbc = [HSBC, HSBC_HONG_KONG, HSBC_LONDON];
    // Each principal's organization is learned on its first request.
    for who in hsbc.into_iter().chain([BARCLAYS]) {
        repo.find(&tenant(who), id(who)).await.unwrap();
    }
    // Every statement on tenants now waits: the first request keeps the only
    // connection, the others queue for it.
    let mut owner = owner_client(&db).await;
    let lock = owner.transaction().await.unwrap();
    lock.batch_execute("lock table tenants in access exclusive mode")
        .await
        .unwrap();
    let find = |who: Uuid| {
        let repo = Arc::clone(&repo);
        tokio::spawn(async move { repo.find(&tenant(who), id(who)).await })
    };

    // 64 of HSBC's, the parent and its subsidiaries counted together.
    let flood: Vec<_> = (0..64).map(|n| find(hsbc[n % 3])).collect();
    until_waiting(&repo, 63).await;

    // The 65th of the same organization is refused at once, whichever of its tenants.
    assert!(overloaded(
        repo.find(&tenant(HSBC_LONDON), id(HSBC_LONDON)).await
    ));
    let listed = repo.list_stream(&tenant(HSBC), &ListQuery::default()).await;
    assert!(matches!(
        listed,
        Err(ListTenantsError::Store(StoreError::Overloaded))
    ));
    // Another organization is not: it queues beside them.
    let barclays = find(BARCLAYS);
    until_waiting(&repo, 64).await;

    lock.rollback().await.unwrap();
    for request in flood {
        request.await.unwrap().unwrap();
    }
    barclays.await.unwrap().unwrap();
    // Their tickets are back: HSBC is admitted again.
    repo.find(&tenant(HSBC), id(HSBC)).await.unwrap();
}

#[tokio::test]
async fn a_quiet_organization_is_served_while_another_holds_every_shared_connection() {
    let db = TestDatabase::with_pool_size(3).await;
    mtdb_postgres_admin::seed_demo(db.admin_url())
        .await
        .unwrap();
    let settings = FairnessSettings {
        org_max_requests: 64,
        reserved_connections: 1,
        ..FairnessSettings::default()
    };
    let repo = Arc::new(Repo::new(PostgresTenantRepository::with_fairness(
        db.pool().clone(),
        settings,
    )));
    for who in [HSBC, BARCLAYS] {
        repo.find(&tenant(who), id(who)).await.unwrap();
    }
    // HSBC's writes of one row wait for a lock held outside: long requests that keep
    // their connections.
    let mut owner = owner_client(&db).await;
    let lock = owner.transaction().await.unwrap();
    lock.batch_execute("select set_config('role', 'mtdb_platform_admin', true)")
        .await
        .unwrap();
    lock.execute(
        "select 1 from tenants where tenant_id = $1 for update",
        &[&HSBC_HONG_KONG],
    )
    .await
    .unwrap();
    let write = || {
        let repo = Arc::clone(&repo);
        let same = changes("HSBC Hong Kong", serde_json::json!({}));
        tokio::spawn(async move {
            let target = id(HSBC_HONG_KONG);
            repo.update(&tenant(HSBC), target, &same, &Precondition::None)
                .await
        })
    };
    let writes: Vec<_> = (0..3).map(|_| write()).collect();
    // Two hold the two shared connections; the third may not take the reserved one.
    until_waiting(&repo, 1).await;

    // Barclays holds no shared connection: the reserved one serves it now.
    let quiet = tenant(BARCLAYS);
    let barclays = repo.find(&quiet, id(BARCLAYS));
    tokio::time::timeout(Duration::from_secs(60), barclays)
        .await
        .expect("Barclays was served, not queued behind HSBC")
        .unwrap();

    lock.rollback().await.unwrap();
    for write in writes {
        write.await.unwrap().unwrap();
    }
}
