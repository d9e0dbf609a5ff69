//! `mtdb check` finds every relation, function and database privilege the application
//! roles can reach, from the catalog: each test breaks one thing as the owner (or an
//! operator) would and asserts that the check names it; a clean database passes.

use mtdb_testing::TestDatabase;

use crate::support::*;
use mtdb_testing::findings::*;

#[tokio::test]
async fn a_freshly_migrated_database_has_no_finding() {
    let db = TestDatabase::create().await;
    assert_eq!(findings(&db).await, vec![]);
}

#[tokio::test]
async fn an_operators_table_without_row_level_security_is_found_and_then_passes() {
    let db = TestDatabase::create().await;
    owner_runs(
        &db,
        "create table ledger (tenant_id uuid not null, amount numeric not null); \
         grant select, insert on ledger to mtdb_tenant;",
    )
    .await;
    assert_eq!(
        findings(&db).await,
        vec![
            finding("rls_disabled", "table public.ledger"),
            finding("rls_not_forced", "table public.ledger"),
            finding("missing_policy", "table public.ledger"),
        ]
    );

    owner_runs(
        &db,
        "alter table ledger enable row level security, force row level security; \
         create policy ledger_tenant on ledger to mtdb_tenant \
           using (tenant_id = (select mtdb_current_tenant_id())) \
           with check (tenant_id = (select mtdb_current_tenant_id()));",
    )
    .await;
    assert_eq!(findings(&db).await, vec![]);
}

#[tokio::test]
async fn a_table_granted_to_public_reaches_the_login_role_itself() {
    let db = TestDatabase::create().await;
    owner_runs(
        &db,
        "create table notes (x int); \
         alter table notes enable row level security, force row level security; \
         grant select on notes to public;",
    )
    .await;
    assert_eq!(
        findings(&db).await,
        vec![
            finding("login_privilege", "table public.notes"),
            // PUBLIC's grant reaches both switched-to roles, and no policy serves them.
            finding("missing_policy", "table public.notes"),
            finding("missing_policy", "table public.notes"),
        ]
    );
    // Revoking from the login role alone would change nothing.
    assert_eq!(
        inspect_all(&db).await[0].1,
        "revoke all on public.notes from public"
    );
}

#[tokio::test]
async fn row_level_security_switched_off_on_tenants_is_found() {
    let db = TestDatabase::create().await;
    owner_runs(
        &db,
        "alter table tenants no force row level security, disable row level security",
    )
    .await;
    assert_eq!(
        findings(&db).await,
        vec![
            finding("rls_disabled", "table public.tenants"),
            finding("rls_not_forced", "table public.tenants"),
        ]
    );
}

#[tokio::test]
async fn a_role_holding_privileges_without_a_policy_is_found() {
    let db = TestDatabase::create().await;
    owner_runs(
        &db,
        "drop policy tenants_admin_read on tenants; \
         drop policy tenants_admin_create on tenants; \
         drop policy tenants_admin_update on tenants;",
    )
    .await;
    let found = inspect_one(&db).await;
    assert_eq!(found.0, finding("missing_policy", "table public.tenants"));
    assert!(found.1.contains("mtdb_platform_admin"), "{}", found.1);
}

#[tokio::test]
async fn a_policy_for_public_is_found() {
    let db = TestDatabase::create().await;
    owner_runs(
        &db,
        "create policy everyone on tenants for select using (false)",
    )
    .await;
    assert_eq!(
        findings(&db).await,
        vec![finding(
            "public_policy",
            "policy everyone on public.tenants"
        )]
    );
}

#[tokio::test]
async fn privileges_outside_row_level_security_are_found() {
    let db = TestDatabase::create().await;
    let login = login_name(&db);
    owner_runs(
        &db,
        &format!(
            "grant truncate on tenants to mtdb_tenant; \
             grant references (tenant_id) on tenants to mtdb_platform_admin; \
             grant trigger on tenants to mtdb_tenant; \
             grant delete on tenants to mtdb_platform_admin; \
             grant update (action) on tenant_audit to mtdb_platform_admin; \
             grant select on tenants to {login};"
        ),
    )
    .await;
    let found = findings(&db).await;
    let forbidden = |t: &str| finding("forbidden_privilege", t);
    assert_eq!(
        found,
        vec![
            forbidden("table public.tenant_audit"),
            finding("login_privilege", "table public.tenants"),
            forbidden("table public.tenants"),
            forbidden("table public.tenants"),
            forbidden("table public.tenants"),
            forbidden("table public.tenants"),
            // The audit trail is reachable now, and has no policy for the admin.
            finding("missing_policy", "table public.tenant_audit"),
        ]
    );
}

#[tokio::test]
async fn a_view_that_runs_as_its_owner_is_found_until_it_runs_as_the_invoker() {
    let db = TestDatabase::create().await;
    owner_runs(
        &db,
        "create view tenant_names as select tenant_id, name from tenants; \
         grant select on tenant_names to mtdb_tenant;",
    )
    .await;
    assert_eq!(
        findings(&db).await,
        vec![finding("view_without_invoker", "view public.tenant_names")]
    );
    owner_runs(&db, "alter view tenant_names set (security_invoker = on)").await;
    assert_eq!(findings(&db).await, vec![]);
}

#[tokio::test]
async fn a_materialized_view_is_found() {
    let db = TestDatabase::create().await;
    owner_runs(
        &db,
        "create materialized view tenant_count as select count(*) from tenants; \
         grant select on tenant_count to mtdb_platform_admin;",
    )
    .await;
    assert_eq!(
        findings(&db).await,
        vec![finding(
            "unprotected_relation",
            "relation public.tenant_count"
        )]
    );
}

#[tokio::test]
async fn a_missing_table_is_found() {
    let db = TestDatabase::create().await;
    owner_runs(&db, "alter table tenant_audit rename to tenant_audit_old").await;
    let found = findings(&db).await;
    assert_eq!(
        found.first(),
        Some(&finding("missing_table", "table public.tenant_audit"))
    );
}

/// The only finding, with its message.
async fn inspect_one(db: &TestDatabase) -> ((String, String), String) {
    let mut found = mtdb_postgres_admin::inspect(db.pool()).await.unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    let f = found.remove(0);
    ((f.kind.as_str().to_owned(), f.object), f.message)
}
