//! The row-level-security self-check: `mtdb check`, and `mtdb serve`'s refusal to run.
//!
//! Row level security protects nothing when a role that reaches the data is a superuser,
//! has `BYPASSRLS`, owns the tables, can grant itself the owner, inherits privileges it
//! should only get by switching role, or runs every session as another role by default;
//! nor on a table that has no policy, or a view or function that runs as its owner.
//! Every relation the application roles can reach is found from the catalog, so a table
//! an operator adds later is checked too. Then the security-relevant catalog (policies,
//! triggers, rules, functions, grants, default privileges) is compared with what the migrations
//! define, embedded from `migrations/security_catalog.json`: anything that widens access
//! or switches a guard off is a finding too. Each check family has its own file; what
//! each finding means and how to fix it is in docs/security.md.

use std::fmt;

use deadpool_postgres::Pool;
use mtdb_domain::StoreError;
use tokio_postgres::Client;

mod catalog;
mod database;
mod defaults;
mod drift;
mod finding;
mod ownership;
mod privileges;
mod roles;
mod routines;
mod tables;

mod scope;

pub use catalog::{security_catalog, EXPECTED_SECURITY_CATALOG};
pub use finding::{Finding, FindingKind};
pub use scope::TENANT_TABLES;

use scope::Scope;

use mtdb_postgres::{pool_store_error, store_error};

/// Why [`check_roles`] refused to let `mtdb serve` start.
#[derive(Debug, thiserror::Error)]
pub enum PreflightError {
    /// The catalog could not be read (database unreachable, statement failed): the
    /// check fails closed.
    #[error("the database could not be checked")]
    Store(#[source] StoreError),
    /// The findings that void isolation; serving on them would leak tenants' rows.
    #[error("refusing to serve: {} (run `mtdb check` for the fixes)", Findings(.0))]
    Unsafe(Vec<Finding>),
}

struct Findings<'a>(&'a [Finding]);

impl fmt::Display for Findings<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, finding) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", finding.object, finding.message)?;
        }
        Ok(())
    }
}

/// `mtdb serve`'s start-up check: the checks of [`inspect`], refusing on any finding.
///
/// # Errors
/// [`PreflightError::Unsafe`] with every finding, or [`PreflightError::Store`] when the
/// catalog cannot be read.
pub async fn check_roles(pool: &Pool) -> Result<(), PreflightError> {
    let findings = inspect(pool).await.map_err(PreflightError::Store)?;
    if findings.is_empty() {
        Ok(())
    } else {
        Err(PreflightError::Unsafe(findings))
    }
}

/// Every misconfiguration that would void isolation, read from the catalog through one
/// connection of `pool` (the login role's): see the module documentation.
///
/// # Errors
/// The database cannot be reached or its catalog read.
pub async fn inspect(pool: &Pool) -> Result<Vec<Finding>, StoreError> {
    let expected = catalog::expected().map_err(|e| StoreError::Internal(Box::new(e)))?;
    let mut client = pool.get().await.map_err(pool_store_error)?;
    find(&mut client, &expected).await.map_err(store_error)
}

/// Unnamed statements only, in one transaction, whatever `MTDB_DB_STATEMENTS` says: safe
/// through a pooler in transaction mode (docs/pgbouncer.md).
async fn find(
    client: &mut Client,
    expected: &[catalog::Fact],
) -> Result<Vec<Finding>, tokio_postgres::Error> {
    // A transaction that is rolled back: its only setting pins the catalog's names
    // against whatever search_path a default gave this session.
    let tx = client.transaction().await?;
    tx.batch_execute("set local search_path = pg_catalog, pg_temp")
        .await?;
    let row = tx
        .query_typed_one(
            "select session_user::text, pg_get_userbyid(datdba)::text \
             from pg_database where datname = current_database()",
            &[],
        )
        .await?;
    let scope = Scope {
        login: row.try_get(0)?,
        owner: row.try_get(1)?,
    };
    let mut found = roles::attributes(&tx, &scope).await?;
    found.extend(tables::missing_tables(&tx, &scope).await?);
    // Privileges can only be asked about roles that exist.
    if found.iter().any(|f| f.kind == FindingKind::MissingRole) {
        return Ok(found);
    }
    found.extend(roles::memberships(&tx, &scope).await?);
    found.extend(ownership::ownership(&tx, &scope).await?);
    let grants = privileges::grants(&tx, &scope).await?;
    found.extend(privileges::privilege_findings(&grants, &scope));
    found.extend(tables::reachable_relations(&tx, &scope, &grants).await?);
    found.extend(tables::public_policies(&tx).await?);
    found.extend(routines::definer_functions(&tx).await?);
    found.extend(database::creation(&tx, &scope).await?);
    found.extend(defaults::forbidden_defaults(&tx, &scope).await?);
    // Without the migrations' tables every fact of theirs would be a finding.
    if !found.iter().any(|f| f.kind == FindingKind::MissingTable) {
        let names = catalog::names(&tx).await?;
        let live = catalog::read(&tx, &names).await?;
        found.extend(drift::findings(expected, &live, &names));
    }
    tx.rollback().await?;
    Ok(owner_advice(found, &scope))
}

/// Checked as the database's owner, every finding about the login role is true but its
/// fix is not: the owner is not meant to lose its attributes or join the switched-to
/// roles, the check is meant to run as the login role.
fn owner_advice(mut found: Vec<Finding>, scope: &Scope) -> Vec<Finding> {
    if scope.login == scope.owner {
        let object = format!("role {}", scope.login);
        for finding in found.iter_mut().filter(|f| f.object == object) {
            finding.fix = format!(
                "{} owns the database: run this with DATABASE_URL naming the login role \
                 that `mtdb migrate` provisions (mtdb_app locally), as `mtdb serve` does",
                scope.login
            );
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_as_the_owner_the_fix_is_to_use_the_login_role() {
        let finding =
            |object: &str| Finding::new(FindingKind::NotMember, object, "is not a member", "grant");
        let owner = Scope {
            login: "mtdb_owner".to_owned(),
            owner: "mtdb_owner".to_owned(),
        };
        let found = owner_advice(vec![finding("role mtdb_owner"), finding("table t")], &owner);
        assert!(found[0].fix.contains("DATABASE_URL naming the login role"));
        assert!(!found[0].fix.contains("grant"));
        assert_eq!(found[1].fix, "grant");
        let login = owner_advice(
            vec![finding("role mtdb_app")],
            &Scope::for_tests("mtdb_app"),
        );
        assert_eq!(login[0].fix, "grant");
    }

    #[test]
    fn the_message_names_every_finding() {
        let e = PreflightError::Unsafe(vec![
            Finding::new(
                FindingKind::BypassRls,
                "role mtdb_app",
                "has BYPASSRLS",
                "x",
            ),
            Finding::new(
                FindingKind::RlsNotForced,
                "table public.tenants",
                "does not force row level security on its owner",
                "y",
            ),
        ]);
        assert_eq!(
            e.to_string(),
            "refusing to serve: role mtdb_app: has BYPASSRLS; table public.tenants: does not \
             force row level security on its owner (run `mtdb check` for the fixes)"
        );
    }
}
