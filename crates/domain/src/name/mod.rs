use std::fmt;

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

use crate::validation::ValidationError;

/// Most characters (Unicode scalar values) a tenant name may hold after trimming and NFC.
pub const TENANT_NAME_MAX_CHARS: usize = 200;

/// A tenant name that is known to be valid: trimmed of Unicode white space, in NFC, 1 to
/// 200 characters, and free of the characters that make names look alike or read
/// differently than they are (docs/api.md, "Names"). Holding one is proof; there is no
/// other way to build it than [`parse`].
///
/// Uniqueness ("Straße" = "STRASSE") is the store's to enforce, among live siblings.
///
/// [`parse`]: TenantName::parse
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantName(String);

impl TenantName {
    /// Trims, normalizes to NFC, then checks length and characters, in that order: what
    /// is stored and returned is the NFC form.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let name: String = raw.trim().nfc().collect();
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
        if let Some(c) = name.chars().find(|c| is_forbidden(*c)) {
            return Err(ValidationError::new(
                "name",
                format!(
                    "must not contain control, format, private-use, unassigned or separator \
                     characters, got U+{:04X}",
                    u32::from(c)
                ),
            ));
        }
        Ok(Self(name))
    }

    /// The name as stored: trimmed and in NFC.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Categories Cc, Cf, Cs, Co, Cn, Zl and Zp: controls, invisible format characters (zero-
/// width spaces, bidirectional overrides, byte-order marks), surrogates (never in a Rust
/// string, listed for completeness), private use, unassigned code points, and line and
/// paragraph separators.
fn is_forbidden(c: char) -> bool {
    is_invisible_or_control(c)
        || matches!(
            c.general_category(),
            GeneralCategory::Surrogate | GeneralCategory::PrivateUse | GeneralCategory::Unassigned
        )
}

/// Categories Cc, Cf, Zl and Zp: the characters that let a recorded string read other than
/// it is (a bidirectional override, a zero-width space, a line break in a log line). Shared
/// by tenant names and token subjects (docs/api.md).
pub(crate) fn is_invisible_or_control(c: char) -> bool {
    matches!(
        c.general_category(),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::LineSeparator
            | GeneralCategory::ParagraphSeparator
    )
}

impl fmt::Display for TenantName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests;
