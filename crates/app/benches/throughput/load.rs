//! Loads the shape of [`crate::shape`] as the owner, fast: one `insert ... select` from
//! `generate_series` per kind of tenant, with the row triggers off and every column they
//! would have set written as they would have written it (times, version 1, the writer
//! stamp of a platform admin whose `sub` is `bench-loader`), then one `create` audit row
//! per loaded tenant as the audit trigger writes it. All in one transaction: if anything
//! fails, the triggers and the forced row security come back with the rollback. The
//! foreign key is still checked (its triggers are internal, not "user" triggers).

use std::time::Instant;

use tokio_postgres::NoTls;

use crate::shape::{self, LARGE, LARGE_SUBSIDIARIES, SUBSIDIARIES_PER_GROUP};
use crate::Error;

const STAMP: &str = "'platform_admin', 'bench-loader'";
const COLUMNS: &str = "tenant_id, name, parent_tenant_id, tenant_type, metadata, \
                       created_at, updated_at, version, written_principal, written_sub";
const ID: &str = "('00000000-0000-0000-0000-' || lpad(to_hex(n), 12, '0'))::uuid";
const PARENT_ID: &str = "('00000000-0000-0000-0000-' || lpad(to_hex(parent), 12, '0'))::uuid";

/// Seeds the demo, then `groups` groups, the large parents, `standalone` parents and HSBC's
/// subsidiaries, and analyses. Returns the seconds it took.
pub async fn load(admin_url: &str, groups: u64, standalone: u64) -> Result<f64, Error> {
    let started = Instant::now();
    mtdb_postgres_admin::seed_demo(admin_url).await?;
    let (mut client, connection) = tokio_postgres::connect(admin_url, NoTls).await?;
    tokio::spawn(connection);
    let tx = client.transaction().await?;
    // The owner is subject to row level security only because it is forced: lifted for
    // this transaction, together with the user triggers (so the live counts the triggers
    // keep, V8, are recomputed at the end, as V8 itself computes them).
    tx.batch_execute(
        "alter table tenants disable trigger user; \
         alter table tenants no force row level security",
    )
    .await?;
    let kinds = [
        // n, its parent (0: none), name
        format!(
            "select g * 16 + k as n, case when k = 0 then 0 else g * 16 end as parent, \
                    case when k = 0 then 'Bank ' || g else 'Bank ' || g || ' unit ' || k end as name \
               from generate_series(1, {groups}::bigint) as g, \
                    generate_series(0, {SUBSIDIARIES_PER_GROUP}::bigint) as k"
        ),
        format!(
            "select {base} + p * 4096 + k as n, case when k = 0 then 0 else {base} + p * 4096 end as parent, \
                    case when k = 0 then 'Large bank ' || p else 'Large bank ' || p || ' unit ' || k end as name \
               from generate_series(0, {last}::bigint) as p, \
                    generate_series(0, {LARGE_SUBSIDIARIES}::bigint) as k",
            base = shape::large_parent(0),
            last = LARGE - 1,
        ),
        format!(
            "select {base} + j as n, 0 as parent, 'Bank ' || ({base} + j) as name \
               from generate_series(1, {standalone}::bigint) as j",
            base = shape::STANDALONE_BASE,
        ),
    ];
    for rows in kinds {
        tx.batch_execute(&format!(
            "insert into tenants ({COLUMNS}) \
             select {ID}, name, case when parent = 0 then null else {PARENT_ID} end, \
                    case when parent = 0 then 'parent' else 'subsidiary' end, \
                    jsonb_build_object('country', 'GB', 'segment', 'retail', 'n', n), \
                    timestamptz '2026-01-01' + n * interval '1 ms', \
                    timestamptz '2026-01-01' + n * interval '1 ms', 1, {STAMP} \
               from ({rows}) as t"
        ))
        .await?;
    }
    tx.batch_execute(&format!(
        "insert into tenants ({COLUMNS}) \
         select gen_random_uuid(), 'HSBC unit ' || k, '{hsbc}', 'subsidiary', \
                jsonb_build_object('country', 'HK', 'segment', 'corporate'), \
                now(), now(), 1, {STAMP} \
           from generate_series(1, {LARGE_SUBSIDIARIES}) as k; \
         insert into tenant_audit (tenant_id, action, actor_sub, actor_principal, before, after) \
         select tenant_id, 'create', written_sub, written_principal, null, \
                to_jsonb(t) - 'deleted_xact' - 'written_principal' - 'written_sub' \
           from tenants as t where written_sub = 'bench-loader'; \
         delete from tenant_counts; \
         insert into tenant_counts (tenant_type, slot, live) \
         select tenant_type, 0, count(*) from tenants where deleted_at is null \
          group by tenant_type; \
         alter table tenants enable trigger user; \
         alter table tenants force row level security",
        hsbc = shape::HSBC,
    ))
    .await?;
    tx.commit().await?;
    // What autovacuum would have done by the time such a table is in use: statistics and
    // the visibility map (index-only scans).
    // One statement each: several in one call would make an implicit transaction.
    client.batch_execute("vacuum analyze tenants").await?;
    client.batch_execute("vacuum analyze tenant_audit").await?;
    Ok(started.elapsed().as_secs_f64())
}
