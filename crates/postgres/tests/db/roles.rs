//! The roles and tables are what row level security needs, read from the catalog; the
//! preflight of `mtdb serve` agrees on a correct setup and names what is wrong otherwise.

use std::time::Duration;

use mtdb_postgres::testing::{with_database, TestDatabase};
use mtdb_postgres::{check_roles, connect_pool, PreflightError, RoleProblem};

use crate::support::*;

#[tokio::test]
async fn the_roles_have_exactly_the_attributes_the_contract_requires() {
    let db = TestDatabase::create().await;
    let login = login_name(&db);
    let rows = app_client(&db)
        .await
        .query(
            "select rolname::text, rolsuper, rolbypassrls, rolinherit, rolcanlogin \
             from pg_roles where rolname = any($1) order by rolname",
            &[&vec![login.as_str(), "mtdb_platform_admin", "mtdb_tenant"]],
        )
        .await
        .unwrap();
    let roles: Vec<(String, bool, bool, bool, bool)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
        .collect();
    let mut expected = vec![
        (login.clone(), false, false, false, true),
        ("mtdb_platform_admin".to_owned(), false, false, true, false),
        ("mtdb_tenant".to_owned(), false, false, true, false),
    ];
    expected.sort();
    assert_eq!(roles, expected);
}

#[tokio::test]
async fn every_table_has_row_level_security_enabled_and_forced() {
    let db = TestDatabase::create().await;
    let rows = app_client(&db)
        .await
        .query(
            "select c.relname::text, c.relrowsecurity, c.relforcerowsecurity \
             from pg_class c join pg_namespace n on n.oid = c.relnamespace \
             where n.nspname = 'public' and c.relkind in ('r', 'p') \
               and c.relname <> 'refinery_schema_history' \
             order by 1",
            &[],
        )
        .await
        .unwrap();
    let tables: Vec<(String, bool, bool)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(
        tables,
        vec![
            ("tenant_audit".to_owned(), true, true),
            ("tenants".to_owned(), true, true)
        ]
    );
}

#[tokio::test]
async fn the_roles_own_nothing_and_hold_no_dangerous_privilege() {
    let db = TestDatabase::create().await;
    let login = login_name(&db);
    let rows = app_client(&db)
        .await
        .query(
            "select r.name, t.name, p.name from unnest($1::text[]) r(name) \
             cross join unnest(array['tenants', 'tenant_audit']) t(name) \
             cross join unnest(array['DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p(name) \
             where has_table_privilege(r.name, t.name, p.name)",
            &[&vec![login.as_str(), "mtdb_platform_admin", "mtdb_tenant"]],
        )
        .await
        .unwrap();
    assert!(rows.is_empty(), "{} dangerous privileges", rows.len());
    check_roles(db.pool()).await.unwrap();
}

#[tokio::test]
async fn the_preflight_passes_on_a_correct_setup() {
    let db = TestDatabase::create().await;
    check_roles(db.pool()).await.unwrap();
}

#[tokio::test]
async fn the_preflight_names_a_table_that_does_not_force_row_level_security() {
    let db = TestDatabase::create().await;
    owner_client(&db)
        .await
        .batch_execute("alter table tenants no force row level security")
        .await
        .unwrap();
    let problems = unsafe_problems(check_roles(db.pool()).await);
    assert_eq!(problems, vec![RoleProblem::RlsNotForced("tenants".into())]);
}

#[tokio::test]
async fn the_preflight_names_a_login_role_that_owns_inherits_and_is_not_granted() {
    // A throwaway login role (the owner has CREATEROLE, not SUPERUSER: it cannot hand out
    // SUPERUSER or BYPASSRLS) that owns a table and inherits.
    let db = TestDatabase::create().await;
    let role = format!("mtdb_rogue_{}", &db.name()["mtdb_test_".len()..][..12]);
    let owner = owner_client(&db).await;
    owner
        .batch_execute(&format!(
            "create role {role} login inherit password 'rogue'; \
             grant create on schema public to {role}; \
             grant mtdb_tenant to {role};"
        ))
        .await
        .unwrap();
    let url = with_database(
        &format!("postgres://{role}:rogue@{}", host_of(&db)),
        db.name(),
    );
    let (rogue, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    rogue
        .batch_execute("create table stash (x int)")
        .await
        .unwrap();
    let pool = connect_pool(&url, 1, Duration::from_secs(5)).unwrap();
    let result = check_roles(&pool).await;
    pool.close();
    // Clean up the cluster-wide role before asserting.
    rogue.batch_execute("drop table stash").await.unwrap();
    drop(rogue);
    wait_for_sessions_to_end(&owner, &role).await;
    owner
        .batch_execute(&format!(
            "revoke create on schema public from {role}; drop role {role};"
        ))
        .await
        .unwrap();

    let problems = unsafe_problems(result);
    assert_eq!(
        problems,
        vec![
            RoleProblem::Inherits(role.clone()),
            RoleProblem::Owns {
                role: role.clone(),
                object: "table stash".into()
            },
            RoleProblem::NotMember {
                login: role.clone(),
                role: "mtdb_platform_admin".into()
            },
            // Inheriting, it holds mtdb_tenant's privileges without switching role.
            privilege(&role, "INSERT"),
            privilege(&role, "SELECT"),
            privilege(&role, "UPDATE"),
        ]
    );
}

/// The test database can only be dropped once no session of a foreign role is left.
async fn wait_for_sessions_to_end(client: &tokio_postgres::Client, role: &str) {
    for _ in 0..100 {
        let left: i64 = client
            .query_one(
                "select count(*) from pg_stat_activity where usename = $1",
                &[&role],
            )
            .await
            .unwrap()
            .get(0);
        if left == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the sessions of {role} did not end");
}

fn privilege(role: &str, privilege: &str) -> RoleProblem {
    RoleProblem::Privilege {
        role: role.to_owned(),
        table: "tenants".to_owned(),
        privilege: privilege.to_owned(),
    }
}

fn unsafe_problems(result: Result<(), PreflightError>) -> Vec<RoleProblem> {
    match result {
        Err(PreflightError::Unsafe(problems)) => problems,
        other => panic!("expected unsafe roles, got {other:?}"),
    }
}

/// `host:port` of the test database server.
fn host_of(db: &TestDatabase) -> String {
    let config: tokio_postgres::Config = db.app_url().parse().unwrap();
    let host = match &config.get_hosts()[0] {
        tokio_postgres::config::Host::Tcp(host) => host.clone(),
        #[allow(unreachable_patterns)]
        _ => "127.0.0.1".to_owned(),
    };
    format!(
        "{host}:{}",
        config.get_ports().first().copied().unwrap_or(5432)
    )
}
