//! Without a valid context the database shows nothing and lets nothing be written, and
//! says so without errors that a request could trip over.

use crate::support::*;

#[tokio::test]
async fn the_login_role_without_a_role_switch_reads_and_writes_nothing() {
    let db = seeded().await;
    let mut client = app_client(&db).await;

    // Permission denied is fine; a row is not.
    match visible(&mut client, Ctx::Login).await {
        Ok(n) => assert_eq!(n, 0),
        Err(e) => assert_eq!(code(&e), "42501", "{e}"),
    }
    let write = exec_as(
        &mut client,
        Ctx::Login,
        "insert into tenants (name, tenant_type) values ('Login Bank', 'parent')",
    )
    .await;
    assert!(write.is_err(), "the login role wrote a tenant");
    let audit = client.query("select * from tenant_audit", &[]).await;
    assert!(audit.map_or(true, |rows| rows.is_empty()));
}

#[tokio::test]
async fn the_tenant_role_without_a_tenant_sees_nothing_and_does_not_fail() {
    let db = seeded().await;
    let mut client = app_client(&db).await;
    assert_eq!(visible(&mut client, Ctx::TenantRoleOnly).await.unwrap(), 0);
}

#[tokio::test]
async fn the_empty_setting_left_by_an_earlier_transaction_sees_nothing() {
    let db = seeded().await;
    let mut client = app_client(&db).await;
    assert_eq!(visible(&mut client, Ctx::Tenant(HSBC)).await.unwrap(), 3);

    // Same connection: PostgreSQL now answers '' rather than NULL for the setting.
    let tx = begin(&mut client, Ctx::TenantRoleOnly).await.unwrap();
    let setting: Option<String> = tx
        .query_one("select current_setting('app.current_tenant_id', true)", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(setting.as_deref(), Some(""));
    let n: i64 = tx
        .query_one("select count(*) from tenants", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 0);
}

#[tokio::test]
async fn garbage_in_the_setting_sees_nothing_and_does_not_fail() {
    let db = seeded().await;
    let mut client = app_client(&db).await;
    for garbage in [
        "x",
        "null",
        "NULL",
        " ",
        "00000000-0000-4000-8000-00000000000",
        "00000000-0000-4000-8000-000000000001 ",
        "' or 1=1 --",
        "00000000-0000-4000-8000-000000000001'; drop table tenants; --",
        // Forms PostgreSQL's uuid input accepts but the context does not: the cast must
        // never see them, nor anything around a line break.
        "{00000000-0000-4000-8000-000000000001}",
        "000000000000400080000000000000000001",
        "00000000-0000-4000-8000-000000000001\n",
        "\n00000000-0000-4000-8000-000000000001",
        "x\n00000000-0000-4000-8000-000000000001\ny",
        // Hex and hyphens, but not in the 8-4-4-4-12 places.
        "0-0-0-0-0",
        "00000000--000-4000-8000-000000000001",
        "00000000-0000-4000-8000-00000000000g",
        "0000000-00000-4000-8000-000000000001",
        "00000000-0000-4000-8000-0000000000é1",
    ] {
        let n = visible(&mut client, Ctx::TenantSetting(garbage))
            .await
            .unwrap_or_else(|e| panic!("{garbage:?}: {e}"));
        assert_eq!(n, 0, "{garbage:?}");
    }
}

#[tokio::test]
async fn an_unknown_or_deleted_tenant_sees_nothing() {
    let db = seeded().await;
    let mut client = app_client(&db).await;
    assert_eq!(visible(&mut client, Ctx::Tenant(UNKNOWN)).await.unwrap(), 0);

    let deleted = exec_as(
        &mut client,
        Ctx::Admin,
        &format!("update tenants set deleted_at = now() where tenant_id = '{HSBC_LONDON}'"),
    )
    .await
    .unwrap();
    assert_eq!(deleted, 1);
    assert_eq!(
        visible(&mut client, Ctx::Tenant(HSBC_LONDON))
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn without_a_tenant_nothing_can_be_written() {
    let db = seeded().await;
    let before = snapshot(&db).await;
    let mut client = app_client(&db).await;
    for ctx in [
        Ctx::TenantRoleOnly,
        Ctx::TenantSetting("x"),
        Ctx::Tenant(UNKNOWN),
    ] {
        let insert = exec_as(
            &mut client,
            ctx,
            &format!(
                "insert into tenants (name, parent_tenant_id, tenant_type) \
                 values ('Ghost', '{HSBC}', 'subsidiary')"
            ),
        )
        .await;
        assert!(insert.is_err(), "{ctx:?} inserted");
        let update = exec_as(&mut client, ctx, "update tenants set name = 'Ghost'").await;
        assert!(matches!(update, Ok(0) | Err(_)), "{ctx:?}: {update:?}");
    }
    assert_eq!(snapshot(&db).await, before);
}

#[tokio::test]
async fn the_context_function_is_null_without_error_for_every_bad_setting_and_inlined() {
    let db = seeded().await;
    let mut client = app_client(&db).await;
    for setting in ["", " ", "x", "{00000000-0000-4000-8000-000000000001}"] {
        let tx = begin(&mut client, Ctx::TenantSetting(setting))
            .await
            .unwrap();
        let ctx: Option<uuid::Uuid> = tx
            .query_one("select mtdb_current_tenant_id()", &[])
            .await
            .unwrap_or_else(|e| panic!("{setting:?}: {e}"))
            .get(0);
        assert_eq!(ctx, None, "{setting:?}");
    }
    // Upper case is the same tenant.
    let upper = HSBC.to_string().to_uppercase();
    assert_eq!(
        visible(&mut client, Ctx::TenantSetting(&upper))
            .await
            .unwrap(),
        3
    );
    // Inlined: the plan holds the expression, not a call (a call costs ~0.2 ms per
    // statement and only runs when a row is found: a timing signal, docs/performance.md).
    let tx = begin(&mut client, Ctx::Tenant(HSBC)).await.unwrap();
    let plan: Vec<String> = tx
        .query(
            "explain (verbose, costs off) select mtdb_current_tenant_id()",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let plan = plan.join("\n");
    assert!(!plan.contains("mtdb_current_tenant_id"), "{plan}");
    assert!(plan.contains("current_setting"), "{plan}");
}
