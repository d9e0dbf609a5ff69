//! A small table, analysed: HSBC with 122 subsidiaries, 125 tenants in three pages. Here a
//! sequential scan looks cheapest to the planner, and the find's second arm once evaluated
//! the context (two settings, a `LIKE` and a regular expression) for every row, about
//! 0.5 ms a find. V14 prices the context of `parent_tenant_id = ctx` so that the index of
//! subsidiaries wins at any size; the timing-oracle comparisons must hold on this table
//! too.

use mtdb_testing::statements::FIND_AS_TENANT;
use tokio_postgres::Client;

use crate::isolation::timing_oracle::{analyze, assert_same_work, beside, soft_delete, work};
use crate::support::*;

const SUBSIDIARIES: i64 = 120;

/// The demo data and 120 more subsidiaries of HSBC, inserted as HSBC through the policies
/// and triggers the application meets, then analysed by the owner.
async fn load(db: &mtdb_testing::TestDatabase) -> Client {
    let mut client = app_client(db).await;
    let tx = begin(&mut client, Ctx::Tenant(HSBC)).await.unwrap();
    tx.execute(
        "insert into tenants (name, parent_tenant_id, tenant_type) \
         select format('HSBC %s', g), $1, 'subsidiary' from generate_series(1, $2::bigint) as g",
        &[&HSBC, &SUBSIDIARIES],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    analyze(db).await;
    client
}

#[tokio::test]
async fn on_a_small_table_a_tenant_finds_a_subsidiary_through_its_index() {
    let db = seeded().await;
    let mut client = load(&db).await;
    let as_hsbc = Ctx::Tenant(HSBC);
    assert_eq!(
        visible(&mut client, as_hsbc).await.unwrap(),
        3 + SUBSIDIARIES
    );
    for mode in ["force_custom_plan", "force_generic_plan"] {
        for id in [HSBC_HONG_KONG, BARCLAYS, beside(HSBC_LONDON)] {
            let plan = work(&mut client, as_hsbc, mode, FIND_AS_TENANT, id).await;
            assert!(
                plan.contains("Index Scan using tenants_parent_idx"),
                "{mode}, {id}: the subsidiaries' index is not used:\n{plan}"
            );
            assert!(
                !plan.contains("Seq Scan on tenants tenants_1"),
                "{mode}, {id}: the second arm reads the table row by row:\n{plan}"
            );
        }
    }
}

#[tokio::test]
async fn on_a_small_table_a_hidden_or_deleted_id_costs_what_a_missing_one_costs() {
    let db = seeded().await;
    let mut client = load(&db).await;
    let as_hsbc = Ctx::Tenant(HSBC);
    for hidden in [BARCLAYS, BARCLAYS_UK] {
        assert_same_work(&mut client, as_hsbc, FIND_AS_TENANT, hidden, beside(hidden)).await;
    }
    soft_delete(&db, &mut client, as_hsbc, HSBC_LONDON).await;
    assert_same_work(
        &mut client,
        as_hsbc,
        FIND_AS_TENANT,
        HSBC_LONDON,
        beside(HSBC_LONDON),
    )
    .await;
}
