//! Reads are pipelined (`BEGIN`, the context, the query and `COMMIT` in one round trip)
//! and writes start with their first statement: what happens when a part fails, and when
//! a unit of work is dropped at any point (docs/performance.md, "Round trips").

use std::task::Poll;

use futures::future::BoxFuture;
use futures::FutureExt;
use mtdb_domain::{ListQuery, Precondition};
use mtdb_testing::TestDatabase;
use serde_json::json;

use crate::pooling::pooled_connections::{assert_clean, seeded_with_one_connection};
use crate::repository::{changes, new_subsidiary};
use crate::support::*;

async fn backend_pid(db: &TestDatabase) -> i32 {
    let client = db.pool().get().await.unwrap();
    client
        .query_one("select pg_backend_pid()", &[])
        .await
        .unwrap()
        .get(0)
}

async fn owner(db: &TestDatabase, sql: &str) {
    owner_client(db).await.batch_execute(sql).await.unwrap();
}

/// A login role of this test only, that can connect to `db` but switch to no principal's
/// role: every context statement it sends fails. It may read `tenants` itself, all of it
/// (a trap: the rows a query would return if it ever ran outside the context).
async fn trapped_login(db: &TestDatabase) -> (String, mtdb_postgres::Pool) {
    let role = format!("mtdb_trap_{}", uuid::Uuid::new_v4().simple());
    let config: tokio_postgres::Config = db.app_url().parse().unwrap();
    let host = match &config.get_hosts()[0] {
        tokio_postgres::config::Host::Tcp(host) => host.clone(),
        other => panic!("a TCP host, not {other:?}"),
    };
    let (port, dbname) = (config.get_ports()[0], config.get_dbname().unwrap());
    owner(
        db,
        &format!(
            "create role {role} login password 'trap';
             grant connect on database {dbname} to {role};
             grant select on tenants to {role};
             create policy trap on tenants for select to {role} using (true);"
        ),
    )
    .await;
    let url = format!("postgres://{role}:trap@{host}:{port}/{dbname}");
    let pool = mtdb_postgres::connect_pool(&url, 1, std::time::Duration::from_secs(5)).unwrap();
    (role, pool)
}

#[tokio::test]
async fn a_unit_of_work_whose_context_fails_never_runs_its_statements_as_the_login_role() {
    let db = seeded_with_one_connection().await;
    let (role, pool) = trapped_login(&db).await;
    let repo = Repo::new(mtdb_postgres::PostgresTenantRepository::new(pool.clone()));

    for actor in [admin(), tenant(HSBC)] {
        let found = repo.find(&actor, id(HSBC)).await;
        assert!(found.is_err(), "{found:?}");
        let listed = repo.list(&actor, &ListQuery::default()).await;
        assert!(listed.is_err(), "{listed:?}");
        let renamed = changes("Trapped", json!({}));
        let updated = repo
            .update(&actor, id(HSBC), &renamed, &Precondition::None)
            .await;
        assert!(updated.is_err(), "{updated:?}");
    }
    // The trap itself works: outside a context, the role reads every row.
    let client = pool.get().await.unwrap();
    let all: i64 = client
        .query_one("select count(*) from tenants", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(all, 5);
    drop(client);
    drop((repo, pool));
    let config: tokio_postgres::Config = db.app_url().parse().unwrap();
    let dbname = config.get_dbname().unwrap();
    owner(
        &db,
        &format!(
            "drop policy trap on tenants; revoke select on tenants from {role};
             revoke connect on database {dbname} from {role}; drop role {role};"
        ),
    )
    .await;
}

#[tokio::test]
async fn a_read_whose_query_fails_leaves_its_connection_clean_and_reused() {
    let db = seeded_with_one_connection().await;
    let repo = repository(&db);
    repo.find(&admin(), id(HSBC)).await.unwrap();
    let pid = backend_pid(&db).await;

    // The context succeeds, the query is refused (no grant), the pipelined COMMIT ends
    // the aborted transaction.
    owner(&db, "revoke select on tenants from mtdb_platform_admin").await;
    repo.find(&admin(), id(HSBC)).await.unwrap_err();
    repo.list(&admin(), &ListQuery::default())
        .await
        .unwrap_err();
    assert_clean(&db).await;
    // Not closed: a failed statement is an ordinary end of a unit of work.
    assert_eq!(backend_pid(&db).await, pid);

    owner(&db, "grant select on tenants to mtdb_platform_admin").await;
    let found = repo.find(&tenant(HSBC), id(HSBC_LONDON)).await.unwrap();
    assert_eq!(found.id, id(HSBC_LONDON));
    assert_eq!(backend_pid(&db).await, pid);
}

/// Polls a fresh unit of work `polls` times (yielding between polls so that the
/// connection's task and the server move on), then drops it; true if it had finished.
async fn drop_after(polls: usize, mut work: BoxFuture<'_, ()>) -> bool {
    for _ in 0..polls {
        if let Poll::Ready(()) = futures::poll!(work.as_mut()) {
            return true;
        }
        tokio::task::yield_now().await;
    }
    drop(work);
    false
}

/// Drops the unit of work `make` builds after 0, 1, 2, ... polls, until one run completes:
/// every stage it can be cancelled at is met, and each leaves the pool's only connection
/// (or its replacement) outside any transaction and without any context.
async fn dropped_at_every_stage<'a>(
    db: &'a TestDatabase,
    make: impl Fn(usize) -> BoxFuture<'a, ()>,
) {
    // Every count of polls up to 16, then a quarter more each time: the later stages are
    // long waits for the server, reached by many counts alike.
    let mut polls = 0;
    while polls < 100_000 {
        let finished = drop_after(polls, make(polls)).await;
        assert_clean(db).await;
        if finished {
            assert!(
                polls > 1,
                "finished without ever waiting: nothing was cancelled"
            );
            return;
        }
        polls += (polls / 4).max(1);
    }
    panic!("the unit of work never finished");
}

#[tokio::test]
async fn a_read_dropped_at_any_stage_leaves_nothing_on_the_connection() {
    let db = seeded_with_one_connection().await;
    let repo = repository(&db);
    dropped_at_every_stage(&db, |_| {
        async { drop(repo.find(&tenant(HSBC), id(HSBC_LONDON)).await.unwrap()) }.boxed()
    })
    .await;
    dropped_at_every_stage(&db, |_| {
        async { drop(repo.list(&admin(), &ListQuery::default()).await.unwrap()) }.boxed()
    })
    .await;
    let page = repo
        .list(&tenant(HSBC), &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(page.total_count, 3);
}

#[tokio::test]
async fn a_write_dropped_at_any_stage_leaves_nothing_on_the_connection() {
    let db = seeded_with_one_connection().await;
    let repo = repository(&db);
    dropped_at_every_stage(&db, |n| {
        let new = new_subsidiary(&format!("HSBC Dropped {n}"), HSBC);
        let repo = &repo;
        async move { drop(repo.insert(&tenant(HSBC), &new).await.unwrap()) }.boxed()
    })
    .await;
    dropped_at_every_stage(&db, |n| {
        let changes = changes(&format!("HSBC Renamed {n}"), json!({}));
        let repo = &repo;
        async move {
            let admin = admin();
            let renamed = repo.update(&admin, id(HSBC_LONDON), &changes, &Precondition::None);
            drop(renamed.await.unwrap());
        }
        .boxed()
    })
    .await;
}
