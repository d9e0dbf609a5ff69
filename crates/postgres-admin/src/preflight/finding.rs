//! What `mtdb check` and the start-up check report: one finding per misconfiguration,
//! naming the object at fault and the statement that fixes it.

use std::fmt;

/// The family of a finding; its `as_str` is the `kind` of `mtdb check --json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingKind {
    /// One of the three application roles does not exist: migrations were not run.
    MissingRole,
    /// A table that holds tenant data ([`TENANT_TABLES`](crate::TENANT_TABLES)) does not
    /// exist: migrations were not run.
    MissingTable,
    /// An application role is a superuser, which bypasses every policy.
    Superuser,
    /// An application role has `BYPASSRLS`, which bypasses every policy.
    BypassRls,
    /// An application role has `CREATEROLE`, with which it can grant itself any role.
    CreateRole,
    /// An application role has `CREATEDB`, with which it can make a database outside these rules.
    CreateDb,
    /// An application role has `REPLICATION`, with which it can stream every row.
    Replication,
    /// An application role inherits its roles' privileges without switching role.
    Inherits,
    /// A switched-to role (`mtdb_tenant`, `mtdb_platform_admin`) can log in directly.
    CanLogin,
    /// The login role is not a member of a switched-to role: every switch would fail.
    NotMember,
    /// An application role is a member, directly or transitively, of a role other than
    /// the login role's two switched-to roles (the owner's membership is a `set role`
    /// away from every table).
    ExtraMembership,
    /// An application role owns an object, and an owner may disable row level security
    /// or drop policies on it.
    Owns,
    /// A table an application role can reach has row level security disabled.
    RlsDisabled,
    /// A table does not force row level security on its owner.
    RlsNotForced,
    /// A role holds privileges on a table but no policy is scoped to that role.
    MissingPolicy,
    /// A policy applies to `PUBLIC` instead of the role it serves.
    PublicPolicy,
    /// The login role holds privileges on a table itself, usable without switching
    /// role and so without the context the policies read.
    LoginPrivilege,
    /// A switched-to role holds (itself or through `PUBLIC`) a privilege it must not:
    /// `TRUNCATE`, `REFERENCES`, `TRIGGER`, `DELETE` on the tenant tables (deletes are
    /// soft) or `UPDATE` on the audit trail.
    ForbiddenPrivilege,
    /// `TEMPORARY` on the database is held by an application role or `PUBLIC`: a
    /// temporary table can shadow a table a function names.
    TempPrivilege,
    /// `CREATE` on the database or a schema is held by an application role or
    /// `PUBLIC`: an object created there would be owned by that role.
    CreatePrivilege,
    /// A `SECURITY DEFINER` function whose `search_path` does not put `pg_temp`
    /// last, so a caller's temporary table can shadow its tables.
    UnpinnedSearchPath,
    /// A view without `security_invoker`, which reads its tables with its owner's
    /// rights, past their row level security.
    ViewWithoutInvoker,
    /// A materialized view or foreign table, which row level security cannot cover.
    UnprotectedRelation,
    /// A database or role default for `role`, `session_authorization`,
    /// `row_security`, `search_path` or an `app.` setting, applied to every new session.
    ForbiddenDefault,
}

impl FindingKind {
    /// The stable snake-case name scripts read in `mtdb check --json`'s `kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MissingRole => "missing_role",
            Self::MissingTable => "missing_table",
            Self::Superuser => "superuser",
            Self::BypassRls => "bypass_rls",
            Self::CreateRole => "create_role",
            Self::CreateDb => "create_db",
            Self::Replication => "replication",
            Self::Inherits => "inherits",
            Self::CanLogin => "can_login",
            Self::NotMember => "not_member",
            Self::ExtraMembership => "extra_membership",
            Self::Owns => "owns",
            Self::RlsDisabled => "rls_disabled",
            Self::RlsNotForced => "rls_not_forced",
            Self::MissingPolicy => "missing_policy",
            Self::PublicPolicy => "public_policy",
            Self::LoginPrivilege => "login_privilege",
            Self::ForbiddenPrivilege => "forbidden_privilege",
            Self::TempPrivilege => "temp_privilege",
            Self::CreatePrivilege => "create_privilege",
            Self::UnpinnedSearchPath => "unpinned_search_path",
            Self::ViewWithoutInvoker => "view_without_invoker",
            Self::UnprotectedRelation => "unprotected_relation",
            Self::ForbiddenDefault => "forbidden_default",
        }
    }
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One misconfiguration that would void isolation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Which misconfiguration this is.
    pub kind: FindingKind,
    /// The object at fault, with its type: `role mtdb_app`, `table public.ledger`.
    pub object: String,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The statement (or step) that fixes it.
    pub fix: String,
}

impl Finding {
    pub(super) fn new(
        kind: FindingKind,
        object: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            object: object.into(),
            message: message.into(),
            fix: fix.into(),
        }
    }
}

/// One line: `kind object: message; fix: ...`.
impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}; fix: {}",
            self.kind, self.object, self.message, self.fix
        )
    }
}
