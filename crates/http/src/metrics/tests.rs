use super::*;

fn pool() -> PoolSnapshot {
    PoolSnapshot {
        max_size: 8,
        size: 3,
        available: 2,
        waiting: 0,
    }
}

#[test]
fn counts_requests_by_method_route_and_status() {
    let metrics = Metrics::new(pool);
    let route = Some("/api/v1/tenants/{tenant_id}");
    metrics.observe("GET", route, 200, 0.001);
    metrics.observe("GET", route, 200, 0.002);
    metrics.observe("GET", route, 404, 0.001);
    metrics.observe("GET", None, 404, 0.0001);
    let text = metrics.render().unwrap();
    assert!(text.contains(
        "mtdb_http_requests_total{method=\"GET\",route=\"/api/v1/tenants/{tenant_id}\",status=\"200\"} 2\n"
    ), "{text}");
    assert!(text.contains(
        "mtdb_http_requests_total{method=\"GET\",route=\"/api/v1/tenants/{tenant_id}\",status=\"404\"} 1\n"
    ), "{text}");
    assert!(
        text.contains(
            "mtdb_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n"
        ),
        "{text}"
    );
    assert!(text.contains(
        "mtdb_http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/tenants/{tenant_id}\"} 3\n"
    ), "{text}");
    assert!(text.ends_with("# EOF\n"));
}

#[test]
fn reads_the_pool_at_each_render() {
    let reads = std::sync::atomic::AtomicU64::new(0);
    let metrics = Metrics::new(move || {
        let n = reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        PoolSnapshot {
            waiting: n,
            ..pool()
        }
    });
    metrics.render().unwrap();
    let text = metrics.render().unwrap();
    assert!(
        text.contains("mtdb_db_pool_connections{state=\"waiting\"} 2\n"),
        "{text}"
    );
    assert!(
        text.contains("mtdb_db_pool_connections{state=\"max\"} 8\n"),
        "{text}"
    );
    assert!(
        text.contains("mtdb_db_pool_connections{state=\"open\"} 3\n"),
        "{text}"
    );
    assert!(
        text.contains("mtdb_db_pool_connections{state=\"idle\"} 2\n"),
        "{text}"
    );
}

/// The label sets of every `mtdb_http_requests_total` line.
fn request_series(text: &str) -> Vec<String> {
    let mut series: Vec<String> = text
        .lines()
        .filter_map(|line| line.strip_prefix("mtdb_http_requests_total"))
        .filter_map(|rest| rest.split_once(' ').map(|(labels, _)| labels.to_owned()))
        .collect();
    series.sort();
    series
}

#[test]
fn invented_methods_and_paths_add_no_series() {
    let metrics = Metrics::new(pool);
    for i in 0..2_000 {
        let invented = format!("X{i}{}", "A".repeat(1_000));
        metrics.observe(&invented, None, 405, 0.0001);
        metrics.observe(&format!("get{i}"), None, 404, 0.0001);
        metrics.observe("GET", None, 404, 0.0001);
    }
    let text = metrics.render().unwrap();
    assert_eq!(
        request_series(&text),
        [
            r#"{method="GET",route="unmatched",status="404"}"#,
            r#"{method="OTHER",route="unmatched",status="404"}"#,
            r#"{method="OTHER",route="unmatched",status="405"}"#,
        ]
    );
    assert!(text.len() < 8 * 1024, "{} bytes", text.len());
}

#[test]
fn standard_methods_keep_their_name() {
    for method in [
        "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT",
    ] {
        assert_eq!(labels::method(method), method);
    }
    for other in ["get", "PROPFIND", "", "GET "] {
        assert_eq!(labels::method(other), "OTHER");
    }
}

#[test]
fn the_replica_series_follow_the_routing_at_each_scrape() {
    let scrapes = std::sync::atomic::AtomicU64::new(0);
    let metrics = Metrics::new(pool).with_replica(move || {
        let n = scrapes.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        ReplicaSnapshot {
            lag_seconds: 0.25,
            up: n == 1,
            reads: vec![("replica", "fresh", 3 * n), ("primary", "replica_down", n)],
        }
    });
    let first = metrics.render().unwrap();
    assert!(first.contains("mtdb_db_replica_up 1\n"), "{first}");
    let text = metrics.render().unwrap();
    assert!(text.contains("mtdb_db_replica_up 0\n"), "{text}");
    assert!(
        text.contains("mtdb_db_replica_lag_seconds 0.25\n"),
        "{text}"
    );
    assert!(
        text.contains("mtdb_db_reads_total{target=\"replica\",reason=\"fresh\"} 6\n"),
        "{text}"
    );
    assert!(
        text.contains("mtdb_db_reads_total{target=\"primary\",reason=\"replica_down\"} 2\n"),
        "{text}"
    );
    // Without a replica, none of its series.
    assert!(!Metrics::new(pool).render().unwrap().contains("replica"));
}
