use std::net::TcpListener;
use std::sync::Arc;

use mtdb_http::{
    build_metrics_server, build_server, ApiDeps, HttpSettings, InFlight, Metrics, PoolSnapshot,
    TokenVerifier,
};
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
        metrics: None,
        primary_reads: None,
    };
    let server = build_server(listener, deps, HttpSettings::default(), InFlight::default())
        .expect("server built");
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

/// With metrics on, the API counts its requests and a second listener serves them; the
/// API port itself has no `/metrics`.
#[actix_web::test]
async fn counts_requests_and_serves_metrics_on_their_own_listener() {
    // Arrange
    let api_listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let api = api_listener.local_addr().expect("bound address");
    let metrics_listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let scrape = metrics_listener.local_addr().expect("bound address");
    let mut health = MockHealthProbe::new();
    health.expect_check().returning(|| Ok(()));
    let metrics = Arc::new(Metrics::new(PoolSnapshot::default));
    let deps = ApiDeps {
        service: Arc::new(MockTenantService::new()),
        health: Arc::new(health),
        verifier: Arc::new(TokenVerifier::new(jwt_settings()).expect("valid settings")),
        metrics: Some(metrics.clone()),
        primary_reads: None,
    };
    let api_server = build_server(
        api_listener,
        deps,
        HttpSettings::default(),
        InFlight::default(),
    )
    .expect("server built");
    let metrics_server = build_metrics_server(metrics_listener, metrics).expect("server built");
    let (api_handle, metrics_handle) = (api_server.handle(), metrics_server.handle());
    actix_web::rt::spawn(api_server);
    actix_web::rt::spawn(metrics_server);
    let client = reqwest::Client::new();

    // Act
    for _ in 0..3 {
        let healthy = client.get(format!("http://{api}/health")).send().await;
        assert_eq!(healthy.expect("health answered").status(), 200);
    }
    let on_api_port = client.get(format!("http://{api}/metrics")).send().await;
    let scraped = client
        .get(format!("http://{scrape}/metrics"))
        .header("accept", "application/openmetrics-text")
        .send()
        .await;

    // Assert
    assert_eq!(on_api_port.expect("API answered").status(), 404);
    let scraped = scraped.expect("metrics answered");
    assert_eq!(scraped.status(), 200);
    assert!(scraped.headers()["content-type"]
        .to_str()
        .expect("ASCII")
        .starts_with("application/openmetrics-text"));
    let text = scraped.text().await.expect("text");
    assert!(
        text.contains(
            "mtdb_http_requests_total{method=\"GET\",route=\"/health\",status=\"200\"} 3\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "mtdb_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n"
        ),
        "{text}"
    );
    api_handle.stop(true).await;
    metrics_handle.stop(true).await;
}

/// The attack that grew `/metrics` to 487 MB: requests with invented 1,000-byte methods,
/// on invented paths and on real ones. Every label keeps a small fixed set of values.
#[actix_web::test]
async fn invented_methods_and_paths_leave_the_label_sets_bounded() {
    // Arrange
    let api_listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let api = api_listener.local_addr().expect("bound address");
    let metrics_listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let scrape = metrics_listener.local_addr().expect("bound address");
    let metrics = Arc::new(Metrics::new(PoolSnapshot::default));
    let deps = ApiDeps {
        service: Arc::new(MockTenantService::new()),
        health: Arc::new(MockHealthProbe::new()),
        verifier: Arc::new(TokenVerifier::new(jwt_settings()).expect("valid settings")),
        metrics: Some(metrics.clone()),
        primary_reads: None,
    };
    let api_server = build_server(
        api_listener,
        deps,
        HttpSettings::default(),
        InFlight::default(),
    )
    .expect("built");
    let metrics_server = build_metrics_server(metrics_listener, metrics).expect("built");
    let (api_handle, metrics_handle) = (api_server.handle(), metrics_server.handle());
    actix_web::rt::spawn(api_server);
    actix_web::rt::spawn(metrics_server);
    let client = reqwest::Client::new();

    // Act
    for i in 0..200 {
        let invented = format!("M{i}{}", "X".repeat(1_000));
        let method = reqwest::Method::from_bytes(invented.as_bytes()).expect("a method token");
        for path in [format!("/invented/{i}"), format!("/api/v1/tenants/{HSBC}")] {
            let sent = client.request(method.clone(), format!("http://{api}{path}"));
            sent.send().await.expect("answered");
        }
        let lowercase = client.request(
            reqwest::Method::from_bytes(b"get").expect("token"),
            format!("http://{api}/x{i}"),
        );
        lowercase.send().await.expect("answered");
        let unknown = client.get(format!("http://{api}/invented/{i}/{}", "y".repeat(500)));
        unknown.send().await.expect("answered");
    }
    let text = client
        .get(format!("http://{scrape}/metrics"))
        .send()
        .await
        .expect("metrics answered")
        .text()
        .await
        .expect("text");

    // Assert
    let mut series: Vec<&str> = text
        .lines()
        .filter_map(|line| line.strip_prefix("mtdb_http_requests_total"))
        .filter_map(|rest| rest.split_once(' ').map(|(labels, _)| labels))
        .collect();
    series.sort_unstable();
    assert_eq!(
        series,
        [
            r#"{method="GET",route="unmatched",status="404"}"#,
            r#"{method="OTHER",route="/api/v1/tenants/{tenant_id}",status="405"}"#,
            r#"{method="OTHER",route="unmatched",status="404"}"#,
        ],
        "{text}"
    );
    assert!(text.len() < 16 * 1024, "{} bytes: {text}", text.len());
    api_handle.stop(true).await;
    metrics_handle.stop(true).await;
}
