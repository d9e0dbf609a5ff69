-- V12: the organization of the context tenant, live or deleted, for the fair sharing of
-- the connection pool (docs/fairness.md, "Which organization a principal belongs to"). A tenant principal sees no row
-- of its own tenant once it is deleted, so the repository could not place a deleted
-- subsidiary's still-valid token in its organization, and it counted as an organization of
-- its own. The tenant's creation is in the audit trail for good (append-only, V2): its
-- `after` image names the parent. Runs as the owner role (the migration role). A function
-- only: no data, table or policy changes.
--
-- SECURITY DEFINER, owned by the owner, which alone reads tenant_audit (its forced row
-- level security admits the owner only). No parameter: it answers for the tenant of the
-- caller's own context (`mtdb_current_tenant_id()`) and for no other, so a caller learns
-- nothing but its own tenant's root (its parent for a subsidiary, itself for a parent),
-- which the live tenant reads from its own row anyway; NULL without a context or for an
-- id that never named a tenant. The repository never returns it to a client. search_path
-- pinned with pg_temp last, as V5 pins every function's. Only mtdb_tenant may execute it.

create function mtdb_context_organization() returns uuid
  language sql stable security definer
  set search_path = pg_catalog, public, pg_temp
as $body$
  select coalesce((a.after ->> 'parent_tenant_id')::uuid, a.tenant_id)
    from public.tenant_audit a
   where a.tenant_id = public.mtdb_current_tenant_id() and a.action = 'create'
   order by a.audit_id
   limit 1
$body$;

revoke all on function mtdb_context_organization() from public;
grant execute on function mtdb_context_organization() to mtdb_tenant;

comment on function mtdb_context_organization() is
  'The root tenant (its parent for a subsidiary, itself for a parent) of the context '
  'tenant, live or deleted, from its creation in the audit trail; NULL without a context '
  'or for an id that never named a tenant. For placing a principal in its organization '
  '(docs/fairness.md). Security definer (reads tenant_audit); executable by mtdb_tenant only.';
