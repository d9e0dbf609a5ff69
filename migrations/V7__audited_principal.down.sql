-- Reverts V7 to V6's state: the write policies as V3 wrote them, the audit function as V2
-- wrote it (with V5's search_path), the table-wide SELECT grants of V3, and no stamp.
-- Rows and the audit trail are kept; the stamp columns and their values go.
-- loses: column tenants.written_principal
-- loses: column tenants.written_sub

create or replace function tenant_audit_record() returns trigger
  language plpgsql
  security definer
  set search_path = pg_catalog, public, pg_temp
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

revoke select (tenant_id, name, parent_tenant_id, tenant_type, metadata, created_at, updated_at,
               deleted_at, version, deleted_xact)
  on tenants from mtdb_tenant, mtdb_platform_admin;
grant select on tenants to mtdb_tenant;
grant select on tenants to mtdb_platform_admin;

alter policy tenants_tenant_create on tenants
  with check (
    tenant_type = 'subsidiary'
    and parent_tenant_id = (select mtdb_current_tenant_id())
  );

alter policy tenants_tenant_update on tenants
  with check (
    (tenant_id = (select mtdb_current_tenant_id())
     or parent_tenant_id = (select mtdb_current_tenant_id()))
    and (deleted_at is null or parent_tenant_id = (select mtdb_current_tenant_id()))
  );

alter policy tenants_admin_create on tenants with check (true);

alter policy tenants_admin_update on tenants with check (true);

drop trigger tenants_stamp_writer on tenants;
drop function tenants_stamp_writer();
drop trigger tenants_capture_writer on tenants;
drop function tenants_capture_writer();

alter table tenants
  drop column written_sub,
  drop column written_principal;
