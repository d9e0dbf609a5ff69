-- V9: every table and column says what it holds, so that `\d+` in psql answers what
-- docs/schema.md answers (that page says more: the policies that read each column, and
-- why). Runs as the owner role (the migration role). Comments only: no data, privilege or
-- behaviour changes, so V9.down.sql puts back V1's and V2's two table comments and clears
-- the column comments.

comment on table tenants is
  'Financial organisations, at most two levels: parents (HSBC) and their subsidiaries '
  '(HSBC Hong Kong). Row level security enabled and forced: mtdb_tenant sees its tenant and '
  'its live subsidiaries, mtdb_platform_admin every live tenant, any other role nothing. '
  'Deletes are soft (deleted_at). See docs/schema.md.';

comment on column tenants.tenant_id is
  'Primary key (UUID v4 by default; the platform admin may choose it, as the demo seed does). '
  'Compared with app.current_tenant_id by the mtdb_tenant policies.';
comment on column tenants.name is
  'Display name: trimmed, NFC, 1 to 200 characters, no control, format, private-use or '
  'separator characters (tenants_name_*_ck). Unique among live siblings after NFKC and case '
  'folding (tenants_live_name_key). Only the platform admin or the parent renames '
  '(tenants_rename_scope).';
comment on column tenants.parent_tenant_id is
  'The parent tenant for a subsidiary, null for a parent (tenants_type_parent_ck); the parent '
  'must be a live parent (tenants_before_insert). Never changes. Read by the mtdb_tenant '
  'policies: a parent principal sees and writes the rows whose parent it is.';
comment on column tenants.tenant_type is
  '''parent'' or ''subsidiary'' (tenants_type_ck), agreeing with parent_tenant_id. Never '
  'changes (tenants_before_update). mtdb_tenant may insert only ''subsidiary''.';
comment on column tenants.metadata is
  'Free JSON object (never an array, scalar or null), at most 64 KiB compact as the API '
  'checks; tenants_metadata_ck is a backstop at 128 KiB of jsonb text.';
comment on column tenants.created_at is
  'Set by tenants_before_insert to the transaction time; never changes. With tenant_id, the '
  'list order (tenants_created_idx).';
comment on column tenants.updated_at is
  'Set by the triggers to the transaction time of the last insert or update.';
comment on column tenants.deleted_at is
  'Null while live; the soft delete sets it (to the transaction time, by tenants_before_update). '
  'Every read policy hides rows where it is set; a deleted row never changes again.';
comment on column tenants.version is
  'The ETag: 1 on insert, plus 1 on every update (tenants_before_update). Compared with '
  'If-Match by the application.';
comment on column tenants.deleted_xact is
  'The transaction that soft-deleted the row (null while live, tenants_deleted_ck): the read '
  'policies let that transaction alone still see the row, which PostgreSQL needs to accept '
  'the soft delete.';
comment on column tenants.written_principal is
  'Who wrote this row version (''platform_admin'' or ''tenant:<uuid>''), stamped by '
  'tenants_stamp_writer; the write policies refuse a row whose stamp is not the principal '
  'they checked. Not readable by the application roles; copied to tenant_audit.';
comment on column tenants.written_sub is
  'The token subject (app.actor_sub) of the statement that wrote this row version, stamped '
  'like written_principal and checked by the same policies. Not readable by the application '
  'roles.';

comment on table tenant_audit is
  'Append-only trail of every tenant create, update and soft delete, written by the '
  'tenants_audit trigger in the same transaction as the change. No application role has any '
  'privilege on it; updates, deletes and truncates are refused for every role, the owner '
  'included (tenant_audit_no_change, tenant_audit_no_truncate). See docs/schema.md.';

comment on column tenant_audit.audit_id is
  'Primary key, increasing in the order the rows were written.';
comment on column tenant_audit.tenant_id is
  'The tenant changed. No foreign key: the trail keeps its rows whatever becomes of the '
  'tenant.';
comment on column tenant_audit.action is
  '''create'', ''update'' or ''delete'' (the soft delete) (tenant_audit_action_ck).';
comment on column tenant_audit.actor_sub is
  'The sub claim of the token behind the change, as sent; null for writes outside the API '
  '(the owner''s scripts).';
comment on column tenant_audit.actor_principal is
  'The principal whose policy allowed the change: ''platform_admin'', ''tenant:<uuid>'', or '
  'the role name for a write by the owner.';
comment on column tenant_audit.before is
  'The tenant row before an update or delete (null for a create), without the internal '
  'columns deleted_xact, written_principal and written_sub.';
comment on column tenant_audit.after is
  'The tenant row after the change, without the same internal columns.';
comment on column tenant_audit.xact_id is
  'The writing transaction (pg_current_xact_id()): the rows of one cascade delete share it.';
comment on column tenant_audit.recorded_at is
  'clock_timestamp() when the audit row was written.';
