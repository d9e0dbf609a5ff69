-- Reverts V11 to V10's state exactly: the find functions return V10's column list again
-- (created as V10 created them), then the view goes. Neither holds data.

drop function mtdb_find_as_admin(uuid);
drop function mtdb_find_as_tenant(uuid);
drop view live_tenants;

create function mtdb_find_as_tenant(uuid)
  returns table (tenant_id uuid, name text, parent_tenant_id uuid, tenant_type text,
                 metadata jsonb, created_at timestamptz, updated_at timestamptz,
                 version bigint)
  language plpgsql stable security invoker
  set search_path = pg_catalog, public, pg_temp
as $body$
#variable_conflict use_column
begin
  return query
  select tenant_id, name, parent_tenant_id, tenant_type, metadata, created_at, updated_at, version
    from tenants where tenant_id = $1 and tenant_id = (select mtdb_current_tenant_id())
     and deleted_at is null
  union all select tenant_id, name, parent_tenant_id, tenant_type, metadata, created_at, updated_at, version
    from tenants where parent_tenant_id = (select mtdb_current_tenant_id())
     and tenant_id = $1 and deleted_at is null;
end
$body$;

revoke all on function mtdb_find_as_tenant(uuid) from public;
grant execute on function mtdb_find_as_tenant(uuid) to mtdb_tenant;

comment on function mtdb_find_as_tenant(uuid) is
  'A tenant principal''s find by id ($1): its own tenant or a live subsidiary, else no row; '
  'the same query as the repository''s named FIND_AS_TENANT, with its plan cached per '
  'connection by PL/pgSQL, for unnamed-statement connections (docs/pgbouncer.md). Security '
  'invoker: the mtdb_tenant policies apply. Executable by mtdb_tenant only.';

create function mtdb_find_as_admin(uuid)
  returns table (tenant_id uuid, name text, parent_tenant_id uuid, tenant_type text,
                 metadata jsonb, created_at timestamptz, updated_at timestamptz,
                 version bigint)
  language plpgsql stable security invoker
  set search_path = pg_catalog, public, pg_temp
as $body$
#variable_conflict use_column
begin
  return query
  select tenant_id, name, parent_tenant_id, tenant_type, metadata, created_at, updated_at, version
    from tenants where tenant_id = $1 and deleted_at is null;
end
$body$;

revoke all on function mtdb_find_as_admin(uuid) from public;
grant execute on function mtdb_find_as_admin(uuid) to mtdb_platform_admin;

comment on function mtdb_find_as_admin(uuid) is
  'The platform admin''s find by id ($1): any live tenant, else no row; the same query as '
  'the repository''s named FIND_AS_ADMIN, with its plan cached per connection by PL/pgSQL, '
  'for unnamed-statement connections (docs/pgbouncer.md). Security invoker: the '
  'mtdb_platform_admin policies apply. Executable by mtdb_platform_admin only.';
