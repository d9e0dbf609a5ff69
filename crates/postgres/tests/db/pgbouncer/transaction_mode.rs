//! mtdb behind a real PgBouncer in transaction mode, with fewer server connections than
//! mtdb's pool (docs/pgbouncer.md): named statements break there, unnamed ones (and `auto`,
//! which picks them behind a pooler) do not; `auto` keeps named statements on a direct
//! connection.

use std::sync::Arc;
use std::time::Duration;

use futures::future::join_all;
use mtdb_domain::{GetTenantError, ListQuery};
use mtdb_postgres::{connect_pool_with, Pool, PostgresTenantRepository, StatementMode};
use mtdb_testing::{PgBouncer, PgBouncerSettings, TestDatabase};
use tokio_postgres::SimpleQueryMessage;

use crate::repository::new_subsidiary;
use crate::support::*;

pub(crate) fn bouncer(db: &TestDatabase, server_connections: usize) -> PgBouncer {
    PgBouncer::start(&PgBouncerSettings::transaction(
        &[db.app_url()],
        server_connections,
    ))
}

pub(crate) fn pool(url: &str, size: usize, mode: StatementMode) -> Pool {
    connect_pool_with(url, size, Duration::from_secs(10), mode).unwrap()
}

pub(crate) fn repo_on(pool: &Pool) -> Repo {
    Repo::new(PostgresTenantRepository::new(pool.clone()))
}

/// The first number a simple query answers on one of `pool`'s connections.
pub(crate) async fn number(pool: &Pool, sql: &str) -> i64 {
    let client = pool.get().await.unwrap();
    let messages = client.simple_query(sql).await.unwrap();
    messages
        .iter()
        .find_map(|m| match m {
            SimpleQueryMessage::Row(row) => row.get(0).and_then(|v| v.parse().ok()),
            _ => None,
        })
        .unwrap()
}

const NAMED_ON_SERVER: &str = "select count(*) from pg_prepared_statements";

/// A unit of work prepares its statements on PgBouncer's only server connection; another
/// client then holds that connection in a transaction, so the next unit of work runs on
/// a new one. `Ok` if that second unit of work found the tenant.
async fn second_unit_on_another_server_connection(
    db: &TestDatabase,
    mode: StatementMode,
) -> Result<(), GetTenantError> {
    let bouncer = bouncer(db, 2);
    let url = bouncer.url_for(db.app_url());
    let pool = pool(&url, 1, mode);
    let repo = repo_on(&pool);
    repo.find(&tenant(HSBC), id(HSBC_LONDON)).await.unwrap();
    let holder = connect(&url).await;
    holder.batch_execute("begin; select 1").await.unwrap();
    let found = repo.find(&tenant(HSBC), id(HSBC_LONDON)).await;
    found.map(|tenant| assert_eq!(tenant.id, id(HSBC_LONDON)))
}

