//! What `mtdb check` and the start-up check report: one finding per misconfiguration,
//! naming the object at fault and the statement that fixes it.

use std::fmt;

/// The family of a finding; its `as_str` is the `kind` of `mtdb check --json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingKind {
    MissingRole,
    MissingTable,
    Superuser,
    BypassRls,
    CreateRole,
    CreateDb,
    Replication,
    Inherits,
    CanLogin,
    NotMember,
    ExtraMembership,
    Owns,
    RlsDisabled,
    RlsNotForced,
    MissingPolicy,
    PublicPolicy,
    LoginPrivilege,
    ForbiddenPrivilege,
    TempPrivilege,
    CreatePrivilege,
    UnpinnedSearchPath,
    ViewWithoutInvoker,
    UnprotectedRelation,
    ForbiddenDefault,
}

impl FindingKind {
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
