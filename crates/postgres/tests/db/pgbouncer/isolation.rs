//! Fail closed through PgBouncer in transaction mode, where server connections pass from
//! one client to the next after every transaction: a unit of work dropped at any stage
//! leaves no principal's context for whoever runs next on that server connection (the
//! context is `SET LOCAL`, it dies with the transaction), and `mtdb serve`'s start-up
//! checks read the real roles through the pooler and refuse a bad login role there too.

use mtdb_testing::ConnectionUrls;
use std::task::Poll;

use futures::future::BoxFuture;
use futures::FutureExt;
use mtdb_domain::{ListQuery, Precondition};
use mtdb_postgres::StatementMode;
use mtdb_postgres_admin::{check_roles, inspect, PreflightError};
use mtdb_testing::{PgBouncer, PgBouncerSettings, ThrowawayLogin};
use serde_json::json;

use crate::pgbouncer::transaction_mode::{bouncer, pool, repo_on};
use crate::repository::{changes, new_subsidiary};
use crate::support::*;
use mtdb_testing::findings::findings_as;

/// A client of its own through `bouncer`: another application sharing the server
/// connections.
async fn neighbour(url: &str) -> tokio_postgres::Client {
    connect(url).await
}

/// A login-role transaction on PgBouncer's only server connection: no role switched to,
/// no tenant, no actor, and the login role itself reads no tenant.
async fn assert_nothing_left(neighbour: &tokio_postgres::Client, login: &str) {
    neighbour.batch_execute("begin").await.unwrap();
    let row = neighbour
        .query_typed_one(
            "select current_user::text, current_setting('role'), \
                    coalesce(current_setting('app.current_tenant_id', true), ''), \
                    coalesce(current_setting('app.actor_sub', true), '')",
            &[],
        )
        .await
        .unwrap();
    let seen: (String, String, String, String) = (row.get(0), row.get(1), row.get(2), row.get(3));
    assert_eq!(seen, (login.into(), "none".into(), "".into(), "".into()));
    let read = neighbour
        .query_typed_one("select count(*) from tenants", &[])
        .await;
    match read {
        Ok(row) => assert_eq!(row.get::<_, i64>(0), 0),
        Err(e) => assert_eq!(code(&e), "42501"),
    }
    neighbour.batch_execute("rollback").await.unwrap();
}

/// Drops the unit of work `make` builds after 0, 1, 2, ... polls until one finishes; after
/// each, the neighbour's transaction finds nothing left.
async fn dropped_at_every_stage<'a>(
    neighbour: &tokio_postgres::Client,
    login: &str,
    make: impl Fn(usize) -> BoxFuture<'a, ()>,
) {
    let mut polls = 0;
    while polls < 100_000 {
        let mut work = make(polls);
        let mut finished = false;
        for _ in 0..polls {
            if let Poll::Ready(()) = futures::poll!(work.as_mut()) {
                finished = true;
                break;
            }
            tokio::task::yield_now().await;
        }
        drop(work);
        assert_nothing_left(neighbour, login).await;
        if finished {
            assert!(polls > 1, "finished without waiting: nothing was cancelled");
            return;
        }
        polls += (polls / 4).max(1);
    }
    panic!("the unit of work never finished");
}

#[tokio::test]
async fn units_of_work_dropped_at_any_stage_leave_no_context_on_shared_server_connections() {
    let db = seeded().await;
    // One server connection: the neighbour always runs where mtdb's units of work ran.
    let bouncer = bouncer(&db, 1);
    let url = bouncer.url_for(db.app_url());
    let neighbour = neighbour(&url).await;
    let login = login_name(&db);
    let pool = pool(&url, 1, StatementMode::Auto);
    let repo = repo_on(&pool);
    dropped_at_every_stage(&neighbour, &login, |_| {
        async { drop(repo.find(&tenant(HSBC), id(HSBC_LONDON)).await.unwrap()) }.boxed()
    })
    .await;
    dropped_at_every_stage(&neighbour, &login, |_| {
        async {
            drop(
                repo.list(&tenant(HSBC), &ListQuery::default())
                    .await
                    .unwrap(),
            )
        }
        .boxed()
    })
    .await;
    dropped_at_every_stage(&neighbour, &login, |n| {
        let new = new_subsidiary(&format!("HSBC Pooled {n}"), HSBC);
        let repo = &repo;
        async move { drop(repo.insert(&tenant(HSBC), &new).await.unwrap()) }.boxed()
    })
    .await;
    dropped_at_every_stage(&neighbour, &login, |n| {
        let renamed = changes(&format!("HSBC Pooled Rename {n}"), json!({}));
        let repo = &repo;
        async move {
            let admin = admin();
            let updated = repo.update(&admin, id(HSBC_LONDON), &renamed, &Precondition::None);
            drop(updated.await.unwrap());
        }
        .boxed()
    })
    .await;
    // And mtdb still serves through it, each principal in its own scope.
    let all = ListQuery::default();
    let page = repo.list(&tenant(HSBC_HONG_KONG), &all).await.unwrap();
    assert_eq!(page.total_count, 1);
}

/// A login role that may read every tenant outside any context but switch to no
/// principal's role (a trap, as in `pipelined.rs`): every context statement it sends fails.
async fn trapped_login(db: &mtdb_testing::TestDatabase) -> (String, String) {
    let role = format!("mtdb_trap_{}", uuid::Uuid::new_v4().simple());
    let dbname = db.name();
    owner_client(db)
        .await
        .batch_execute(&format!(
            "create role {role} login password 'trap';
             grant connect on database {dbname} to {role};
             grant select on tenants to {role};
             create policy trap on tenants for select to {role} using (true);"
        ))
        .await
        .unwrap();
    let settings = mtdb_postgres::ConnectionSettings::parse(db.app_url()).unwrap();
    let url = settings.with_credentials(&role, "trap").to_url();
    (role, secrecy::ExposeSecret::expose_secret(&url).to_owned())
}

