-- The statements the API runs (today) for the request named below, as the application
-- login role: crates/postgres/src (repository/sql.rs, unit_of_work.rs). `make bench` runs
-- this file with `pgbench -M prepared` (crates/app/benches/throughput); the test
-- crates/app/tests/bench_statements.rs fails when the two disagree. Ids are computed from
-- integers (`00000000-0000-0000-0000-` and 12 hex digits) as the load and the wrk scripts do.
-- GET /api/v1/tenants?limit=100: a parent with 150 subsidiaries lists them (count, page).
-- pgbench cannot send a NULL parameter: the type filter (absent, i.e. NULL) is the literal
-- null here, which lets the planner drop it; the ceiling is, if anything, optimistic.
\set p random(0, :large - 1)
\set parent 4294967296 + :p * 4096
\set limit 100
\set offset 0
begin isolation level repeatable read, read only;
select pg_catalog.set_config('role', 'mtdb_tenant', true),
       pg_catalog.set_config('app.current_tenant_id', '00000000-0000-0000-0000-' || lpad(to_hex(:parent::bigint), 12, '0'), true),
       pg_catalog.set_config('app.actor_sub', :sub, true);
select count(*) from tenants
 where deleted_at is null and (null::text is null or tenant_type = null);
select tenant_id, name, parent_tenant_id, tenant_type, metadata, created_at, updated_at, version
  from tenants where deleted_at is null and (null::text is null or tenant_type = null)
 order by created_at, tenant_id limit :limit offset :offset;
commit;
