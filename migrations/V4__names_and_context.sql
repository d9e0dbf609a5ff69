-- V4: names that cannot be spoofed, renames only by a principal that sees every possible
-- collision, and a tenant-context function cheap enough to leave no timing signal.
-- Runs as the owner role (the migration role). docs/api.md ("Names") and docs/security.md
-- say what each object enforces and why. Like every migration it fails, changing nothing,
-- if live data breaks the new rules: rename the offending tenants first.

-- The tenant context (docs/security.md, section 2): unset (NULL), empty (what a
-- transaction-local setting leaves behind on a pooled connection) and malformed values give
-- NULL without an error. A NULL setting fails both tests, and CASE evaluates the cast only
-- for a value that passed them, so `''::uuid` (22P02) is never attempted. The LIKE fixes
-- the length (36) and the four hyphens' places; the pattern then says there are exactly
-- four hyphens and hex digits everywhere else: the canonical 8-4-4-4-12 form and nothing
-- else. Neither test can raise an error. Two cheap tests instead of one pattern with
-- counted repetitions ({8}, {12}): PostgreSQL runs those about twice as slowly (measured
-- here: 3.7 us against 1.7 us per call, cast included).
-- One expression, no FROM, no SET clause, not SECURITY DEFINER: the planner inlines it, so a
-- policy's `(select mtdb_current_tenant_id())` InitPlan costs a few microseconds instead of
-- a SQL-function call (~0.2 ms; docs/performance.md, "Timing"). A SET search_path clause would
-- prevent the inlining; instead every name is schema-qualified, and the SQL-standard body is
-- parsed here, so a caller's search_path cannot redirect any of it.
create or replace function mtdb_current_tenant_id() returns uuid
  language sql stable parallel safe
return case
  when pg_catalog.current_setting('app.current_tenant_id', true)
         operator(pg_catalog.~~) '________-____-____-____-____________'
   and pg_catalog.current_setting('app.current_tenant_id', true)
         operator(pg_catalog.~) '^[0-9a-fA-F]+-[0-9a-fA-F]+-[0-9a-fA-F]+-[0-9a-fA-F]+-[0-9a-fA-F]+$'
  then pg_catalog.current_setting('app.current_tenant_id', true)::pg_catalog.uuid
end;

-- Names (docs/api.md, "Names"). Stored trimmed of Unicode White_Space (the characters
-- Rust's str::trim removes), in NFC, and without characters of the categories Cc, Cf, Co,
-- Zl and Zp, listed as code point ranges from the Unicode 18 tables (the domain's; Cs cannot
-- occur in UTF-8 text). crates/postgres/tests/db/names.rs checks every code point against
-- the domain's tables.
alter table tenants
  add constraint tenants_name_trimmed_ck check (
    name !~ '^[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]'
    and name !~ '[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$'
  ),
  add constraint tenants_name_nfc_ck check (name is nfc normalized),
  add constraint tenants_name_chars_ck check (
    name !~ '[\u0001-\u001f\u007f-\u009f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ue000-\uf8ff\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f\U000f0000-\U000ffffd\U00100000-\U0010fffd]'
  );

-- Unassigned code points (Cn): only PostgreSQL 17+ can tell (unicode_assigned(), with the
-- server's own Unicode tables). On 15 and 16 the domain alone refuses them.
do $$
begin
  if current_setting('server_version_num')::int >= 170000 then
    execute 'alter table tenants add constraint tenants_name_assigned_ck '
            'check (pg_catalog.unicode_assigned(name))';
  end if;
end
$$;

-- Uniqueness among live siblings (top-level names among live parents: NULLS NOT DISTINCT)
-- under NFKC and full case folding: "Straße" = "STRASSE", "ΟΔΟΣ" = "οδος", NFD = NFC,
-- "ﬁnance" = "finance". The ICU collation gives upper() and lower() the full Unicode case
-- mappings (upper('ß') = 'SS'; lower of a final capital sigma is 'ς'); upper then lower makes
-- every case variant meet, and the outer NFKC closes the result under normalization.
-- Every function here is immutable, as an index expression must be.
drop index tenants_live_name_key;
create unique index tenants_live_name_key
  on tenants (
    parent_tenant_id,
    normalize(lower(upper(normalize(name, nfkc) collate "und-x-icu") collate "und-x-icu"), nfkc)
  ) nulls not distinct
  where deleted_at is null;

-- Renames (docs/security.md, "Who may rename"): a name is chosen only by a principal that
-- sees every tenant it could collide with, so that a duplicate-name error never reveals a
-- tenant it cannot see. The platform admin renames any tenant; a tenant principal only its
-- subsidiaries (not itself: a parent's name collides with other parents, a subsidiary's with
-- its siblings). Any other role but the owner (and superusers) is refused too: fail closed.
-- Not SECURITY DEFINER: current_user is the role the write runs as.
create function tenants_rename_scope() returns trigger
  language plpgsql
  set search_path = pg_catalog, public, pg_temp
as $$
begin
  if current_user = 'mtdb_platform_admin'
     or (current_user = 'mtdb_tenant'
         and old.parent_tenant_id = public.mtdb_current_tenant_id())
     or exists (select from pg_catalog.pg_class as c
                 where c.oid = tg_relid and c.relowner = (select r.oid from pg_catalog.pg_roles as r
                                                           where r.rolname = current_user))
     or (select r.rolsuper from pg_catalog.pg_roles as r where r.rolname = current_user) then
    return new;
  end if;
  raise exception 'only the platform admin or the tenant''s parent may rename a tenant'
    using errcode = 'insufficient_privilege', constraint = 'tenants_rename_scope';
end;
$$;

revoke all on function tenants_rename_scope() from public;

create trigger tenants_rename_scope before update of name on tenants
  for each row when (new.name is distinct from old.name)
  execute function tenants_rename_scope();
