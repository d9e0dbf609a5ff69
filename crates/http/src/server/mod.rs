//! The API's HTTP server, assembled from actix's parts as `actix_web::HttpServer` is,
//! with limits of its own: a request that declares a body over 256 KiB is refused
//! before `100 Continue` ([`expect`]), a body must arrive within
//! [`HttpSettings::body_timeout`] (enforced where it is read, `extract::body`), and a
//! client must take what is written to it: a connection whose socket accepts nothing for
//! [`HttpSettings::write_timeout`] is closed ([`write_deadline`]).
//!
//! It leaves signals to its caller (the app crate's `shutdown` module): stop it through
//! its handle to drain it, drop it to cut what is left, and read the [`InFlight`] count to
//! know how much that was.

pub(crate) mod expect;
mod write_deadline;

use std::net::{SocketAddr, TcpListener};
use std::time::Duration;

use actix_http::error::DispatchError;
use actix_http::{HttpService, Protocol};
use actix_server::Server;
use actix_service::{fn_service, map_config, IntoServiceFactory, ServiceFactoryExt};
use actix_web::dev::AppConfig;
use actix_web::middleware::from_fn;
use actix_web::rt::net::TcpStream;
use actix_web::web;

use crate::app::{app, ApiDeps};
use crate::middleware::in_flight::{count_in_flight, InFlight};
use crate::settings::{event_loops, HttpSettings, SHUTDOWN_TIMEOUT_SECS};
use write_deadline::WriteDeadline;

/// `HttpServer`'s defaults, kept: the request head must arrive within 5 s, an idle
/// keep-alive connection is closed after 5 s, and a closing one gets 1 s to say goodbye.
const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
const KEEP_ALIVE: Duration = Duration::from_secs(5);
const DISCONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// Starts serving on an already bound listener (possibly port 0), counting its requests
/// in `in_flight`; await it to run until stopped. It installs no signal handler: stop it
/// with its handle (`stop(true)` drains, waiting for the requests in flight without a
/// limit of its own), and drop it to cut what is left.
///
/// # Errors
/// When the listener cannot be handed to the server (e.g. it is not listening).
pub fn build_server(
    listener: TcpListener,
    deps: ApiDeps,
    settings: HttpSettings,
    in_flight: InFlight,
) -> std::io::Result<Server> {
    let addr = listener.local_addr()?;
    let builder = Server::build()
        .disable_signals()
        .workers(event_loops())
        .shutdown_timeout(SHUTDOWN_TIMEOUT_SECS);
    let shutdown = builder.graceful_shutdown_signal();
    let server = builder
        .listen("mtdb-api", listener, move || {
            let shutdown = shutdown.clone();
            let api = app(deps.clone())
                .app_data(web::Data::new(settings))
                .app_data(web::Data::new(in_flight.clone()))
                // Outermost of all: a request counts until its answer is written.
                .wrap(from_fn(count_in_flight))
                .into_factory()
                .map_err(|err| err.error_response());
            let http = HttpService::build()
                .keep_alive(KEEP_ALIVE)
                .client_request_timeout(HEAD_TIMEOUT)
                .client_disconnect_timeout(DISCONNECT_TIMEOUT)
                .local_addr(addr)
                // Idle keep-alive connections close at once when the server stops.
                .graceful_shutdown_signal(move || {
                    let shutdown = shutdown.clone();
                    async move { shutdown.notified().await }
                })
                // Our handler answers `Expect: 100-continue` (actix's builder method,
                // not `Option::expect`).
                .expect(fn_service(expect::refuse_oversized)) // ok: builder
                // The app reads nothing from its config (no URL generation, no
                // `connection_info`), so the default one serves.
                .finish(map_config(api, |()| AppConfig::default()));
            let write_timeout = settings.write_timeout;
            fn_service(move |io| accept_tcp(io, write_timeout)).and_then(http)
        })?
        .run();
    Ok(server)
}

/// What `HttpService::tcp` does, plus `TCP_NODELAY` (a streamed list is written in
/// several pieces, and without it Nagle's algorithm holds each piece until the previous
/// one is acknowledged, which a client's delayed ACK turns into 40 ms per page) and the
/// write deadline.
async fn accept_tcp(
    io: TcpStream,
    write_timeout: Duration,
) -> Result<(WriteDeadline<TcpStream>, Protocol, Option<SocketAddr>), DispatchError> {
    // A socket that refuses the option still works, only slower: not worth a refusal.
    if let Err(error) = io.set_nodelay(true) {
        tracing::debug!(%error, "TCP_NODELAY could not be set");
    }
    let peer = io.peer_addr().ok();
    Ok((WriteDeadline::new(io, write_timeout), Protocol::Http1, peer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn accepted_connections_turn_nagle_off() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = tokio::net::TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (io, _) = listener.accept().await.unwrap();
        assert!(!io.nodelay().unwrap(), "the operating system's default");

        let (io, protocol, peer) = accept_tcp(io, Duration::from_secs(1)).await.unwrap();

        assert!(io.get_ref().nodelay().unwrap());
        assert_eq!(protocol, Protocol::Http1);
        assert_eq!(peer, Some(client.local_addr().unwrap()));
    }
}
