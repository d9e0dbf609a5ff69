-- The statements the API runs (today) for the request named below, as the application
-- login role: crates/postgres/src (repository/sql.rs, unit_of_work.rs). `make bench` runs
-- this file with `pgbench -M prepared` (crates/app/benches/throughput); the test
-- crates/app/tests/bench_statements.rs fails when the two disagree. Ids are computed from
-- integers (`00000000-0000-0000-0000-` and 12 hex digits) as the load and the wrk scripts do.
-- POST then DELETE, pipelined: \gset cannot be used inside a pipeline, so the insert (whose
-- id the delete needs) is its own round trip: three round trips for the two requests.
-- One create transaction (the parent locked for share, then the insert) then one delete
-- transaction, as the API runs them. Counted as two requests.
\set i random(0, :parents - 1)
\set parent (1 + :i * :groups / :parents) * 16
\set name random(1, 1000000000000)
\startpipeline
begin isolation level read committed, read write;
select pg_catalog.set_config('role', 'mtdb_tenant', true),
       pg_catalog.set_config('app.current_tenant_id', '00000000-0000-0000-0000-' || lpad(to_hex(:parent::bigint), 12, '0'), true),
       pg_catalog.set_config('app.actor_sub', :sub, true);
select tenant_id, name, parent_tenant_id, tenant_type, metadata, created_at, updated_at, version
  from tenants where tenant_id = ('00000000-0000-0000-0000-' || lpad(to_hex(:parent::bigint), 12, '0'))::uuid and deleted_at is null for share;
\endpipeline
insert into tenants (name, parent_tenant_id, tenant_type, metadata)
values (:name, ('00000000-0000-0000-0000-' || lpad(to_hex(:parent::bigint), 12, '0'))::uuid, :subsidiary, :metadata)
returning tenant_id, name, parent_tenant_id, tenant_type, metadata, created_at, updated_at, version \gset
\startpipeline
commit;
begin isolation level read committed, read write;
select pg_catalog.set_config('role', 'mtdb_tenant', true),
       pg_catalog.set_config('app.current_tenant_id', '00000000-0000-0000-0000-' || lpad(to_hex(:parent::bigint), 12, '0'), true),
       pg_catalog.set_config('app.actor_sub', :sub, true);
select tenant_id, name, parent_tenant_id, tenant_type, metadata, created_at, updated_at, version
  from tenants where tenant_id = :tenant_id and deleted_at is null for update;
select count(*) from tenants where parent_tenant_id = :tenant_id and deleted_at is null;
update tenants set deleted_at = now() where tenant_id = :tenant_id and deleted_at is null;
commit;
\endpipeline
