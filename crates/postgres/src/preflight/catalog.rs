//! The catalog queries of the preflight, one problem family each.

use deadpool_postgres::Object;

use super::{is_forbidden, RoleProblem, TENANT_TABLES};
use crate::errors::DbFailure;
use crate::unit_of_work::{ADMIN_ROLE, TENANT_ROLE};

pub(super) async fn role_attributes(
    client: &Object,
    login: &str,
    roles: &[String],
) -> Result<Vec<RoleProblem>, DbFailure> {
    let rows = client
        .query(
            "select w.name, r.rolname is not null, coalesce(r.rolsuper, false), \
                    coalesce(r.rolbypassrls, false), coalesce(r.rolinherit, false), \
                    coalesce(r.rolcanlogin, false) \
             from unnest($1::text[]) with ordinality as w(name, n) \
             left join pg_catalog.pg_roles r on r.rolname = w.name order by w.n",
            &[&roles],
        )
        .await?;
    let mut problems = Vec::new();
    for row in rows {
        let name: String = row.try_get(0)?;
        let is_login = name == login;
        if !row.try_get::<_, bool>(1)? {
            problems.push(RoleProblem::MissingRole(name));
            continue;
        }
        if row.try_get(2)? {
            problems.push(RoleProblem::Superuser(name.clone()));
        }
        if row.try_get(3)? {
            problems.push(RoleProblem::BypassRls(name.clone()));
        }
        if is_login && row.try_get(4)? {
            problems.push(RoleProblem::Inherits(name.clone()));
        }
        if !is_login && row.try_get(5)? {
            problems.push(RoleProblem::CanLogin(name));
        }
    }
    Ok(problems)
}

/// Anything in this database owned by one of the roles, the database itself included.
pub(super) async fn ownership(
    client: &Object,
    roles: &[String],
) -> Result<Vec<RoleProblem>, DbFailure> {
    let rows = client
        .query(
            "select r.rolname::text, pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid) \
             from pg_catalog.pg_shdepend d \
             join pg_catalog.pg_roles r on r.oid = d.refobjid \
             where d.deptype = 'o' and r.rolname = any($1) \
               and d.dbid = (select oid from pg_catalog.pg_database where datname = current_database()) \
             union all \
             select r.rolname::text, 'database ' || quote_ident(d.datname) \
             from pg_catalog.pg_database d join pg_catalog.pg_roles r on r.oid = d.datdba \
             where d.datname = current_database() and r.rolname = any($1) \
             order by 1, 2",
            &[&roles],
        )
        .await?;
    rows.iter()
        .map(|row| {
            Ok(RoleProblem::Owns {
                role: row.try_get(0)?,
                object: row.try_get(1)?,
            })
        })
        .collect()
}

pub(super) async fn row_security(client: &Object) -> Result<Vec<RoleProblem>, DbFailure> {
    let rows = client
        .query(
            "select t.name, c.oid is not null, coalesce(c.relrowsecurity, false), \
                    coalesce(c.relforcerowsecurity, false) \
             from unnest($1::text[]) as t(name) \
             left join pg_catalog.pg_class c on c.oid = to_regclass(t.name)",
            &[&TENANT_TABLES.as_slice()],
        )
        .await?;
    let mut problems = Vec::new();
    for row in rows {
        let table: String = row.try_get(0)?;
        if !row.try_get::<_, bool>(1)? {
            problems.push(RoleProblem::MissingTable(table));
            continue;
        }
        if !row.try_get::<_, bool>(2)? {
            problems.push(RoleProblem::RlsDisabled(table.clone()));
        }
        if !row.try_get::<_, bool>(3)? {
            problems.push(RoleProblem::RlsNotForced(table));
        }
    }
    Ok(problems)
}

/// Without membership the role switch fails at the first request: say so at start.
pub(super) async fn memberships(
    client: &Object,
    login: &str,
) -> Result<Vec<RoleProblem>, DbFailure> {
    let mut problems = Vec::new();
    for role in [TENANT_ROLE, ADMIN_ROLE] {
        let member: bool = client
            .query_one(
                "select pg_catalog.pg_has_role(session_user, $1, 'MEMBER')",
                &[&role],
            )
            .await?
            .try_get(0)?;
        if !member {
            problems.push(RoleProblem::NotMember {
                login: login.to_owned(),
                role: role.to_owned(),
            });
        }
    }
    Ok(problems)
}

/// Privileges held on the tenant tables that the rules forbid.
pub(super) async fn privileges(
    client: &Object,
    login: &str,
    roles: &[String],
) -> Result<Vec<RoleProblem>, DbFailure> {
    // Column privileges count: `has_any_column_privilege` is true for a table-level or
    // any column-level grant. A NOINHERIT role is asked about its own grants only.
    let rows = client
        .query(
            "select r.name, t.name, p.name from unnest($1::text[]) as r(name) \
             cross join unnest($2::text[]) as t(name) \
             cross join unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', \
                                     'REFERENCES', 'TRIGGER']) as p(name) \
             where case when p.name in ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES') \
                   then pg_catalog.has_any_column_privilege(r.name, t.name, p.name) \
                   else pg_catalog.has_table_privilege(r.name, t.name, p.name) end \
             order by 1, 2, 3",
            &[&roles, &TENANT_TABLES.as_slice()],
        )
        .await?;
    let mut problems = Vec::new();
    for row in rows {
        let (role, table, privilege): (String, String, String) =
            (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        if is_forbidden(role == login, &table, &privilege) {
            problems.push(RoleProblem::Privilege {
                role,
                table,
                privilege,
            });
        }
    }
    Ok(problems)
}
