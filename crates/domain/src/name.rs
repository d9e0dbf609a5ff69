use std::fmt;

use crate::ValidationError;

/// Most characters (Unicode scalar values) a tenant name may hold after trimming.
pub const TENANT_NAME_MAX_CHARS: usize = 200;

/// A tenant name that is known to be valid: trimmed, 1 to 200 characters, no control
/// characters. Holding one is proof; there is no other way to build it than [`parse`].
///
/// [`parse`]: TenantName::parse
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantName(String);

impl TenantName {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(ValidationError::new("name", "must not be blank"));
        }
        let chars = name.chars().count();
        if chars > TENANT_NAME_MAX_CHARS {
            return Err(ValidationError::new(
                "name",
                format!("must be at most {TENANT_NAME_MAX_CHARS} characters, got {chars}"),
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(ValidationError::new(
                "name",
                "must not contain control characters",
            ));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TenantName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_surrounding_white_space_first() {
        assert_eq!(TenantName::parse("  HSBC \n").unwrap().as_str(), "HSBC");
    }

    #[test]
    fn accepts_unicode_and_the_longest_name() {
        assert!(TenantName::parse("汇丰银行").is_ok());
        let longest = "é".repeat(TENANT_NAME_MAX_CHARS);
        assert_eq!(TenantName::parse(&longest).unwrap().as_str(), longest);
    }

    #[test]
    fn rejects_blank_too_long_and_control_characters() {
        for bad in [
            String::new(),
            "   ".to_owned(),
            "\t\n".to_owned(),
            "x".repeat(TENANT_NAME_MAX_CHARS + 1),
            "HSBC\u{0}Bank".to_owned(),
            "HSBC\u{7}".to_owned(),
            "a\u{85}b".to_owned(),
            "line\nbreak".to_owned(),
        ] {
            let err = TenantName::parse(&bad).unwrap_err();
            assert_eq!(err.field, "name", "{bad:?}");
        }
    }

    #[test]
    fn length_is_counted_after_trimming() {
        let padded = format!("  {}  ", "x".repeat(TENANT_NAME_MAX_CHARS));
        assert!(TenantName::parse(&padded).is_ok());
    }
}
