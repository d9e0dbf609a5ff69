//! The application roles own nothing: an owner bypasses row level security unless it is
//! forced, and may disable it, drop policies or grant itself anything on its objects.

use tokio_postgres::types::Type;
use tokio_postgres::Transaction;

use super::finding::{Finding, FindingKind as K};
use super::scope::Scope;

/// Anything in this database owned by one of the roles, the database itself included.
pub(super) async fn ownership(
    tx: &Transaction<'_>,
    scope: &Scope,
) -> Result<Vec<Finding>, tokio_postgres::Error> {
    let rows = tx
        .query_typed(
            "select r.rolname::text, pg_describe_object(d.classid, d.objid, d.objsubid) \
             from pg_shdepend d join pg_roles r on r.oid = d.refobjid \
             where d.deptype = 'o' and r.rolname = any($1) \
               and d.dbid = (select oid from pg_database where datname = current_database()) \
             union all \
             select r.rolname::text, 'database ' || quote_ident(d.datname) \
             from pg_database d join pg_roles r on r.oid = d.datdba \
             where d.datname = current_database() and r.rolname = any($1) \
             order by 1, 2",
            &[(&scope.roles(), Type::TEXT_ARRAY)],
        )
        .await?;
    rows.iter()
        .map(|row| {
            let role: String = row.try_get(0)?;
            let object: String = row.try_get(1)?;
            Ok(Finding::new(
                K::Owns,
                format!("role {role}"),
                format!("owns {object}"),
                format!(
                    "alter the owner of {object} to {} (e.g. reassign owned by {role} to {}), \
                     or drop it",
                    scope.owner, scope.owner
                ),
            ))
        })
        .collect()
}
