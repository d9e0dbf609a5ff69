//! The timing oracle, proven without a clock: the repository's find by id does exactly the
//! same work for a tenant the principal cannot see as for an id nobody has (same plan
//! nodes, same InitPlans run or "never executed", same rows, same buffers touched), so no
//! response time can tell them apart (docs/performance.md, "Timing"). The attack is a
//! `GET` of Barclays' id as HSBC next to a `GET` of a random UUID, both `404`; a lookup
//! that fetches Barclays' row and then lets the policy filter it out does more work for it,
//! and `the_comparison_sees_the_work_of_a_hidden_row` shows that this check notices.
//! `plans.rs` runs the same comparison at 100,000 tenants.

use mtdb_testing::statements::{FIND_AS_ADMIN, FIND_AS_TENANT};
use mtdb_testing::TestDatabase;
use tokio_postgres::Client;
use uuid::Uuid;

use crate::support::*;

/// How PostgreSQL chooses the plan of a prepared statement: the first executions get
/// plans for their values, later ones may get the generic plan. Both must hold.
const PLAN_MODES: [&str; 2] = ["force_custom_plan", "force_generic_plan"];

/// `EXPLAIN ANALYZE` of `sql` executed as a prepared statement (as the repository runs it)
/// for `target`, as `ctx`: the second run, so that both compared ids meet warm caches
/// (and a soft-deleted row's stale index entry has been marked dead by the first run, as
/// any earlier request would). The id is masked, buffer hits and reads are summed, and
/// the planning section dropped: what is left is the work, not where or when it happened.
pub async fn work(
    client: &mut Client,
    ctx: Ctx<'_>,
    mode: &str,
    sql: &str,
    target: Uuid,
) -> String {
    let mut output = String::new();
    for _ in 0..2 {
        let tx = begin(client, ctx).await.unwrap();
        tx.batch_execute(&format!(
            "set local plan_cache_mode = {mode}; prepare oracle_find(uuid) as {sql}"
        ))
        .await
        .unwrap();
        let rows = tx
            .query(
                &format!(
                    "explain (analyze, buffers, costs off, timing off, summary off) \
                     execute oracle_find('{target}')"
                ),
                &[],
            )
            .await
            .unwrap();
        tx.batch_execute("deallocate oracle_find").await.unwrap();
        tx.commit().await.unwrap();
        output = rows
            .iter()
            .map(|row| row.get::<_, String>(0))
            .take_while(|line| !line.starts_with("Planning"))
            .map(|line| normalise(&line, target))
            .collect::<Vec<_>>()
            .join("\n");
    }
    output
}

/// The id next to `id` in index order; no tenant has it (the demo ids and random v4 ids
/// are never one apart).
pub fn beside(id: Uuid) -> Uuid {
    Uuid::from_u128(id.as_u128() ^ 1)
}

fn normalise(line: &str, target: Uuid) -> String {
    let line = line.replace(&target.to_string(), "<id>");
    match line.split_once("Buffers: shared ") {
        Some((indent, counts)) => {
            // Pages touched are `hit` plus `read`; `dirtied` and `written` count what the
            // buffer manager did on the side (evicting a page a bulk load left dirty), which
            // is the machine's state, not the statement's work.
            let touched: u64 = counts
                .split_whitespace()
                .filter_map(|c| c.split_once('='))
                .filter(|(kind, _)| matches!(*kind, "hit" | "read"))
                .filter_map(|(_, n)| n.parse::<u64>().ok())
                .sum();
            format!("{indent}Buffers: shared {touched}")
        }
        None => line,
    }
}

/// Asserts that `sql` as `ctx` does the same work for `hidden` as for `missing`, under
/// either plan mode.
pub async fn assert_same_work(
    client: &mut Client,
    ctx: Ctx<'_>,
    sql: &str,
    hidden: Uuid,
    missing: Uuid,
) {
    for mode in PLAN_MODES {
        let for_hidden = work(client, ctx, mode, sql, hidden).await;
        let for_missing = work(client, ctx, mode, sql, missing).await;
        assert!(for_hidden.contains("rows=0"), "{for_hidden}");
        assert_eq!(
            for_hidden, for_missing,
            "{ctx:?}, {mode}: the hidden id {hidden} (left) and a missing id (right) differ"
        );
    }
}

