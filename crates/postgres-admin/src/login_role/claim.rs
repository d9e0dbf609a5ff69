//! Whose role is it? `mtdb migrate` resets the password, attributes and grants of the
//! login role named in `DATABASE_URL`, so it must never do that to a role it did not
//! create (a DBA's role named by a typo). Roles it creates carry [`MARKER`] as their
//! comment; an existing role without it is refused, unless it already has exactly the
//! shape an earlier, unmarking `mtdb migrate` gave its login role (docs/security.md,
//! "Whose login role").

use tokio_postgres::Transaction;

use crate::admin::AdminError;

/// The comment `mtdb migrate` puts on the login roles it creates or adopts.
pub(super) const MARKER: &str = "mtdb application login role, managed by mtdb migrate";

/// What `mtdb migrate` may do with the role of that name.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Claim {
    /// No such role: create it.
    Absent,
    /// Marked as mtdb's: bring it back to shape.
    Marked,
    /// Unmarked, but exactly what an earlier `mtdb migrate` made: mark and manage it.
    Adoptable,
}

/// Reads the role inside `tx` (the one that then alters it).
///
/// # Errors
/// [`AdminError::NotOurRole`] for an unmarked role of any other shape, naming what
/// differs and the statement that would mark it; database failures.
pub(super) async fn claim(tx: &Transaction<'_>, login: &str) -> Result<Claim, AdminError> {
    let row = tx
        .query_opt(SHAPE, &[&login, &MARKER])
        .await
        .map_err(AdminError::db("reading the login role"))?;
    let Some(row) = row else {
        return Ok(Claim::Absent);
    };
    let read = |e| AdminError::db("reading the login role")(e);
    let marked: bool = row.try_get(0).map_err(read)?;
    let differences: Vec<String> = row.try_get(1).map_err(read)?;
    let quoted: String = row.try_get(2).map_err(read)?;
    if marked {
        return Ok(Claim::Marked);
    }
    if differences.is_empty() {
        return Ok(Claim::Adoptable);
    }
    Err(AdminError::NotOurRole {
        role: login.to_owned(),
        differences: differences.join("; "),
        mark: format!("COMMENT ON ROLE {quoted} IS '{MARKER}';"),
    })
}

/// Marked or not, and every way the role differs from the login role mtdb makes:
/// `LOGIN NOINHERIT` with no other power, a member of exactly `mtdb_tenant` and
/// `mtdb_platform_admin` (without admin option) and of nothing else, no member of its own,
/// owning nothing and holding privileges on nothing but databases, in any database of the
/// cluster (`pg_shdepend` records both), with no default settings. Its connection limit
/// and expiry restrict, never empower, and mtdb never sets them: they are not compared.
const SHAPE: &str = "
select coalesce(pg_catalog.shobj_description(r.oid, 'pg_authid'), '') = $2,
       array_remove(array[
         case when not r.rolcanlogin then 'it cannot log in' end,
         case when r.rolinherit then 'it has INHERIT' end,
         case when r.rolsuper then 'it has SUPERUSER' end,
         case when r.rolcreaterole then 'it has CREATEROLE' end,
         case when r.rolcreatedb then 'it has CREATEDB' end,
         case when r.rolreplication then 'it has REPLICATION' end,
         case when r.rolbypassrls then 'it has BYPASSRLS' end,
         (select 'it is a member of ' || string_agg(g.rolname, ', ' order by g.rolname)
            from pg_catalog.pg_auth_members m
            join pg_catalog.pg_roles g on g.oid = m.roleid
           where m.member = r.oid
             and (g.rolname not in ('mtdb_tenant', 'mtdb_platform_admin') or m.admin_option)),
         case when (select count(*) from pg_catalog.pg_auth_members m
                      join pg_catalog.pg_roles g on g.oid = m.roleid
                     where m.member = r.oid
                       and g.rolname in ('mtdb_tenant', 'mtdb_platform_admin')) <> 2
              then 'it is not a member of both mtdb_tenant and mtdb_platform_admin' end,
         (select 'it has members: ' || string_agg(u.rolname, ', ' order by u.rolname)
            from pg_catalog.pg_auth_members m
            join pg_catalog.pg_roles u on u.oid = m.member
           where m.roleid = r.oid),
         case when exists (select from pg_catalog.pg_shdepend d
                            where d.refclassid = 'pg_catalog.pg_authid'::pg_catalog.regclass
                              and d.refobjid = r.oid and d.deptype = 'o')
              then 'it owns objects' end,
         case when exists (select from pg_catalog.pg_shdepend d
                            where d.refclassid = 'pg_catalog.pg_authid'::pg_catalog.regclass
                              and d.refobjid = r.oid and d.deptype = 'a'
                              and d.classid <> 'pg_catalog.pg_database'::pg_catalog.regclass)
              then 'it holds privileges on objects other than databases' end,
         case when exists (select from pg_catalog.pg_db_role_setting s
                            where s.setrole = r.oid)
              then 'it has default settings (ALTER ROLE ... SET)' end
       ], null),
       pg_catalog.quote_ident(r.rolname)
  from pg_catalog.pg_roles r
 where r.rolname = $1";
