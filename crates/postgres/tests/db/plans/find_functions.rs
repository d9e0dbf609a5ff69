//! V10's find functions: on a connection without named statements (behind PgBouncer in
//! transaction mode) the repository calls them instead of sending the find's query
//! unnamed, so that PL/pgSQL's per-connection plan cache spares the planning
//! (docs/pgbouncer.md, "What unnamed costs"). They must be the very same find: same body,
//! same rows for every principal, same work for a hidden and a missing id, and no caller
//! beyond the role each is for.

use mtdb_postgres::StatementMode;
use mtdb_testing::statements::{
    CALL_FIND_AS_ADMIN, CALL_FIND_AS_TENANT, FIND_AS_ADMIN, FIND_AS_TENANT,
};
use mtdb_testing::TestDatabase;
use uuid::Uuid;

use crate::isolation::timing_oracle::{assert_same_work, soft_delete};
use crate::pgbouncer::transaction_mode::{pool, repo_on};
use crate::support::*;

fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The attack: someone edits the repository's find (or a later migration edits the
/// function) and the two forms drift apart, so that behind PgBouncer a principal gets
/// other rows, or another plan, than directly.
#[tokio::test]
async fn each_function_body_is_the_repository_s_find_word_for_word() {
    let db = TestDatabase::create().await;
    let owner = owner_client(&db).await;
    for (function, find) in [
        ("mtdb_find_as_tenant", FIND_AS_TENANT),
        ("mtdb_find_as_admin", FIND_AS_ADMIN),
    ] {
        let body: String = owner
            .query_one(
                "select prosrc from pg_proc where proname = $1 \
                 and pronamespace = 'public'::regnamespace",
                &[&function],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(
            words(&body),
            words(&format!("begin return query {find}; end")),
            "{function}"
        );
    }
}

/// Every demo id, a soft-deleted one and one nobody has.
const TARGETS: [Uuid; 6] = [
    HSBC,
    HSBC_HONG_KONG,
    HSBC_LONDON,
    BARCLAYS,
    BARCLAYS_UK,
    UNKNOWN,
];

/// The rows `sql` gives for `target` as `ctx`, rendered whole.
async fn rows(
    client: &mut tokio_postgres::Client,
    ctx: Ctx<'_>,
    sql: &str,
    target: Uuid,
) -> Result<Vec<String>, tokio_postgres::Error> {
    let tx = begin(client, ctx).await?;
    let rows = tx
        .query(&format!("select f::text from ({sql}) as f"), &[&target])
        .await?;
    tx.commit().await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

#[tokio::test]
async fn the_functions_return_the_raw_finds_rows_for_every_principal() {
    let db = seeded().await;
    let mut client = app_client(&db).await;
    // Barclays UK soft-deleted: it must stay invisible through the function too.
    let deleted = exec_as(
        &mut client,
        Ctx::Admin,
        &format!("update tenants set deleted_at = now() where tenant_id = '{BARCLAYS_UK}'"),
    )
    .await
    .unwrap();
    assert_eq!(deleted, 1);
    let tenants = [
        Ctx::Tenant(HSBC),
        Ctx::Tenant(HSBC_HONG_KONG),
        Ctx::Tenant(BARCLAYS),
        Ctx::Tenant(UNKNOWN),
        Ctx::TenantSetting(""),
        Ctx::TenantRoleOnly,
    ];
    let principals = tenants
        .into_iter()
        .map(|ctx| (ctx, FIND_AS_TENANT, CALL_FIND_AS_TENANT))
        .chain([(Ctx::Admin, FIND_AS_ADMIN, CALL_FIND_AS_ADMIN)]);
    let mut found = 0;
    for (ctx, raw, call) in principals {
        for target in TARGETS {
            let expected = rows(&mut client, ctx, raw, target).await.unwrap();
            let got = rows(&mut client, ctx, call, target).await.unwrap();
            assert_eq!(got, expected, "{ctx:?} finding {target}");
            found += expected.len();
        }
    }
    // Admin: 4 live; HSBC: itself and 2 subsidiaries; Hong Kong: itself; Barclays: itself.
    assert_eq!(found, 9, "the comparison compared real rows");
}

/// The attack: the login role (no role switch: a failed or skipped context), PUBLIC, or
/// the other principal's role calls a find function. Each is refused, as the raw finds
/// are refused to the login role (it holds nothing on `tenants`).
#[tokio::test]
async fn only_the_role_each_function_is_for_may_call_it() {
    let db = seeded().await;
    let mut client = app_client(&db).await;
    for (ctx, sql) in [
        (Ctx::Login, CALL_FIND_AS_TENANT),
        (Ctx::Login, CALL_FIND_AS_ADMIN),
        (Ctx::Login, FIND_AS_TENANT),
        (Ctx::Login, FIND_AS_ADMIN),
        (Ctx::Admin, CALL_FIND_AS_TENANT),
        (Ctx::Tenant(HSBC), CALL_FIND_AS_ADMIN),
        (Ctx::TenantRoleOnly, CALL_FIND_AS_ADMIN),
    ] {
        let refused = rows(&mut client, ctx, sql, HSBC).await.unwrap_err();
        assert_eq!(code(&refused), "42501", "{ctx:?}: {sql}: {refused}");
    }
    let login = login_name(&db);
    let granted: Vec<(String, String)> = owner_client(&db)
        .await
        .query(
            "select r.name, p.proname from pg_proc p \
             cross join unnest(array['public', 'mtdb_tenant', 'mtdb_platform_admin', $1]) \
               as r(name) \
             where p.proname like 'mtdb_find_as_%' \
               and has_function_privilege(r.name, p.oid, 'execute') order by 1, 2",
            &[&login],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(
        granted,
        vec![
            (
                "mtdb_platform_admin".to_owned(),
                "mtdb_find_as_admin".to_owned()
            ),
            ("mtdb_tenant".to_owned(), "mtdb_find_as_tenant".to_owned()),
        ]
    );
}

/// The timing oracle through the function: a hidden, a deleted and a missing id do the
/// same work (the function's scan, with everything its query touched), whichever plan
/// PL/pgSQL's cache picks.
#[tokio::test]
async fn through_the_function_a_hidden_or_deleted_id_costs_what_a_missing_one_costs() {
    let db = seeded().await;
    let mut client = app_client(&db).await;
    let hsbc = Ctx::Tenant(HSBC);
    assert_same_work(
        &mut client,
        hsbc,
        CALL_FIND_AS_TENANT,
        BARCLAYS,
        Uuid::new_v4(),
    )
    .await;
    let hong_kong = Ctx::Tenant(HSBC_HONG_KONG);
    assert_same_work(&mut client, hong_kong, CALL_FIND_AS_TENANT, HSBC, UNKNOWN).await;
    soft_delete(&db, &mut client, hsbc, HSBC_LONDON).await;
    assert_same_work(
        &mut client,
        hsbc,
        CALL_FIND_AS_TENANT,
        HSBC_LONDON,
        Uuid::new_v4(),
    )
    .await;
    assert_same_work(
        &mut client,
        Ctx::Admin,
        CALL_FIND_AS_ADMIN,
        HSBC_LONDON,
        UNKNOWN,
    )
    .await;
}

/// The repository calls the functions on an unnamed connection (and only there): with
/// `mtdb_tenant`'s execute privilege revoked, the unnamed find fails and the named one
/// still answers. Both answer alike while the privilege is there.
#[tokio::test]
async fn the_repository_s_unnamed_find_goes_through_the_function() {
    let db = seeded().await;
    let named = repo_on(&pool(db.app_url(), 1, StatementMode::Prepared));
    let unnamed = repo_on(&pool(db.app_url(), 1, StatementMode::Unnamed));
    for actor in [admin(), tenant(HSBC), tenant(HSBC_HONG_KONG)] {
        for target in TARGETS {
            let by_name = format!("{:?}", named.find(&actor, id(target)).await);
            let by_call = format!("{:?}", unnamed.find(&actor, id(target)).await);
            assert_eq!(by_call, by_name, "{actor:?} finding {target}");
        }
    }
    owner_client(&db)
        .await
        .batch_execute("revoke execute on function mtdb_find_as_tenant(uuid) from mtdb_tenant")
        .await
        .unwrap();
    assert!(named.find(&tenant(HSBC), id(HSBC)).await.is_ok());
    assert!(unnamed.find(&tenant(HSBC), id(HSBC)).await.is_err());
    assert!(unnamed.find(&admin(), id(HSBC)).await.is_ok());
}
