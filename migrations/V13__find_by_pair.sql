-- V13: a tenant principal's find of a subsidiary names `$1` only inside the pair
-- (parent, id), so that no plan can look `$1` up by itself. Asked `parent_tenant_id = ctx
-- and tenant_id = $1`, the planner may answer from any index holding `tenant_id` (the
-- primary key, or a list index with `tenant_id` last), fetch the row from the heap and only
-- then compare its parent: another organization's id then costs one page more than an id
-- nobody has (docs/security.md, section 5). Which index it picks follows its estimates, and
-- on a small table that was never analysed a wider row is enough to change them.
-- A row comparison is never split into per-column conditions: only an index leading with
-- `parent_tenant_id` can use it, and `parent_tenant_id = ctx` keeps the principal's own
-- subsidiaries as the only entries any plan reads. (An equality of two arrays would say the
-- same, but its operator is not leakproof, so under row level security it may never become
-- an index condition.) This arm reads the context by the bare function (inlined, stable):
-- a sub-select would be an InitPlan run only when first needed, so whether the second
-- bound's ran would depend on how `$1` compares with the subsidiaries' ids. The body stays,
-- word for word, the repository's FIND_AS_TENANT (a test compares them). Function body
-- only: no data, table or policy changes.

create or replace function mtdb_find_as_tenant(uuid)
  returns setof live_tenants
  language plpgsql stable security invoker
  set search_path = pg_catalog, public, pg_temp
as $body$
begin
  return query
  select * from live_tenants where tenant_id = $1 and tenant_id = (select mtdb_current_tenant_id())
  union all select * from live_tenants
   where parent_tenant_id = mtdb_current_tenant_id()
     and (parent_tenant_id, tenant_id) between (mtdb_current_tenant_id(), $1)
                                           and (mtdb_current_tenant_id(), $1);
end
$body$;
