//! V12's `mtdb_context_organization()`: the root of the caller's own context tenant, live
//! or deleted, and nothing else, callable by `mtdb_tenant` only (docs/schema.md).

use uuid::Uuid;

use crate::support::*;

/// The function's answer in `ctx`, or the error.
async fn answer(
    client: &mut tokio_postgres::Client,
    ctx: Ctx<'_>,
) -> Result<Option<Uuid>, tokio_postgres::Error> {
    let tx = begin(client, ctx).await?;
    let row = tx
        .query_one("select mtdb_context_organization()", &[])
        .await?;
    tx.commit().await?;
    Ok(row.get(0))
}

#[tokio::test]
async fn a_tenant_learns_its_own_root_live_or_deleted_and_no_other() {
    let db = seeded().await;
    let mut client = app_client(&db).await;
    for (tenant, root) in [(HSBC, HSBC), (HSBC_LONDON, HSBC), (BARCLAYS_UK, BARCLAYS)] {
        let found = answer(&mut client, Ctx::Tenant(tenant)).await.unwrap();
        assert_eq!(found, Some(root), "{tenant}");
    }
    let deleted = exec_as(
        &mut client,
        Ctx::Tenant(HSBC),
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
    let found = answer(&mut client, Ctx::Tenant(HSBC_LONDON)).await.unwrap();
    assert_eq!(
        found,
        Some(HSBC),
        "a deleted subsidiary stays in its organization"
    );
    // Nothing for an id that never named a tenant, nor without a context.
    for ctx in [
        Ctx::Tenant(UNKNOWN),
        Ctx::TenantRoleOnly,
        Ctx::TenantSetting(""),
    ] {
        assert_eq!(answer(&mut client, ctx).await.unwrap(), None, "{ctx:?}");
    }
}

#[tokio::test]
async fn only_the_tenant_role_may_call_it() {
    let db = seeded().await;
    let mut client = app_client(&db).await;
    for ctx in [Ctx::Login, Ctx::Admin] {
        let refused = answer(&mut client, ctx).await.unwrap_err();
        assert_eq!(code(&refused), "42501", "{ctx:?}: {refused}");
    }
    let login = login_name(&db);
    let granted: Vec<String> = owner_client(&db)
        .await
        .query(
            "select r.name from unnest(array['public', 'mtdb_tenant', \
               'mtdb_platform_admin', $1]) as r(name) \
             where has_function_privilege(r.name, 'mtdb_context_organization()', 'execute')",
            &[&login],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(granted, vec!["mtdb_tenant".to_owned()]);
}
