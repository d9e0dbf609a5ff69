//! Where settings come from, and the readers every setting goes through.

use mtdb_postgres::ConnectionSettings;

use super::error::{invalid, ConfigError};

/// Where settings come from: the process environment, or a map in tests.
pub struct Env<F>(pub F);

impl<F: Fn(&str) -> Option<String>> Env<F> {
    pub(super) fn optional(&self, name: &'static str) -> Option<String> {
        (self.0)(name).filter(|v| !v.trim().is_empty())
    }

    pub(super) fn required(&self, name: &'static str) -> Result<String, ConfigError> {
        self.optional(name).ok_or(ConfigError::Missing(name))
    }

    /// A connection string, parsed here once; the error names the variable, and the
    /// parser's message never holds the password.
    pub(super) fn connection(
        &self,
        name: &'static str,
    ) -> Result<Option<ConnectionSettings>, ConfigError> {
        self.optional(name)
            .map(|raw| {
                ConnectionSettings::parse(raw.trim())
                    .map_err(|e| invalid(name, format!("not a PostgreSQL connection string ({e})")))
            })
            .transpose()
    }

    pub(super) fn parsed<T>(&self, name: &'static str, default: T) -> Result<T, ConfigError>
    where
        T: std::str::FromStr,
        T::Err: std::fmt::Display,
    {
        match self.optional(name) {
            None => Ok(default),
            Some(raw) => raw.trim().parse().map_err(|e: T::Err| invalid(name, e)),
        }
    }
}

/// The process environment.
pub fn process_env() -> Env<impl Fn(&str) -> Option<String>> {
    Env(|name: &str| std::env::var(name).ok())
}
