//! `mtdb check` on what could shadow the schema (temporary tables, new schemas,
//! functions that search pg_temp first) and on default settings; and the shadowing
//! attack itself, which V5 closes.

use mtdb_testing::TestDatabase;

use crate::support::*;
use mtdb_testing::findings::*;

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
        for table in ["tenant_audit", "tenants"] {
            let tx = begin(&mut client, ctx).await.unwrap();
            let e = tx
                .batch_execute(&format!("create temp table {table} (x int) on commit drop"))
                .await
                .unwrap_err();
            assert_eq!(code(&e), "42501", "{ctx:?}: {e}");
        }
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

// The one exception, the context function, names every object by schema instead: a SET
// clause would stop it from being inlined (fail_closed.rs checks it is inlined).
#[tokio::test]
async fn every_function_of_the_schema_puts_pg_temp_last() {
    let db = TestDatabase::create().await;
    let rows = owner_client(&db)
        .await
        .query(
            "select p.proname::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace \
             where n.nspname = 'public' and not coalesce(exists ( \
                 select from unnest(p.proconfig) c where c like 'search_path=%, pg_temp'), false) \
               and not (p.proname = 'mtdb_current_tenant_id' and not p.prosecdef) \
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

/// Runs the hierarchy attack `sql` as `ctx` in a session whose roles were given `TEMP`
/// (as before V5, when `PUBLIC` held it), and asserts the integrity trigger still refused
/// it with `constraint` and that no tenant changed.
async fn assert_trigger_not_fooled(db: &TestDatabase, ctx: Ctx<'_>, sql: &str, constraint: &str) {
    let name = db.name().to_owned();
    owner_runs(
        db,
        &format!("grant temporary on database {name} to mtdb_tenant, mtdb_platform_admin"),
    )
    .await;
    let before = snapshot(db).await;
    let mut client = app_client(db).await;
    let tx = begin(&mut client, ctx).await.unwrap();
    let e = tx.batch_execute(sql).await.unwrap_err();
    let refused_by = e.as_db_error().and_then(|d| d.constraint());
    assert_eq!(refused_by, Some(constraint), "{ctx:?}: {e}");
    drop(tx);
    assert_eq!(snapshot(db).await, before);
}

#[tokio::test]
async fn a_temporary_tenants_table_does_not_let_a_subsidiary_hold_subsidiaries() {
    // A temporary `tenants` says HSBC Hong Kong is a parent; the insert trigger's look-up
    // of the parent names pg_temp last, so it reads public.tenants and refuses depth 3.
    let db = seeded().await;
    let sql = format!(
        "create temp table tenants (tenant_id uuid, parent_tenant_id uuid, tenant_type text, \
           deleted_at timestamptz) on commit drop; \
         insert into pg_temp.tenants values ('{HSBC_HONG_KONG}', null, 'parent', null); \
         insert into public.tenants (name, parent_tenant_id, tenant_type) \
           values ('HK Kowloon', '{HSBC_HONG_KONG}', 'subsidiary');"
    );
    assert_trigger_not_fooled(&db, Ctx::Tenant(HSBC_HONG_KONG), &sql, "tenants_depth_ck").await;
}

#[tokio::test]
async fn an_empty_temporary_tenants_table_does_not_let_a_parent_go_before_its_subsidiaries() {
    // An empty temporary `tenants` would hide Barclays UK from the update trigger's search
    // for live subsidiaries; with pg_temp last it searches public.tenants and refuses.
    let db = seeded().await;
    let sql = format!(
        "create temp table tenants (tenant_id uuid, parent_tenant_id uuid, \
           deleted_at timestamptz) on commit drop; \
         update public.tenants set deleted_at = now() where tenant_id = '{BARCLAYS}';"
    );
    assert_trigger_not_fooled(&db, Ctx::Admin, &sql, "tenants_no_live_subsidiaries").await;
}
