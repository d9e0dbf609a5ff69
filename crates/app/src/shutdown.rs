//! Stopping `mtdb serve` (docs/architecture.md, "Stopping"). `SIGTERM` and `SIGINT`
//! drain: no new connection is accepted, idle ones are closed, and requests in flight
//! are answered; then the process exits 0. A drain still running after the grace period
//! (`MTDB_SHUTDOWN_GRACE_MS`) is cut: the log says how many requests were, and the exit
//! is non-zero. `SIGQUIT` cuts at once, the same way (a drain too). `SIGHUP` is logged
//! and ignored: mtdb reads its settings only at start, so there is nothing to reload.

use std::future::Future;
use std::io;
use std::time::Duration;

use mtdb_http::{InFlight, ServerHandle};
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::mpsc;

use crate::error::AppError;

/// A request to stop, and the signal that made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Answer the requests in flight first, within the grace period.
    Drain(&'static str),
    /// Cut the requests in flight now.
    Now(&'static str),
}

/// The stop requests of the process's signals, in the order they arrive.
pub type Stops = mpsc::UnboundedReceiver<Stop>;

/// Takes `SIGTERM`, `SIGINT`, `SIGQUIT` and `SIGHUP` from their default actions (which
/// kill the process) and turns them into [`Stop`] requests; `SIGHUP` is only logged.
/// Installed before the server says it listens, so that no signal finds it unprepared.
///
/// # Errors
/// When a handler cannot be installed.
pub fn install_signal_handlers() -> io::Result<Stops> {
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    let mut quit = signal(SignalKind::quit())?;
    let mut hup = signal(SignalKind::hangup())?;
    let (sender, stops) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let stop = tokio::select! {
                Some(()) = term.recv() => Stop::Drain("SIGTERM"),
                Some(()) = int.recv() => Stop::Drain("SIGINT"),
                Some(()) = quit.recv() => Stop::Now("SIGQUIT"),
                Some(()) = hup.recv() => {
                    tracing::info!(
                        signal = "SIGHUP",
                        "SIGHUP received and ignored: settings are read only at start"
                    );
                    continue;
                }
                else => return,
            };
            if sender.send(stop).is_err() {
                return;
            }
        }
    });
    Ok(stops)
}

/// The running servers: the API, whose requests are counted, and the others (metrics).
pub struct Servers<F> {
    /// Every server, awaited together: resolves when all have stopped.
    pub serving: F,
    /// One handle per server, each told to drain when a stop asks for it.
    pub handles: Vec<ServerHandle>,
    /// The API's requests in flight: how many a cut would cut, and how many it did.
    pub in_flight: InFlight,
}

/// Serves until a stop request, then stops as it asks (see the module).
///
/// # Errors
/// When a server fails, or when requests in flight were cut ([`AppError::Cut`]).
pub async fn serve_until_stopped<F>(
    servers: Servers<F>,
    mut stops: Stops,
    grace: Duration,
) -> Result<(), AppError>
where
    F: Future<Output = io::Result<()>>,
{
    let Servers {
        serving,
        handles,
        in_flight,
    } = servers;
    // Boxed, so that it can be dropped (and the servers with it) before returning.
    let mut serving = Box::pin(serving);
    let first = tokio::select! {
        result = &mut serving => return result.map_err(AppError::io("serving the API")),
        Some(stop) = stops.recv() => stop,
    };
    let cut_by = match first {
        Stop::Now(by) => by,
        Stop::Drain(by) => {
            tracing::info!(
                signal = by,
                in_flight = in_flight.count(),
                grace_ms = grace.as_millis(),
                "{by} received; draining requests in flight"
            );
            for handle in &handles {
                // The command is sent at once; `serving` carries the stop out.
                drop(handle.stop(true));
            }
            let deadline = tokio::time::sleep(grace);
            tokio::pin!(deadline);
            loop {
                tokio::select! {
                    result = &mut serving => {
                        result.map_err(AppError::io("serving the API"))?;
                        tracing::info!("every request in flight was answered; stopped");
                        return Ok(());
                    }
                    () = &mut deadline => break "the grace period",
                    Some(stop) = stops.recv() => match stop {
                        Stop::Now(by) => break by,
                        Stop::Drain(by) => {
                            tracing::info!(signal = by, "{by} received; already draining");
                        }
                    },
                }
            }
        }
    };
    let cut = in_flight.count();
    tracing::error!(
        cut,
        by = cut_by,
        "stopping at once ({cut_by}): cut {cut} requests in flight"
    );
    // Dropping the servers closes their connections, answered or not.
    drop(serving);
    Err(AppError::Cut { cut, by: cut_by })
}

#[cfg(test)]
mod tests;
