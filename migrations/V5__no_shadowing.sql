-- V5: no application role can create objects that shadow the schema's (docs/security.md,
-- "Nothing can shadow the schema"). Runs as the owner role, which must own the database
-- (scripts/pg-local.sh and the tests create it so; `mtdb check` names a database where
-- PUBLIC still holds TEMP).
--
-- TEMP: PostgreSQL grants it on every new database to PUBLIC, and pg_temp is searched
-- before any schema that a function's search_path does not put after it. The login role
-- gets no TEMP of its own (`mtdb migrate` grants it CONNECT only).
do $$
begin
  execute format(
    'revoke temporary on database %I from public, mtdb_tenant, mtdb_platform_admin',
    current_database());
end
$$;

-- search_path: every function of V1 to V3 names pg_temp last, so that even a role that
-- held TEMP could not put a temporary table in front of public's (the audit function is
-- SECURITY DEFINER: it would write the attacker's table as the owner).
-- mtdb_current_tenant_id() (V4) is the exception: a SET clause would stop the planner from
-- inlining it (docs/performance.md), so V4 names every object in it by schema instead.
alter function tenants_before_insert() set search_path = pg_catalog, public, pg_temp;
alter function tenants_before_update() set search_path = pg_catalog, public, pg_temp;
alter function tenant_audit_record() set search_path = pg_catalog, public, pg_temp;
alter function tenant_audit_append_only() set search_path = pg_catalog, public, pg_temp;
