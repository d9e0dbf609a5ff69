-- Reverts V6: tenants_parent_idx on parent_tenant_id alone, as V1 made it, and no index
-- of live ids.
drop index tenants_live_idx;
drop index tenants_parent_idx;
create index tenants_parent_idx on tenants (parent_tenant_id);
