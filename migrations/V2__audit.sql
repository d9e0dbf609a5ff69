-- V2: the append-only audit trail (docs/security.md, "The audit trail"): who (the token's sub and the principal), what
-- (the tenant, before and after) and when, written by a trigger in the same transaction as
-- the change. Runs as the owner role (the migration role).

create table tenant_audit (
  audit_id        bigint generated always as identity,
  tenant_id       uuid        not null,
  action          text        not null,
  actor_sub       text        null,
  actor_principal text        not null,
  before          jsonb       null,
  after           jsonb       null,
  xact_id         xid8        not null default pg_current_xact_id(),
  recorded_at     timestamptz not null default clock_timestamp(),
  constraint tenant_audit_pkey primary key (audit_id),
  constraint tenant_audit_action_ck check (action in ('create', 'update', 'delete'))
);

comment on table tenant_audit is
  'Append-only audit of every tenant create, update and (soft) delete; written only by the '
  'tenants_audit trigger; no application role has any privilege on it.';

create index tenant_audit_tenant_idx on tenant_audit (tenant_id, audit_id);

revoke all on tenant_audit from public;

-- One audit row per changed tenant row. SECURITY DEFINER (owned by the migration role), since
-- the application roles hold no privilege on tenant_audit. Inside it current_user is the owner
-- but current_setting('role') still reports the invoker's SET ROLE (checked on PostgreSQL 15),
-- which names the principal.
create function tenant_audit_record() returns trigger
  language plpgsql
  security definer
  set search_path = pg_catalog, public
as $$
declare
  set_role text := current_setting('role', true);
  principal text;
  act text;
begin
  principal := case set_role
    when 'mtdb_platform_admin' then 'platform_admin'
    when 'mtdb_tenant' then
      'tenant:' || coalesce(nullif(current_setting('app.current_tenant_id', true), ''), '?')
    else coalesce(nullif(set_role, 'none'), session_user::text)
  end;
  if tg_op = 'INSERT' then
    act := 'create';
  elsif old.deleted_at is null and new.deleted_at is not null then
    act := 'delete';
  else
    act := 'update';
  end if;
  insert into tenant_audit (tenant_id, action, actor_sub, actor_principal, before, after)
  values (
    new.tenant_id,
    act,
    nullif(current_setting('app.actor_sub', true), ''),
    principal,
    case when tg_op = 'UPDATE' then to_jsonb(old) - 'deleted_xact' end,
    to_jsonb(new) - 'deleted_xact'
  );
  return null;
end;
$$;

revoke all on function tenant_audit_record() from public;

create trigger tenants_audit after insert or update on tenants
  for each row execute function tenant_audit_record();

-- Append-only. These triggers bind every role, the owner included (only dropping
-- or disabling the trigger, an owner's schema change, gets past them).
create function tenant_audit_append_only() returns trigger
  language plpgsql
  set search_path = pg_catalog, public
as $$
begin
  raise exception 'tenant_audit is append-only'
    using errcode = 'insufficient_privilege';
end;
$$;

revoke all on function tenant_audit_append_only() from public;

create trigger tenant_audit_no_change before update or delete on tenant_audit
  for each row execute function tenant_audit_append_only();

create trigger tenant_audit_no_truncate before truncate on tenant_audit
  for each statement execute function tenant_audit_append_only();

-- RLS enabled and forced on every table holding tenant data (docs/security.md, section 1).
alter table tenant_audit enable row level security, force row level security;

-- The policies name the migration role itself (the owner, which the SECURITY DEFINER trigger
-- runs as), so no other role can ever match them; the application roles have none.
do $$
begin
  -- Owner inserts: the audit trigger writes every row as the owner.
  execute format(
    'create policy tenant_audit_owner_insert on tenant_audit for insert to %I with check (true)',
    current_user);
  -- Owner reads: operators read the trail through the owner's connection.
  execute format(
    'create policy tenant_audit_owner_read on tenant_audit for select to %I using (true)',
    current_user);
end
$$;
