-- Reverts V3: drops the tenants policies, disables RLS on tenants and revokes every grant V3
-- made in this database.
--
-- The roles mtdb_tenant and mtdb_platform_admin, and the owner's membership in
-- mtdb_platform_admin, are NOT dropped or revoked: roles are cluster-wide and shared by every
-- database of the cluster (tests migrate many at once), so only this database's objects and
-- grants are reverted. Dropping the roles is an operator's decision (DROP ROLE fails anyway
-- while any database still grants them something).

drop policy if exists tenants_admin_update on tenants;
drop policy if exists tenants_admin_create on tenants;
drop policy if exists tenants_admin_read on tenants;
drop policy if exists tenants_tenant_update on tenants;
drop policy if exists tenants_tenant_create on tenants;
drop policy if exists tenants_tenant_read on tenants;

alter table tenants no force row level security, disable row level security;

revoke all on tenants from mtdb_tenant, mtdb_platform_admin;
revoke all on tenant_audit from mtdb_tenant, mtdb_platform_admin;
revoke execute on function mtdb_current_tenant_id() from mtdb_tenant, mtdb_platform_admin;
revoke usage on schema public from mtdb_tenant, mtdb_platform_admin;
