//! The relations the application roles can reach: tables under row level security,
//! enabled and forced, with a policy for each switched-to role that holds privileges
//! on them; views that run as the invoker; nothing that row level security cannot
//! cover (materialized views, foreign tables).

use std::collections::BTreeMap;

use tokio_postgres::types::Type;
use tokio_postgres::Transaction;

use super::finding::{Finding, FindingKind as K};
use super::privileges::Grant;
use super::scope::Scope;

/// What the catalog says of one reachable relation.
struct Relation {
    name: String,
    kind: String,
    rls: bool,
    forced: bool,
    invoker: bool,
    /// The roles its policies are scoped to (PUBLIC excluded).
    policy_roles: Vec<String>,
}

pub(super) async fn reachable_relations(
    tx: &Transaction<'_>,
    scope: &Scope,
    grants: &[Grant],
) -> Result<Vec<Finding>, tokio_postgres::Error> {
    // Which switched-to roles hold privileges on each relation; the login role's own
    // privileges are a finding of their own.
    let mut holders: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
    for grant in grants {
        let roles = holders.entry(grant.oid).or_default();
        if grant.role != scope.login && !roles.contains(&grant.role.as_str()) {
            roles.push(&grant.role);
        }
    }
    let oids: Vec<u32> = holders.keys().copied().collect();
    let rows = tx
        .query_typed(
            "select c.oid, format('%I.%I', n.nspname, c.relname), c.relkind::text, \
                    c.relrowsecurity, c.relforcerowsecurity, \
                    coalesce(exists (select from unnest(c.reloptions) o \
                      where lower(o) in ('security_invoker=true', 'security_invoker=on', \
                                         'security_invoker=yes', 'security_invoker=1')), false), \
                    array(select distinct r.rolname::text from pg_policy p \
                          cross join unnest(p.polroles) as pr(oid) \
                          join pg_roles r on r.oid = pr.oid where p.polrelid = c.oid) \
             from pg_class c join pg_namespace n on n.oid = c.relnamespace \
             where c.oid = any($1) order by 2",
            &[(&oids, Type::OID_ARRAY)],
        )
        .await?;
    let mut found = Vec::new();
    for row in rows {
        let oid: u32 = row.try_get(0)?;
        let relation = Relation {
            name: row.try_get(1)?,
            kind: row.try_get(2)?,
            rls: row.try_get(3)?,
            forced: row.try_get(4)?,
            invoker: row.try_get(5)?,
            policy_roles: row.try_get(6)?,
        };
        let roles = holders.get(&oid).map(Vec::as_slice).unwrap_or_default();
        found.extend(judge(&relation, roles));
    }
    Ok(found)
}

fn judge(relation: &Relation, holders: &[&str]) -> Vec<Finding> {
    let name = &relation.name;
    let mut found = Vec::new();
    match relation.kind.as_str() {
        "r" | "p" => {
            let table = format!("table {name}");
            if !relation.rls {
                found.push(Finding::new(
                    K::RlsDisabled,
                    &table,
                    "is reachable by an application role without row level security",
                    format!("alter table {name} enable row level security"),
                ));
            }
            if !relation.forced {
                found.push(Finding::new(
                    K::RlsNotForced,
                    &table,
                    "does not force row level security on its owner",
                    format!("alter table {name} force row level security"),
                ));
            }
            for role in holders {
                if !relation.policy_roles.iter().any(|r| r == role) {
                    found.push(Finding::new(
                        K::MissingPolicy,
                        &table,
                        format!("role {role} holds privileges on it but no policy is scoped to it"),
                        format!(
                            "create policy ... on {name} to {role} using (...), \
                             or revoke all on {name} from {role}"
                        ),
                    ));
                }
            }
        }
        "v" if !relation.invoker => found.push(Finding::new(
            K::ViewWithoutInvoker,
            format!("view {name}"),
            "runs with its owner's rights, past the row level security of its tables",
            format!("alter view {name} set (security_invoker = true)"),
        )),
        "m" | "f" => found.push(Finding::new(
            K::UnprotectedRelation,
            format!("relation {name}"),
            "is a materialized view or foreign table: row level security cannot cover it",
            format!("revoke all on {name} from the application roles and public"),
        )),
        _ => {}
    }
    found
}

/// The tables the application itself needs.
pub(super) async fn missing_tables(
    tx: &Transaction<'_>,
    scope: &Scope,
) -> Result<Vec<Finding>, tokio_postgres::Error> {
    let rows = tx
        .query_typed(
            "select t.name from unnest($1::text[]) as t(name) where to_regclass(t.name) is null",
            &[(&scope.tenant_tables(), Type::TEXT_ARRAY)],
        )
        .await?;
    rows.iter()
        .map(|row| {
            let table: String = row.try_get(0)?;
            Ok(Finding::new(
                K::MissingTable,
                format!("table {table}"),
                "does not exist",
                "run `mtdb migrate` with the owner's MTDB_ADMIN_DATABASE_URL",
            ))
        })
        .collect()
}

/// A policy without `TO` applies to every role, the login role and any role an operator
/// adds later included.
pub(super) async fn public_policies(
    tx: &Transaction<'_>,
) -> Result<Vec<Finding>, tokio_postgres::Error> {
    let rows = tx
        .query_typed(
            "select format('%I on %I.%I', p.polname, n.nspname, c.relname), \
                    format('%I.%I', n.nspname, c.relname), quote_ident(p.polname) \
             from pg_policy p join pg_class c on c.oid = p.polrelid \
             join pg_namespace n on n.oid = c.relnamespace \
             where 0 = any(p.polroles) order by 1",
            &[],
        )
        .await?;
    rows.iter()
        .map(|row| {
            let (object, table, policy): (String, String, String) =
                (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
            Ok(Finding::new(
                K::PublicPolicy,
                format!("policy {object}"),
                "is not scoped TO a role: it applies to PUBLIC",
                format!("alter policy {policy} on {table} to <the role it serves>"),
            ))
        })
        .collect()
}
