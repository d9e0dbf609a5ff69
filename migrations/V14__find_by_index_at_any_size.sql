-- V14: a tenant principal's find uses the index of its subsidiaries whatever the size of
-- the table. The second arm of the find compared each row with the bare, inlined
-- `mtdb_current_tenant_id()`. The planner prices that expression as a few operators and
-- cannot see its regular expression, so on a table of a few pages it chose a sequential
-- scan and evaluated the context three times per row: about 0.5 ms per find at 125
-- tenants, where the index answers in 0.04 ms (docs/records/2026-12-07-find-on-a-small-table.md).
--
-- `mtdb_current_tenant_id_opaque()` returns the same value through a call the planner
-- cannot inline, declared `COST 1000`: evaluated once per scan in an index condition, or
-- once per row in a filter, so that a plan reading the table row by row costs more than
-- the index at any size. The second arm's `parent_tenant_id = ctx` reads it; its row
-- comparison keeps the inlined function, so the plans keep their shape (V13 says why it
-- matters) and only their choice changes. Invoker, `STABLE`, `search_path` pinned with
-- pg_temp last (V5), `EXECUTE` for `mtdb_tenant` only. No data, table or policy changes.

create function mtdb_current_tenant_id_opaque() returns uuid
  language plpgsql stable parallel safe security invoker cost 1000
  set search_path = pg_catalog, public, pg_temp
as $body$
begin
  return public.mtdb_current_tenant_id();
end
$body$;

revoke all on function mtdb_current_tenant_id_opaque() from public;
grant execute on function mtdb_current_tenant_id_opaque() to mtdb_tenant;

create or replace function mtdb_find_as_tenant(uuid)
  returns setof live_tenants
  language plpgsql stable security invoker
  set search_path = pg_catalog, public, pg_temp
as $body$
begin
  return query
  select * from live_tenants where tenant_id = $1 and tenant_id = (select mtdb_current_tenant_id())
  union all select * from live_tenants
   where parent_tenant_id = mtdb_current_tenant_id_opaque()
     and (parent_tenant_id, tenant_id) between (mtdb_current_tenant_id(), $1)
                                           and (mtdb_current_tenant_id(), $1);
end
$body$;
