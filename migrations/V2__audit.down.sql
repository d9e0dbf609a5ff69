-- Reverts V2: the audit trigger on tenants, the audit table (with its policies, triggers and
-- identity sequence) and the audit functions. The audit trail's rows are lost with it.
-- No cluster-wide object (role) is touched.
-- loses: table tenant_audit

drop trigger if exists tenants_audit on tenants;
drop table if exists tenant_audit;
drop function if exists tenant_audit_record();
drop function if exists tenant_audit_append_only();
