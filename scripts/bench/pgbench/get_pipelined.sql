-- The statements the API runs (today) for the request named below, as the application
-- login role: crates/postgres/src (repository/sql.rs, unit_of_work.rs). `make bench` runs
-- this file with `pgbench -M prepared` (crates/app/benches/throughput); the test
-- crates/app/tests/bench_statements.rs fails when the two disagree. Ids are computed from
-- integers (`00000000-0000-0000-0000-` and 12 hex digits) as the load and the wrk scripts do.
-- GET /api/v1/tenants/{id}, the same statements sent as one pipeline (one round trip).
\set i random(0, :parents - 1)
\set parent (1 + :i * :groups / :parents) * 16
\set id :parent + random(1, 9)
\startpipeline
begin isolation level repeatable read, read only;
select pg_catalog.set_config('role', 'mtdb_tenant', true),
       pg_catalog.set_config('app.current_tenant_id', '00000000-0000-0000-0000-' || lpad(to_hex(:parent::bigint), 12, '0'), true),
       pg_catalog.set_config('app.actor_sub', :sub, true);
select tenant_id, name, parent_tenant_id, tenant_type, metadata, created_at, updated_at, version
  from tenants where tenant_id = ('00000000-0000-0000-0000-' || lpad(to_hex(:id::bigint), 12, '0'))::uuid
   and tenant_id = (select mtdb_current_tenant_id()) and deleted_at is null
union all select tenant_id, name, parent_tenant_id, tenant_type, metadata, created_at, updated_at, version
  from tenants where parent_tenant_id = (select mtdb_current_tenant_id())
   and tenant_id = ('00000000-0000-0000-0000-' || lpad(to_hex(:id::bigint), 12, '0'))::uuid and deleted_at is null;
commit;
\endpipeline
