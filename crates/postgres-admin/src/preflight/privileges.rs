//! What the application roles hold on relations: the login role nothing at all (it is
//! `NOINHERIT` and works only through a role switch), the switched-to roles nothing
//! that row level security cannot filter.

use tokio_postgres::types::Type;
use tokio_postgres::Transaction;

use super::finding::{Finding, FindingKind as K};
use super::scope::Scope;

/// One privilege one application role holds on one relation, PUBLIC's grants included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Grant {
    pub role: String,
    pub oid: u32,
    /// `schema.name`, quoted where needed.
    pub relation: String,
    pub privilege: String,
    /// PUBLIC holds it: revoking it from the role alone changes nothing.
    pub via_public: bool,
}

/// Every privilege of the application roles on the relations of this database outside
/// the system schemas: these relations are what the roles can reach. Column grants
/// count (`has_any_column_privilege`); a `NOINHERIT` role is asked about its own grants
/// and PUBLIC's only, which is what it holds before a role switch.
pub(super) async fn grants(
    tx: &Transaction<'_>,
    scope: &Scope,
) -> Result<Vec<Grant>, tokio_postgres::Error> {
    let rows = tx
        .query_typed(
            "select r.name, c.oid, format('%I.%I', n.nspname, c.relname), p.name, \
                    case when p.name in ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES') \
                         then has_any_column_privilege('public', c.oid, p.name) \
                         else has_table_privilege('public', c.oid, p.name) end \
             from pg_class c join pg_namespace n on n.oid = c.relnamespace \
             cross join unnest($1::text[]) as r(name) \
             cross join unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', \
                                     'REFERENCES', 'TRIGGER']) as p(name) \
             where c.relkind in ('r', 'p', 'v', 'm', 'f') \
               and n.nspname not in ('pg_catalog', 'information_schema') \
               and n.nspname !~ '^pg_(toast|temp_|toast_temp_)' \
               and case when p.name in ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES') \
                        then has_any_column_privilege(r.name, c.oid, p.name) \
                        else has_table_privilege(r.name, c.oid, p.name) end \
             order by 3, 1, 4",
            &[(&scope.roles(), Type::TEXT_ARRAY)],
        )
        .await?;
    rows.iter()
        .map(|row| {
            Ok(Grant {
                role: row.try_get(0)?,
                oid: row.try_get(1)?,
                relation: row.try_get(2)?,
                privilege: row.try_get(3)?,
                via_public: row.try_get(4)?,
            })
        })
        .collect()
}

/// The login role holds nothing itself (one finding per relation); the switched-to
/// roles hold no `TRUNCATE`, `REFERENCES` or `TRIGGER` anywhere, no `DELETE` on the
/// tenant tables (deletes are soft) and no `UPDATE` on the audit trail.
pub(super) fn privilege_findings(grants: &[Grant], scope: &Scope) -> Vec<Finding> {
    let mut found: Vec<Finding> = Vec::new();
    for grant in grants {
        let from = if grant.via_public {
            "public"
        } else {
            grant.role.as_str()
        };
        let table = format!("table {}", grant.relation);
        if grant.role == scope.login {
            match found.last_mut() {
                Some(last) if last.kind == K::LoginPrivilege && last.object == table => {
                    last.message.push_str(&format!(", {}", grant.privilege));
                }
                _ => found.push(Finding::new(
                    K::LoginPrivilege,
                    table,
                    format!(
                        "the login role {} holds, without switching role: {}",
                        grant.role, grant.privilege
                    ),
                    format!("revoke all on {} from {from}", grant.relation),
                )),
            }
        } else if is_forbidden(scope, &grant.relation, &grant.privilege) {
            found.push(Finding::new(
                K::ForbiddenPrivilege,
                table,
                format!("role {} holds {}", grant.role, grant.privilege),
                format!(
                    "revoke {} on {} from {from}",
                    grant.privilege.to_lowercase(),
                    grant.relation
                ),
            ));
        }
    }
    found
}

/// `TRUNCATE` and `REFERENCES` are outside row level security and `TRIGGER` runs code as
/// whoever writes; deletes of tenants are soft and the audit trail is append-only.
fn is_forbidden(scope: &Scope, relation: &str, privilege: &str) -> bool {
    matches!(privilege, "TRUNCATE" | "REFERENCES" | "TRIGGER")
        || (privilege == "DELETE" && scope.is_tenant_table(relation))
        || (privilege == "UPDATE" && scope.is_audit_table(relation))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(role: &str, relation: &str, privilege: &str) -> Grant {
        Grant {
            role: role.into(),
            oid: 1,
            relation: relation.into(),
            privilege: privilege.into(),
            via_public: false,
        }
    }

    #[test]
    fn forbidden_privileges() {
        let scope = Scope::for_tests("mtdb_app");
        let grants = [
            grant("mtdb_tenant", "public.tenants", "SELECT"),
            grant("mtdb_tenant", "public.tenants", "UPDATE"),
            grant("mtdb_tenant", "public.tenants", "DELETE"),
            grant("mtdb_tenant", "public.ledger", "DELETE"),
            grant("mtdb_tenant", "public.ledger", "TRUNCATE"),
            grant("mtdb_platform_admin", "public.tenant_audit", "UPDATE"),
            grant("mtdb_platform_admin", "public.tenant_audit", "SELECT"),
        ];
        let found: Vec<(String, String)> = privilege_findings(&grants, &scope)
            .into_iter()
            .map(|f| (f.object, f.message))
            .collect();
        let expect = |t: &str, m: &str| (format!("table {t}"), m.to_owned());
        assert_eq!(
            found,
            vec![
                expect("public.tenants", "role mtdb_tenant holds DELETE"),
                expect("public.ledger", "role mtdb_tenant holds TRUNCATE"),
                expect(
                    "public.tenant_audit",
                    "role mtdb_platform_admin holds UPDATE"
                ),
            ]
        );
    }

    #[test]
    fn the_login_role_gets_one_finding_per_table() {
        let scope = Scope::for_tests("mtdb_app");
        let grants = [
            grant("mtdb_app", "public.ledger", "INSERT"),
            grant("mtdb_app", "public.ledger", "SELECT"),
        ];
        let found = privilege_findings(&grants, &scope);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "the login role mtdb_app holds, without switching role: INSERT, SELECT"
        );
        assert_eq!(found[0].fix, "revoke all on public.ledger from mtdb_app");
    }
}
