//! Default settings (`ALTER ROLE ... SET`, `ALTER DATABASE ... SET`) apply to every new
//! session: a default `role` runs the whole pool as someone else, and `search_path`,
//! `row_security` or an `app.*` setting changes what the policies see. The login role
//! may set its own defaults, so they are checked at every start.

use tokio_postgres::types::Type;
use tokio_postgres::Transaction;

use super::finding::{Finding, FindingKind as K};
use super::scope::Scope;

/// The defaults of this database, of all roles, and of the application roles (in any
/// database or in this one) that touch a forbidden setting. `pg_db_role_setting` is
/// readable by every role.
pub(super) async fn forbidden_defaults(
    tx: &Transaction<'_>,
    scope: &Scope,
) -> Result<Vec<Finding>, tokio_postgres::Error> {
    let rows = tx
        .query_typed(
            "select r.rolname::text, d.datname::text, split_part(c.setting, '=', 1) \
             from pg_db_role_setting s \
             left join pg_roles r on r.oid = s.setrole \
             left join pg_database d on d.oid = s.setdatabase \
             cross join unnest(s.setconfig) as c(setting) \
             where (s.setdatabase = 0 or d.datname = current_database()) \
               and (s.setrole = 0 or r.rolname = any($1)) \
               and (lower(split_part(c.setting, '=', 1)) in \
                      ('role', 'session_authorization', 'row_security', 'search_path') \
                    or lower(c.setting) like 'app.%') \
             order by 1 nulls first, 2 nulls first, 3",
            &[(&scope.roles(), Type::TEXT_ARRAY)],
        )
        .await?;
    let mut found = Vec::new();
    for row in rows {
        let role: Option<String> = row.try_get(0)?;
        let database: Option<String> = row.try_get(1)?;
        let setting: String = row.try_get(2)?;
        let (object, alter) = match (&role, &database) {
            (Some(r), None) => (format!("role {r}"), format!("alter role {r}")),
            (Some(r), Some(d)) => (
                format!("role {r} in database {d}"),
                format!("alter role {r} in database {d}"),
            ),
            (None, Some(d)) => (format!("database {d}"), format!("alter database {d}")),
            (None, None) => ("all roles".to_owned(), "alter role all".to_owned()),
        };
        found.push(Finding::new(
            K::ForbiddenDefault,
            object,
            format!("has a default for {setting}, applied to every new session"),
            format!("{alter} reset {setting}"),
        ));
    }
    Ok(found)
}
