//! `mtdb check` judges what the database allows, not only what exists: each test makes
//! one change an owner or a superuser could make that widens access or switches a guard
//! off, and asserts that the real binary names it (exit 1, one line), that `mtdb serve`
//! refuses to start on it, and that the fix the finding names leaves a clean database
//! (exit 0).

use mtdb_postgres_admin::EXPECTED_SECURITY_CATALOG;
use mtdb_testing::TestDatabase;
use serde_json::Value;

use crate::check::{mtdb_check, owner_runs, serve_refusal, stdout};

/// Who makes the change.
enum As {
    Owner,
    Superuser,
}

/// On a clean database (exit 0), makes the change `sql`, then: `mtdb check` prints
/// exactly `lines` (exit 1); `serve` refuses, naming each finding's object; every fix
/// `mtdb check --json` names, run by the superuser, leaves nothing to find (exit 0).
async fn found_then_fixed(db: &TestDatabase, who: As, sql: &str, lines: &[String]) {
    let clean = mtdb_check(Some(db.app_url()), &[]).await;
    assert_eq!(clean.status.code(), Some(0), "{clean:?}");
    match who {
        As::Owner => owner_runs(db, sql).await,
        As::Superuser => db.superuser_runs(sql).await,
    }
    let found = mtdb_check(Some(db.app_url()), &[]).await;
    assert_eq!(found.status.code(), Some(1), "{found:?}");
    assert_eq!(stdout(&found).lines().collect::<Vec<_>>(), lines);

    let refusal = serve_refusal(db.app_url()).await;
    assert!(refusal.contains("refusing to serve"), "{refusal}");
    let json = mtdb_check(Some(db.app_url()), &["--json"]).await;
    let document: Value = serde_json::from_str(&stdout(&json)).expect("one JSON document");
    for finding in document["findings"].as_array().expect("findings") {
        let object = finding["object"].as_str().expect("an object");
        assert!(refusal.contains(object), "{object} not in: {refusal}");
        db.superuser_runs(finding["fix"].as_str().expect("a fix"))
            .await;
    }
    let fixed = mtdb_check(Some(db.app_url()), &[]).await;
    assert_eq!(fixed.status.code(), Some(0), "{fixed:?}");
}

#[tokio::test]
async fn a_policy_that_shows_every_tenant_to_every_tenant_is_found() {
    let db = TestDatabase::create().await;
    let sql = "create policy see_all on tenants as permissive for select to mtdb_tenant \
               using (true)";
    let line = "policy_drift policy see_all on public.tenants: is not defined by the \
                migrations and widens access: permissive for select to mtdb_tenant using \
                (true); fix: drop policy see_all on public.tenants";
    found_then_fixed(&db, As::Owner, sql, &[line.to_owned()]).await;
}

#[tokio::test]
async fn an_update_policy_that_allows_every_row_is_found() {
    let db = TestDatabase::create().await;
    let sql = "create policy update_all on tenants for update to mtdb_tenant \
               using (true) with check (true)";
    let line = "policy_drift policy update_all on public.tenants: is not defined by the \
                migrations and widens access: permissive for update to mtdb_tenant using \
                (true) with check (true); fix: drop policy update_all on public.tenants";
    found_then_fixed(&db, As::Owner, sql, &[line.to_owned()]).await;
}

#[tokio::test]
async fn a_security_definer_function_anyone_may_execute_is_found() {
    // Owned by the superuser, which bypasses row level security: through it the login
    // role would read every organization's names without any role switch.
    let db = TestDatabase::create().await;
    let sql = "create function public.every_name() returns setof text language sql \
               security definer set search_path = pg_catalog, public, pg_temp \
               as 'select name from public.tenants'";
    let (login, superuser) = (user_of(db.app_url()), bootstrap_superuser(&db).await);
    let line = format!(
        "function_drift function public.every_name(): is SECURITY DEFINER, runs as \
         {superuser}, is not defined by the migrations, and may be executed by {login}, \
         mtdb_tenant, mtdb_platform_admin, public; fix: revoke execute on function \
         public.every_name() from public, mtdb_tenant, mtdb_platform_admin"
    );
    found_then_fixed(&db, As::Superuser, sql, &[line]).await;
}

