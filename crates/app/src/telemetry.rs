//! Logging: `RUST_LOG` filters (default `info`), `MTDB_LOG_FORMAT` picks `json` (the
//! default, one object per line) or `pretty`. Logs go to stderr so that commands such
//! as `mtdb token` keep stdout for their output.

use tracing_subscriber::{fmt, EnvFilter};

use crate::config::ConfigError;

pub fn init() -> Result<(), ConfigError> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let format = std::env::var("MTDB_LOG_FORMAT").unwrap_or_else(|_| "json".to_owned());
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let result = match format.trim() {
        "json" | "" => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .try_init(),
        "pretty" => builder.pretty().try_init(),
        other => {
            return Err(ConfigError::Invalid {
                name: "MTDB_LOG_FORMAT",
                reason: format!("{other:?} is neither \"json\" nor \"pretty\""),
            })
        }
    };
    // A subscriber set earlier (in tests) is fine: keep it.
    let _ = result;
    Ok(())
}
