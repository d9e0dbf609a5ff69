//! The live catalog against what the migrations define ([`super::catalog`]): every
//! difference that widens access or switches a guard off is a finding.
//!
//! - a policy the migrations do not define, or one they define but altered (a changed
//!   expression, command or role list); a restrictive policy of theirs that is missing;
//! - a trigger or rule of theirs missing, disabled (or firing on replicas only) or
//!   altered, or one they do not define, on their tables;
//! - a function of theirs altered (owner, security, settings, body); a `SECURITY
//!   DEFINER` function that an application role or PUBLIC may execute which they do not
//!   define, or that more roles may execute than they grant;
//! - a table or column privilege of an application role or PUBLIC that they do not grant;
//! - a default privilege that gives an application role or PUBLIC anything.
//!
//! What only narrows access is not a finding: a grant revoked, a permissive policy
//! dropped, a restrictive policy added. Policies, triggers, rules and grants of relations
//! the migrations do not create (an operator's own tables) are left to the structural
//! checks.

use std::collections::{BTreeMap, BTreeSet};

use super::catalog::{Fact, FactKind as F, Names};
use super::finding::{Finding, FindingKind as K};

pub(super) fn findings(expected: &[Fact], actual: &[Fact], names: &Names) -> Vec<Finding> {
    let ours: BTreeSet<&str> = expected
        .iter()
        .filter(|f| f.kind == F::Relation)
        .filter_map(|f| f.table.as_deref())
        .collect();
    // Facts of relations the migrations do not create are not compared.
    let actual: Vec<&Fact> = actual
        .iter()
        .filter(|f| match f.kind {
            F::Policy | F::Trigger | F::Rule | F::Grant => {
                f.table.as_deref().is_some_and(|t| ours.contains(t))
            }
            _ => true,
        })
        .collect();
    let mut found = Vec::new();
    for (kind, judge) in [
        (F::Policy, policy as Judge),
        (F::Trigger, trigger),
        (F::Rule, rule),
        (F::Function, function),
    ] {
        let theirs = keyed(expected.iter().filter(|f| f.kind == kind));
        let live = keyed(actual.iter().copied().filter(|f| f.kind == kind));
        let keys: BTreeSet<&String> = theirs.keys().chain(live.keys()).collect();
        for key in keys {
            let (e, a) = (theirs.get(key).copied(), live.get(key).copied());
            if e != a {
                found.extend(judge(e, a));
            }
        }
    }
    let theirs: BTreeSet<&Fact> = expected.iter().collect();
    for fact in actual {
        if matches!(fact.kind, F::Grant | F::DefaultPrivilege) && !theirs.contains(fact) {
            found.push(privilege(fact));
        }
    }
    found
        .into_iter()
        .map(|f| {
            Finding::new(
                f.kind,
                names.show(&f.object),
                names.show(&f.message),
                names.show(&f.fix),
            )
        })
        .collect()
}

/// One difference between what the migrations define (`e`) and what is (`a`), never both
/// absent nor equal.
type Judge = fn(Option<&Fact>, Option<&Fact>) -> Option<Finding>;

fn keyed<'a>(facts: impl Iterator<Item = &'a Fact>) -> BTreeMap<String, &'a Fact> {
    facts.map(|f| (f.object(), f)).collect()
}

fn policy(e: Option<&Fact>, a: Option<&Fact>) -> Option<Finding> {
    let fact = a.or(e)?;
    let (name, table) = (&fact.name, fact.table.as_deref().unwrap_or_default());
    let recreate = |e: &Fact| format!("create policy {name} on {table} as {}", e.definition);
    let (message, fix) = match (e, a) {
        (None, Some(a)) if a.definition.starts_with("permissive") => (
            format!(
                "is not defined by the migrations and widens access: {}",
                a.definition
            ),
            format!("drop policy {name} on {table}"),
        ),
        (Some(e), None) if e.definition.starts_with("restrictive") => (
            "the migrations' restrictive policy is missing".to_owned(),
            recreate(e),
        ),
        (Some(e), Some(a)) => (
            format!(
                "differs from the migrations' definition: now {}",
                a.definition
            ),
            format!("drop policy {name} on {table}; {}", recreate(e)),
        ),
        _ => return None,
    };
    Some(Finding::new(K::PolicyDrift, fact.object(), message, fix))
}

fn trigger(e: Option<&Fact>, a: Option<&Fact>) -> Option<Finding> {
    fires(e, a, "trigger", K::TriggerDrift)
}

fn rule(e: Option<&Fact>, a: Option<&Fact>) -> Option<Finding> {
    fires(e, a, "rule", K::RuleDrift)
}

