//! `mtdb check` compares the catalog with what the migrations define: what widens access
//! or switches a guard off is found, and the fix it names restores the migrations' state;
//! what only narrows access is not a finding.

use mtdb_testing::findings::*;
use mtdb_testing::{TestDatabase, ThrowawayLogin};

/// Runs every fix the check names, as the owner; then nothing is left to find.
async fn fix_all(db: &TestDatabase) {
    for (_, fix) in inspect_all(db).await {
        owner_runs(db, &fix).await;
    }
    assert_eq!(findings(db).await, vec![]);
}

#[tokio::test]
async fn an_altered_policy_is_found_and_its_fix_restores_the_migrations_policy() {
    let db = TestDatabase::create().await;
    owner_runs(
        &db,
        "alter policy tenants_tenant_read on tenants using (true)",
    )
    .await;
    let found = inspect_all(&db).await;
    assert_eq!(
        found.iter().map(|(f, _)| f.clone()).collect::<Vec<_>>(),
        vec![finding(
            "policy_drift",
            "policy tenants_tenant_read on public.tenants"
        )]
    );
    assert!(
        found[0].1.starts_with(
            "drop policy tenants_tenant_read on public.tenants; create policy \
             tenants_tenant_read on public.tenants as permissive for select to mtdb_tenant \
             using ((((deleted_at IS NULL)"
        ),
        "{}",
        found[0].1
    );
    fix_all(&db).await;
}

#[tokio::test]
async fn what_only_narrows_access_is_not_a_finding() {
    let db = TestDatabase::create().await;
    owner_runs(
        &db,
        "revoke update (metadata) on tenants from mtdb_tenant; \
         drop policy tenants_admin_update on tenants; \
         create policy only_live on tenants as restrictive for select to mtdb_tenant \
           using (deleted_at is null);",
    )
    .await;
    assert_eq!(findings(&db).await, vec![]);
}

#[tokio::test]
async fn a_dropped_and_an_added_trigger_are_found_and_fixed() {
    let db = TestDatabase::create().await;
    owner_runs(
        &db,
        "drop trigger tenants_rename_scope on tenants; \
         create trigger tenants_extra before update on tenants \
           for each row execute function tenants_before_update();",
    )
    .await;
    assert_eq!(
        findings(&db).await,
        vec![
            finding("trigger_drift", "trigger tenants_extra on public.tenants"),
            finding(
                "trigger_drift",
                "trigger tenants_rename_scope on public.tenants"
            ),
        ]
    );
    fix_all(&db).await;
}

#[tokio::test]
async fn a_trigger_that_fires_on_replicas_only_is_found() {
    let db = TestDatabase::create().await;
    owner_runs(
        &db,
        "alter table tenant_audit enable replica trigger tenant_audit_no_change",
    )
    .await;
    let found = inspect_all(&db).await;
    assert_eq!(
        found,
        vec![(
            finding(
                "trigger_drift",
                "trigger tenant_audit_no_change on public.tenant_audit"
            ),
            "alter table public.tenant_audit enable trigger tenant_audit_no_change".to_owned()
        )]
    );
    fix_all(&db).await;
}

#[tokio::test]
async fn an_altered_function_and_an_execute_grant_are_found() {
    let db = TestDatabase::create().await;
    owner_runs(
        &db,
        "alter function tenants_before_insert() reset search_path; \
         grant execute on function tenant_audit_record() to mtdb_tenant;",
    )
    .await;
    let found = inspect_all(&db).await;
    assert_eq!(
        found.iter().map(|(f, _)| f.clone()).collect::<Vec<_>>(),
        vec![
            finding("function_drift", "function public.tenant_audit_record()"),
            finding("function_drift", "function public.tenants_before_insert()"),
        ]
    );
    assert_eq!(
        found[0].1,
        "revoke execute on function public.tenant_audit_record() from mtdb_tenant"
    );
    owner_runs(
        &db,
        "alter function tenants_before_insert() set search_path = pg_catalog, public, pg_temp",
    )
    .await;
    owner_runs(&db, &found[0].1).await;
    assert_eq!(findings(&db).await, vec![]);
}

#[tokio::test]
async fn a_grant_option_the_migrations_do_not_give_is_found_and_fixed() {
    let db = TestDatabase::create().await;
    owner_runs(
        &db,
        "grant select (name) on tenants to mtdb_tenant with grant option",
    )
    .await;
    assert_eq!(
        inspect_all(&db).await,
        vec![(
            finding("grant_drift", "column public.tenants.name"),
            "revoke grant option for select (name) on public.tenants from mtdb_tenant".to_owned()
        )]
    );
    fix_all(&db).await;
}

#[tokio::test]
async fn a_function_of_the_policies_marked_leakproof_is_found() {
    // Only a superuser can: the planner may then run it before the policies filter rows.
    let db = TestDatabase::create().await;
    db.superuser_runs("alter function mtdb_current_tenant_id() leakproof")
        .await;
    let found = inspect_all(&db).await;
    assert_eq!(
        found.iter().map(|(f, _)| f.clone()).collect::<Vec<_>>(),
        vec![finding(
            "function_drift",
            "function public.mtdb_current_tenant_id()"
        )]
    );
    db.superuser_runs("alter function mtdb_current_tenant_id() not leakproof")
        .await;
    assert_eq!(findings(&db).await, vec![]);
}

#[tokio::test]
async fn session_replication_role_from_the_connection_options_is_found() {
    // No default names it: the server's configuration or the URL's options set it.
    let db = TestDatabase::create().await;
    let login = ThrowawayLogin::create(&db, "").await;
    let name = login.name().to_owned();
    db.superuser_runs(&format!(
        "grant set on parameter session_replication_role to {name}"
    ))
    .await;
    let separator = if login.url().contains('?') { '&' } else { '?' };
    let replica = format!(
        "{}{separator}options=-c%20session_replication_role%3Dreplica",
        login.url()
    );
    let with_option = findings_as(&replica).await;
    let without = findings_as(login.url()).await;
    db.superuser_runs(&format!(
        "revoke set on parameter session_replication_role from {name}"
    ))
    .await;
    login.drop_role().await;
    assert_eq!(
        with_option,
        vec![finding(
            "forbidden_default",
            "setting session_replication_role"
        )]
    );
    assert_eq!(without, vec![]);
}

#[tokio::test]
async fn a_rule_that_drops_the_audit_rows_is_found_and_fixed() {
    let db = TestDatabase::create().await;
    owner_runs(
        &db,
        "create rule forget as on insert to tenant_audit do instead nothing",
    )
    .await;
    assert_eq!(
        inspect_all(&db).await,
        vec![(
            finding("rule_drift", "rule forget on public.tenant_audit"),
            "drop rule forget on public.tenant_audit".to_owned()
        )]
    );
    fix_all(&db).await;
}
