//! `MTDB_METRICS_LISTEN`: Prometheus metrics on their own listener, fed by the real
//! server's requests and the real pool.

use std::net::SocketAddr;

use reqwest::StatusCode;

use crate::helpers::*;

fn line_value<'t>(text: &'t str, series: &str) -> Option<&'t str> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
}

#[tokio::test]
async fn metrics_count_the_apis_requests_on_their_own_listener() {
    let app = TestApp::spawn_with(|settings| {
        settings.metrics_listen = Some(SocketAddr::from(([127, 0, 0, 1], 0)));
    })
    .await;
    let metrics = app.metrics_address.clone().expect("metrics are on");

    for _ in 0..2 {
        let found = app
            .get(As::Tenant(HSBC), &format!("/api/v1/tenants/{HSBC_HK}"))
            .await;
        assert_eq!(found.status(), StatusCode::OK);
    }
    let hidden = app
        .get(As::Tenant(HSBC), &format!("/api/v1/tenants/{BARCLAYS}"))
        .await;
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
    let on_api_port = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(on_api_port.status(), StatusCode::NOT_FOUND);

    let scraped = app
        .client
        .get(format!("{metrics}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(scraped.status(), StatusCode::OK);
    let text = scraped.text().await.unwrap();
    let by_id = r#"method="GET",route="/api/v1/tenants/{tenant_id}""#;
    assert_eq!(
        line_value(
            &text,
            &format!("mtdb_http_requests_total{{{by_id},status=\"200\"}}")
        ),
        Some("2"),
        "{text}"
    );
    assert_eq!(
        line_value(
            &text,
            &format!("mtdb_http_requests_total{{{by_id},status=\"404\"}}")
        ),
        Some("1"),
        "{text}"
    );
    assert_eq!(
        line_value(
            &text,
            &format!("mtdb_http_request_duration_seconds_count{{{by_id}}}")
        ),
        Some("3"),
        "{text}"
    );
    // The pool of `ServeSettings::ephemeral` (8), and at least the connection just used.
    assert_eq!(
        line_value(&text, "mtdb_db_pool_connections{state=\"max\"}"),
        Some("8"),
        "{text}"
    );
    let open: u64 = line_value(&text, "mtdb_db_pool_connections{state=\"open\"}")
        .and_then(|v| v.parse().ok())
        .expect("an open-connections gauge");
    assert!(open >= 1, "{text}");
    // No tenant id and no principal is ever a label.
    assert!(!text.contains(HSBC_HK) && !text.contains(HSBC), "{text}");
}