/// A trigger's or a rule's difference: both are created, dropped and enabled alike.
fn fires(e: Option<&Fact>, a: Option<&Fact>, what: &str, kind: K) -> Option<Finding> {
    let fact = a.or(e)?;
    let (name, table) = (&fact.name, fact.table.as_deref().unwrap_or_default());
    let (message, fix) = match (e, a) {
        (Some(e), None) => ("is missing".to_owned(), e.definition.clone()),
        (None, Some(a)) => (
            format!("is not defined by the migrations: {}", a.definition),
            format!("drop {what} {name} on {table}"),
        ),
        (Some(e), Some(a)) if e.definition == a.definition => {
            let enable = match e.state.as_deref() {
                Some("always") => "enable always",
                Some("replica") => "enable replica",
                _ => "enable",
            };
            (
                format!(
                    "{}; as the migrations define it, it {}",
                    firing(a.state.as_deref()),
                    firing(e.state.as_deref())
                ),
                format!("alter table {table} {enable} {what} {name}"),
            )
        }
        (Some(e), Some(a)) => (
            format!(
                "differs from the migrations' definition: now {}",
                a.definition
            ),
            format!("drop {what} {name} on {table}; {}", e.definition),
        ),
        (None, None) => return None,
    };
    Some(Finding::new(kind, fact.object(), message, fix))
}

/// What a trigger's or rule's state means.
fn firing(state: Option<&str>) -> &'static str {
    match state {
        Some("disabled") => "is disabled",
        Some("replica") => "fires only while session_replication_role is replica",
        Some("always") => "fires even while session_replication_role is replica",
        _ => "is enabled",
    }
}

fn function(e: Option<&Fact>, a: Option<&Fact>) -> Option<Finding> {
    let a = a?;
    let name = &a.name;
    let (message, fix) = match e {
        Some(e) if e.definition != a.definition => (
            format!(
                "differs from the migrations' definition: now {}",
                a.definition
            ),
            format!(
                "restore function {name} as the migrations define it: {}",
                e.definition
            ),
        ),
        Some(e) => {
            let extra: Vec<&str> = a
                .roles
                .iter()
                .filter(|r| !e.roles.contains(r))
                .map(String::as_str)
                .collect();
            if extra.is_empty() {
                return None;
            }
            let message = format!(
                "is SECURITY DEFINER and may be executed by {}, which the migrations do not grant",
                extra.join(", ")
            );
            let fix = format!(
                "revoke execute on function {name} from {}",
                revokees(&extra)
            );
            (message, fix)
        }
        None if a.roles.is_empty() => return None,
        None => (
            format!(
                "is SECURITY DEFINER, runs as {}, is not defined by the migrations, and may \
                 be executed by {}",
                owner(&a.definition),
                a.roles.join(", ")
            ),
            format!(
                "revoke execute on function {name} from {}",
                revokees(&a.roles.iter().map(String::as_str).collect::<Vec<_>>())
            ),
        ),
    };
    Some(Finding::new(K::FunctionDrift, a.object(), message, fix))
}

/// The owner a function's definition names (`security definer, owner x, ...`).
fn owner(definition: &str) -> &str {
    definition
        .split(", ")
        .find_map(|part| part.strip_prefix("owner "))
        .unwrap_or("its owner")
}

/// Whom to revoke from: PUBLIC's grant reaches every role, so it goes first.
fn revokees(roles: &[&str]) -> String {
    let mut roles: Vec<&str> = roles
        .iter()
        .copied()
        .filter(|r| *r != "<login>" || !roles.contains(&"public"))
        .collect();
    roles.sort_by_key(|r| *r != "public");
    roles.join(", ")
}

fn privilege(fact: &Fact) -> Finding {
    let grantee = fact.roles.join(", ");
    let table = fact.table.as_deref().unwrap_or_default();
    let (privilege, grant_option) = match fact.definition.split_once(" with grant option") {
        Some((p, rest)) => (format!("{p}{rest}"), "grant option for "),
        None => (fact.definition.clone(), ""),
    };
    let privilege = privilege.to_lowercase();
    let (kind, message, fix) = match fact.kind {
        F::DefaultPrivilege => {
            let (role, schema) = (&fact.name, fact.table.as_deref());
            let in_schema = schema
                .map(|s| format!(" in schema {s}"))
                .unwrap_or_default();
            (
                K::DefaultPrivilege,
                format!(
                    "give {grantee} {} that {role} creates from now on",
                    fact.definition
                ),
                format!(
                    "alter default privileges for role {role}{in_schema} revoke \
                     {grant_option}{privilege} from {grantee}"
                ),
            )
        }
        _ => {
            let column = match fact.name.as_str() {
                "" => String::new(),
                c => format!(" ({c})"),
            };
            (
                K::GrantDrift,
                format!(
                    "{grantee} holds {}, which the migrations do not grant",
                    fact.definition
                ),
                format!("revoke {grant_option}{privilege}{column} on {table} from {grantee}"),
            )
        }
    };
    Finding::new(kind, fact.object(), message, fix)
}
