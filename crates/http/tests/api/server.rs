use std::net::TcpListener;
use std::sync::Arc;

use mtdb_http::{build_server, ApiDeps, TokenVerifier};
use mtdb_ports::{MockHealthProbe, MockTenantService};

use crate::helpers::*;

/// `build_server` over a real socket bound to port 0, as the app crate uses it.
#[actix_web::test]
async fn serves_on_a_bound_listener_and_stops_gracefully() {
    // Arrange
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let address = listener.local_addr().expect("bound address");
    let mut health = MockHealthProbe::new();
    health.expect_check().returning(|| Ok(()));
    let deps = ApiDeps {
        service: Arc::new(MockTenantService::new()),
        health: Arc::new(health),
        verifier: Arc::new(TokenVerifier::new(jwt_settings()).expect("valid settings")),
    };
    let server = build_server(listener, deps).expect("server built");
    let handle = server.handle();
    let running = actix_web::rt::spawn(server);
    let client = reqwest::Client::new();

    // Act
    let healthy = client
        .get(format!("http://{address}/health"))
        .send()
        .await
        .expect("health answered");
    let too_large = client
        .post(format!("http://{address}/api/v1/tenants"))
        .bearer_auth(admin_token())
        .header("content-type", "application/json")
        .body(vec![b' '; 256 * 1024 + 1])
        .send()
        .await
        .expect("create answered");

    // Assert
    assert_eq!(healthy.status(), 200);
    assert!(healthy.headers().contains_key("x-request-id"));
    assert_eq!(too_large.status(), 413);
    let body: serde_json::Value = too_large.json().await.expect("JSON error body");
    assert_eq!(body["error"]["code"], "PAYLOAD_TOO_LARGE");
    handle.stop(true).await;
    assert!(running.await.expect("server task").is_ok());
}
