//! Failures injected through the real system: a corrupted row, a broken schema, a server
//! that is not there, a pool that is exhausted. Each ends in the store's own error, never
//! in a panic or a hang. `HANG_GUARD` only tells "answered" from "hung": it is far above any
//! configured timeout, so a slow, shared machine cannot make these tests flaky.

use std::time::{Duration, Instant};

use mtdb_domain::{ErrorKind, ListQuery};
use mtdb_ports::HealthProbe;
use mtdb_postgres::{connect_pool, PostgresHealthProbe, PostgresTenantRepository};
use mtdb_testing::TestDatabase;

use crate::support::*;

const QUICK: Duration = Duration::from_millis(300);
const HANG_GUARD: Duration = Duration::from_secs(60);

/// Fails the test if `work` has not answered within `HANG_GUARD`.
async fn answers<T>(work: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(HANG_GUARD, work)
        .await
        .unwrap_or_else(|_| panic!("no answer within {HANG_GUARD:?}: the call hung"))
}

fn quick_pool(url: &str, max_size: usize) -> mtdb_postgres::Pool {
    connect_pool(url, max_size, QUICK).unwrap()
}

/// Runs `sql` as the owner with row level security lifted for the owner, then restored.
async fn as_owner_around_rls(db: &TestDatabase, sql: &str) {
    owner_client(db)
        .await
        .batch_execute(&format!(
            "alter table tenants no force row level security; {sql}; \
             alter table tenants force row level security;"
        ))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_stored_row_the_domain_rejects_is_an_internal_error() {
    let db = seeded().await;
    as_owner_around_rls(
        &db,
        &format!(
            "alter table tenants drop constraint tenants_name_ck, \
                                 drop constraint tenants_name_trimmed_ck; \
             update tenants set name = ' padded' where tenant_id = '{HSBC_LONDON}'"
        ),
    )
    .await;
    let repo = repository(&db);
    let err = repo.find(&admin(), id(HSBC_LONDON)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Internal, "{err:?}");
    let err = repo
        .list(&tenant(HSBC), &ListQuery::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Internal, "{err:?}");
    // Tenants that do not see the row are not affected.
    assert!(repo.find(&tenant(BARCLAYS), id(BARCLAYS)).await.is_ok());
}

#[tokio::test]
async fn a_broken_schema_is_an_internal_error() {
    let db = seeded().await;
    // The stored shape the repository reads is the view's (a rename of the table's
    // column alone leaves the view's name as it was).
    as_owner_around_rls(
        &db,
        "alter view live_tenants rename column metadata to details",
    )
    .await;
    let err = repository(&db).find(&admin(), id(HSBC)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Internal, "{err:?}");
}

#[tokio::test]
async fn a_server_that_is_not_there_is_unavailable_fast() {
    // Port 1: nothing listens, as when the database is stopped.
    let pool = quick_pool("postgres://mtdb_app:x@127.0.0.1:1/mtdb", 2);
    let repo = Repo::new(PostgresTenantRepository::new(pool.clone()));
    let err = answers(repo.list(&admin(), &ListQuery::default()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    let err = answers(PostgresHealthProbe::new(pool).check())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
}

#[tokio::test]
async fn an_exhausted_pool_is_unavailable_after_its_timeout() {
    let db = seeded().await;
    let pool = quick_pool(db.app_url(), 1);
    let held = pool.get().await.unwrap();
    let started = Instant::now();
    let err =
        answers(Repo::new(PostgresTenantRepository::new(pool.clone())).find(&admin(), id(HSBC)))
            .await
            .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable);
    // It waited for a connection for the whole pool timeout before giving up.
    assert!(started.elapsed() >= QUICK, "{:?}", started.elapsed());
    drop(held);
    Repo::new(PostgresTenantRepository::new(pool))
        .find(&admin(), id(HSBC))
        .await
        .unwrap();
}

#[tokio::test]
async fn the_health_probe_answers_on_a_live_database() {
    let db = TestDatabase::create().await;
    PostgresHealthProbe::new(db.pool().clone())
        .check()
        .await
        .unwrap();
}
