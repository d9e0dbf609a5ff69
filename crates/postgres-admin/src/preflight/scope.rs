//! Who and where `mtdb check` looks: the login role, the owner, the tables of tenant data.

use mtdb_postgres::{ADMIN_ROLE, TENANT_ROLE};

/// The tables that hold tenant data, in the schema the migrations create them in.
pub const TENANT_TABLES: [&str; 2] = ["public.tenants", "public.tenant_audit"];

/// Who and where is checked.
pub(crate) struct Scope {
    /// The login role: the session user of the checking connection.
    pub(super) login: String,
    /// The owner of the database, named in fixes.
    pub(super) owner: String,
}

impl Scope {
    pub(super) fn roles(&self) -> Vec<String> {
        vec![
            self.login.clone(),
            TENANT_ROLE.to_owned(),
            ADMIN_ROLE.to_owned(),
        ]
    }

    pub(super) fn tenant_tables(&self) -> Vec<&'static str> {
        TENANT_TABLES.to_vec()
    }

    pub(super) fn is_tenant_table(&self, relation: &str) -> bool {
        TENANT_TABLES.contains(&relation)
    }

    pub(super) fn is_audit_table(&self, relation: &str) -> bool {
        relation == TENANT_TABLES[1]
    }

    #[cfg(test)]
    pub(super) fn for_tests(login: &str) -> Self {
        Self {
            login: login.to_owned(),
            owner: "mtdb_owner".to_owned(),
        }
    }
}
