use std::fmt;

/// The version of a tenant row; every change bumps it. Rendered as a strong HTTP `ETag`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version(i64);

impl Version {
    /// A version as stored.
    pub const fn new(value: i64) -> Self {
        Self(value)
    }

    /// The number, as the `ETag` shows it.
    pub const fn get(&self) -> i64 {
        self.0
    }

    /// The version whose entity tag is exactly `opaque` (the text between an ETag's
    /// quotes), if any. Tags are opaque strings compared character for character (RFC 9110
    /// section 8.8.3.2), and a version's tag is its decimal [`Display`](fmt::Display): so
    /// `"4"` names version 4, and `"04"`, `"+4"`, `"4 "` name no version at all.
    pub fn from_opaque_tag(opaque: &str) -> Option<Self> {
        let version = opaque.parse::<i64>().ok().map(Self)?;
        (version.to_string() == opaque).then_some(version)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A condition on a tenant's version: on a write, HTTP `If-Match`; on a read, the set of
/// versions an `If-None-Match` names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Precondition {
    /// No condition: the write proceeds.
    #[default]
    None,
    /// `If-Match: *`: the tenant must exist (be visible), in any version.
    AnyVersion,
    /// The current version must be one of these. An empty list never matches.
    OneOf(Vec<Version>),
}

impl Precondition {
    /// Whether a write against a row at `current` may proceed.
    pub fn allows(&self, current: Version) -> bool {
        matches!(self, Self::None) || self.names(current)
    }

    /// Whether the condition names `current`: `*`, or a list holding it. No condition names
    /// nothing, so a read with no `If-None-Match` is never "not modified".
    pub fn names(&self, current: Version) -> bool {
        match self {
            Self::None => false,
            Self::AnyVersion => true,
            Self::OneOf(versions) => versions.contains(&current),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_only_listed_versions() {
        let v = Version::new;
        assert!(Precondition::None.allows(v(3)));
        assert!(Precondition::AnyVersion.allows(v(3)));
        assert!(Precondition::OneOf(vec![v(2), v(3)]).allows(v(3)));
        assert!(!Precondition::OneOf(vec![v(2)]).allows(v(3)));
        assert!(!Precondition::OneOf(vec![]).allows(v(3)));
    }

    #[test]
    fn names_is_allows_without_the_unconditional_case() {
        let v = Version::new;
        assert!(!Precondition::None.names(v(3)));
        assert!(Precondition::AnyVersion.names(v(3)));
        assert!(Precondition::OneOf(vec![v(3)]).names(v(3)));
        assert!(!Precondition::OneOf(vec![v(4)]).names(v(3)));
    }

    #[test]
    fn an_opaque_tag_names_a_version_only_when_it_is_that_version_exactly() {
        assert_eq!(Version::from_opaque_tag("4"), Some(Version::new(4)));
        assert_eq!(Version::from_opaque_tag("0"), Some(Version::new(0)));
        for other in [
            "04",
            "+4",
            "4 ",
            " 4",
            "4.0",
            "",
            "-0",
            "00",
            "99999999999999999999",
        ] {
            assert_eq!(Version::from_opaque_tag(other), None, "{other:?}");
        }
    }
}