#[tokio::test]
async fn a_disabled_trigger_of_tenants_is_found() {
    let db = TestDatabase::create().await;
    let sql = "alter table tenants disable trigger tenants_audit";
    let line = "trigger_drift trigger tenants_audit on public.tenants: is disabled; as the \
                migrations define it, it is enabled; fix: alter table public.tenants enable \
                trigger tenants_audit";
    found_then_fixed(&db, As::Owner, sql, &[line.to_owned()]).await;
}

#[tokio::test]
async fn a_database_default_that_switches_every_trigger_off_is_found() {
    let db = TestDatabase::create().await;
    let name = db.name().to_owned();
    let sql = format!("alter database {name} set session_replication_role = replica");
    let line = format!(
        "forbidden_default database {name}: has a default for session_replication_role, \
         applied to every new session; fix: alter database {name} reset \
         session_replication_role"
    );
    found_then_fixed(&db, As::Superuser, &sql, &[line]).await;
}

#[tokio::test]
async fn a_column_grant_the_migrations_do_not_make_is_found() {
    let db = TestDatabase::create().await;
    let sql = "grant select (written_sub, written_principal) on tenants to mtdb_tenant";
    let line = |column: &str| {
        format!(
            "grant_drift column public.tenants.{column}: mtdb_tenant holds SELECT, which the \
             migrations do not grant; fix: revoke select ({column}) on public.tenants from \
             mtdb_tenant"
        )
    };
    let lines = [line("written_principal"), line("written_sub")];
    found_then_fixed(&db, As::Owner, sql, &lines).await;
}

#[tokio::test]
async fn a_default_privilege_for_an_application_role_is_found() {
    let db = TestDatabase::create().await;
    let owner = user_of(db.admin_url());
    let sql = "alter default privileges in schema public grant select on tables to mtdb_tenant";
    let line = format!(
        "default_privilege default privileges of {owner} in schema public: give mtdb_tenant \
         SELECT on tables that {owner} creates from now on; fix: alter default privileges \
         for role {owner} in schema public revoke select on tables from mtdb_tenant"
    );
    found_then_fixed(&db, As::Owner, sql, &[line]).await;
}

/// The expectation is generated (`make schema` writes what `mtdb check --catalog` prints
/// on a freshly migrated database), never edited by hand: a migration that changes a
/// policy, trigger, function or grant fails here until the file is regenerated.
#[tokio::test]
async fn the_committed_security_catalog_is_what_the_migrations_define() {
    let db = TestDatabase::create().await;
    let printed = mtdb_check(Some(db.app_url()), &["--catalog"]).await;
    assert_eq!(printed.status.code(), Some(0), "{printed:?}");
    let live = stdout(&printed);
    let only = |a: &str, b: &str| -> Vec<String> {
        let theirs: Vec<&str> = b.lines().collect();
        a.lines()
            .filter(|line| !theirs.contains(line))
            .map(str::to_owned)
            .collect()
    };
    assert!(
        live == EXPECTED_SECURITY_CATALOG,
        "migrations/security_catalog.json is not what the migrations define: run `make \
         schema` and commit it.\nonly in the migrated database: {:#?}\nonly in the file: {:#?}",
        only(&live, EXPECTED_SECURITY_CATALOG),
        only(EXPECTED_SECURITY_CATALOG, &live),
    );
}

fn user_of(url: &str) -> String {
    let config: tokio_postgres::Config = url.parse().expect("a URL");
    config.get_user().expect("a user").to_owned()
}

/// The role `initdb` made, whatever the OS user that ran it is called.
async fn bootstrap_superuser(db: &TestDatabase) -> String {
    let (client, connection) = tokio_postgres::connect(db.admin_url(), tokio_postgres::NoTls)
        .await
        .expect("connect as the owner");
    tokio::spawn(connection);
    let row = client
        .query_one("select rolname::text from pg_roles where oid = 10", &[])
        .await
        .expect("the bootstrap superuser");
    row.get(0)
}
