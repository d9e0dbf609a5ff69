-- Reverts V4 to V3's state exactly: the rename trigger and its function go, the name checks
-- go, the unique index is V1's again (case-insensitive with lower() only), and the context
-- function has V1's body again (not inlined; docs/performance.md, "Timing"). Rows are kept.
-- Recreating V1's index fails, changing nothing, if live siblings now differ only in ways
-- V1's lower() tells apart but V4's key does not (that cannot happen for rows V4 accepted).

drop trigger if exists tenants_rename_scope on tenants;
drop function if exists tenants_rename_scope();

drop index if exists tenants_live_name_key;
create unique index tenants_live_name_key
  on tenants (parent_tenant_id, lower(name)) nulls not distinct
  where deleted_at is null;

alter table tenants
  drop constraint if exists tenants_name_assigned_ck,
  drop constraint if exists tenants_name_chars_ck,
  drop constraint if exists tenants_name_nfc_ck,
  drop constraint if exists tenants_name_trimmed_ck;

-- V1's definition, word for word.
create or replace function mtdb_current_tenant_id() returns uuid
  language sql stable parallel safe
begin atomic
  select case
    when s ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then s::uuid
  end
  from (select nullif(current_setting('app.current_tenant_id', true), '') as s) as ctx;
end;
