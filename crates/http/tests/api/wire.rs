//! What only a raw socket shows, against the real server on a real port: a slow body is
//! cut off with `408`, an oversized `Expect: 100-continue` request gets `413` and never
//! `100 Continue`, a normal one gets `100` then its answer, and `HEAD` has no body.
//! Reads are bounded by a generous guard so that a server that never answers fails the
//! test instead of hanging it; no test waits on a clock of its own.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::ServerHandle;
use actix_web::rt::net::TcpStream;
use mtdb_http::{build_server, ApiDeps, HttpSettings, InFlight, TokenVerifier};
use mtdb_ports::{MockHealthProbe, MockTenantService};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::time::timeout;

use crate::helpers::*;

/// Far beyond any timeout the server is configured with here.
const HANG_GUARD: Duration = Duration::from_secs(30);
/// The server's body timeout in these tests.
const BODY_TIMEOUT: Duration = Duration::from_millis(300);

async fn start(service: MockTenantService) -> (SocketAddr, ServerHandle) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let address = listener.local_addr().expect("bound address");
    let deps = ApiDeps {
        service: Arc::new(service),
        health: Arc::new(MockHealthProbe::new()),
        verifier: Arc::new(TokenVerifier::new(jwt_settings()).expect("valid settings")),
        metrics: None,
        primary_reads: None,
    };
    let settings = HttpSettings {
        body_timeout: BODY_TIMEOUT,
        ..HttpSettings::default()
    };
    let server = build_server(listener, deps, settings, InFlight::default()).expect("server built");
    let handle = server.handle();
    actix_web::rt::spawn(server);
    (address, handle)
}

fn post_head(length: usize, extra: &str) -> String {
    format!(
        "POST /api/v1/tenants HTTP/1.1\r\nHost: mtdb\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: {length}\r\n{extra}\r\n",
        admin_token()
    )
}

/// Everything the server sends until it closes the connection.
async fn read_to_close(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    timeout(HANG_GUARD, stream.read_to_end(&mut received))
        .await
        .expect("the server closed the connection before the guard")
        .expect("read");
    String::from_utf8_lossy(&received).into_owned()
}

/// The response head up to its blank line, read byte by byte so nothing after it is
/// consumed.
async fn read_head(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let byte = timeout(HANG_GUARD, stream.read_u8())
            .await
            .expect("a response head before the guard")
            .expect("read");
        head.push(byte);
    }
    String::from_utf8_lossy(&head).into_owned()
}

fn json_after_head(response: &str) -> Value {
    let (_, body) = response
        .split_once("\r\n\r\n")
        .expect("a complete response");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {response}"))
}

/// The attack: headers promise 1,000 bytes, then the body trickles in a byte at a time,
/// far slower than it would take to finish. The server must answer `408` within its
/// own timeout and close the connection (a server that waits for the whole body
/// would take 50 s and trip the guard).
#[actix_web::test]
async fn a_slow_body_is_cut_off_with_408_and_the_connection_closed() {
    let (address, server) = start(MockTenantService::new()).await;
    let stream = TcpStream::connect(address).await.expect("connect");
    let (mut reader, mut writer) = stream.into_split();
    writer
        .write_all(post_head(1_000, "").as_bytes())
        .await
        .expect("send the head");
    let trickle = actix_web::rt::spawn(async move {
        // The attacker's pace, not a synchronisation: the test waits on the server.
        let mut pace = tokio::time::interval(Duration::from_millis(50));
        for _ in 0..1_000 {
            pace.tick().await;
            if writer.write_all(b" ").await.is_err() {
                return;
            }
        }
    });

    let mut received = Vec::new();
    let read = timeout(HANG_GUARD, reader.read_to_end(&mut received)).await;
    trickle.abort();

    let response = String::from_utf8_lossy(&received).into_owned();
    // `read_to_end` ended: the server closed the connection.
    assert!(read.is_ok(), "no answer within the guard: {response}");
    assert!(response.starts_with("HTTP/1.1 408 "), "{response}");
    assert!(response
        .to_ascii_lowercase()
        .contains("content-type: application/json"));
    assert!(
        response.to_ascii_lowercase().contains("connection: close"),
        "{response}"
    );
    let body = json_after_head(&response);
    assert_eq!(body["error"]["code"], "REQUEST_TIMEOUT", "{body}");
    assert_eq!(body["error"]["details"]["limit_ms"], 300, "{body}");
    server.stop(false).await;
}

/// A declared body over 256 KiB with `Expect: 100-continue`: `413` at once, never an
/// invitation to send the body.
#[actix_web::test]
async fn an_oversized_expect_request_gets_413_and_never_100_continue() {
    let (address, server) = start(MockTenantService::new()).await;
    let mut stream = TcpStream::connect(address).await.expect("connect");
    let head = post_head(256 * 1024 + 1, "Expect: 100-continue\r\n");
    stream.write_all(head.as_bytes()).await.expect("send");

    let response = read_to_close(&mut stream).await;

    assert!(!response.contains("100 Continue"), "{response}");
    assert!(response.starts_with("HTTP/1.1 413 "), "{response}");
    let lower = response.to_ascii_lowercase();
    assert!(
        lower.contains("content-type: application/json"),
        "{response}"
    );
    assert!(lower.contains("x-request-id: "), "{response}");
    let body = json_after_head(&response);
    assert_eq!(body["error"]["code"], "PAYLOAD_TOO_LARGE", "{body}");
    assert_eq!(
        body["error"]["details"]["limit_bytes"],
        256 * 1024,
        "{body}"
    );
    server.stop(false).await;
}

