-- V11: a tenant's stored shape, defined once. The view live_tenants names the columns a
-- tenant has for the application (the live rows of tenants, without the lifecycle and
-- audit columns); the repository reads through it (`select *`, `returning *`), inserts and
-- updates through it, and the two find functions return its rows. A column added to a
-- tenant is added to tenants, to this view (`create or replace view`, the new column
-- last) and to the roles' column grants; the statements and functions follow
-- (docs/contributing.md, "Adding a field to a tenant"). No data changes.
--
-- security_invoker: every read and write through the view runs as the caller's role, so
-- the policies, column grants and triggers of tenants apply exactly as to the table
-- itself. A simple view: PostgreSQL folds it into each statement before planning, so
-- every plan (and the timing oracle's equal work) is the one the same statement on
-- tenants has, and it is automatically updatable (tenants' defaults and triggers apply
-- to inserts through it).

create view live_tenants with (security_invoker = true) as
  select tenant_id, name, parent_tenant_id, tenant_type, metadata, created_at, updated_at,
         version
    from tenants
   where deleted_at is null;

-- What each role may do is decided on tenants (column grants, policies): the view adds
-- nothing, and takes nothing away.
grant select, insert, update on live_tenants to mtdb_tenant, mtdb_platform_admin;

comment on view live_tenants is
  'The live tenants, with the columns the application reads and writes: the one '
  'definition of a tenant''s stored shape. Security invoker: the policies, grants and '
  'triggers of tenants apply to every statement through it.';

-- The find functions of V10 return the view's rows; their bodies are the repository's
-- finds, word for word (a test compares them). Dropped and created again: a function's
-- result type cannot be replaced. Each keeps V10's settings, grants and comment.
drop function mtdb_find_as_tenant(uuid);
drop function mtdb_find_as_admin(uuid);

create function mtdb_find_as_tenant(uuid)
  returns setof live_tenants
  language plpgsql stable security invoker
  set search_path = pg_catalog, public, pg_temp
as $body$
begin
  return query
  select * from live_tenants where tenant_id = $1 and tenant_id = (select mtdb_current_tenant_id())
  union all select * from live_tenants where parent_tenant_id = (select mtdb_current_tenant_id())
     and tenant_id = $1;
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
  returns setof live_tenants
  language plpgsql stable security invoker
  set search_path = pg_catalog, public, pg_temp
as $body$
begin
  return query
  select * from live_tenants where tenant_id = $1;
end
$body$;

revoke all on function mtdb_find_as_admin(uuid) from public;
grant execute on function mtdb_find_as_admin(uuid) to mtdb_platform_admin;

comment on function mtdb_find_as_admin(uuid) is
  'The platform admin''s find by id ($1): any live tenant, else no row; the same query as '
  'the repository''s named FIND_AS_ADMIN, with its plan cached per connection by PL/pgSQL, '
  'for unnamed-statement connections (docs/pgbouncer.md). Security invoker: the '
  'mtdb_platform_admin policies apply. Executable by mtdb_platform_admin only.';
