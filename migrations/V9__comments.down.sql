-- Reverts V9: the two table comments as V1 and V2 wrote them, and no column comments.

comment on table tenants is
  'Financial organisations: parents (HSBC) and their subsidiaries (HSBC Hong Kong). '
  'Soft-deleted rows keep deleted_at; RLS (V3) hides them.';

comment on table tenant_audit is
  'Append-only audit of every tenant create, update and (soft) delete; written only by the '
  'tenants_audit trigger; no application role has any privilege on it.';

comment on column tenants.tenant_id is null;
comment on column tenants.name is null;
comment on column tenants.parent_tenant_id is null;
comment on column tenants.tenant_type is null;
comment on column tenants.metadata is null;
comment on column tenants.created_at is null;
comment on column tenants.updated_at is null;
comment on column tenants.deleted_at is null;
comment on column tenants.version is null;
comment on column tenants.deleted_xact is null;
comment on column tenants.written_principal is null;
comment on column tenants.written_sub is null;
comment on column tenant_audit.audit_id is null;
comment on column tenant_audit.tenant_id is null;
comment on column tenant_audit.action is null;
comment on column tenant_audit.actor_sub is null;
comment on column tenant_audit.actor_principal is null;
comment on column tenant_audit.before is null;
comment on column tenant_audit.after is null;
comment on column tenant_audit.xact_id is null;
comment on column tenant_audit.recorded_at is null;
