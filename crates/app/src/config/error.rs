//! What goes wrong with a setting.

/// A setting the environment lacks or holds in an unusable form; the message names the
/// variable and never its value when that value is a secret.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    /// The variable is unset, empty or only whitespace; it holds the variable's name.
    #[error("{0} is required but not set")]
    Missing(&'static str),
    /// The variable is set but cannot be used.
    #[error("{name} is invalid: {reason}")]
    Invalid {
        /// The environment variable's name.
        name: &'static str,
        /// Why its value was refused, e.g. "must be at least 1".
        reason: String,
    },
}

/// A setting refused: names the variable and why.
pub(super) fn invalid(name: &'static str, reason: impl std::fmt::Display) -> ConfigError {
    ConfigError::Invalid {
        name,
        reason: reason.to_string(),
    }
}
