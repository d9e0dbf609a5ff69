//! Whether an application role can create objects that shadow the schema's: a
//! temporary table (`TEMP` on the database; `pg_temp` is searched first unless named
//! last), a schema (`CREATE` on the database) or an object in an existing schema.

use tokio_postgres::types::Type;
use tokio_postgres::Transaction;

use super::finding::{Finding, FindingKind as K};
use super::scope::Scope;

pub(super) async fn creation(
    tx: &Transaction<'_>,
    scope: &Scope,
) -> Result<Vec<Finding>, tokio_postgres::Error> {
    let rows = tx
        .query_typed(
            "select 'database', quote_ident(current_database()), p.name, \
                    has_database_privilege('public', current_database(), p.name), \
                    array(select r.name from unnest($1::text[]) as r(name) \
                          where has_database_privilege(r.name, current_database(), p.name)) \
             from unnest(array['TEMPORARY', 'CREATE']) as p(name) \
             union all \
             select 'schema', quote_ident(n.nspname), 'CREATE', \
                    has_schema_privilege('public', n.oid, 'CREATE'), \
                    array(select r.name from unnest($1::text[]) as r(name) \
                          where has_schema_privilege(r.name, n.oid, 'CREATE')) \
             from pg_namespace n \
             where n.nspname !~ '^pg_' and n.nspname <> 'information_schema' \
             order by 1, 2, 3",
            &[(&scope.roles(), Type::TEXT_ARRAY)],
        )
        .await?;
    let mut found = Vec::new();
    for row in rows {
        let (class, name, privilege, public): (String, String, String, bool) = (
            row.try_get(0)?,
            row.try_get(1)?,
            row.try_get(2)?,
            row.try_get(3)?,
        );
        let holders: Vec<String> = row.try_get(4)?;
        let kind = if privilege == "TEMPORARY" {
            K::TempPrivilege
        } else {
            K::CreatePrivilege
        };
        let object = format!("{class} {name}");
        let revoke = format!("revoke {} on {class} {name} from", privilege.to_lowercase());
        if public {
            found.push(Finding::new(
                kind,
                &object,
                format!("PUBLIC holds {privilege}, so every application role does"),
                format!("{revoke} public"),
            ));
            continue;
        }
        for role in holders {
            found.push(Finding::new(
                kind,
                &object,
                format!("role {role} holds {privilege}"),
                format!("{revoke} {role}"),
            ));
        }
    }
    Ok(found)
}
