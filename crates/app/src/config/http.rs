//! The HTTP layer's time limits, each a whole number of milliseconds: how long a request
//! body may take to arrive, how long a response may wait for its client to take a byte,
//! and how long a streamed list may take in all (docs/operations.md, "Configuration").
use mtdb_http::HttpSettings;

use super::{invalid, ConfigError, Env};

/// Up to ten minutes: longer would let slow clients hold connections for good.
const MAX_MS: u64 = 600_000;

impl<F: Fn(&str) -> Option<String>> Env<F> {
    /// `MTDB_HTTP_BODY_TIMEOUT_MS`, `MTDB_HTTP_WRITE_TIMEOUT_MS` and
    /// `MTDB_HTTP_RESPONSE_TIMEOUT_MS`.
    ///
    /// # Errors
    /// A value that is not a number from 1 to ten minutes, or a response deadline shorter
    /// than the write timeout (the write timeout could then never be what cuts a stall).
    pub fn http_settings(&self) -> Result<HttpSettings, ConfigError> {
        let settings = HttpSettings {
            body_timeout: self.millis(
                "MTDB_HTTP_BODY_TIMEOUT_MS",
                HttpSettings::DEFAULT_BODY_TIMEOUT,
                MAX_MS,
            )?,
            write_timeout: self.millis(
                "MTDB_HTTP_WRITE_TIMEOUT_MS",
                HttpSettings::DEFAULT_WRITE_TIMEOUT,
                MAX_MS,
            )?,
            response_timeout: self.millis(
                "MTDB_HTTP_RESPONSE_TIMEOUT_MS",
                HttpSettings::DEFAULT_RESPONSE_TIMEOUT,
                MAX_MS,
            )?,
        };
        if settings.response_timeout < settings.write_timeout {
            return Err(invalid(
                "MTDB_HTTP_RESPONSE_TIMEOUT_MS",
                "must be at least MTDB_HTTP_WRITE_TIMEOUT_MS",
            ));
        }
        Ok(settings)
    }
}
