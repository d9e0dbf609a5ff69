//! Where settings come from, and the readers every setting goes through.

use std::ops::RangeInclusive;
use std::time::Duration;

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

impl<F: Fn(&str) -> Option<String>> Env<F> {
    /// A whole number within `range`, `default` when unset; out of it, an error that names
    /// the range.
    pub(super) fn within(
        &self,
        name: &'static str,
        default: u64,
        range: RangeInclusive<u64>,
    ) -> Result<u64, ConfigError> {
        let value: u64 = self.parsed(name, default)?;
        if !range.contains(&value) {
            let (low, high) = range.into_inner();
            return Err(invalid(name, format!("must be between {low} and {high}")));
        }
        Ok(value)
    }

    /// A whole number of milliseconds from 1 to `max_ms`, `default` when unset.
    pub(super) fn millis(
        &self,
        name: &'static str,
        default: Duration,
        max_ms: u64,
    ) -> Result<Duration, ConfigError> {
        let default = u64::try_from(default.as_millis()).unwrap_or(max_ms);
        self.within(name, default, 1..=max_ms)
            .map(Duration::from_millis)
    }
}

/// The process environment.
pub fn process_env() -> Env<impl Fn(&str) -> Option<String>> {
    Env(|name: &str| std::env::var(name).ok())
}
