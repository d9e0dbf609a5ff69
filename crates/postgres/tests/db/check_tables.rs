//! `mtdb check` finds every relation, function and database privilege the application
//! roles can reach, from the catalog: each test breaks one thing as the owner (or an
//! operator) would and asserts that the check names it; a clean database passes.

use mtdb_postgres::testing::TestDatabase;

use crate::check_support::*;
use crate::support::*;

async fn owner_runs(db: &TestDatabase, sql: &str) {
    owner_client(db).await.batch_execute(sql).await.unwrap();
}

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
async fn a_security_definer_function_must_put_pg_temp_last() {
    let db = TestDatabase::create().await;
    owner_runs(
        &db,
        "create function count_all() returns bigint language sql security definer \
           as 'select count(*) from tenants'; \
         create function count_some() returns bigint language sql security definer \
           set search_path = pg_catalog, public as 'select count(*) from tenants';",
    )
    .await;
    assert_eq!(
        findings(&db).await,
        vec![
            finding("unpinned_search_path", "function public.count_all()"),
            finding("unpinned_search_path", "function public.count_some()"),
        ]
    );
    owner_runs(
        &db,
        "alter function count_all() set search_path = pg_catalog, public, pg_temp; \
         alter function count_some() set search_path = pg_catalog, public, pg_temp;",
    )
    .await;
    assert_eq!(findings(&db).await, vec![]);
}

#[tokio::test]
async fn temp_and_create_privileges_are_found() {
    let db = TestDatabase::create().await;
    let name = db.name().to_owned();
    owner_runs(
        &db,
        &format!("grant temporary on database {name} to mtdb_tenant"),
    )
    .await;
    assert_eq!(
        findings(&db).await,
        vec![finding("temp_privilege", &format!("database {name}"))]
    );
    owner_runs(
        &db,
        &format!(
            "revoke temporary on database {name} from mtdb_tenant; \
             grant temporary on database {name} to public; \
             grant create on schema public to mtdb_platform_admin;"
        ),
    )
    .await;
    let found = inspect_all(&db).await;
    assert_eq!(
        found,
        vec![
            (
                finding("temp_privilege", &format!("database {name}")),
                format!("revoke temporary on database {name} from public")
            ),
            (
                finding("create_privilege", "schema public"),
                "revoke create on schema public from mtdb_platform_admin".to_owned()
            ),
        ]
    );
}

#[tokio::test]
async fn no_application_role_can_create_a_temporary_table() {
    // The shadowing attack of docs/security.md: a temporary tenant_audit in front of
    // public's. Without TEMP it cannot even be created.
    let db = seeded().await;
    let mut client = app_client(&db).await;
    for ctx in [Ctx::Login, Ctx::Tenant(HSBC), Ctx::Admin] {
        let tx = begin(&mut client, ctx).await.unwrap();
        let e = tx
            .batch_execute("create temp table tenant_audit (x int) on commit drop")
            .await
            .unwrap_err();
        assert_eq!(code(&e), "42501", "{ctx:?}: {e}");
    }
}

#[tokio::test]
async fn database_defaults_that_touch_the_context_are_found() {
    let db = TestDatabase::create().await;
    let name = db.name().to_owned();
    owner_runs(
        &db,
        &format!(
            "alter database {name} set search_path = public, pg_catalog; \
             alter database {name} set row_security = off; \
             alter database {name} set work_mem = '8MB';"
        ),
    )
    .await;
    let found = inspect_all(&db).await;
    assert_eq!(
        found,
        vec![
            (
                finding("forbidden_default", &format!("database {name}")),
                format!("alter database {name} reset row_security")
            ),
            (
                finding("forbidden_default", &format!("database {name}")),
                format!("alter database {name} reset search_path")
            ),
        ]
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
    let mut found = mtdb_postgres::inspect(db.pool()).await.unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    let f = found.remove(0);
    ((f.kind.as_str().to_owned(), f.object), f.message)
}

/// Every finding, with its fix.
async fn inspect_all(db: &TestDatabase) -> Vec<((String, String), String)> {
    mtdb_postgres::inspect(db.pool())
        .await
        .unwrap()
        .into_iter()
        .map(|f| ((f.kind.as_str().to_owned(), f.object), f.fix))
        .collect()
}

#[tokio::test]
async fn every_function_of_the_schema_puts_pg_temp_last() {
    let db = TestDatabase::create().await;
    let rows = owner_client(&db)
        .await
        .query(
            "select p.proname::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace \
             where n.nspname = 'public' and not coalesce(exists ( \
                 select from unnest(p.proconfig) c where c like 'search_path=%, pg_temp'), false) \
             order by 1",
            &[],
        )
        .await
        .unwrap();
    let unpinned: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    assert_eq!(unpinned, Vec::<String>::new());
}

#[tokio::test]
async fn a_temporary_audit_table_does_not_catch_the_audit_row() {
    // The shadowing attack, by a session that does hold TEMP (the owner's, which owns the
    // database): a temporary tenant_audit, then a change as the platform admin. The audit
    // trigger runs as the owner with pg_temp last, so the row goes to the real trail.
    let db = seeded().await;
    let mut owner = owner_client(&db).await;
    let tx = owner.transaction().await.unwrap();
    tx.batch_execute(&format!(
        "create temp table tenant_audit (tenant_id uuid, action text, actor_sub text, \
           actor_principal text, before jsonb, after jsonb) on commit drop; \
         select set_config('role', 'mtdb_platform_admin', true); \
         update tenants set metadata = '{{\"shadowed\": true}}' where tenant_id = '{HSBC_LONDON}';"
    ))
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let audited: i64 = owner
        .query_one(
            "select count(*) from public.tenant_audit \
             where tenant_id = $1 and action = 'update' and after->'metadata' ? 'shadowed'",
            &[&HSBC_LONDON],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(audited, 1);
}