#[tokio::test]
async fn another_parent_costs_what_a_missing_id_costs() {
    let db = seeded().await;
    let mut client = app_client(&db).await;
    let hsbc = Ctx::Tenant(HSBC);
    assert_same_work(&mut client, hsbc, FIND_AS_TENANT, BARCLAYS, Uuid::new_v4()).await;
    assert_same_work(
        &mut client,
        hsbc,
        FIND_AS_TENANT,
        BARCLAYS_UK,
        Uuid::new_v4(),
    )
    .await;
}

#[tokio::test]
async fn a_subsidiary_cannot_time_its_parent_or_its_sibling() {
    let db = seeded().await;
    let mut client = app_client(&db).await;
    let hong_kong = Ctx::Tenant(HSBC_HONG_KONG);
    assert_same_work(&mut client, hong_kong, FIND_AS_TENANT, HSBC, Uuid::new_v4()).await;
    assert_same_work(&mut client, hong_kong, FIND_AS_TENANT, HSBC_LONDON, UNKNOWN).await;
}

#[tokio::test]
async fn a_deleted_tenant_costs_what_a_missing_id_costs() {
    let db = seeded().await;
    let mut client = app_client(&db).await;
    let hsbc = Ctx::Tenant(HSBC);
    soft_delete(&db, &mut client, hsbc, HSBC_LONDON).await;
    assert_same_work(
        &mut client,
        hsbc,
        FIND_AS_TENANT,
        HSBC_LONDON,
        Uuid::new_v4(),
    )
    .await;
}

/// A soft delete writes a new row version; the old one stays in the indexes of live rows
/// until a vacuum removes it or the first lookup that meets it marks it dead (then it is
/// skipped without a heap fetch). That first lookup after a delete is the one that costs a
/// heap fetch more (docs/performance.md, "Timing"); `work` already runs everything twice,
/// and the vacuum makes the steady state certain even if something held the horizon back.
pub async fn vacuum(db: &TestDatabase) {
    owner_client(db)
        .await
        .batch_execute("vacuum tenants")
        .await
        .unwrap();
}

/// Fresh statistics on `tenants` (as the owner), for the planner to choose by.
pub async fn analyze(db: &TestDatabase) {
    owner_client(db)
        .await
        .batch_execute("analyze tenants")
        .await
        .unwrap();
}

/// Soft-deletes `id` as `ctx` (exactly one row) and vacuums: the state every comparison of
/// a deleted id starts from.
pub async fn soft_delete(db: &TestDatabase, client: &mut Client, ctx: Ctx<'_>, id: Uuid) {
    let deleted = exec_as(
        client,
        ctx,
        &format!("update tenants set deleted_at = now() where tenant_id = '{id}'"),
    )
    .await
    .unwrap();
    assert_eq!(deleted, 1);
    vacuum(db).await;
}

#[tokio::test]
async fn the_find_still_finds_what_the_principal_sees() {
    let db = seeded().await;
    let mut client = app_client(&db).await;
    for (ctx, sql, target) in [
        (Ctx::Tenant(HSBC), FIND_AS_TENANT, HSBC),
        (Ctx::Tenant(HSBC), FIND_AS_TENANT, HSBC_HONG_KONG),
        (Ctx::Tenant(HSBC_HONG_KONG), FIND_AS_TENANT, HSBC_HONG_KONG),
        (Ctx::Admin, FIND_AS_ADMIN, BARCLAYS_UK),
    ] {
        for mode in PLAN_MODES {
            let plan = work(&mut client, ctx, mode, sql, target).await;
            assert!(plan.lines().next().unwrap().contains("rows=1"), "{plan}");
        }
    }
}

/// The statement the repository used before: found by primary key, fetched, then filtered
/// out by the policy. The comparison above must tell that apart, or it proves nothing.
#[tokio::test]
async fn the_comparison_sees_the_work_of_a_hidden_row() {
    let db = seeded().await;
    let mut client = app_client(&db).await;
    let by_key_then_policy = FIND_AS_ADMIN;
    let hsbc = Ctx::Tenant(HSBC);
    let hidden = work(
        &mut client,
        hsbc,
        PLAN_MODES[0],
        by_key_then_policy,
        BARCLAYS,
    )
    .await;
    let missing = work(
        &mut client,
        hsbc,
        PLAN_MODES[0],
        by_key_then_policy,
        UNKNOWN,
    )
    .await;
    assert_ne!(hidden, missing);
}
