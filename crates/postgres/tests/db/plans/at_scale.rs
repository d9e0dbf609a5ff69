//! The policies stay fast at scale: at 100,000 tenants, every statement a tenant runs is
//! answered from indexes, never by reading the whole table (docs/security.md, section 5;
//! the plans: `docs/records/2026-11-27-policies-per-role.md`). A policy that ORs in an
//! admin flag, or reads a setting per row, turns these into sequential scans, and this test
//! fails.

use mtdb_testing::statements::{
    COUNT, COUNT_LIVE_SUBSIDIARIES, FIND_AS_ADMIN, FIND_AS_TENANT, PAGE,
};
use tokio_postgres::types::ToSql;
use tokio_postgres::Client;
use uuid::Uuid;

use crate::isolation::timing_oracle::{analyze, assert_same_work, beside, soft_delete};
use crate::support::*;

const PARENTS: i64 = 20_000;
const SUBSIDIARIES_EACH: i64 = 4;

/// 20,000 parents with 4 subsidiaries each, inserted as the platform admin through the
/// row level security and triggers the application meets, then analysed by the owner.
async fn load(db: &mtdb_testing::TestDatabase) -> Client {
    let mut client = app_client(db).await;
    let tx = begin(&mut client, Ctx::Admin).await.unwrap();
    tx.execute(
        "insert into tenants (name, tenant_type) \
         select format('Bank %s', lpad(g::text, 5, '0')), 'parent' \
         from generate_series(1, $1::bigint) as g",
        &[&PARENTS],
    )
    .await
    .unwrap();
    tx.execute(
        "insert into tenants (name, parent_tenant_id, tenant_type) \
         select format('%s %s', p.name, s), p.tenant_id, 'subsidiary' \
         from tenants as p cross join generate_series(1, $1::bigint) as s \
         where p.name like 'Bank %'",
        &[&SUBSIDIARIES_EACH],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    analyze(db).await;
    client
}

async fn id_named(client: &mut Client, name: &str) -> Uuid {
    let tx = begin(client, Ctx::Admin).await.unwrap();
    let id = tx
        .query_one("select tenant_id from tenants where name = $1", &[&name])
        .await
        .unwrap()
        .get(0);
    tx.commit().await.unwrap();
    id
}

/// The plan PostgreSQL chooses for `sql` with these parameters, as `ctx`.
async fn plan(
    client: &mut Client,
    ctx: Ctx<'_>,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> String {
    let tx = begin(client, ctx).await.unwrap();
    let rows = tx.query(&format!("explain {sql}"), params).await.unwrap();
    tx.commit().await.unwrap();
    rows.iter()
        .map(|row| row.get::<_, String>(0))
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_indexed(plan: &str, index: &str) {
    assert!(
        !plan.contains("Seq Scan on tenants"),
        "a sequential scan:\n{plan}"
    );
    assert!(plan.contains(index), "{index} is not used:\n{plan}");
}

#[tokio::test]
async fn a_tenant_is_answered_from_indexes_at_100_000_tenants() {
    let db = seeded().await;
    let mut client = load(&db).await;
    let total = visible(&mut client, Ctx::Admin).await.unwrap();
    assert_eq!(total, 5 + PARENTS * (1 + SUBSIDIARIES_EACH));

    let parent = id_named(&mut client, "Bank 00042").await;
    let as_parent = Ctx::Tenant(parent);
    assert_eq!(
        visible(&mut client, as_parent).await.unwrap(),
        1 + SUBSIDIARIES_EACH
    );

    let no_type: Option<&str> = None;
    let page = plan(&mut client, as_parent, PAGE, &[&no_type, &100_i64, &0_i64]).await;
    assert_indexed(&page, "tenants_parent_idx");
    assert_indexed(&page, "tenants_live_idx");
    let subsidiaries = Some("subsidiary");
    let page = plan(
        &mut client,
        as_parent,
        PAGE,
        &[&subsidiaries, &100_i64, &0_i64],
    )
    .await;
    assert_indexed(&page, "tenants_parent_idx");
    let count = plan(&mut client, as_parent, COUNT, &[&no_type]).await;
    assert_indexed(&count, "tenants_parent_idx");
    let before_delete = plan(&mut client, as_parent, COUNT_LIVE_SUBSIDIARIES, &[&parent]).await;
    assert_indexed(&before_delete, "tenants_parent_idx");

    let subsidiary = Ctx::Tenant(HSBC_HONG_KONG);
    // A tenant's find never probes the primary key, which holds every row: only indexes of
    // live rows, its own row by id and a subsidiary by the pair (parent, id) as one value
    // (timing_oracle.rs says why).
    for (ctx, id) in [(subsidiary, HSBC_HONG_KONG), (as_parent, BARCLAYS)] {
        let find = plan(&mut client, ctx, FIND_AS_TENANT, &[&id]).await;
        assert_indexed(&find, "tenants_live_idx");
        assert_indexed(&find, "tenants_parent_idx");
        assert!(!find.contains("tenants_pkey"), "{find}");
    }
    let find = plan(&mut client, Ctx::Admin, FIND_AS_ADMIN, &[&parent]).await;
    assert_indexed(&find, "tenants_live_idx");
}

#[tokio::test]
async fn at_100_000_tenants_a_hidden_or_deleted_id_costs_what_a_missing_one_costs() {
    let db = seeded().await;
    let mut client = load(&db).await;
    let parent = id_named(&mut client, "Bank 00042").await;
    let neighbour = id_named(&mut client, "Bank 00043").await;
    let as_parent = Ctx::Tenant(parent);
    // Each compared with the id beside it in index order, which nobody has: the two probes
    // then end on the same leaf page, wherever page boundaries happen to fall.
    let hidden = [neighbour, BARCLAYS];
    for id in hidden {
        assert_same_work(&mut client, as_parent, FIND_AS_TENANT, id, beside(id)).await;
    }

    // A subsidiary of the principal's, soft-deleted: as invisible as one that never was.
    let gone = id_named(&mut client, "Bank 00042 1").await;
    soft_delete(&db, &mut client, as_parent, gone).await;
    assert_same_work(&mut client, as_parent, FIND_AS_TENANT, gone, beside(gone)).await;
    assert_same_work(&mut client, Ctx::Admin, FIND_AS_ADMIN, gone, beside(gone)).await;
}
