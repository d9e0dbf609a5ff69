-- Reverts V6: tenants_parent_idx on parent_tenant_id alone, as V1 made it.
drop index tenants_parent_idx;
create index tenants_parent_idx on tenants (parent_tenant_id);
