-- Reverts V14 to V13's state exactly: the tenant's find function gets V13's body back and
-- the opaque context function is dropped. It holds no data.

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

drop function mtdb_current_tenant_id_opaque();
