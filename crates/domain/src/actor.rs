use std::fmt;

use crate::name::is_invisible_or_control;
use crate::tenant_id::TenantId;
use crate::validation::ValidationError;

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

/// Most characters (Unicode scalar values) a token's `sub` may hold.
pub const SUBJECT_MAX_CHARS: usize = 255;

/// The authenticated subject (the token's `sub`), recorded in the audit trail as it came:
/// 1 to 255 characters, none of them a control, format, line- or paragraph-separator
/// character (Unicode Cc, Cf, Zl, Zp), so that no subject can hide, reorder or break what a
/// reader of the trail sees (docs/security.md, "Who the audit names").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject(String);

impl Subject {
    /// Checks length, then characters. Nothing is trimmed or normalized: the subject is the
    /// issuer's, and is recorded exactly or refused.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        if raw.trim().is_empty() {
            return Err(ValidationError::new("sub", "must not be blank"));
        }
        let chars = raw.chars().count();
        if chars > SUBJECT_MAX_CHARS {
            return Err(ValidationError::new(
                "sub",
                format!("must be at most {SUBJECT_MAX_CHARS} characters, got {chars}"),
            ));
        }
        if let Some(c) = raw.chars().find(|c| is_invisible_or_control(*c)) {
            return Err(ValidationError::new(
                "sub",
                format!(
                    "must not contain control, format or separator characters, got U+{:04X}",
                    u32::from(c)
                ),
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The subject exactly as the token carried it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A principal together with the subject that authenticated as it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Who the request acts as: this decides what it may see and do.
    pub principal: Principal,
    /// The token's `sub`, recorded in the audit trail.
    pub subject: Subject,
}

impl Actor {
    /// Pairs a principal with its subject.
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
    fn subject_is_at_most_255_characters_counted_as_characters() {
        let at_limit = "é".repeat(SUBJECT_MAX_CHARS);
        assert_eq!(Subject::parse(&at_limit).unwrap().as_str(), at_limit);
        assert!(Subject::parse(&"a".repeat(SUBJECT_MAX_CHARS + 1)).is_err());
        assert!(Subject::parse(&"a".repeat(100_000)).is_err());
    }

    #[test]
    fn subject_refuses_invisible_and_control_characters() {
        // Cf (bidi override, zero-width space, BOM), Zl, Zp, Cc.
        for c in [
            '\u{202E}', '\u{200B}', '\u{FEFF}', '\u{2028}', '\u{2029}', '\n', '\0',
        ] {
            let raw = format!("alice{c}gnp.exe");
            let err = Subject::parse(&raw).unwrap_err();
            assert_eq!(err.field, "sub", "{raw:?}");
            assert!(
                err.message.contains(&format!("U+{:04X}", u32::from(c))),
                "{err:?}"
            );
        }
    }

    #[test]
    fn subject_keeps_other_unicode_and_inner_spaces_as_sent() {
        for raw in ["汇丰 ops", "user@example.com", "mtdb seed", " alice "] {
            assert_eq!(Subject::parse(raw).unwrap().as_str(), raw);
        }
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
