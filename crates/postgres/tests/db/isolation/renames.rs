//! Renames as raw SQL with the context set, skipping the domain: only the platform admin
//! and a subsidiary's parent may change a name (tenants_rename_scope), and the refusal is
//! the same whether the name is taken or not, so it tells nothing about other tenants.

use tokio_postgres::Client;
use uuid::Uuid;

use crate::support::*;

fn rename(target: Uuid, name: &str) -> String {
    format!("update tenants set name = '{name}' where tenant_id = '{target}'")
}

/// The SQLSTATE, constraint and message of a refused statement.
async fn refusal(client: &mut Client, ctx: Ctx<'_>, sql: &str) -> (String, String, String) {
    let err = exec_as(client, ctx, sql)
        .await
        .expect_err("the rename was not refused");
    let db = err.as_db_error().expect("a server error");
    (
        db.code().code().to_owned(),
        db.constraint().unwrap_or_default().to_owned(),
        db.message().to_owned(),
    )
}

#[tokio::test]
async fn a_tenant_cannot_rename_itself_and_a_taken_name_is_refused_the_same_way() {
    let db = seeded().await;
    let (before, audit_before) = (snapshot(&db).await, crate::audit::trail::count(&db).await);
    let mut client = app_client(&db).await;
    let cases = [
        // A parent probing for another organization, and for a free name.
        (HSBC, "bArClAyS"),
        (HSBC, "Some Unused Name"),
        // A subsidiary probing for a sibling, and for a free name.
        (HSBC_HONG_KONG, "HSBC London"),
        (HSBC_HONG_KONG, "Another Unused Name"),
        // A change of case is a rename too.
        (HSBC, "hsbc"),
    ];
    let mut answers = Vec::new();
    for (me, name) in cases {
        let answer = refusal(&mut client, Ctx::Tenant(me), &rename(me, name)).await;
        assert_eq!(answer.0, "42501", "{me} -> {name}: {answer:?}");
        assert_eq!(answer.1, "tenants_rename_scope", "{me} -> {name}");
        answers.push(answer);
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");
    assert_eq!(snapshot(&db).await, before);
    assert_eq!(crate::audit::trail::count(&db).await, audit_before);
}

#[tokio::test]
async fn the_admin_and_a_parent_rename_and_a_tenant_keeps_its_own_name() {
    let db = seeded().await;
    let mut client = app_client(&db).await;
    let allowed = [
        (Ctx::Admin, rename(BARCLAYS, "Barclays Group")),
        (Ctx::Admin, rename(HSBC_LONDON, "HSBC UK")),
        (Ctx::Tenant(HSBC), rename(HSBC_HONG_KONG, "HSBC Asia")),
        // The same name with new metadata: a metadata update, the tenant's own to make.
        (
            Ctx::Tenant(HSBC),
            format!("update tenants set name = 'HSBC', metadata = '{{\"a\": 1}}' where tenant_id = '{HSBC}'"),
        ),
        (
            Ctx::Tenant(BARCLAYS_UK),
            format!("update tenants set metadata = '{{\"a\": 1}}' where tenant_id = '{BARCLAYS_UK}'"),
        ),
    ];
    for (ctx, sql) in &allowed {
        assert_eq!(
            exec_as(&mut client, *ctx, sql)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}")),
            1,
            "{ctx:?}: {sql}"
        );
    }
}

#[tokio::test]
async fn a_parent_renaming_a_subsidiary_onto_a_sibling_is_a_duplicate() {
    // The parent sees every sibling, so the duplicate reveals nothing it cannot see.
    let db = seeded().await;
    let mut client = app_client(&db).await;
    let (code, constraint, _) = refusal(
        &mut client,
        Ctx::Tenant(HSBC),
        &rename(HSBC_HONG_KONG, "hsbc LONDON"),
    )
    .await;
    assert_eq!(
        (code.as_str(), constraint.as_str()),
        ("23505", "tenants_live_name_key")
    );
}
