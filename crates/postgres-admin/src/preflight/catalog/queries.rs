//! The catalog queries behind the facts. They run inside `mtdb check`'s transaction, with
//! `search_path = pg_catalog, pg_temp`, so that `pg_get_expr`, `pg_get_triggerdef` and
//! `pg_get_ruledef` qualify every name the same way wherever they run. Objects of the
//! system schemas and of extensions are left out; grants are read for the application
//! roles and PUBLIC only.

/// The schemas the facts cover, for a namespace aliased `n`.
macro_rules! user_schema {
    () => {
        "n.nspname not in ('pg_catalog', 'information_schema') \
         and n.nspname !~ '^pg_(toast|temp_|toast_temp_)'"
    };
}

/// Not a member of an extension, for an object of catalog `$class` aliased `$alias`.
macro_rules! not_extension {
    ($class:literal, $alias:literal) => {
        concat!(
            "not exists (select from pg_depend d where d.classid = '",
            $class,
            "'::regclass and d.objid = ",
            $alias,
            ".oid and d.deptype = 'e')"
        )
    };
}

pub(super) const RELATIONS: &str = concat!(
    "select format('%I.%I', n.nspname, c.relname), c.relkind::text \
     from pg_class c join pg_namespace n on n.oid = c.relnamespace \
     where c.relkind in ('r', 'p', 'v', 'm', 'f', 'S') and ",
    user_schema!(),
    " and ",
    not_extension!("pg_class", "c")
);

pub(super) const POLICIES: &str = concat!(
    "select format('%I.%I', n.nspname, c.relname), quote_ident(p.polname), \
            case when p.polpermissive then 'permissive' else 'restrictive' end, \
            case p.polcmd when 'r' then 'select' when 'a' then 'insert' \
                          when 'w' then 'update' when 'd' then 'delete' else 'all' end, \
            array(select case when r.oid = 0 then 'public' \
                              else pg_get_userbyid(r.oid)::text end \
                  from unnest(p.polroles) as r(oid)), \
            pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid) \
     from pg_policy p join pg_class c on c.oid = p.polrelid \
     join pg_namespace n on n.oid = c.relnamespace where ",
    user_schema!()
);

/// Rewrite rules, but for a view's own `_RETURN`: an `INSTEAD` rule on the audit trail
/// would drop its rows.
pub(super) const RULES: &str = concat!(
    "select format('%I.%I', n.nspname, c.relname), quote_ident(r.rulename), \
            r.ev_enabled::text, pg_get_ruledef(r.oid) \
     from pg_rewrite r join pg_class c on c.oid = r.ev_class \
     join pg_namespace n on n.oid = c.relnamespace where r.rulename <> '_RETURN' and ",
    user_schema!()
);

pub(super) const TRIGGERS: &str = concat!(
    "select format('%I.%I', n.nspname, c.relname), quote_ident(t.tgname), \
            t.tgenabled::text, pg_get_triggerdef(t.oid) \
     from pg_trigger t join pg_class c on c.oid = t.tgrelid \
     join pg_namespace n on n.oid = c.relnamespace where not t.tgisinternal and ",
    user_schema!()
);

/// `$1`: the roles asked about, `public` included.
pub(super) const FUNCTIONS: &str = concat!(
    "select format('%I.%I(%s)', n.nspname, p.proname, \
                   pg_get_function_identity_arguments(p.oid)), \
            p.prosecdef, pg_get_userbyid(p.proowner)::text, \
            coalesce(array_to_string(p.proconfig, ', '), ''), \
            md5(coalesce(pg_get_function_sqlbody(p.oid), p.prosrc)), \
            array(select r.name from unnest($1::text[]) as r(name) \
                  where has_function_privilege(r.name, p.oid, 'EXECUTE')), \
            p.proleakproof \
     from pg_proc p join pg_namespace n on n.oid = p.pronamespace where ",
    user_schema!(),
    " and ",
    not_extension!("pg_proc", "p")
);

/// `$1`: the application roles. Table grants, then column grants, to them or PUBLIC.
pub(super) const GRANTS: &str = concat!(
    "with acl as ( \
       select c.oid, '' as col, a.grantee, a.privilege_type, a.is_grantable \
       from pg_class c cross join aclexplode(c.relacl) a \
       union all \
       select att.attrelid, att.attname::text, a.grantee, a.privilege_type, a.is_grantable \
       from pg_attribute att cross join aclexplode(att.attacl) a \
       where att.attnum > 0 and not att.attisdropped) \
     select format('%I.%I', n.nspname, c.relname), \
            case when acl.col = '' then '' else quote_ident(acl.col) end, \
            acl.privilege_type, acl.is_grantable, \
            case when acl.grantee = 0 then 'public' \
                 else pg_get_userbyid(acl.grantee)::text end as grantee \
     from acl join pg_class c on c.oid = acl.oid \
     join pg_namespace n on n.oid = c.relnamespace \
     where (acl.grantee = 0 or pg_get_userbyid(acl.grantee) = any($1)) and ",
    user_schema!()
);

/// `$1`: the application roles. Default privileges that give them or PUBLIC anything.
pub(super) const DEFAULT_PRIVILEGES: &str = "select pg_get_userbyid(d.defaclrole)::text, \
            quote_ident(n.nspname), \
            case d.defaclobjtype when 'r' then 'tables' when 'S' then 'sequences' \
                 when 'f' then 'functions' when 'T' then 'types' else 'schemas' end, \
            a.privilege_type, a.is_grantable, \
            case when a.grantee = 0 then 'public' else pg_get_userbyid(a.grantee)::text end \
     from pg_default_acl d left join pg_namespace n on n.oid = d.defaclnamespace \
     cross join aclexplode(d.defaclacl) a \
     where a.grantee = 0 or pg_get_userbyid(a.grantee) = any($1)";
