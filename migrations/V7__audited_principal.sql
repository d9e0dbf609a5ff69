-- V7: the audit trail names the principal whose policy allowed each change (docs/security.md,
-- "The audit trail"). Runs as the owner role (the migration role).
--
-- Before V7 the audit trigger (AFTER ROW, so at the end of the statement, after every
-- RETURNING) read the role and the context settings when it ran: a RETURNING that called
-- set_config('app.current_tenant_id', ...) or set_config('role', ...) changed the principal
-- it recorded. Now the writer is captured when each statement starts, every row version is
-- stamped with it just before the write policy checks the row, and the write policies
-- themselves refuse a row whose stamp is not the principal they checked it against. The
-- audit trigger copies the stamp.

-- The stamp: which principal and which token subject wrote this row version. Not readable
-- or writable by the application roles (the column grants below leave them out); the
-- trigger below overwrites whatever a statement puts there.
alter table tenants
  add column written_principal text null,
  add column written_sub       text null;

-- The writer of a statement: the role it runs as when it starts (these functions are not
-- SECURITY DEFINER, so current_user is that role), its tenant context and the token's sub,
-- kept in two transaction-local settings for the statement's rows. A BEFORE STATEMENT
-- trigger runs before the statement reads any row, so before any of its expressions and
-- before the policies read the context. The settings are no secret and need no protection:
-- whatever they say, a row is stored only if its stamp is the principal its policy checked
-- (below), so a statement that changes them can only have itself refused.
create function tenants_capture_writer() returns trigger
  language plpgsql
  set search_path = pg_catalog, public, pg_temp
as $$
begin
  perform set_config('mtdb.statement_principal', case current_user
      when 'mtdb_platform_admin' then 'platform_admin'
      when 'mtdb_tenant' then 'tenant:' || coalesce(public.mtdb_current_tenant_id()::text, '?')
      else current_user::text
    end, true),
    set_config('mtdb.statement_sub', coalesce(current_setting('app.actor_sub', true), ''), true);
  return null;
end;
$$;

revoke all on function tenants_capture_writer() from public;

create trigger tenants_capture_writer before insert or update on tenants
  for each statement execute function tenants_capture_writer();

-- Stamps each row version with its statement's writer. A BEFORE ROW trigger runs right
-- before PostgreSQL checks the row against the write policy (no statement code runs in
-- between), and after the RETURNING of the rows before it: the stamp comes from the capture
-- above, not from the settings of the moment, so a RETURNING that switches role, context or
-- sub does not reach the rows after it.
create function tenants_stamp_writer() returns trigger
  language plpgsql
  set search_path = pg_catalog, public, pg_temp
as $$
begin
  new.written_principal := nullif(current_setting('mtdb.statement_principal', true), '');
  new.written_sub := nullif(current_setting('mtdb.statement_sub', true), '');
  return new;
end;
$$;

revoke all on function tenants_stamp_writer() from public;

create trigger tenants_stamp_writer before insert or update on tenants
  for each row execute function tenants_stamp_writer();

-- The write policies accept a row only if its stamp names the principal they check it
-- against: the policy's own role (a policy applies to the role the statement was planned
-- for, whatever role a RETURNING switches to later) and the context and sub it read, once
-- per statement, through the same InitPlans. Otherwise "new row violates row-level security
-- policy" (42501), and nothing of the statement is written.
alter policy tenants_tenant_create on tenants
  with check (
    tenant_type = 'subsidiary'
    and parent_tenant_id = (select mtdb_current_tenant_id())
    and written_principal = 'tenant:' || (select mtdb_current_tenant_id())::text
    and written_sub is not distinct from
        (select nullif(pg_catalog.current_setting('app.actor_sub', true), ''))
  );

alter policy tenants_tenant_update on tenants
  with check (
    (tenant_id = (select mtdb_current_tenant_id())
     or parent_tenant_id = (select mtdb_current_tenant_id()))
    and (deleted_at is null or parent_tenant_id = (select mtdb_current_tenant_id()))
    and written_principal = 'tenant:' || (select mtdb_current_tenant_id())::text
    and written_sub is not distinct from
        (select nullif(pg_catalog.current_setting('app.actor_sub', true), ''))
  );

alter policy tenants_admin_create on tenants
  with check (
    written_principal = 'platform_admin'
    and written_sub is not distinct from
        (select nullif(pg_catalog.current_setting('app.actor_sub', true), ''))
  );

alter policy tenants_admin_update on tenants
  with check (
    written_principal = 'platform_admin'
    and written_sub is not distinct from
        (select nullif(pg_catalog.current_setting('app.actor_sub', true), ''))
  );

-- The application roles read every column but the stamp: a parent would otherwise read the
-- subs of the people who edited its subsidiaries (and the reverse). The policies read it
-- without any grant. The audit trail is where the writer is recorded.
revoke select on tenants from mtdb_tenant, mtdb_platform_admin;
grant select (tenant_id, name, parent_tenant_id, tenant_type, metadata, created_at, updated_at,
              deleted_at, version, deleted_xact)
  on tenants to mtdb_tenant, mtdb_platform_admin;

-- The audit row names the writer stamped on the row (checked by the policy above), never
-- the settings as they are when the trigger runs at the end of the statement. The stamp
-- is not part of the before and after images: it is the actor, recorded in its own columns.
create or replace function tenant_audit_record() returns trigger
  language plpgsql
  security definer
  set search_path = pg_catalog, public, pg_temp
as $$
declare
  act text;
begin
  if tg_op = 'INSERT' then
    act := 'create';
  elsif old.deleted_at is null and new.deleted_at is not null then
    act := 'delete';
  else
    act := 'update';
  end if;
  insert into public.tenant_audit (tenant_id, action, actor_sub, actor_principal, before, after)
  values (
    new.tenant_id,
    act,
    new.written_sub,
    coalesce(new.written_principal, session_user::text),
    case when tg_op = 'UPDATE'
      then to_jsonb(old) - 'deleted_xact' - 'written_principal' - 'written_sub' end,
    to_jsonb(new) - 'deleted_xact' - 'written_principal' - 'written_sub'
  );
  return null;
end;
$$;
