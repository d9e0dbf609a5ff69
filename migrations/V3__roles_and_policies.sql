-- V3: the application roles, their grants and the row level security policies on tenants
-- (docs/security.md, sections 1 and 3). Runs as the owner role (the migration role).
--
-- Roles are cluster-wide, and tests migrate many databases of one cluster at once, so each
-- CREATE ROLE checks pg_roles first and swallows the error of a concurrent creator:
-- duplicate_object, or unique_violation when both passed the check before either committed.

do $$
begin
  if not exists (select from pg_catalog.pg_roles where rolname = 'mtdb_tenant') then
    begin
      create role mtdb_tenant nologin nosuperuser nobypassrls nocreaterole nocreatedb;
    exception when duplicate_object or unique_violation then
      null;
    end;
  end if;
  if not exists (select from pg_catalog.pg_roles where rolname = 'mtdb_platform_admin') then
    begin
      create role mtdb_platform_admin nologin nosuperuser nobypassrls nocreaterole nocreatedb;
    exception when duplicate_object or unique_violation then
      null;
    end;
  end if;
end
$$;

-- The seed runs as the owner and switches to mtdb_platform_admin, so the owner must be a
-- member (a superuser needs no membership). On PostgreSQL 16+ the membership is granted
-- WITH INHERIT FALSE so that the admin policies never apply to the owner itself; on 15
-- grants cannot say that, and an INHERIT owner (the default) inherits them. The owner can
-- disable RLS on its own tables anyway: it is trusted, the application roles are not.
do $$
declare
  me text := current_user;
begin
  if (select rolsuper from pg_catalog.pg_roles where rolname = me) then
    return;
  end if;
  begin
    if current_setting('server_version_num')::int >= 160000 then
      if not pg_catalog.pg_has_role(me, 'mtdb_platform_admin', 'set') then
        execute format('grant mtdb_platform_admin to %I with inherit false, set true', me);
      end if;
    elsif not pg_catalog.pg_has_role(me, 'mtdb_platform_admin', 'member') then
      execute format('grant mtdb_platform_admin to %I', me);
    end if;
  exception when unique_violation then
    null; -- a concurrent migration of another database granted it first
  end;
end
$$;

-- Grants: only what each role needs; no DELETE (deletes are soft), TRUNCATE, REFERENCES or
-- TRIGGER (docs/security.md, section 1). Column lists keep tenant_type, parent_tenant_id, the timestamps,
-- version and deleted_xact out of every UPDATE, and tenant_id out of the tenant's INSERT.
revoke all on tenants, tenant_audit from public;
grant usage on schema public to mtdb_tenant, mtdb_platform_admin;
grant execute on function mtdb_current_tenant_id() to mtdb_tenant, mtdb_platform_admin;

grant select on tenants to mtdb_tenant;
grant insert (name, parent_tenant_id, tenant_type, metadata) on tenants to mtdb_tenant;
grant update (name, metadata, deleted_at) on tenants to mtdb_tenant;

-- tenant_id on insert lets the seed use the demo's fixed ids.
grant select on tenants to mtdb_platform_admin;
grant insert (tenant_id, name, parent_tenant_id, tenant_type, metadata) on tenants
  to mtdb_platform_admin;
grant update (name, metadata, deleted_at) on tenants to mtdb_platform_admin;

-- RLS enabled and forced (the owner is bound too; no policy names it).
alter table tenants enable row level security, force row level security;

-- Liveness in the read policies: `deleted_at is null or deleted_xact =
-- pg_current_xact_id_if_assigned()`. PostgreSQL checks the new row of an UPDATE that has a
-- WHERE or RETURNING clause against the SELECT policies too, so a read policy of plain
-- `deleted_at is null` would make every soft delete fail with "new row violates row-level
-- security policy". The soft-deleted row stays visible to the transaction that deleted it
-- (tenants_before_update recorded its xid, and assigned it, before that check) and to no other
-- transaction. Application queries should say `deleted_at is null` themselves as well.
-- The call is deliberately not wrapped in (select ...): the OR evaluates it for soft-deleted
-- rows only (no measurable cost at 100k rows), and its result never depends on when an
-- InitPlan happens to be evaluated relative to the trigger that assigns the xid.

-- Visibility (docs/security.md, section 3): a tenant principal sees its own tenant and its live subsidiaries;
-- a subsidiary's principal sees itself only; no, empty or unknown context sees nothing.
create policy tenants_tenant_read on tenants
  as permissive for select to mtdb_tenant
  using (
    (deleted_at is null or deleted_xact = pg_current_xact_id_if_assigned())
    and (tenant_id = (select mtdb_current_tenant_id())
         or parent_tenant_id = (select mtdb_current_tenant_id()))
  );

-- Create: a tenant principal creates subsidiaries of its own tenant only; never
-- a parent tenant. (That the parent is a live parent is tenants_before_insert's check.)
create policy tenants_tenant_create on tenants
  as permissive for insert to mtdb_tenant
  with check (
    tenant_type = 'subsidiary'
    and parent_tenant_id = (select mtdb_current_tenant_id())
  );

-- Update, delete: a tenant principal updates the live tenants it sees; only the
-- parent may soft-delete (set deleted_at on) a subsidiary, and no tenant deletes itself.
create policy tenants_tenant_update on tenants
  as permissive for update to mtdb_tenant
  using (
    deleted_at is null
    and (tenant_id = (select mtdb_current_tenant_id())
         or parent_tenant_id = (select mtdb_current_tenant_id()))
  )
  with check (
    (tenant_id = (select mtdb_current_tenant_id())
     or parent_tenant_id = (select mtdb_current_tenant_id()))
    and (deleted_at is null or parent_tenant_id = (select mtdb_current_tenant_id()))
  );

-- Visibility: the platform admin sees every live tenant.
create policy tenants_admin_read on tenants
  as permissive for select to mtdb_platform_admin
  using (deleted_at is null or deleted_xact = pg_current_xact_id_if_assigned());

-- Create: the platform admin creates parents and subsidiaries under any live
-- parent (tenants_before_insert checks the parent).
create policy tenants_admin_create on tenants
  as permissive for insert to mtdb_platform_admin
  with check (true);

-- Update, delete: the platform admin updates and soft-deletes any live tenant.
create policy tenants_admin_update on tenants
  as permissive for update to mtdb_platform_admin
  using (deleted_at is null)
  with check (true);
