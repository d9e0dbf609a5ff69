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
    ///
    /// Every name read from the store is parsed again, so the usual case is quick: an
    /// ASCII name is its own NFC form, and its only forbidden characters are the ASCII
    /// controls; a test holds the two paths to the same answers.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let trimmed = raw.trim();
        if trimmed.is_ascii() {
            ascii(trimmed)
        } else {
            checked(trimmed.nfc().collect())
        }
    }

    /// The name as stored: trimmed and in NFC.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// [`TenantName::parse`] of a trimmed ASCII string.
fn ascii(trimmed: &str) -> Result<TenantName, ValidationError> {
    if trimmed.is_empty() {
        return Err(blank());
    }
    if trimmed.len() > TENANT_NAME_MAX_CHARS {
        return Err(too_long(trimmed.len()));
    }
    match trimmed.chars().find(char::is_ascii_control) {
        Some(c) => Err(forbidden(c)),
        None => Ok(TenantName(trimmed.to_owned())),
    }
}

/// [`TenantName::parse`] of a trimmed string once in NFC.
fn checked(name: String) -> Result<TenantName, ValidationError> {
    if name.is_empty() {
        return Err(blank());
    }
    let chars = name.chars().count();
    if chars > TENANT_NAME_MAX_CHARS {
        return Err(too_long(chars));
    }
    match name.chars().find(|c| is_forbidden(*c)) {
        Some(c) => Err(forbidden(c)),
        None => Ok(TenantName(name)),
    }
}

fn blank() -> ValidationError {
    ValidationError::new("name", "must not be blank")
}

fn too_long(chars: usize) -> ValidationError {
    ValidationError::new(
        "name",
        format!("must be at most {TENANT_NAME_MAX_CHARS} characters, got {chars}"),
    )
}

fn forbidden(c: char) -> ValidationError {
    ValidationError::new(
        "name",
        format!(
            "must not contain control, format, private-use, unassigned or separator \
             characters, got U+{:04X}",
            u32::from(c)
        ),
    )
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
