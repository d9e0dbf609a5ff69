//! One security-relevant fact of the catalog, in a form that compares across
//! installations: the role names that vary between them (the migration role, the login
//! role) are replaced by tokens.

use serde::{Deserialize, Serialize};

/// The token that stands for the role owning `public.tenants` (the migration role).
const OWNER: &str = "<owner>";
/// The token that stands for the login role (the checking session's user).
const LOGIN: &str = "<login>";

/// The kinds of fact, in the order the file lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum FactKind {
    /// A relation of the migrations: the policies, triggers and grants of relations
    /// that are not are left to the structural checks.
    Relation,
    Policy,
    Trigger,
    Rule,
    Function,
    Grant,
    DefaultPrivilege,
}

/// One security-relevant fact of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct Fact {
    pub kind: FactKind,
    /// The relation it belongs to (`schema.name`); for a default privilege, its schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// The policy, trigger, rule or column name, the function's signature, or the role whose
    /// default privileges these are.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// What it does: a policy's clauses, a trigger's or rule's `CREATE`, a function's
    /// security, owner, settings and body digest, a privilege.
    pub definition: String,
    /// A trigger's or rule's firing state: `enabled`, `disabled`, `replica` or `always`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Who it is for: who may execute a function, the grantee of a privilege.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
}

impl Fact {
    /// The object as findings name it: `policy p on public.t`, `column public.t.c`.
    pub fn object(&self) -> String {
        let table = self.table.as_deref().unwrap_or_default();
        match self.kind {
            FactKind::Relation => format!("relation {table}"),
            FactKind::Policy => format!("policy {} on {table}", self.name),
            FactKind::Trigger => format!("trigger {} on {table}", self.name),
            FactKind::Rule => format!("rule {} on {table}", self.name),
            FactKind::Function => format!("function {}", self.name),
            FactKind::Grant if self.name.is_empty() => format!("table {table}"),
            FactKind::Grant => format!("column {table}.{}", self.name),
            FactKind::DefaultPrivilege => match &self.table {
                Some(schema) => format!("default privileges of {} in schema {schema}", self.name),
                None => format!("default privileges of {}", self.name),
            },
        }
    }
}

/// The two role names that vary between installations.
#[derive(Debug, Clone)]
pub(crate) struct Names {
    pub owner: String,
    pub login: String,
}

impl Names {
    /// A role name as the facts hold it.
    pub fn token(&self, role: String) -> String {
        if role == self.owner {
            OWNER.to_owned()
        } else if role == self.login {
            LOGIN.to_owned()
        } else {
            role
        }
    }

    /// Text of the facts, with this installation's role names back in.
    pub fn show(&self, text: &str) -> String {
        text.replace(OWNER, &self.owner).replace(LOGIN, &self.login)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_become_tokens_and_back() {
        let names = Names {
            owner: "mtdb_owner".into(),
            login: "mtdb_app".into(),
        };
        assert_eq!(names.token("mtdb_owner".into()), "<owner>");
        assert_eq!(names.token("mtdb_app".into()), "<login>");
        assert_eq!(names.token("mtdb_tenant".into()), "mtdb_tenant");
        assert_eq!(names.show("to <owner>, <login>"), "to mtdb_owner, mtdb_app");
    }
}
