//! `mtdb check` on the login role: its attributes, memberships, ownership and defaults.
//! Roles are cluster-wide, so each test breaks a login role of its own
//! (`ThrowawayLogin`), never the shared one or the two switched-to roles.
//!
//! The membership tests arrange a login role that is a member of the owner, as on the
//! PostgreSQL 15 of `make test`. On 16+ the owner is itself a member of every role it
//! creates (`CREATEROLE`'s automatic grant), which makes that grant circular: there the
//! arrangement needs a superuser.

use mtdb_testing::{TestDatabase, ThrowawayLogin};

use crate::support::*;
use mtdb_testing::findings::*;

#[tokio::test]
async fn a_login_role_set_up_like_the_real_one_passes() {
    let db = TestDatabase::create().await;
    let login = ThrowawayLogin::create(&db, "").await;
    let found = findings_as(login.url()).await;
    login.drop_role().await;
    assert_eq!(found, vec![]);
}

#[tokio::test]
async fn a_login_role_that_inherits_or_creates_roles_or_databases_is_found() {
    let db = TestDatabase::create().await;
    let login = ThrowawayLogin::create(&db, "inherit createrole createdb").await;
    let role = format!("role {}", login.name());
    let found = findings_as(login.url()).await;
    login.drop_role().await;
    assert_eq!(
        found,
        vec![
            finding("create_role", &role),
            finding("create_db", &role),
            finding("inherits", &role),
            // Inheriting, it holds mtdb_tenant's and mtdb_platform_admin's privileges
            // without switching role.
            finding("login_privilege", "table public.live_tenants"),
            finding("login_privilege", "table public.tenant_counts"),
            finding("login_privilege", "table public.tenants"),
            // And runs mtdb_tenant's SECURITY DEFINER function as the owner.
            finding(
                "function_drift",
                "function public.mtdb_context_organization()",
            ),
        ]
    );
}

#[tokio::test]
async fn a_login_role_that_is_a_member_of_the_owner_is_found() {
    let db = TestDatabase::create().await;
    let login = ThrowawayLogin::create(&db, "").await;
    owner_client(&db)
        .await
        .batch_execute(&format!("grant {} to {}", owner_name(&db), login.name()))
        .await
        .unwrap();
    let found = inspect_messages(login.url()).await;
    let role = format!("role {}", login.name());
    login.drop_role().await;
    let member_of = |r: &str| {
        (
            role.clone(),
            format!("is a member of role {r}, directly or through another role"),
        )
    };
    // Through the owner it is also a member of mtdb_platform_admin (no finding: it is
    // one anyway) and of pg_database_owner, which the owner of a database implicitly is.
    assert_eq!(
        found,
        vec![member_of(&owner_name(&db)), member_of("pg_database_owner")]
    );
}

#[tokio::test]
async fn a_membership_through_another_role_is_found_and_a_missing_one_too() {
    let db = TestDatabase::create().await;
    let login = ThrowawayLogin::create(&db, "").await;
    let middle = format!("{}_mid", login.name());
    let owner = owner_client(&db).await;
    owner
        .batch_execute(&format!(
            "create role {middle} nologin; grant {middle} to {login}; \
             grant {owner_name} to {middle}; revoke mtdb_tenant from {login};",
            login = login.name(),
            owner_name = owner_name(&db)
        ))
        .await
        .unwrap();
    let found = inspect_messages(login.url()).await;
    login.drop_role().await;
    owner
        .batch_execute(&format!("drop role {middle}"))
        .await
        .unwrap();
    let owner_name = owner_name(&db);
    let messages: Vec<String> = found.into_iter().map(|(_, m)| m).collect();
    assert_eq!(
        messages,
        [
            // Through the middle role it reaches the owner, and what the owner is.
            format!("is a member of role {owner_name}, directly or through another role"),
            format!("is a member of role {middle}, directly or through another role"),
            "is a member of role pg_database_owner, directly or through another role".to_owned(),
            "is not a member of mtdb_tenant: every role switch would fail".to_owned(),
        ]
    );
}

#[tokio::test]
async fn a_login_role_that_owns_a_table_is_found() {
    let db = TestDatabase::create().await;
    let login = ThrowawayLogin::create(&db, "").await;
    let owner = owner_client(&db).await;
    owner
        .batch_execute(&format!(
            "grant create on schema public to {}",
            login.name()
        ))
        .await
        .unwrap();
    login
        .client()
        .await
        .batch_execute("create table stash (x int)")
        .await
        .unwrap();
    let role = format!("role {}", login.name());
    let found = findings_as(login.url()).await;
    owner
        .batch_execute(&format!(
            "revoke create on schema public from {}",
            login.name()
        ))
        .await
        .unwrap();
    login.drop_role().await;
    assert_eq!(
        found,
        vec![
            finding("owns", &role),
            // It owns the table: it holds every privilege on it, and no RLS binds it.
            finding("login_privilege", "table public.stash"),
            finding("rls_disabled", "table public.stash"),
            finding("rls_not_forced", "table public.stash"),
            finding("create_privilege", "schema public"),
        ]
    );
}

#[tokio::test]
async fn a_role_default_that_switches_every_session_to_the_admin_is_found() {
    // The attack: the login role may set its own defaults, no privilege needed.
    let db = TestDatabase::create().await;
    let login = ThrowawayLogin::create(&db, "").await;
    let client = login.client().await;
    client
        .batch_execute(&format!(
            "alter role {name} set role = 'mtdb_platform_admin'; \
             alter role {name} in database {db} set row_security = off; \
             alter role {name} set search_path = pg_temp, public;",
            name = login.name(),
            db = db.name()
        ))
        .await
        .unwrap();
    drop(client);
    let found = inspect_fixes(login.url()).await;
    let name = login.name().to_owned();
    login.drop_role().await;
    assert_eq!(
        found,
        vec![
            format!("alter role {name} reset role"),
            format!("alter role {name} reset search_path"),
            format!(
                "alter role {name} in database {} reset row_security",
                db.name()
            ),
        ]
    );
}

async fn inspect_messages(url: &str) -> Vec<(String, String)> {
    inspect_as(url)
        .await
        .into_iter()
        .map(|f| (f.object, f.message))
        .collect()
}

async fn inspect_fixes(url: &str) -> Vec<String> {
    inspect_as(url).await.into_iter().map(|f| f.fix).collect()
}

async fn inspect_as(url: &str) -> Vec<mtdb_postgres_admin::Finding> {
    let pool = mtdb_postgres::connect_pool(url, 1, std::time::Duration::from_secs(5)).unwrap();
    let found = mtdb_postgres_admin::inspect(&pool).await;
    pool.close();
    found.unwrap()
}

fn owner_name(db: &TestDatabase) -> String {
    let config: tokio_postgres::Config = db.admin_url().parse().unwrap();
    config.get_user().unwrap().to_owned()
}
