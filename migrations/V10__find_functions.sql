-- V10: the finds by id as PL/pgSQL functions, for connections that cannot keep named
-- prepared statements (PgBouncer in transaction mode: docs/pgbouncer.md). An unnamed
-- statement is planned again at every run (~0.25 ms for the tenant's find, which runs in
-- ~0.04 ms); PL/pgSQL caches the plan of the query in its body per server connection, so
-- `select * from mtdb_find_as_tenant($1)` sent unnamed is parsed and planned cheaply and the
-- find itself is not planned again. Runs as the owner role (the migration role). Functions
-- only: no data, table or policy changes.
--
-- Each body is, word for word, the statement the repository runs named
-- (crates/postgres/src/repository/sql.rs, FIND_AS_TENANT and FIND_AS_ADMIN; a test compares
-- them): the same indexes, the same work for a hidden, a deleted and a missing id
-- (docs/performance.md, "Timing"). SECURITY INVOKER: the query runs as the caller's role,
-- so row level security applies exactly as to the raw statement. STABLE: one snapshot per
-- call, like a statement. The result columns are named and typed as tenant_columns!() in
-- crates/postgres/src/row.rs, so the row decoder reads both forms alike; they are also
-- PL/pgSQL variables, hence `#variable_conflict use_column`: in the query, a name is always
-- the table's column. search_path pinned with pg_temp last, as V5 pins every function's.
-- Only the role that runs each find may execute it; PUBLIC (and with it the login role,
-- before its role switch) may not.

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
