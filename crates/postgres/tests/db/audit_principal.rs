//! The audit row names the principal whose policy allowed the change (docs/security.md,
//! "The audit trail"), whatever the statement does to the settings after the policy
//! checked it: raw SQL as the login role, as an attacker holding its password would send.

use mtdb_postgres::testing::TestDatabase;
use tokio_postgres::Client;
use uuid::Uuid;

use crate::support::*;

/// `(action, actor_principal, actor_sub)` of every audit row of `tenant`, oldest first.
async fn trail(db: &TestDatabase, tenant: Uuid) -> Vec<(String, String, Option<String>)> {
    owner_client(db)
        .await
        .query(
            "select action, actor_principal, actor_sub from tenant_audit \
             where tenant_id = $1 order by audit_id",
            &[&tenant],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

/// The last audit row of `tenant`: `(actor_principal, actor_sub)`.
async fn last_actor(db: &TestDatabase, tenant: Uuid) -> (String, Option<String>) {
    let (_, principal, sub) = trail(db, tenant).await.pop().unwrap();
    (principal, sub)
}

fn hsbc() -> String {
    format!("tenant:{HSBC}")
}

fn raw_sub() -> Option<String> {
    Some("raw test".to_owned())
}

#[tokio::test]
async fn a_returning_that_switches_the_context_does_not_change_the_recorded_principal() {
    let db = seeded().await;
    let mut client = app_client(&db).await;
    for returning in [
        format!("set_config('app.current_tenant_id', '{BARCLAYS}', true)"),
        "set_config('role', 'mtdb_platform_admin', true)".to_owned(),
        "set_config('app.actor_sub', 'mtdb seed', true)".to_owned(),
    ] {
        let sql = format!(
            "update tenants set metadata = '{{}}' where tenant_id = '{HSBC_HONG_KONG}' \
             returning {returning}"
        );
        assert_eq!(
            exec_as(&mut client, Ctx::Tenant(HSBC), &sql).await.unwrap(),
            1
        );
        assert_eq!(
            last_actor(&db, HSBC_HONG_KONG).await,
            (hsbc(), raw_sub()),
            "returning {returning}"
        );
    }
}

#[tokio::test]
async fn a_multi_row_write_records_the_admin_on_every_row_whatever_its_returning_sets() {
    let db = seeded().await;
    let mut client = app_client(&db).await;
    let sql = format!(
        "update tenants set metadata = '{{\"n\": 1}}' \
         where tenant_id in ('{HSBC_HONG_KONG}', '{HSBC_LONDON}', '{BARCLAYS_UK}') \
         returning set_config('app.current_tenant_id', '{BARCLAYS}', true)"
    );
    assert_eq!(exec_as(&mut client, Ctx::Admin, &sql).await.unwrap(), 3);
    for tenant in [HSBC_HONG_KONG, HSBC_LONDON, BARCLAYS_UK] {
        assert_eq!(
            last_actor(&db, tenant).await,
            ("platform_admin".to_owned(), raw_sub())
        );
    }
}

/// Runs `sql` as `ctx` and asserts the database refused it with 42501 and that nothing
/// changed, the audit trail included.
async fn assert_refused_unchanged(db: &TestDatabase, client: &mut Client, ctx: Ctx<'_>, sql: &str) {
    let (before, audit_before) = (snapshot(db).await, crate::audit::count(db).await);
    let err = exec_as(client, ctx, sql)
        .await
        .expect_err(&format!("{ctx:?} may run: {sql}"));
    assert_eq!(code(&err), "42501", "{ctx:?}: {sql}: {err}");
    assert_eq!(snapshot(db).await, before);
    assert_eq!(crate::audit::count(db).await, audit_before);
}

#[tokio::test]
async fn a_multi_row_write_whose_returning_changes_its_principal_is_refused_whole() {
    // The policies read the context once per statement: the rows after the switch would be
    // checked as the first principal but stamped as the new one, so PostgreSQL refuses them.
    let db = seeded().await;
    let mut client = app_client(&db).await;
    let both = format!("tenant_id in ('{HSBC_HONG_KONG}', '{HSBC_LONDON}')");
    let cases = [
        (
            Ctx::Tenant(HSBC),
            format!("set_config('app.current_tenant_id', '{BARCLAYS}', true)"),
        ),
        (
            Ctx::Tenant(HSBC),
            "set_config('role', 'mtdb_platform_admin', true)".to_owned(),
        ),
        (
            Ctx::Tenant(HSBC),
            "set_config('app.actor_sub', 'mtdb seed', true)".to_owned(),
        ),
        (
            Ctx::Admin,
            format!(
                "set_config('role', 'mtdb_tenant', true), \
                 set_config('app.current_tenant_id', '{HSBC}', true)"
            ),
        ),
        (
            Ctx::Admin,
            "set_config('app.actor_sub', 'mtdb seed', true)".to_owned(),
        ),
    ];
    for (ctx, returning) in cases {
        let sql =
            format!("update tenants set metadata = '{{}}' where {both} returning {returning}");
        assert_refused_unchanged(&db, &mut client, ctx, &sql).await;
    }
}

#[tokio::test]
async fn a_context_switched_before_the_write_policy_names_the_principal_it_checked() {
    // A switch inside the SET list runs before the row is checked: the write policy checks
    // the new principal, and that is the one recorded (here HSBC Hong Kong itself, whose
    // policy lets it update itself).
    let db = seeded().await;
    let mut client = app_client(&db).await;
    let sql = format!(
        "update tenants set metadata = jsonb_build_object('x', \
           set_config('app.current_tenant_id', '{HSBC_HONG_KONG}', true)) \
         where tenant_id = '{HSBC_HONG_KONG}'"
    );
    assert_eq!(
        exec_as(&mut client, Ctx::Tenant(HSBC), &sql).await.unwrap(),
        1
    );
    assert_eq!(
        last_actor(&db, HSBC_HONG_KONG).await,
        (format!("tenant:{HSBC_HONG_KONG}"), raw_sub())
    );
    // Switching to another organization there: its policy refuses the row.
    let sql = format!(
        "update tenants set metadata = jsonb_build_object('x', \
           set_config('app.current_tenant_id', '{BARCLAYS}', true)) \
         where tenant_id = '{HSBC_LONDON}'"
    );
    assert_refused_unchanged(&db, &mut client, Ctx::Tenant(HSBC), &sql).await;
}

#[tokio::test]
async fn a_role_switched_before_a_lazy_write_is_refused() {
    // A data-modifying WITH runs when its rows are first read: here after the select list
    // switched to the admin role. The write was planned, and its policies chosen, for
    // mtdb_tenant; the row, stamped as the admin, fails them.
    let db = seeded().await;
    let mut client = app_client(&db).await;
    let sql = format!(
        "with u as (update tenants set metadata = '{{}}' where tenant_id = '{HSBC_HONG_KONG}' \
                    returning 1) \
         select set_config('role', 'mtdb_platform_admin', true), (select count(*) from u)"
    );
    assert_refused_unchanged(&db, &mut client, Ctx::Tenant(HSBC), &sql).await;
}

#[tokio::test]
async fn an_ordinary_write_records_its_principal_and_no_application_role_reads_the_stamp() {
    let db = seeded().await;
    let mut client = app_client(&db).await;
    let insert = format!(
        "insert into tenants (name, parent_tenant_id, tenant_type) \
         values ('HSBC Paris', '{HSBC}', 'subsidiary')"
    );
    assert_eq!(
        exec_as(&mut client, Ctx::Tenant(HSBC), &insert)
            .await
            .unwrap(),
        1
    );
    let paris: Uuid = owner_client(&db)
        .await
        .query_one(
            "select tenant_id from tenant_audit where after ->> 'name' = 'HSBC Paris'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    let update = format!("update tenants set name = 'HSBC France' where tenant_id = '{paris}'");
    assert_eq!(exec_as(&mut client, Ctx::Admin, &update).await.unwrap(), 1);
    assert_eq!(
        trail(&db, paris).await,
        vec![
            ("create".to_owned(), hsbc(), raw_sub()),
            ("update".to_owned(), "platform_admin".to_owned(), raw_sub()),
        ]
    );
    for ctx in [Ctx::Tenant(HSBC), Ctx::Admin] {
        for sql in [
            "select written_principal from tenants",
            "select written_sub from tenants",
            "select * from tenants",
            "update tenants set written_principal = 'platform_admin'",
        ] {
            let err = exec_as(&mut client, ctx, sql).await.unwrap_err();
            assert_eq!(code(&err), "42501", "{ctx:?}: {sql}");
        }
    }
}

#[tokio::test]
async fn every_committed_change_has_exactly_one_audit_row() {
    // Each tenant's version counts its changes (1 on create, +1 per update): after writes
    // that worked, writes that were refused and writes that were rolled back, every tenant
    // has exactly `version` audit rows.
    let db = seeded().await;
    let mut client = app_client(&db).await;
    let meta = |n: i32, target: Uuid| {
        format!("update tenants set metadata = '{{\"n\": {n}}}' where tenant_id = '{target}'")
    };
    exec_as(&mut client, Ctx::Admin, &meta(1, HSBC))
        .await
        .unwrap();
    exec_as(&mut client, Ctx::Tenant(HSBC), &meta(2, HSBC_LONDON))
        .await
        .unwrap();
    let tx = begin(&mut client, Ctx::Tenant(HSBC)).await.unwrap();
    tx.execute(&meta(3, HSBC_HONG_KONG), &[]).await.unwrap();
    tx.rollback().await.unwrap();
    let flip = format!(
        "update tenants set metadata = '{{}}' where parent_tenant_id = '{BARCLAYS}' or \
         tenant_id = '{BARCLAYS}' returning set_config('app.actor_sub', 'x', true)"
    );
    let _ = exec_as(&mut client, Ctx::Tenant(BARCLAYS), &flip)
        .await
        .unwrap_err();

    let tx = begin(&mut client, Ctx::Admin).await.unwrap();
    let versions: Vec<(Uuid, i64)> = tx
        .query("select tenant_id, version from tenants", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    tx.commit().await.unwrap();
    assert_eq!(versions.len(), 5);
    for (tenant, version) in versions {
        let rows = trail(&db, tenant).await.len() as i64;
        assert_eq!(rows, version, "{tenant}");
    }
}
