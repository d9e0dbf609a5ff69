-- Reverts V8: the admin's total_count is counted again. The counts are derived from the
-- tenants (V8 recomputes them), so nothing of the tenants is lost.
-- loses: derived tenant_counts
drop index if exists tenants_live_type_created_idx;
drop index if exists tenants_live_created_idx;
drop trigger if exists tenants_count_truncated on tenants;
drop trigger if exists tenants_count_deleted on tenants;
drop trigger if exists tenants_count_soft_deleted on tenants;
drop trigger if exists tenants_count_inserted on tenants;
drop function if exists tenants_count_truncated();
drop function if exists tenants_count_deleted();
drop function if exists tenants_count_soft_deleted();
drop function if exists tenants_count_inserted();
drop function if exists tenant_counts_add(jsonb);
drop table if exists tenant_counts;
