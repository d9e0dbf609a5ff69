use std::fmt;

/// The version of a tenant row; every change bumps it. Rendered as a strong HTTP `ETag`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version(i64);

impl Version {
    pub const fn new(value: i64) -> Self {
        Self(value)
    }

    pub const fn get(&self) -> i64 {
        self.0
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// An optimistic-concurrency condition on a write (HTTP `If-Match`).
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
        match self {
            Self::None | Self::AnyVersion => true,
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
}
