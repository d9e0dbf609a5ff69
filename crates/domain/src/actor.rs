use std::fmt;

use crate::{TenantId, ValidationError};

/// Who a request acts as. There is no third kind: a token that names neither a tenant
/// nor the platform admin never becomes a principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal {
    /// The operator who onboards organizations; sees and changes every live tenant.
    PlatformAdmin,
    /// Acting as this tenant: sees it and, for a parent, its live subsidiaries.
    Tenant(TenantId),
}

impl Principal {
    /// The tenant this principal acts as, if any.
    pub fn tenant_id(&self) -> Option<TenantId> {
        match self {
            Self::PlatformAdmin => None,
            Self::Tenant(id) => Some(*id),
        }
    }
}

impl fmt::Display for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PlatformAdmin => f.write_str("platform_admin"),
            Self::Tenant(id) => write!(f, "tenant:{id}"),
        }
    }
}

/// The authenticated subject (the token's `sub`): never empty. Recorded in the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject(String);

impl Subject {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        if raw.trim().is_empty() || raw.chars().any(char::is_control) {
            return Err(ValidationError::new("sub", "must be a non-empty string"));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A principal together with the subject that authenticated as it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub principal: Principal,
    pub subject: Subject,
}

impl Actor {
    pub fn new(principal: Principal, subject: Subject) -> Self {
        Self { principal, subject }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_must_not_be_blank() {
        assert!(Subject::parse("").is_err());
        assert!(Subject::parse("  ").is_err());
        assert_eq!(Subject::parse("alice").unwrap().as_str(), "alice");
    }

    #[test]
    fn principals_display_as_audited() {
        let id: TenantId = "00000000-0000-4000-8000-000000000001".parse().unwrap();
        assert_eq!(Principal::PlatformAdmin.to_string(), "platform_admin");
        assert_eq!(
            Principal::Tenant(id).to_string(),
            "tenant:00000000-0000-4000-8000-000000000001"
        );
    }
}
