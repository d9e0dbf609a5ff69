//! The start-up check of `mtdb serve`: the roles and tables are what the contract's
//! section 5 requires, or the service refuses to run. Row level security protects
//! nothing when the connecting role is a superuser, has `BYPASSRLS`, owns the tables, or
//! inherits privileges it should only get by switching role.

use std::fmt;

use deadpool_postgres::{Object, Pool};
use mtdb_domain::StoreError;

mod catalog;

use crate::errors::DbFailure;
use crate::unit_of_work::{ADMIN_ROLE, TENANT_ROLE};
use catalog::{memberships, ownership, privileges, role_attributes, row_security};

/// The tables that hold tenant data.
pub const TENANT_TABLES: [&str; 2] = ["tenants", "tenant_audit"];

/// One thing wrong with the setup, naming the role or table at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoleProblem {
    #[error("role {0} does not exist")]
    MissingRole(String),
    #[error("role {0} is a superuser")]
    Superuser(String),
    #[error("role {0} has BYPASSRLS")]
    BypassRls(String),
    #[error("role {role} owns {object}")]
    Owns { role: String, object: String },
    #[error("login role {0} inherits the privileges of its roles: make it NOINHERIT")]
    Inherits(String),
    #[error("role {0} can log in: it must be NOLOGIN")]
    CanLogin(String),
    #[error("login role {login} is not a member of {role}")]
    NotMember { login: String, role: String },
    #[error("role {role} holds {privilege} on {table}")]
    Privilege {
        role: String,
        table: String,
        privilege: String,
    },
    #[error("table {0} does not exist: run `mtdb migrate`")]
    MissingTable(String),
    #[error("table {0} does not have row level security enabled")]
    RlsDisabled(String),
    #[error("table {0} does not force row level security on its owner")]
    RlsNotForced(String),
}

#[derive(Debug, thiserror::Error)]
pub enum PreflightError {
    #[error("the database could not be checked")]
    Store(#[source] StoreError),
    #[error("refusing to serve: {}", Problems(.0))]
    Unsafe(Vec<RoleProblem>),
}

struct Problems<'a>(&'a [RoleProblem]);

impl fmt::Display for Problems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl From<DbFailure> for PreflightError {
    fn from(f: DbFailure) -> Self {
        Self::Store(f.into_store())
    }
}

/// Checks, as the pool's login role, that the login role and the two switchable roles
/// are neither superusers nor `BYPASSRLS` nor owners of anything in the database, that
/// the login role is `NOINHERIT`, a member of both roles and holds no privilege on tenant
/// data itself, that the switchable roles are `NOLOGIN` and hold no `TRUNCATE`,
/// `REFERENCES`, `TRIGGER` or `DELETE` (nor `UPDATE` on the audit trail), and that every
/// tenant table has row level security enabled and forced.
///
/// # Errors
/// [`PreflightError::Unsafe`] with every problem found, or [`PreflightError::Store`]
/// when the catalog cannot be read.
pub async fn check_roles(pool: &Pool) -> Result<(), PreflightError> {
    let client = pool.get().await.map_err(DbFailure::from)?;
    let problems = find_problems(&client).await?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(PreflightError::Unsafe(problems))
    }
}

async fn find_problems(client: &Object) -> Result<Vec<RoleProblem>, DbFailure> {
    let login: String = client
        .query_one("select session_user::text", &[])
        .await?
        .try_get(0)?;
    let roles = [login.clone(), TENANT_ROLE.to_owned(), ADMIN_ROLE.to_owned()];
    let mut problems = role_attributes(client, &login, &roles).await?;
    problems.extend(ownership(client, &roles).await?);
    problems.extend(row_security(client).await?);
    // Privileges can only be asked about roles and tables that exist.
    if problems.iter().all(|p| {
        !matches!(
            p,
            RoleProblem::MissingRole(_) | RoleProblem::MissingTable(_)
        )
    }) {
        problems.extend(memberships(client, &login).await?);
        problems.extend(privileges(client, &login, &roles).await?);
    }
    Ok(problems)
}

/// The login role holds nothing itself; the switchable roles never hold what RLS cannot
/// filter (`TRUNCATE`, `REFERENCES`, `TRIGGER`), hard deletes, or a way to rewrite the
/// audit trail.
fn is_forbidden(is_login: bool, table: &str, privilege: &str) -> bool {
    is_login
        || matches!(privilege, "TRUNCATE" | "REFERENCES" | "TRIGGER" | "DELETE")
        || (table == "tenant_audit" && privilege == "UPDATE")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_privileges() {
        assert!(is_forbidden(true, "tenants", "SELECT"));
        assert!(!is_forbidden(false, "tenants", "SELECT"));
        assert!(!is_forbidden(false, "tenants", "UPDATE"));
        assert!(is_forbidden(false, "tenants", "TRUNCATE"));
        assert!(is_forbidden(false, "tenants", "DELETE"));
        assert!(is_forbidden(false, "tenant_audit", "UPDATE"));
        assert!(!is_forbidden(false, "tenant_audit", "SELECT"));
    }

    #[test]
    fn the_message_names_every_problem() {
        let e = PreflightError::Unsafe(vec![
            RoleProblem::BypassRls("mtdb_app".into()),
            RoleProblem::RlsNotForced("tenants".into()),
        ]);
        assert_eq!(
            e.to_string(),
            "refusing to serve: role mtdb_app has BYPASSRLS; \
             table tenants does not force row level security on its owner"
        );
    }
}
