use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use actix_web::test::TestRequest;
use tracing_subscriber::fmt::MakeWriter;
use uuid::Uuid;

use crate::helpers::*;

/// Collects log output in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut bytes) = self.0.lock() {
            bytes.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Self;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

impl Captured {
    fn text(&self) -> String {
        self.0
            .lock()
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default()
    }
}

/// Everything logged at `info` by this test binary, as JSON lines. A global subscriber,
/// not a thread-local one: `tracing` caches each callsite's interest process-wide, so a
/// thread-local subscriber can miss callsites that a parallel test hit first.
fn captured() -> &'static Captured {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    CAPTURED.get_or_init(|| {
        let captured = Captured::default();
        let subscriber = tracing_subscriber::fmt()
            .json()
            .with_writer(captured.clone())
            .with_max_level(tracing::Level::INFO)
            .finish();
        // Fails only if a global subscriber exists already, which then captures nothing.
        let _ = tracing::subscriber::set_global_default(subscriber);
        captured
    })
}

#[actix_web::test]
async fn one_line_per_request_with_id_principal_route_status_and_no_token() {
    let captured = captured();
    let request_id = format!("trace-{}", Uuid::new_v4());
    let token = tenant_token(HSBC);
    let mut app = TestApp::new();
    app.service
        .expect_get()
        .returning(|_, _| Ok(tenant(HSBC_HK, "HSBC Hong Kong", Some(HSBC), 1)));

    let request = with_token(
        TestRequest::get().uri(&format!("/api/v1/tenants/{HSBC_HK}")),
        &token,
    )
    .insert_header(("x-request-id", request_id.as_str()));
    let reply = app.send(request).await;

    assert_eq!(reply.status, 200);
    let logs = captured.text();
    let lines: Vec<serde_json::Value> = logs
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .filter(|line: &serde_json::Value| {
            line["fields"]["message"] == "request" && line["fields"]["request_id"] == request_id
        })
        .collect();
    assert_eq!(lines.len(), 1, "{logs}");
    let fields = &lines[0]["fields"];
    assert_eq!(fields["principal"], format!("tenant:{HSBC}"));
    assert_eq!(fields["method"], "GET");
    assert_eq!(fields["route"], "/api/v1/tenants/{tenant_id}");
    assert_eq!(fields["status"], 200);
    assert!(fields["latency_ms"].as_f64().is_some_and(|ms| ms >= 0.0));
    assert!(!logs.contains(&token), "the token must never be logged");
}
