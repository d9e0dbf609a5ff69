//! The read replica's settings (docs/replicas.md): `MTDB_READ_DATABASE_URL`, a hot
//! standby of `DATABASE_URL`'s primary, and `MTDB_READ_MAX_LAG_MS`.

use std::time::Duration;

use mtdb_postgres::replica::DEFAULT_MAX_LAG;
use mtdb_postgres::ConnectionSettings;

use super::env::Env;
use super::error::{invalid, ConfigError};

/// Where `GET` and the list read when the standby keeps up. Its pool follows the
/// primary's size, reserve and timeout rules, with a fair gate of its own.
#[derive(Debug, Clone)]
pub struct ReadReplicaSettings {
    /// `MTDB_READ_DATABASE_URL`, parsed: the same login role on the standby, with its
    /// own TLS settings (`sslmode`, `sslrootcert`) as in `DATABASE_URL`.
    pub connection: ConnectionSettings,
    /// Reads go to the primary while the standby lags more (`MTDB_READ_MAX_LAG_MS`).
    pub max_lag: Duration,
}

/// The longest bound accepted: beyond ten minutes a stale read is more likely a typo
/// than a plan.
const MAX_LAG_MS: u64 = 600_000;

impl<F: Fn(&str) -> Option<String>> Env<F> {
    /// The standby to read from, when `MTDB_READ_DATABASE_URL` is set. `MTDB_READ_MAX_LAG_MS`
    /// is checked even without it, so that a typo is never silently ignored.
    ///
    /// # Errors
    /// A URL that is not a connection string or names another role than `primary`; a
    /// bound that is not a whole number of milliseconds from 1 to ten minutes.
    pub fn read_replica_settings(
        &self,
        primary: &ConnectionSettings,
    ) -> Result<Option<ReadReplicaSettings>, ConfigError> {
        const LAG: &str = "MTDB_READ_MAX_LAG_MS";
        const URL: &str = "MTDB_READ_DATABASE_URL";
        let default = u64::try_from(DEFAULT_MAX_LAG.as_millis()).unwrap_or(MAX_LAG_MS);
        let millis: u64 = self.parsed(LAG, default)?;
        if !(1..=MAX_LAG_MS).contains(&millis) {
            return Err(invalid(LAG, format!("must be between 1 and {MAX_LAG_MS}")));
        }
        let Some(connection) = self.connection(URL)? else {
            return Ok(None);
        };
        // A physical standby has the primary's roles; the start-up check of
        // DATABASE_URL's role then vouches for this one too, which it would not for
        // another role.
        if connection.user() != primary.user() {
            return Err(invalid(
                URL,
                "must name the same login role as DATABASE_URL",
            ));
        }
        Ok(Some(ReadReplicaSettings {
            connection,
            max_lag: Duration::from_millis(millis),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::tests::env;

    fn primary() -> ConnectionSettings {
        ConnectionSettings::parse("postgres://mtdb_app:pw@primary:5432/mtdb").unwrap()
    }

    #[test]
    fn no_url_no_replica_and_the_default_bound() {
        assert!(env(&[])
            .read_replica_settings(&primary())
            .unwrap()
            .is_none());
        let read = env(&[(
            "MTDB_READ_DATABASE_URL",
            "postgres://mtdb_app:pw@standby:5432/mtdb?sslmode=require",
        )])
        .read_replica_settings(&primary())
        .unwrap()
        .unwrap();
        assert_eq!(read.max_lag, Duration::from_millis(1000));
        assert_eq!(read.connection.user(), Some("mtdb_app"));
    }

    #[test]
    fn invalid_values_name_their_variable() {
        for (name, value) in [
            ("MTDB_READ_MAX_LAG_MS", "0"),
            ("MTDB_READ_MAX_LAG_MS", "600001"),
            ("MTDB_READ_MAX_LAG_MS", "1s"),
            ("MTDB_READ_DATABASE_URL", "postgres://x:y@h:notaport/db"),
            // Another role could bypass row level security unchecked.
            (
                "MTDB_READ_DATABASE_URL",
                "postgres://mtdb_owner:pw@standby/mtdb",
            ),
        ] {
            let err = env(&[(name, value)])
                .read_replica_settings(&primary())
                .unwrap_err();
            assert!(
                matches!(err, ConfigError::Invalid { name: n, .. } if n == name),
                "{name}={value}: {err}"
            );
            assert!(err.to_string().contains(name));
        }
    }
}