#[tokio::test]
async fn a_failed_context_runs_nothing_as_the_login_role_through_pgbouncer_or_unnamed() {
    let db = seeded().await;
    let (role, url) = trapped_login(&db).await;
    let bouncer =
        PgBouncer::start(&PgBouncerSettings::transaction(&[db.app_url()], 1).with_user_of(&url));
    let through = bouncer.url_for(&url);
    for (url, mode) in [
        (&through, StatementMode::Auto),
        (&url, StatementMode::Unnamed),
    ] {
        let pool = pool(url, 1, mode);
        let repo = repo_on(&pool);
        // Each fails at its context (the role switch is refused), nothing else.
        let refused = |outcome: String| {
            assert!(
                outcome.contains("setting the principal's context"),
                "{mode}: {outcome}"
            );
        };
        for actor in [admin(), tenant(HSBC)] {
            refused(format!("{:?}", repo.find(&actor, id(HSBC)).await));
            refused(format!(
                "{:?}",
                repo.list(&actor, &ListQuery::default()).await
            ));
            let renamed = changes("Trapped", json!({}));
            let updated = repo.update(&actor, id(HSBC), &renamed, &Precondition::None);
            refused(format!("{:?}", updated.await));
        }
        // The trap works: outside a context the role reads every row.
        let client = pool.get().await.unwrap();
        let all = client.query_typed_one("select count(*) from tenants", &[]);
        assert_eq!(all.await.unwrap().get::<_, i64>(0), 5, "{mode}");
    }
    drop(bouncer);
    owner_client(&db)
        .await
        .batch_execute(&format!(
            "drop policy trap on tenants; revoke select on tenants from {role};
             revoke connect on database {} from {role}; drop role {role};",
            db.name()
        ))
        .await
        .unwrap();
}

#[tokio::test]
async fn the_start_up_checks_see_the_real_roles_through_pgbouncer() {
    let db = seeded().await;
    // The shared login role passes, through the pooler as directly.
    let bouncer = bouncer(&db, 1);
    let shared = pool(&bouncer.url_for(db.app_url()), 1, StatementMode::Prepared);
    check_roles(&shared).await.unwrap();
    // A login role that may create roles and databases is refused through it, with the
    // findings a direct check gives.
    let login = ThrowawayLogin::create(&db, "createrole createdb").await;
    let settings = PgBouncerSettings::transaction(&[db.app_url()], 1).with_user_of(login.url());
    let bad_bouncer = PgBouncer::start(&settings);
    let through = bad_bouncer.url_for(login.url());
    let mut pooled = Vec::new();
    for mode in [
        StatementMode::Auto,
        StatementMode::Prepared,
        StatementMode::Unnamed,
    ] {
        let pool = pool(&through, 1, mode);
        let refused = check_roles(&pool).await;
        let found = inspect(&pool).await.unwrap();
        pool.close();
        pooled.push((refused, found));
    }
    let direct = findings_as(login.url()).await;
    drop(bad_bouncer);
    let name = login.name().to_owned();
    login.drop_role().await;
    let role = format!("role {name}");
    assert!(
        direct.contains(&("create_role".to_owned(), role.clone())),
        "{direct:?}"
    );
    assert!(
        direct.contains(&("create_db".to_owned(), role)),
        "{direct:?}"
    );
    for (refused, found) in pooled {
        let kinds: Vec<_> = found
            .iter()
            .map(|f| (f.kind.as_str().to_owned(), f.object.clone()))
            .collect();
        assert_eq!(kinds, direct);
        assert!(matches!(refused, Err(PreflightError::Unsafe(f)) if f.len() == direct.len()));
    }
}

/// Another process's named statements, left on PgBouncer's only server connection: a
/// second mtdb instance in `prepared` mode would leave such statements, named as
/// tokio-postgres names them in every process (`s0`, `s1`, ...).
async fn another_instance_leaves_named_statements(url: &str) {
    let names: String = (0..5_000)
        .map(|n| format!("prepare s{n} as select {n};"))
        .collect();
    neighbour(url).await.batch_execute(&names).await.unwrap();
}

#[tokio::test]
async fn the_start_up_checks_and_the_health_check_name_no_statement() {
    let db = seeded().await;
    let bouncer = bouncer(&db, 1);
    let url = bouncer.url_for(db.app_url());
    another_instance_leaves_named_statements(&url).await;
    for mode in [
        StatementMode::Auto,
        StatementMode::Prepared,
        StatementMode::Unnamed,
    ] {
        let pool = pool(&url, 1, mode);
        check_roles(&pool)
            .await
            .unwrap_or_else(|e| panic!("{mode}: {e:?}"));
        let health = mtdb_postgres::PostgresHealthProbe::new(pool.clone());
        mtdb_ports::HealthProbe::check(&health)
            .await
            .unwrap_or_else(|e| panic!("{mode}: {e:?}"));
    }
    // The repository too, unless told to name its statements.
    let auto = pool(&url, 1, StatementMode::Auto);
    repo_on(&auto).find(&admin(), id(HSBC)).await.unwrap();
    let prepared = pool(&url, 1, StatementMode::Prepared);
    let clash = format!("{:?}", repo_on(&prepared).find(&admin(), id(HSBC)).await);
    assert!(clash.contains("already exists"), "{clash}");
}