#[tokio::test]
async fn named_statements_break_through_pgbouncer_unnamed_and_auto_do_not() {
    let db = seeded().await;
    // The attack: the statement the pipeline binds was prepared on another server
    // connection ("prepared statement "sN" does not exist").
    let broken = second_unit_on_another_server_connection(&db, StatementMode::Prepared).await;
    let message = format!("{:?}", broken.expect_err("named statements survived"));
    assert!(
        message.contains(r#"prepared statement \"s"#) && message.contains("does not exist"),
        "{message}"
    );
    for mode in [StatementMode::Unnamed, StatementMode::Auto] {
        second_unit_on_another_server_connection(&db, mode)
            .await
            .unwrap_or_else(|e| panic!("{mode}: {e:?}"));
    }
}

#[tokio::test]
async fn auto_names_statements_on_a_direct_connection_only() {
    let db = seeded().await;
    // Direct: `auto` prepares (the connection's statements stay on the server), as
    // `prepared` does; `unnamed` leaves none.
    for (mode, named) in [
        (StatementMode::Auto, true),
        (StatementMode::Prepared, true),
        (StatementMode::Unnamed, false),
    ] {
        let pool = pool(db.app_url(), 1, mode);
        repo_on(&pool).find(&admin(), id(HSBC)).await.unwrap();
        let left = number(&pool, NAMED_ON_SERVER).await;
        assert_eq!(left > 0, named, "direct, {mode}: {left} named statements");
    }
    // Through PgBouncer, on its only server connection: `auto` leaves none, while
    // `prepared` does (so the count sees through the pooler).
    for (mode, named) in [
        (StatementMode::Auto, false),
        (StatementMode::Prepared, true),
    ] {
        let bouncer = bouncer(&db, 1);
        let pool = pool(&bouncer.url_for(db.app_url()), 1, mode);
        repo_on(&pool).find(&admin(), id(HSBC)).await.unwrap();
        let left = number(&pool, NAMED_ON_SERVER).await;
        assert_eq!(
            left > 0,
            named,
            "PgBouncer, {mode}: {left} named statements"
        );
    }
}

/// Who a demo principal may see: itself and its direct subsidiaries.
fn in_scope(principal: uuid::Uuid, tenant: &mtdb_domain::Tenant) -> bool {
    tenant.id == id(principal) || tenant.placement.parent() == Some(id(principal))
}

const DEMO: [uuid::Uuid; 5] = [HSBC, HSBC_LONDON, HSBC_HONG_KONG, BARCLAYS, BARCLAYS_UK];

/// One principal's rounds of finds (every demo tenant), lists and, for a parent, creates;
/// the ids it created.
async fn rounds(repo: Arc<Repo>, principal: Option<uuid::Uuid>, task: String) -> Vec<uuid::Uuid> {
    let actor = principal.map_or_else(admin, tenant);
    let mut created = Vec::new();
    for round in 0..8 {
        for target in DEMO {
            let found = repo.find(&actor, id(target)).await;
            let visible = principal.is_none_or(|p| p == target || parent_of(target) == Some(p));
            match found {
                Ok(t) => assert!(visible && t.id == id(target), "{task}: {t:?}"),
                Err(GetTenantError::NotFound) => assert!(!visible, "{task}: {target} hidden"),
                Err(e) => panic!("{task}: {e:?}"),
            }
        }
        let page = repo.list(&actor, &ListQuery::default()).await.unwrap();
        if let Some(p) = principal {
            for t in &page.tenants {
                assert!(in_scope(p, t), "{task}: sees {t:?}");
            }
            if parent_of(p).is_none() {
                let new = new_subsidiary(&format!("{task} {round}"), p);
                created.push(repo.insert(&actor, &new).await.unwrap().id.as_uuid());
            }
        }
    }
    created
}

fn parent_of(demo: uuid::Uuid) -> Option<uuid::Uuid> {
    match demo {
        HSBC_LONDON | HSBC_HONG_KONG => Some(HSBC),
        BARCLAYS_UK => Some(BARCLAYS),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_principals_at_once_through_pgbouncer_see_only_their_scope() {
    let db = seeded().await;
    // Two server connections for eight pooled ones and eighteen concurrent callers.
    let bouncer = bouncer(&db, 2);
    let url = bouncer.url_for(db.app_url());
    for mode in [StatementMode::Unnamed, StatementMode::Auto] {
        let pool = pool(&url, 8, mode);
        let repo = Arc::new(repo_on(&pool));
        let principals = DEMO.map(Some).into_iter().chain([None]);
        let tasks = principals
            .flat_map(|p| (0..3).map(move |n| (p, n)))
            .map(|(p, n)| {
                let task = format!("{mode} {p:?} {n}");
                tokio::spawn(rounds(Arc::clone(&repo), p, task))
            });
        let created: Vec<uuid::Uuid> = join_all(tasks)
            .await
            .into_iter()
            .flat_map(Result::unwrap)
            .collect();
        // Every acknowledged create is there, under its parent.
        assert_eq!(created.len(), 2 * 3 * 8);
        for new in created {
            let found = repo.find(&admin(), id(new)).await.unwrap();
            assert!(
                matches!(found.placement.parent(), Some(p) if p == id(HSBC) || p == id(BARCLAYS))
            );
        }
    }
}
