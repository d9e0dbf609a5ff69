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

/// The Prometheus text format unless the scraper asks for OpenMetrics, and Debian's
/// `promtool check metrics` (which reads the former) finds nothing to say about it.
#[tokio::test]
async fn metrics_speak_the_format_the_scraper_asks_for_and_promtool_is_content() {
    let app = TestApp::spawn_with(|settings| {
        settings.metrics_listen = Some(SocketAddr::from(([127, 0, 0, 1], 0)));
    })
    .await;
    let metrics = app.metrics_address.clone().expect("metrics are on");
    let listed = app.get(As::Tenant(HSBC), "/api/v1/tenants").await;
    assert_eq!(listed.status(), StatusCode::OK);
    let scrape = |accept: &'static str| {
        app.client
            .get(format!("{metrics}/metrics"))
            .header("accept", accept)
            .send()
    };
    let content_type =
        |reply: &reqwest::Response| reply.headers()["content-type"].to_str().unwrap().to_owned();

    let plain = scrape("text/plain").await.unwrap();
    assert_eq!(
        content_type(&plain),
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let text = plain.text().await.unwrap();
    assert!(
        text.contains("# TYPE mtdb_http_requests_total counter\n"),
        "{text}"
    );
    assert!(!text.contains("# EOF"), "{text}");
    let mut promtool = tokio::process::Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("promtool (Debian: apt-get install prometheus; make test installs it)");
    let mut stdin = promtool.stdin.take().unwrap();
    tokio::io::AsyncWriteExt::write_all(&mut stdin, text.as_bytes())
        .await
        .unwrap();
    drop(stdin);
    let checked = promtool.wait_with_output().await.unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );
    assert!(
        checked.status.success() && said.trim().is_empty(),
        "{said}\n{text}"
    );

    let prometheus = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;\
                      version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    let open = scrape(prometheus).await.unwrap();
    assert!(content_type(&open).starts_with("application/openmetrics-text; version=1.0.0"));
    let text = open.text().await.unwrap();
    assert!(text.ends_with("# EOF\n"), "{text}");
}
