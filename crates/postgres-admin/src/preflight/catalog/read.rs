//! The facts of the live catalog, from the rows of [`super::queries`].

use tokio_postgres::types::Type;
use tokio_postgres::{Row, Transaction};

use super::fact::{Fact, FactKind as F, Names};
use super::queries::{DEFAULT_PRIVILEGES, FUNCTIONS, GRANTS, POLICIES, RELATIONS, RULES, TRIGGERS};
use mtdb_postgres::{ADMIN_ROLE, TENANT_ROLE};

/// Every fact of the live catalog, role names as tokens.
pub(crate) async fn read(
    tx: &Transaction<'_>,
    names: &Names,
) -> Result<Vec<Fact>, tokio_postgres::Error> {
    let roles = vec![
        names.login.clone(),
        TENANT_ROLE.to_owned(),
        ADMIN_ROLE.to_owned(),
    ];
    let mut with_public = roles.clone();
    with_public.push("public".to_owned());
    let mut facts = Vec::new();
    for row in tx.query_typed(RELATIONS, &[]).await? {
        facts.push(relation(&row)?);
    }
    for row in tx.query_typed(POLICIES, &[]).await? {
        facts.push(policy(&row, names)?);
    }
    for row in tx.query_typed(TRIGGERS, &[]).await? {
        facts.push(trigger(&row, F::Trigger)?);
    }
    for row in tx.query_typed(RULES, &[]).await? {
        facts.push(trigger(&row, F::Rule)?);
    }
    let executors = [(
        &with_public as &(dyn tokio_postgres::types::ToSql + Sync),
        Type::TEXT_ARRAY,
    )];
    for row in tx.query_typed(FUNCTIONS, &executors).await? {
        facts.push(function(&row, names)?);
    }
    let grantees = [(
        &roles as &(dyn tokio_postgres::types::ToSql + Sync),
        Type::TEXT_ARRAY,
    )];
    for row in tx.query_typed(GRANTS, &grantees).await? {
        facts.push(grant(&row, names)?);
    }
    for row in tx.query_typed(DEFAULT_PRIVILEGES, &grantees).await? {
        facts.push(default_privilege(&row, names)?);
    }
    // The findings come out in this order, the same at every run.
    facts.sort();
    Ok(facts)
}

fn fact(kind: F, table: Option<String>, name: String, definition: String) -> Fact {
    Fact {
        kind,
        table,
        name,
        definition,
        state: None,
        roles: Vec::new(),
    }
}

fn relation(row: &Row) -> Result<Fact, tokio_postgres::Error> {
    let kind: String = row.try_get(1)?;
    let word = match kind.as_str() {
        "r" => "table",
        "p" => "partitioned table",
        "v" => "view",
        "m" => "materialized view",
        "f" => "foreign table",
        _ => "sequence",
    };
    Ok(fact(
        F::Relation,
        Some(row.try_get(0)?),
        String::new(),
        word.to_owned(),
    ))
}

fn policy(row: &Row, names: &Names) -> Result<Fact, tokio_postgres::Error> {
    let mode: String = row.try_get(2)?;
    let command: String = row.try_get(3)?;
    let mut roles: Vec<String> = row.try_get::<_, Vec<String>>(4)?;
    roles = roles.into_iter().map(|r| names.token(r)).collect();
    roles.sort();
    let mut definition = format!("{mode} for {command} to {}", roles.join(", "));
    if let Some(using) = row.try_get::<_, Option<String>>(5)? {
        definition.push_str(&format!(" using ({using})"));
    }
    if let Some(check) = row.try_get::<_, Option<String>>(6)? {
        definition.push_str(&format!(" with check ({check})"));
    }
    Ok(fact(
        F::Policy,
        Some(row.try_get(0)?),
        row.try_get(1)?,
        definition,
    ))
}

/// A trigger or a rule: its definition and when it fires (`pg_trigger.tgenabled` and
/// `pg_rewrite.ev_enabled` share their codes).
fn trigger(row: &Row, kind: F) -> Result<Fact, tokio_postgres::Error> {
    let enabled: String = row.try_get(2)?;
    let state = match enabled.as_str() {
        "O" => "enabled",
        "D" => "disabled",
        "R" => "replica",
        _ => "always",
    };
    let mut trigger = fact(
        kind,
        Some(row.try_get(0)?),
        row.try_get(1)?,
        row.try_get(3)?,
    );
    trigger.state = Some(state.to_owned());
    Ok(trigger)
}

fn function(row: &Row, names: &Names) -> Result<Fact, tokio_postgres::Error> {
    let definer: bool = row.try_get(1)?;
    let owner = names.token(row.try_get(2)?);
    let config: String = row.try_get(3)?;
    let digest: String = row.try_get(4)?;
    let security = if definer { "definer" } else { "invoker" };
    // A leakproof function may run before the policies filter the rows: what it raises
    // or logs about a row it was shown is out of their reach.
    let leakproof: bool = row.try_get(6)?;
    let leak = if leakproof { ", leakproof" } else { "" };
    let mut function = fact(
        F::Function,
        None,
        row.try_get(0)?,
        format!("security {security}{leak}, owner {owner}, set {{{config}}}, body md5 {digest}"),
    );
    if definer {
        let executors: Vec<String> = row.try_get(5)?;
        function.roles = executors.into_iter().map(|r| names.token(r)).collect();
    }
    Ok(function)
}

fn privilege(privilege: String, grantable: bool) -> String {
    if grantable {
        format!("{privilege} with grant option")
    } else {
        privilege
    }
}

fn grant(row: &Row, names: &Names) -> Result<Fact, tokio_postgres::Error> {
    let mut grant = fact(
        F::Grant,
        Some(row.try_get(0)?),
        row.try_get(1)?,
        privilege(row.try_get(2)?, row.try_get(3)?),
    );
    grant.roles = vec![names.token(row.try_get(4)?)];
    Ok(grant)
}

fn default_privilege(row: &Row, names: &Names) -> Result<Fact, tokio_postgres::Error> {
    let objects: String = row.try_get(2)?;
    let mut default = fact(
        F::DefaultPrivilege,
        row.try_get(1)?,
        names.token(row.try_get(0)?),
        format!(
            "{} on {objects}",
            privilege(row.try_get(3)?, row.try_get(4)?)
        ),
    );
    default.roles = vec![names.token(row.try_get(5)?)];
    Ok(default)
}