/// A body within the limit with `Expect: 100-continue`: `100 Continue` first, then,
/// once the body is sent, the answer.
#[actix_web::test]
async fn a_normal_expect_request_gets_100_then_its_answer() {
    let mut service = MockTenantService::new();
    service
        .expect_create()
        .times(1)
        .returning(|_, _| Ok(tenant(HSBC, "HSBC", None, 1)));
    let (address, server) = start(service).await;
    let body = r#"{"name": "HSBC", "tenant_type": "parent"}"#;
    let mut stream = TcpStream::connect(address).await.expect("connect");
    let head = post_head(body.len(), "Expect: 100-continue\r\nConnection: close\r\n");
    stream.write_all(head.as_bytes()).await.expect("send");

    let interim = read_head(&mut stream).await;
    stream.write_all(body.as_bytes()).await.expect("send body");
    let response = read_to_close(&mut stream).await;

    assert_eq!(interim, "HTTP/1.1 100 Continue\r\n\r\n");
    assert!(response.starts_with("HTTP/1.1 201 "), "{response}");
    assert_eq!(json_after_head(&response)["tenant_id"], HSBC);
    server.stop(false).await;
}

/// `HEAD` on the wire: the status and `Content-Length` of the `GET`, and no body.
#[actix_web::test]
async fn head_sends_the_get_headers_and_no_body() {
    let (address, server) = start(MockTenantService::new()).await;
    let mut answers = Vec::new();
    for method in ["GET", "HEAD"] {
        let mut stream = TcpStream::connect(address).await.expect("connect");
        let request =
            format!("{method} /openapi.json HTTP/1.1\r\nHost: mtdb\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.expect("send");
        answers.push(read_to_close(&mut stream).await);
    }
    let (get, head) = (&answers[0], &answers[1]);
    let length = |response: &str| {
        response.lines().find_map(|line| {
            line.to_ascii_lowercase()
                .strip_prefix("content-length: ")
                .map(str::to_owned)
        })
    };

    assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
    assert!(length(get).is_some_and(|l| l != "0"), "{get}");
    assert_eq!(length(head), length(get));
    assert!(head.ends_with("\r\n\r\n"), "a body after the head: {head}");
    server.stop(false).await;
}

/// Sends `head`, then a one-byte chunk every 50 ms (far slower than any answer), and
/// returns everything the server sends until it closes the connection. A server that
/// kept reading would trip the guard.
async fn trickle_chunks(address: SocketAddr, head: String) -> String {
    let stream = TcpStream::connect(address).await.expect("connect");
    let (mut reader, mut writer) = stream.into_split();
    writer
        .write_all(head.as_bytes())
        .await
        .expect("send the head");
    let trickle = actix_web::rt::spawn(async move {
        // The attacker's pace, not a synchronisation: the test waits on the server.
        let mut pace = tokio::time::interval(Duration::from_millis(50));
        loop {
            pace.tick().await;
            if writer.write_all(b"1\r\n \r\n").await.is_err() {
                return;
            }
        }
    });
    let mut received = Vec::new();
    let read = timeout(HANG_GUARD, reader.read_to_end(&mut received)).await;
    trickle.abort();
    let response = String::from_utf8_lossy(&received).into_owned();
    assert!(read.is_ok(), "the connection is still open: {response}");
    response
}

/// The same attack with a chunked body: the handler gives up after the body timeout,
/// and the server must not go on draining the chunks that keep coming.
#[actix_web::test]
async fn a_slow_chunked_body_is_cut_off_with_408_and_the_connection_closed() {
    let (address, server) = start(MockTenantService::new()).await;
    let head = format!(
        "POST /api/v1/tenants HTTP/1.1\r\nHost: mtdb\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
        admin_token()
    );

    let response = trickle_chunks(address, head).await;

    assert!(response.starts_with("HTTP/1.1 408 "), "{response}");
    assert_eq!(
        json_after_head(&response)["error"]["code"],
        "REQUEST_TIMEOUT"
    );
    server.stop(false).await;
}

/// A chunked body sent to a handler that reads none (here a wrong method): answered at
/// once, and the connection closed rather than drained for as long as chunks come.
#[actix_web::test]
async fn an_unread_chunked_body_is_not_drained_for_ever() {
    let (address, server) = start(MockTenantService::new()).await;
    let head = "POST /health HTTP/1.1\r\nHost: mtdb\r\nTransfer-Encoding: chunked\r\n\r\n";

    let response = trickle_chunks(address, head.to_owned()).await;

    assert!(response.starts_with("HTTP/1.1 405 "), "{response}");
    server.stop(false).await;
}

/// A body read to its end leaves the connection open for the next request.
#[actix_web::test]
async fn a_fully_read_body_keeps_the_connection_alive() {
    let mut service = MockTenantService::new();
    service
        .expect_create()
        .times(1)
        .returning(|_, _| Ok(tenant(HSBC, "HSBC", None, 1)));
    let (address, server) = start(service).await;
    let body = r#"{"name": "HSBC", "tenant_type": "parent"}"#;
    let mut stream = TcpStream::connect(address).await.expect("connect");
    let first = format!("{}{body}", post_head(body.len(), ""));
    let second = "GET /openapi.json HTTP/1.1\r\nHost: mtdb\r\nConnection: close\r\n\r\n";
    stream.write_all(first.as_bytes()).await.expect("send");
    stream.write_all(second.as_bytes()).await.expect("send");

    let both = read_to_close(&mut stream).await;

    assert!(both.starts_with("HTTP/1.1 201 "), "{both}");
    assert_eq!(both.matches("HTTP/1.1 200 OK").count(), 1, "{both}");
    server.stop(false).await;
}
