//! The three application roles themselves: their attributes and their memberships.

use tokio_postgres::types::Type;
use tokio_postgres::Transaction;

use super::finding::{Finding, FindingKind as K};
use super::scope::Scope;
use mtdb_postgres::{ADMIN_ROLE, TENANT_ROLE};

/// Attributes that void row level security (superuser, `BYPASSRLS`), hand out any role
/// (`CREATEROLE`: `grant <owner> to self`), read every row outside it (`REPLICATION`) or
/// reach another database (`CREATEDB`). The switched-to roles are reachable by the login
/// role, so the same holds for them.
pub(super) async fn attributes(
    tx: &Transaction<'_>,
    scope: &Scope,
) -> Result<Vec<Finding>, tokio_postgres::Error> {
    let rows = tx
        .query_typed(
            "select w.name, r.rolname is not null, coalesce(r.rolsuper, false), \
                    coalesce(r.rolbypassrls, false), coalesce(r.rolcreaterole, false), \
                    coalesce(r.rolcreatedb, false), coalesce(r.rolreplication, false), \
                    coalesce(r.rolinherit, false), coalesce(r.rolcanlogin, false) \
             from unnest($1::text[]) with ordinality as w(name, n) \
             left join pg_roles r on r.rolname = w.name order by w.n",
            &[(&scope.roles(), Type::TEXT_ARRAY)],
        )
        .await?;
    let mut found = Vec::new();
    for row in rows {
        let name: String = row.try_get(0)?;
        let flags = if row.try_get(1)? {
            let mut flags = [false; 7];
            for (i, flag) in flags.iter_mut().enumerate() {
                *flag = row.try_get(i + 2)?;
            }
            Some(flags)
        } else {
            None
        };
        found.extend(judge(&name, name == scope.login, flags));
    }
    Ok(found)
}

/// The findings of one role from its `pg_roles` flags (`None`: no such role), in the
/// order superuser, bypassrls, createrole, createdb, replication, inherit, canlogin.
fn judge(name: &str, is_login: bool, flags: Option<[bool; 7]>) -> Vec<Finding> {
    let Some(flags) = flags else {
        return vec![Finding::new(
            K::MissingRole,
            format!("role {name}"),
            "does not exist",
            "run `mtdb migrate` with the owner's MTDB_ADMIN_DATABASE_URL",
        )];
    };
    let [superuser, bypass, create_role, create_db, replication, inherit, login] = flags;
    let checks = [
        (
            superuser,
            K::Superuser,
            "is a superuser: it bypasses every policy",
            "nosuperuser",
        ),
        (
            bypass,
            K::BypassRls,
            "has BYPASSRLS: it bypasses every policy",
            "nobypassrls",
        ),
        (
            create_role,
            K::CreateRole,
            "has CREATEROLE: it can grant itself any role",
            "nocreaterole",
        ),
        (create_db, K::CreateDb, "has CREATEDB", "nocreatedb"),
        (
            replication,
            K::Replication,
            "has REPLICATION: it can stream every row",
            "noreplication",
        ),
        (
            is_login && inherit,
            K::Inherits,
            "inherits its roles' privileges without switching role",
            "noinherit",
        ),
        (!is_login && login, K::CanLogin, "can log in", "nologin"),
    ];
    checks
        .into_iter()
        .filter(|(set, ..)| *set)
        .map(|(_, kind, message, attribute)| alter_role(kind, name, message, attribute))
        .collect()
}

fn alter_role(kind: K, name: &str, message: &str, attribute: &str) -> Finding {
    Finding::new(
        kind,
        format!("role {name}"),
        message,
        format!("alter role {name} {attribute} (as a superuser)"),
    )
}

/// The login role is a member of exactly the two switched-to roles, and they of
/// nothing, transitively: membership of the owner or of a superuser role is a `set role`
/// away from every table. Superusers are members of everything and are reported above.
pub(super) async fn memberships(
    tx: &Transaction<'_>,
    scope: &Scope,
) -> Result<Vec<Finding>, tokio_postgres::Error> {
    let rows = tx
        .query_typed(
            "select m.rolname::text, r.rolname::text, r.rolsuper \
             from pg_roles m join pg_roles r \
               on r.oid <> m.oid and pg_has_role(m.oid, r.oid, 'MEMBER') \
             where m.rolname = any($1) and not m.rolsuper order by 1, 2",
            &[(&scope.roles(), Type::TEXT_ARRAY)],
        )
        .await?;
    let mut found = Vec::new();
    for row in rows {
        let (member, role, superuser): (String, String, bool) =
            (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        if member == scope.login && (role == TENANT_ROLE || role == ADMIN_ROLE) {
            continue;
        }
        let what = if superuser {
            "the superuser role"
        } else {
            "role"
        };
        found.push(Finding::new(
            K::ExtraMembership,
            format!("role {member}"),
            format!("is a member of {what} {role}, directly or through another role"),
            format!("revoke {role} from {member} (or from the role {member} reaches it through)"),
        ));
    }
    for role in [TENANT_ROLE, ADMIN_ROLE] {
        // Asked of the server, not of `login_has`: a superuser is a member of everything.
        let member: bool = tx
            .query_typed_one(
                "select pg_has_role($1, $2, 'MEMBER')",
                &[(&scope.login, Type::NAME), (&role, Type::NAME)],
            )
            .await?
            .try_get(0)?;
        if !member {
            found.push(Finding::new(
                K::NotMember,
                format!("role {}", scope.login),
                format!("is not a member of {role}: every role switch would fail"),
                format!("grant {role} to {} (or run `mtdb migrate`)", scope.login),
            ));
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(name: &str, is_login: bool, flags: Option<[bool; 7]>) -> Vec<K> {
        judge(name, is_login, flags)
            .into_iter()
            .map(|f| f.kind)
            .collect()
    }

    // The tests' owner cannot hand out SUPERUSER, BYPASSRLS or REPLICATION: the database
    // tests reproduce the others, which the same catalog row carries.
    #[test]
    fn every_attribute_that_voids_isolation_is_a_finding() {
        assert_eq!(kinds("mtdb_app", true, Some([false; 7])), vec![]);
        assert_eq!(
            kinds("mtdb_app", true, Some([true; 7])),
            vec![
                K::Superuser,
                K::BypassRls,
                K::CreateRole,
                K::CreateDb,
                K::Replication,
                K::Inherits
            ]
        );
        assert_eq!(
            kinds(
                "mtdb_tenant",
                false,
                Some([true, true, false, false, true, true, true])
            ),
            vec![K::Superuser, K::BypassRls, K::Replication, K::CanLogin]
        );
        assert_eq!(kinds("mtdb_tenant", false, None), vec![K::MissingRole]);
        let superuser = judge(
            "mtdb_app",
            true,
            Some([true, false, false, false, false, false, true]),
        );
        assert_eq!(
            superuser[0].fix,
            "alter role mtdb_app nosuperuser (as a superuser)"
        );
    }
}
