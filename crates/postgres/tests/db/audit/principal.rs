//! The audit row names the principal whose policy allowed the change (docs/security.md,
//! "The audit trail"), whatever the statement does to the settings after the policy
//! checked it: raw SQL as the login role, as an attacker holding its password would send.

use mtdb_testing::TestDatabase;
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

/// Runs `sql` as `ctx` and asserts the database refused it with 42501 and that nothing
/// changed, the audit trail included.
async fn assert_refused_unchanged(db: &TestDatabase, client: &mut Client, ctx: Ctx<'_>, sql: &str) {
    let (before, audit_before) = (snapshot(db).await, crate::audit::trail::count(db).await);
    let err = exec_as(client, ctx, sql)
        .await
        .expect_err(&format!("{ctx:?} may run: {sql}"));
    assert_eq!(code(&err), "42501", "{ctx:?}: {sql}: {err}");
    assert_eq!(snapshot(db).await, before);
    assert_eq!(crate::audit::trail::count(db).await, audit_before);
}

#[tokio::test]
async fn a_multi_row_write_records_its_principal_on_every_row_whatever_its_returning_switches() {
    // Row 1's RETURNING runs before row 2 is stamped and checked: the statement's writer
    // was captured when it started, and the policies read the context once, so every row
    // names the principal the statement started as.
    let db = seeded().await;
    let mut client = app_client(&db).await;
    let both = format!("tenant_id in ('{HSBC_HONG_KONG}', '{HSBC_LONDON}')");
    let switches = [
        format!("set_config('app.current_tenant_id', '{BARCLAYS}', true)"),
        "set_config('role', 'mtdb_platform_admin', true)".to_owned(),
        format!(
            "set_config('role', 'mtdb_tenant', true), \
             set_config('app.current_tenant_id', '{HSBC}', true)"
        ),
        "set_config('app.actor_sub', 'mtdb seed', true)".to_owned(),
    ];
    for (ctx, expected) in [
        (Ctx::Tenant(HSBC), hsbc()),
        (Ctx::Admin, "platform_admin".to_owned()),
    ] {
        for returning in &switches {
            let sql =
                format!("update tenants set metadata = '{{}}' where {both} returning {returning}");
            assert_eq!(exec_as(&mut client, ctx, &sql).await.unwrap(), 2);
            for tenant in [HSBC_HONG_KONG, HSBC_LONDON] {
                assert_eq!(
                    last_actor(&db, tenant).await,
                    (expected.clone(), raw_sub()),
                    "{ctx:?} returning {returning}"
                );
            }
        }
    }
}

#[tokio::test]
async fn a_switch_before_the_policy_reads_the_context_is_refused() {
    // A switch inside the SET list runs after the statement's writer was captured and
    // before the policy reads the context: the row is stamped as HSBC but checked as the
    // new principal (or sub), so the policy refuses it, whichever principal that is, even
    // HSBC Hong Kong, which may update itself.
    let db = seeded().await;
    let mut client = app_client(&db).await;
    let switches = [
        (
            HSBC_HONG_KONG,
            format!("set_config('app.current_tenant_id', '{HSBC_HONG_KONG}', true)"),
        ),
        (
            HSBC_LONDON,
            format!("set_config('app.current_tenant_id', '{BARCLAYS}', true)"),
        ),
        (
            HSBC_LONDON,
            "set_config('app.actor_sub', 'mtdb seed', true)".to_owned(),
        ),
        (
            HSBC_LONDON,
            "set_config('mtdb.statement_principal', 'platform_admin', true)".to_owned(),
        ),
    ];
    for (target, switch) in switches {
        let sql = format!(
            "update tenants set metadata = jsonb_build_object('x', {switch}) \
             where tenant_id = '{target}'"
        );
        assert_refused_unchanged(&db, &mut client, Ctx::Tenant(HSBC), &sql).await;
    }
    // The captured writer is a setting too: a RETURNING that rewrites it has the next
    // row stamped with a principal its policy did not check.
    let sql = format!(
        "update tenants set metadata = '{{}}' \
         where tenant_id in ('{HSBC_HONG_KONG}', '{HSBC_LONDON}') \
         returning set_config('mtdb.statement_principal', 'platform_admin', true)"
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
        "update tenants set metadata = jsonb_build_object('x', \
           set_config('app.actor_sub', 'x', true)) where tenant_id = '{BARCLAYS_UK}'"
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
