-- V6: an index that lets a tenant's lookup by id answer "not yours" and "not there" with
-- the same work (docs/performance.md, "Timing"; docs/security.md, finding "timing oracle").
-- Runs as the owner role (the migration role).
--
-- A tenant principal's find (crates/postgres/src/repository/sql.rs, FIND_AS_TENANT) asks
-- for its own id or for (its id as parent, the id asked for): the second is one probe of
-- this index. Partial, so a soft-deleted subsidiary is not in it and costs what a missing
-- id costs. It keeps the name and its leading column: the list's and the count's plans
-- (BitmapOr of tenants_pkey and tenants_parent_idx) use it as before, since each of those
-- statements says `deleted_at is null` too.
drop index tenants_parent_idx;
create index tenants_parent_idx on tenants (parent_tenant_id, tenant_id)
  where deleted_at is null;

