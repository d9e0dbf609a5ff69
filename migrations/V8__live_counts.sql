-- V8: the platform admin's total_count without counting (docs/performance.md, "Lists at
-- scale"). Runs as the owner role (the migration role).
--
-- The admin's list reports the exact number of live tenants. Counting them is a scan that
-- grows with the table (116 ms at 950,000 tenants); this table holds the same number,
-- kept by triggers in the transaction of every write, so a reader's snapshot sees the
-- count that matches its rows, exact under any concurrency.
--
-- Sharded into slots: a writer adds to the slot of its own server process, so concurrent
-- writes of different organizations do not queue on one row lock (a lock wait would be a
-- channel between them). Two processes meet on a slot only when their ids agree modulo
-- 64, and then one waits for the rest of the other's transaction, never for a read.

create table tenant_counts (
  tenant_type text     not null check (tenant_type in ('parent', 'subsidiary')),
  slot        smallint not null check (slot between 0 and 63),
  live        bigint   not null,
  primary key (tenant_type, slot)
);

comment on table tenant_counts is
  'Live tenants by type, the sum over the slots of each type: the platform admin''s exact total_count without a scan. Written only by the tenants_count_* triggers (as the owner), read only as mtdb_platform_admin.';
comment on column tenant_counts.tenant_type is
  'Which type of tenant this slot counts: parent or subsidiary (the list''s tenant_type filter).';
comment on column tenant_counts.slot is
  'The writing server process id modulo 64: concurrent writers rarely share a row lock.';
comment on column tenant_counts.live is
  'This slot''s share of the live tenants of this type; one slot alone may be negative.';

-- Readable only as the platform admin, through its policy; no application role may write.
alter table tenant_counts enable row level security, force row level security;
revoke all on tenant_counts from public;
grant select on tenant_counts to mtdb_platform_admin;
create policy tenant_counts_admin_read on tenant_counts
  as permissive for select to mtdb_platform_admin
  using (true);

-- The owner writes through the triggers below (SECURITY DEFINER); forced row level
-- security binds it too, so it gets a policy of its own, named for no other role.
do $$
begin
  execute format(
    'create policy tenant_counts_owner_write on tenant_counts for all to %I using (true) with check (true)',
    current_user);
end
$$;

-- Adds each type's change of live rows to this process's slot. A statement that changes
-- no live row (a rename, a metadata update) writes nothing and locks nothing. Not
-- SECURITY DEFINER: only the triggers below call it, already as the owner.
create function tenant_counts_add(changes jsonb) returns void
  language sql
  set search_path = pg_catalog, public, pg_temp
as $$
  insert into public.tenant_counts as c (tenant_type, slot, live)
  select d.key, (pg_catalog.pg_backend_pid() % 64)::smallint, d.value::bigint
    from pg_catalog.jsonb_each_text(changes) as d
   where d.value::bigint <> 0
  on conflict (tenant_type, slot) do update set live = c.live + excluded.live;
$$;

comment on function tenant_counts_add(jsonb) is
  'Adds {"parent": n, "subsidiary": m} to the current process''s slot of tenant_counts.';

revoke all on function tenant_counts_add(jsonb) from public;

create function tenants_count_inserted() returns trigger
  language plpgsql
  security definer
  set search_path = pg_catalog, public, pg_temp
as $$
begin
  perform public.tenant_counts_add(coalesce(
    (select jsonb_object_agg(n.tenant_type, n.live)
       from (select tenant_type, count(*) as live from inserted
              where deleted_at is null group by tenant_type) as n),
    '{}'));
  return null;
end;
$$;

-- A live row changes count only when it is soft-deleted: a deleted row never changes
-- again (tenants_before_update), so no update brings one back. A row trigger whose WHEN
-- clause is false costs no call: renames and metadata updates pay nothing.
create function tenants_count_soft_deleted() returns trigger
  language plpgsql
  security definer
  set search_path = pg_catalog, public, pg_temp
as $$
begin
  perform public.tenant_counts_add(jsonb_build_object(old.tenant_type, -1));
  return null;
end;
$$;

create function tenants_count_deleted() returns trigger
  language plpgsql
  security definer
  set search_path = pg_catalog, public, pg_temp
as $$
begin
  perform public.tenant_counts_add(coalesce(
    (select jsonb_object_agg(n.tenant_type, -n.live)
       from (select tenant_type, count(*) as live from deleted
              where deleted_at is null group by tenant_type) as n),
    '{}'));
  return null;
end;
$$;

-- Hard deletes and TRUNCATE are the owner's alone (the application roles hold neither).
create function tenants_count_truncated() returns trigger
  language plpgsql
  security definer
  set search_path = pg_catalog, public, pg_temp
as $$
begin
  delete from public.tenant_counts;
  return null;
end;
$$;

revoke all on function tenants_count_inserted() from public;
revoke all on function tenants_count_soft_deleted() from public;
revoke all on function tenants_count_deleted() from public;
revoke all on function tenants_count_truncated() from public;

comment on function tenants_count_inserted() is 'Keeps tenant_counts: live rows inserted.';
comment on function tenants_count_soft_deleted() is 'Keeps tenant_counts: a row soft-deleted.';
comment on function tenants_count_deleted() is 'Keeps tenant_counts: live rows deleted (owner only).';
comment on function tenants_count_truncated() is 'Keeps tenant_counts: tenants truncated (owner only).';

create trigger tenants_count_inserted after insert on tenants
  referencing new table as inserted
  for each statement execute function tenants_count_inserted();
create trigger tenants_count_soft_deleted after update on tenants
  for each row when (old.deleted_at is null and new.deleted_at is not null)
  execute function tenants_count_soft_deleted();
create trigger tenants_count_deleted after delete on tenants
  referencing old table as deleted
  for each statement execute function tenants_count_deleted();
create trigger tenants_count_truncated after truncate on tenants
  for each statement execute function tenants_count_truncated();

-- The count so far, taken while no one writes (the triggers above count from here on).
lock table tenants in share mode;
insert into tenant_counts (tenant_type, slot, live)
select tenant_type, 0, count(*) from tenants where deleted_at is null group by tenant_type;

-- The admin's first page: `order by created_at, tenant_id limit n` over live rows, with or
-- without the type filter, read in index order with no row filtered out.
create index tenants_live_created_idx on tenants (created_at, tenant_id)
  where deleted_at is null;
create index tenants_live_type_created_idx on tenants (tenant_type, created_at, tenant_id)
  where deleted_at is null;
comment on index tenants_live_created_idx is 'The platform admin''s pages, in list order.';
comment on index tenants_live_type_created_idx is
  'The platform admin''s pages filtered by tenant_type, in list order.';
