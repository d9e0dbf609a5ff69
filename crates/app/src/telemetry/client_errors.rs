//! actix-http logs at `ERROR` every connection that ends on a stream error: a request it
//! cannot parse, a head too large, a client's socket reset. Any client can cause
//! them, as often as it likes, so at `ERROR` they would flood the log that operators
//! watch for the server's own failures. This layer drops those events and logs each again
//! at `DEBUG` under the target [`TARGET`] (`RUST_LOG=info,mtdb::http::client_error=debug`
//! shows them). Everything else passes untouched.

use std::fmt;

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};

/// Where the demoted events are logged again.
pub const TARGET: &str = "mtdb::http::client_error";

/// The module that logs a connection's end on a stream error, and the message's start.
/// A real fault of the server on that path (actix's "unexpected payload chunk") has an
/// `ERROR` line of its own just before, which stays.
const STREAM_ERRORS: (&str, &str) = ("actix_http::h1::dispatcher", "stream error: ");

/// The `tracing` layer that moves actix-http's client-caused stream errors from `ERROR`
/// to `DEBUG` under [`TARGET`], letting every other event through unchanged.
pub struct DemoteClientErrors;

impl<S: Subscriber> Layer<S> for DemoteClientErrors {
    fn event_enabled(&self, event: &Event<'_>, _: Context<'_, S>) -> bool {
        let meta = event.metadata();
        let (target, prefix) = STREAM_ERRORS;
        if *meta.level() != Level::ERROR || meta.target() != target {
            return true;
        }
        let mut message = Message(String::new());
        event.record(&mut message);
        if !message.0.starts_with(prefix) {
            return true;
        }
        // Logged again from here, before the original is dropped: a new event, which
        // this check lets through (its level is not `ERROR`).
        tracing::debug!(
            target: TARGET,
            error = %message.0,
            "a connection ended on the client's error"
        );
        false
    }
}

/// The `message` field of an event, as text.
struct Message(String);

impl Visit for Message {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            value.clone_into(&mut self.0);
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
}
