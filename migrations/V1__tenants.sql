-- V1: the tenants table, its constraints, the tenant-context function and the integrity
-- triggers. Runs as the owner role (the migration role) in schema public, PostgreSQL 15+.
-- Row level security, roles and grants come in V3; the audit trail in V2.

create table tenants (
  tenant_id        uuid        not null default gen_random_uuid(),
  name             text        not null,
  parent_tenant_id uuid        null,
  tenant_type      text        not null,
  metadata         jsonb       not null default '{}',
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  deleted_at       timestamptz null,
  -- ETag source: 1 on insert, bumped by tenants_before_update on every update.
  version          bigint      not null default 1,
  -- The transaction that soft-deleted the row: the read policies (V3) let that transaction,
  -- and no other, still see the row, which PostgreSQL needs to accept the soft delete.
  deleted_xact     xid8        null,
  constraint tenants_pkey primary key (tenant_id),
  constraint tenants_parent_fk foreign key (parent_tenant_id) references tenants (tenant_id),
  -- docs/schema.md: tenant_type is "parent" or "subsidiary".
  constraint tenants_type_ck check (tenant_type in ('parent', 'subsidiary')),
  -- docs/schema.md: a parent has no parent; a subsidiary has exactly one.
  constraint tenants_type_parent_ck check ((tenant_type = 'parent') = (parent_tenant_id is null)),
  -- docs/api.md, "Names": name trimmed, 1 to 200 characters, no control characters (Unicode Cc).
  constraint tenants_name_ck check (
    name = btrim(name)
    and char_length(name) between 1 and 200
    and name !~ '[\u0001-\u001f\u007f-\u009f]'
  ),
  -- docs/api.md: metadata is a JSON object. The application enforces 64 KiB of compact JSON;
  -- jsonb's text form adds spaces, so this is a backstop at twice that.
  constraint tenants_metadata_ck check (
    jsonb_typeof(metadata) = 'object' and octet_length(metadata::text) <= 131072
  ),
  constraint tenants_deleted_ck check ((deleted_at is null) = (deleted_xact is null))
);

comment on table tenants is
  'Financial organisations: parents (HSBC) and their subsidiaries (HSBC Hong Kong). '
  'Soft-deleted rows keep deleted_at; RLS (V3) hides them.';

-- docs/api.md, "Names": names are unique, case-insensitively, among the live tenants with the same
-- parent; NULLS NOT DISTINCT makes top-level (parent) names unique among themselves too.
create unique index tenants_live_name_key
  on tenants (parent_tenant_id, lower(name)) nulls not distinct
  where deleted_at is null;

-- The policies' columns: tenant_id is the primary key, parent_tenant_id needs its own index.
create index tenants_parent_idx on tenants (parent_tenant_id);

-- docs/api.md, GET /api/v1/tenants: the list order, created_at then tenant_id.
create index tenants_created_idx on tenants (created_at, tenant_id);

-- The tenant context of the current transaction (docs/security.md, section 2), or NULL. Unset (NULL), empty
-- (what set_config(..., true) leaves behind on a pooled connection) and malformed values all
-- give NULL without an error, so that a policy comparing with it matches nothing: `''::uuid`
-- would raise 22P02, and AND does not short-circuit reliably, hence the CASE. The SQL-standard
-- body is parsed here, so a caller's search_path cannot redirect any name in it.
-- Policies call it as `(select mtdb_current_tenant_id())`: an InitPlan, once per statement.
create function mtdb_current_tenant_id() returns uuid
  language sql stable parallel safe
begin atomic
  select case
    when s ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then s::uuid
  end
  from (select nullif(current_setting('app.current_tenant_id', true), '') as s) as ctx;
end;

revoke all on function mtdb_current_tenant_id() from public;

-- Insert integrity (docs/security.md, section 3). Not SECURITY DEFINER: the parent lookup runs as the
-- invoking role, so RLS filters it and a parent the principal cannot see, a deleted one and a
-- missing one are the same "not found" (no existence leak through this error).
create function tenants_before_insert() returns trigger
  language plpgsql
  set search_path = pg_catalog, public
as $$
declare
  parent_type text;
begin
  if new.parent_tenant_id is not null then
    -- FOR SHARE serialises with a concurrent soft delete of the parent: that delete waits
    -- for this transaction and then sees the new subsidiary (tenants_no_live_subsidiaries);
    -- if the delete came first, this re-check finds the parent deleted.
    select t.tenant_type into parent_type
      from tenants as t
     where t.tenant_id = new.parent_tenant_id
       and t.deleted_at is null
       for share;
    if not found then
      raise exception 'parent tenant not found'
        using errcode = 'foreign_key_violation', constraint = 'tenants_parent_live';
    end if;
    if parent_type <> 'parent' then
      raise exception 'a subsidiary cannot have subsidiaries'
        using errcode = 'check_violation', constraint = 'tenants_depth_ck';
    end if;
  end if;
  new.created_at := now();
  new.updated_at := now();
  new.version := 1;
  new.deleted_at := null;
  new.deleted_xact := null;
  return new;
end;
$$;

-- Update integrity (docs/security.md, section 3, and the delete rule). Binds every role, the owner too.
create function tenants_before_update() returns trigger
  language plpgsql
  set search_path = pg_catalog, public
as $$
begin
  -- tenant_type and parent_tenant_id never change (the column grants refuse
  -- them to the application roles as well).
  if new.tenant_id is distinct from old.tenant_id
     or new.tenant_type is distinct from old.tenant_type
     or new.parent_tenant_id is distinct from old.parent_tenant_id
     or new.created_at is distinct from old.created_at then
    raise exception 'tenant_id, tenant_type, parent_tenant_id and created_at cannot change'
      using errcode = 'check_violation', constraint = 'tenants_hierarchy_immutable';
  end if;
  -- docs/api.md, DELETE: a soft-deleted tenant stays as it was; no change, no undelete.
  if old.deleted_at is not null then
    raise exception 'a deleted tenant cannot change'
      using errcode = 'check_violation', constraint = 'tenants_deleted_immutable';
  end if;
  new.updated_at := now();
  new.version := old.version + 1;
  if new.deleted_at is null then
    new.deleted_xact := null;
  else
    -- The soft delete: the time is the server's, and the deleting transaction is recorded
    -- (pg_current_xact_id() also assigns the xid now, before the RLS checks of the new row).
    new.deleted_at := now();
    new.deleted_xact := pg_current_xact_id();
    -- docs/security.md, section 3: no delete while live subsidiaries exist (the application's cascade deletes
    -- the subsidiaries first, in the same transaction).
    if old.tenant_type = 'parent' and exists (
         select 1 from tenants as c
          where c.parent_tenant_id = old.tenant_id and c.deleted_at is null) then
      raise exception 'tenant has live subsidiaries'
        using errcode = 'foreign_key_violation', constraint = 'tenants_no_live_subsidiaries';
    end if;
  end if;
  return new;
end;
$$;

create trigger tenants_before_insert before insert on tenants
  for each row execute function tenants_before_insert();

create trigger tenants_before_update before update on tenants
  for each row execute function tenants_before_update();
