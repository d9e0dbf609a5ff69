-- V6: indexes that let a lookup by id answer "not yours", "deleted" and "not there" with
-- the same work (docs/performance.md, "Timing"; docs/security.md, "Findings closed").
-- Runs as the owner role (the migration role).
--
-- Both hold live rows only, so a soft-deleted tenant is in neither and a probe for it
-- costs what a probe for a missing id costs. Both carry the pair (tenant_id,
-- parent_tenant_id), so a tenant principal's find (crates/postgres/src/repository/sql.rs,
-- FIND_AS_TENANT), which asks for (the id, its own id as parent), is refused inside the
-- index for another organization's tenant, exactly as for an id nobody has: no heap fetch,
-- no policy evaluated on a row the principal cannot see.

-- The platform admin's find (FIND_AS_ADMIN) and a tenant's: one probe by id among live
-- rows. The lists' and counts' `tenant_id = ctx` arm uses it too (their statements say
-- `deleted_at is null`).
create index tenants_live_idx on tenants (tenant_id, parent_tenant_id)
  where deleted_at is null;

-- The same pair led by the parent: the lists' and counts' `parent_tenant_id = ctx` arm, as
-- before (hence the name is kept), and a second plan for the find's subsidiary arm that
-- is as blind to other organizations as the first.
drop index tenants_parent_idx;
create index tenants_parent_idx on tenants (parent_tenant_id, tenant_id)
  where deleted_at is null;
