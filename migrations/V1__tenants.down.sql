-- Reverts V1: the tenants table (with its indexes, constraints and triggers) and its
-- functions. Every tenant row is lost with it. No cluster-wide object (role) is touched.
-- loses: table tenants

drop table if exists tenants;
drop function if exists tenants_before_insert();
drop function if exists tenants_before_update();
drop function if exists mtdb_current_tenant_id();
