//! Any client can make actix's HTTP/1 codec log: a request it cannot parse, a head too
//! large. At `ERROR`, that let anyone flood the log operators watch for
//! the server's own failures; they are logged at `DEBUG` under
//! `mtdb::http::client_error` (docs/architecture.md, "Logs").

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::process::*;

/// Sends `bytes` on a new connection and reads until the server closes it.
async fn send_and_read_to_the_end(base: &str, bytes: &[u8]) -> String {
    let address = base.trim_start_matches("http://");
    let mut socket = TcpStream::connect(address).await.expect("connect");
    // The server may close before reading everything: a failed write is its answer.
    let _ = socket.write_all(bytes).await;
    let mut answer = Vec::new();
    let read = socket.read_to_end(&mut answer);
    // A reset after the answer is an end too.
    let _ = tokio::time::timeout(GUARD, read)
        .await
        .expect("the server closed");
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn malformed_requests_are_logged_at_debug_not_error() {
    let mut server = ServerProcess::start("info,mtdb::http::client_error=debug", &[]).await;

    let unparseable = send_and_read_to_the_end(&server.base, b"G\x01T / HTTP/1.1\r\n\r\n").await;
    let mut huge_head = b"GET /health HTTP/1.1\r\nX-Filler: ".to_vec();
    huge_head.resize(huge_head.len() + 200 * 1024, b'a');
    send_and_read_to_the_end(&server.base, &huge_head).await;
    // Every line of those connections is written before the server closed them; the
    // exit flushes whatever else there is.
    server.signal("TERM");
    assert!(server.exit().await.success());
    let log: Vec<Value> = server
        .rest_of_log()
        .await
        .iter()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect();

    assert!(unparseable.starts_with("HTTP/1.1 400"), "{unparseable:?}");
    let errors: Vec<&Value> = log.iter().filter(|e| e["level"] == "ERROR").collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let demoted: Vec<&str> = log
        .iter()
        .filter(|e| e["target"] == "mtdb::http::client_error" && e["level"] == "DEBUG")
        .filter_map(|e| e["error"].as_str())
        .collect();
    assert!(
        demoted
            .iter()
            .any(|e| e.starts_with("stream error: request parse error")),
        "{demoted:?}"
    );
    assert!(
        demoted
            .iter()
            .any(|e| e.ends_with("message head is too large")),
        "{demoted:?}"
    );
}
