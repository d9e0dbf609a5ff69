use actix_web::test::TestRequest;
use chrono::DateTime;
use mtdb_domain::StoreError;

use crate::helpers::*;

#[actix_web::test]
async fn healthy_without_a_token() {
    let mut app = TestApp::new();
    app.health.expect_check().times(1).returning(|| Ok(()));

    let reply = app.send(TestRequest::get().uri("/health")).await;

    assert_eq!(reply.status, 200);
    let body = reply.json();
    assert_eq!(body["status"], "healthy");
    assert_eq!(body["database"], "connected");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    let timestamp = body["timestamp"].as_str().unwrap_or_default();
    assert!(
        DateTime::parse_from_rfc3339(timestamp).is_ok(),
        "{timestamp}"
    );
    assert!(timestamp.ends_with('Z'));
    assert!(body.get("error").is_none());
}

#[actix_web::test]
async fn unhealthy_is_503_with_the_error_envelope_too() {
    let mut app = TestApp::new();
    app.health.expect_check().returning(|| {
        let cause = std::io::Error::other("connection refused to 10.0.0.5:5432");
        Err(StoreError::Unavailable(Box::new(cause)))
    });

    let reply = app.send(TestRequest::get().uri("/health")).await;

    reply.assert_error(503, "SERVICE_UNAVAILABLE");
    assert_eq!(reply.header("retry-after"), Some("5"));
    let body = reply.json();
    assert_eq!(body["status"], "unhealthy");
    assert_eq!(body["database"], "disconnected");
    assert!(!String::from_utf8_lossy(&reply.body).contains("10.0.0.5"));
}
