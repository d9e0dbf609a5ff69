//! The catalog queries behind the facts. They run inside `mtdb check`'s transaction, with
//! `search_path = pg_catalog, pg_temp`, so that `pg_get_expr` and `pg_get_triggerdef`
//! qualify every name the same way wherever they run. Objects of the system schemas and
//! of extensions are left out; grants are read for the application roles and PUBLIC only.

use tokio_postgres::types::Type;
use tokio_postgres::{Row, Transaction};

use super::fact::{Fact, FactKind as F, Names};
use crate::unit_of_work::{ADMIN_ROLE, TENANT_ROLE};

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

const RELATIONS: &str = concat!(
    "select format('%I.%I', n.nspname, c.relname), c.relkind::text \
     from pg_class c join pg_namespace n on n.oid = c.relnamespace \
     where c.relkind in ('r', 'p', 'v', 'm', 'f', 'S') and ",
    user_schema!(),
    " and ",
    not_extension!("pg_class", "c")
);

const POLICIES: &str = concat!(
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

const TRIGGERS: &str = concat!(
    "select format('%I.%I', n.nspname, c.relname), quote_ident(t.tgname), \
            t.tgenabled::text, pg_get_triggerdef(t.oid) \
     from pg_trigger t join pg_class c on c.oid = t.tgrelid \
     join pg_namespace n on n.oid = c.relnamespace where not t.tgisinternal and ",
    user_schema!()
);

/// `$1`: the roles asked about, `public` included.
const FUNCTIONS: &str = concat!(
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
const GRANTS: &str = concat!(
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
const DEFAULT_PRIVILEGES: &str = "select pg_get_userbyid(d.defaclrole)::text, \
            quote_ident(n.nspname), \
            case d.defaclobjtype when 'r' then 'tables' when 'S' then 'sequences' \
                 when 'f' then 'functions' when 'T' then 'types' else 'schemas' end, \
            a.privilege_type, a.is_grantable, \
            case when a.grantee = 0 then 'public' else pg_get_userbyid(a.grantee)::text end \
     from pg_default_acl d left join pg_namespace n on n.oid = d.defaclnamespace \
     cross join aclexplode(d.defaclacl) a \
     where a.grantee = 0 or pg_get_userbyid(a.grantee) = any($1)";

/// Every fact of the live catalog, role names as tokens.
pub(in crate::preflight) async fn read(
    tx: &Transaction<'_>,
    names: &Names,
) -> Result<Vec<Fact>, tokio_postgres::Error> {
    let roles = vec![
        names.login.clone(),
        TENANT_ROLE.to_owned(),
        ADMIN_ROLE.to_owned(),
    ];
    let mut with_public = roles.clone();
    with_public.push("public".to_owned());
    let mut facts = Vec::new();
    for row in tx.query_typed(RELATIONS, &[]).await? {
        facts.push(relation(&row)?);
    }
    for row in tx.query_typed(POLICIES, &[]).await? {
        facts.push(policy(&row, names)?);
    }
    for row in tx.query_typed(TRIGGERS, &[]).await? {
        facts.push(trigger(&row)?);
    }
    let executors = [(
        &with_public as &(dyn tokio_postgres::types::ToSql + Sync),
        Type::TEXT_ARRAY,
    )];
    for row in tx.query_typed(FUNCTIONS, &executors).await? {
        facts.push(function(&row, names)?);
    }
    let grantees = [(
        &roles as &(dyn tokio_postgres::types::ToSql + Sync),
        Type::TEXT_ARRAY,
    )];
    for row in tx.query_typed(GRANTS, &grantees).await? {
        facts.push(grant(&row, names)?);
    }
    for row in tx.query_typed(DEFAULT_PRIVILEGES, &grantees).await? {
        facts.push(default_privilege(&row, names)?);
    }
    // The findings come out in this order, the same at every run.
    facts.sort();
    Ok(facts)
}

fn fact(kind: F, table: Option<String>, name: String, definition: String) -> Fact {
    Fact {
        kind,
        table,
        name,
        definition,
        state: None,
        roles: Vec::new(),
    }
}

fn relation(row: &Row) -> Result<Fact, tokio_postgres::Error> {
    let kind: String = row.try_get(1)?;
    let word = match kind.as_str() {
        "r" => "table",
        "p" => "partitioned table",
        "v" => "view",
        "m" => "materialized view",
        "f" => "foreign table",
        _ => "sequence",
    };
    Ok(fact(
        F::Relation,
        Some(row.try_get(0)?),
        String::new(),
        word.to_owned(),
    ))
}

fn policy(row: &Row, names: &Names) -> Result<Fact, tokio_postgres::Error> {
    let mode: String = row.try_get(2)?;
    let command: String = row.try_get(3)?;
    let mut roles: Vec<String> = row.try_get::<_, Vec<String>>(4)?;
    roles = roles.into_iter().map(|r| names.token(r)).collect();
    roles.sort();
    let mut definition = format!("{mode} for {command} to {}", roles.join(", "));
    if let Some(using) = row.try_get::<_, Option<String>>(5)? {
        definition.push_str(&format!(" using ({using})"));
    }
    if let Some(check) = row.try_get::<_, Option<String>>(6)? {
        definition.push_str(&format!(" with check ({check})"));
    }
    Ok(fact(
        F::Policy,
        Some(row.try_get(0)?),
        row.try_get(1)?,
        definition,
    ))
}

fn trigger(row: &Row) -> Result<Fact, tokio_postgres::Error> {
    let enabled: String = row.try_get(2)?;
    let state = match enabled.as_str() {
        "O" => "enabled",
        "D" => "disabled",
        "R" => "replica",
        _ => "always",
    };
    let mut trigger = fact(
        F::Trigger,
        Some(row.try_get(0)?),
        row.try_get(1)?,
        row.try_get(3)?,
    );
    trigger.state = Some(state.to_owned());
    Ok(trigger)
}

fn function(row: &Row, names: &Names) -> Result<Fact, tokio_postgres::Error> {
    let definer: bool = row.try_get(1)?;
    let owner = names.token(row.try_get(2)?);
    let config: String = row.try_get(3)?;
    let digest: String = row.try_get(4)?;
    let security = if definer { "definer" } else { "invoker" };
    // A leakproof function may run before the policies filter the rows: what it raises
    // or logs about a row it was shown is out of their reach.
    let leakproof: bool = row.try_get(6)?;
    let leak = if leakproof { ", leakproof" } else { "" };
    let mut function = fact(
        F::Function,
        None,
        row.try_get(0)?,
        format!("security {security}{leak}, owner {owner}, set {{{config}}}, body md5 {digest}"),
    );
    if definer {
        let executors: Vec<String> = row.try_get(5)?;
        function.roles = executors.into_iter().map(|r| names.token(r)).collect();
    }
    Ok(function)
}

fn privilege(privilege: String, grantable: bool) -> String {
    if grantable {
        format!("{privilege} with grant option")
    } else {
        privilege
    }
}

fn grant(row: &Row, names: &Names) -> Result<Fact, tokio_postgres::Error> {
    let mut grant = fact(
        F::Grant,
        Some(row.try_get(0)?),
        row.try_get(1)?,
        privilege(row.try_get(2)?, row.try_get(3)?),
    );
    grant.roles = vec![names.token(row.try_get(4)?)];
    Ok(grant)
}

fn default_privilege(row: &Row, names: &Names) -> Result<Fact, tokio_postgres::Error> {
    let objects: String = row.try_get(2)?;
    let mut default = fact(
        F::DefaultPrivilege,
        row.try_get(1)?,
        names.token(row.try_get(0)?),
        format!(
            "{} on {objects}",
            privilege(row.try_get(3)?, row.try_get(4)?)
        ),
    );
    default.roles = vec![names.token(row.try_get(5)?)];
    Ok(default)
}
