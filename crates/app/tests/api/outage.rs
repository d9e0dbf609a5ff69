//! The database going away and coming back (docs/api.md, 503), through a TCP proxy
//! between the real server and the real PostgreSQL: stopping the proxy cuts every pooled
//! connection and refuses new ones, as a stopped database does, without touching the
//! PostgreSQL that other tests share.

use mtdb_testing::ConnectionUrls;
use std::net::{SocketAddr, ToSocketAddrs};

use mtdb_postgres::ConnectionSettings;
use reqwest::StatusCode;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};
use tokio_postgres::config::Host;

use crate::helpers::*;

/// Forwards `listen` to `upstream` until stopped; stopping drops every connection.
struct Proxy {
    listen: SocketAddr,
    upstream: SocketAddr,
    running: Option<JoinHandle<()>>,
}

impl Proxy {
    /// Binds synchronously (so it can be set up inside `TestApp::spawn_with`).
    fn start(listen: SocketAddr, upstream: SocketAddr) -> Self {
        let mut proxy = Self {
            listen,
            upstream,
            running: None,
        };
        proxy.resume();
        proxy
    }

    fn resume(&mut self) {
        let listener = std::net::TcpListener::bind(self.listen).expect("bind the proxy");
        listener.set_nonblocking(true).expect("non-blocking");
        self.listen = listener.local_addr().expect("bound address");
        let listener = TcpListener::from_std(listener).expect("a tokio listener");
        self.running = Some(tokio::spawn(forward(listener, self.upstream)));
    }

    async fn stop(&mut self) {
        if let Some(running) = self.running.take() {
            running.abort();
            // Wait until the listener and every connection are really dropped.
            let _ = running.await;
        }
    }
}

async fn forward(listener: TcpListener, upstream: SocketAddr) {
    // Dropped with this task when the proxy stops: aborts every connection.
    let mut connections = JoinSet::new();
    while let Ok((mut inbound, _)) = listener.accept().await {
        connections.spawn(async move {
            if let Ok(mut outbound) = TcpStream::connect(upstream).await {
                let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
            }
        });
        while connections.try_join_next().is_some() {}
    }
}

/// The TCP address `url` connects to.
fn upstream(settings: &ConnectionSettings) -> SocketAddr {
    let config = settings.config();
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(host)) => host.clone(),
        other => panic!("the outage test needs a TCP host, got {other:?}"),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    (host.as_str(), port)
        .to_socket_addrs()
        .expect("resolve the database host")
        .next()
        .expect("an address")
}

#[tokio::test]
async fn a_lost_database_is_503_and_its_return_needs_no_restart() {
    let mut proxy = None;
    let app = TestApp::spawn_with(|settings| {
        let any_port = SocketAddr::from(([127, 0, 0, 1], 0));
        let started = Proxy::start(any_port, upstream(&settings.database.connection));
        settings.database.connection = settings.database.connection.with_address(started.listen);
        proxy = Some(started);
    })
    .await;
    let mut proxy = proxy.expect("the proxy started");
    let hsbc_hk = format!("/api/v1/tenants/{HSBC_HK}");
    assert_eq!(
        app.get(As::Tenant(HSBC), &hsbc_hk).await.status(),
        StatusCode::OK
    );

    proxy.stop().await;
    for _ in 0..3 {
        let (code, _) = error_code(
            app.get(As::Tenant(HSBC), &hsbc_hk).await,
            StatusCode::SERVICE_UNAVAILABLE,
        )
        .await;
        assert_eq!(code, "SERVICE_UNAVAILABLE");
    }
    let health = app.client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::SERVICE_UNAVAILABLE);

    proxy.resume();
    // Pooled connections cut by the outage may each fail one more request as they are
    // found closed and replaced; after that, the same server answers again.
    let mut statuses = Vec::new();
    for _ in 0..=8 {
        let status = app.get(As::Tenant(HSBC), &hsbc_hk).await.status();
        statuses.push(status);
        if status == StatusCode::OK {
            break;
        }
    }
    assert_eq!(statuses.last(), Some(&StatusCode::OK), "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::SERVICE_UNAVAILABLE),
        "{statuses:?}"
    );
    let health = app.client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
}
