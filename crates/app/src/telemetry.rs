//! Logging: `RUST_LOG` filters (default `info`), `MTDB_LOG_FORMAT` picks `json` (the
//! default, one object per line) or `pretty`. Logs go to stderr so that commands such
//! as `mtdb token` keep stdout for their output. Errors a client causes in the HTTP/1
//! codec are logged at `DEBUG`, not `ERROR` ([`client_errors`]). `pretty` is coloured
//! only when stderr is a terminal: a log redirected to a file or a pipe gets no escape
//! codes.
//!
//! Each line is written with one `write` to a copy of the stderr descriptor, not through
//! `std::io::stderr()`, whose lock the server's event loops would queue on (a sleeping
//! thread and a wake-up each time two of them log at once). The kernel keeps each
//! `write` whole on a terminal or a file, and on a pipe up to 4 KiB.

pub mod client_errors;

use std::fs::File;
use std::io::IsTerminal;
use std::os::fd::AsFd;
use std::sync::Arc;

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter};

use crate::config::ConfigError;

/// Installs the global log subscriber once per process; later calls (tests) keep the
/// first one.
///
/// # Errors
/// [`ConfigError::Invalid`] when `MTDB_LOG_FORMAT` is neither `json` nor `pretty`.
pub fn init() -> Result<(), ConfigError> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let format = std::env::var("MTDB_LOG_FORMAT").unwrap_or_else(|_| "json".to_owned());
    let stderr = stderr_file();
    let (json, pretty) = match format.trim() {
        "json" | "" => (
            Some(
                fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(false)
                    .with_writer(stderr),
            ),
            None,
        ),
        "pretty" => (
            None,
            Some(
                fmt::layer()
                    .pretty()
                    .with_ansi(std::io::stderr().is_terminal())
                    .with_writer(stderr),
            ),
        ),
        other => {
            return Err(ConfigError::Invalid {
                name: "MTDB_LOG_FORMAT",
                reason: format!("{other:?} is neither \"json\" nor \"pretty\""),
            })
        }
    };
    let result = tracing_subscriber::registry()
        .with(filter)
        .with(client_errors::DemoteClientErrors)
        .with(json)
        .with(pretty)
        .try_init();
    // A subscriber set earlier (in tests) is fine: keep it.
    let _ = result;
    Ok(())
}

/// The stderr descriptor, duplicated, to write to without `std`'s lock; `std`'s own
/// handle if it cannot be duplicated (no descriptor left).
fn stderr_file() -> fmt::writer::BoxMakeWriter {
    match std::io::stderr().as_fd().try_clone_to_owned() {
        Ok(fd) => fmt::writer::BoxMakeWriter::new(Arc::new(File::from(fd))),
        Err(_) => fmt::writer::BoxMakeWriter::new(std::io::stderr),
    }
}
