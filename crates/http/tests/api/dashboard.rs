//! The Grafana dashboard of the compose stack (docker/grafana/dashboards/mtdb.json) asks
//! only for series that mtdb's metrics listener really serves, with labels they really
//! carry: a renamed metric or label fails here rather than as an empty panel.

use std::collections::{BTreeMap, BTreeSet};

use mtdb_http::{Metrics, PoolSnapshot};

const DASHBOARD: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../docker/grafana/dashboards/mtdb.json"
));

/// The exported series: name -> label name -> values seen, from the text the listener serves after a
/// few requests (a 200, a 404 and a 429) and a pool read.
fn exported() -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let metrics = Metrics::new(|| PoolSnapshot {
        max_size: 8,
        size: 3,
        available: 1,
        waiting: 2,
    });
    let route = Some("/api/v1/tenants/{tenant_id}");
    for status in [200, 404, 429] {
        metrics.observe("GET", route, status, 0.004);
    }
    let text = metrics.render().expect("render the metrics");
    let mut series: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let name_end = line.find(['{', ' ']).unwrap_or(line.len());
        let labels = series.entry(line[..name_end].to_owned()).or_default();
        if let Some(set) = line[name_end..].strip_prefix('{') {
            for (name, _, value) in self::labels(set) {
                labels.entry(name).or_default().insert(value);
            }
        }
    }
    series
}

/// The labels of a set or matcher that follows a `{`: `a="x",b=~"y"}` ->
/// `(a, "=", x)`, `(b, "=~", y)`. Values are read as quoted strings: a route pattern
/// holds braces and commas.
fn labels(after_brace: &str) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    let mut chars = after_brace.chars();
    let (mut name, mut op) = (String::new(), String::new());
    while let Some(c) = chars.next() {
        match c {
            '}' => break,
            ',' | ' ' => {}
            '"' => {
                let mut value = String::new();
                let mut escaped = false;
                for v in chars.by_ref() {
                    match (escaped, v) {
                        (false, '\\') => escaped = true,
                        (false, '"') => break,
                        _ => {
                            escaped = false;
                            value.push(v);
                        }
                    }
                }
                found.push((std::mem::take(&mut name), std::mem::take(&mut op), value));
            }
            c if is_ident(c) => name.push(c),
            c => op.push(c),
        }
    }
    found
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

type Matcher = Vec<(String, String, String)>;

/// The metric names an expression reads (mtdb's own: they all start `mtdb_`), each with
/// its `{...}` matcher.
fn selectors(expr: &str) -> Vec<(String, Matcher)> {
    let mut found = Vec::new();
    let mut rest = expr;
    while let Some(at) = rest.find("mtdb_") {
        let tail = &rest[at..];
        let end = tail.find(|c| !is_ident(c)).unwrap_or(tail.len());
        let matcher = tail[end..]
            .strip_prefix('{')
            .map(labels)
            .unwrap_or_default();
        found.push((tail[..end].to_owned(), matcher));
        rest = &tail[end..];
    }
    found
}

/// The labels of every `by (...)` grouping in an expression.
fn grouped_by(expr: &str) -> Vec<String> {
    expr.split("by (")
        .skip(1)
        .flat_map(|tail| {
            let list = &tail[..tail.find(')').expect("a closed by")];
            list.split(',')
                .map(|l| l.trim().to_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}

fn exprs() -> Vec<String> {
    let dashboard: serde_json::Value = serde_json::from_str(DASHBOARD).expect("valid JSON");
    let panels = dashboard["panels"].as_array().expect("panels");
    let exprs: Vec<String> = panels
        .iter()
        .flat_map(|p| p["targets"].as_array().expect("targets").iter())
        .map(|t| t["expr"].as_str().expect("a PromQL expr").to_owned())
        .collect();
    assert!(!exprs.is_empty(), "the dashboard has no queries");
    exprs
}

#[test]
fn every_dashboard_query_names_series_and_labels_the_service_exports() {
    let exported = exported();
    for expr in exprs() {
        let named = selectors(&expr);
        assert!(!named.is_empty(), "{expr}: reads no mtdb metric");
        let mut labels_available = BTreeSet::new();
        for (name, matcher) in named {
            let labels = exported
                .get(&name)
                .unwrap_or_else(|| panic!("{expr}: `{name}` is not exported: {exported:?}"));
            for (label, op, value) in matcher {
                let values = labels
                    .get(&label)
                    .unwrap_or_else(|| panic!("{expr}: `{name}` has no label `{label}`"));
                // An exact match must name a value the service gives that label.
                if op == "=" {
                    assert!(
                        values.contains(&value),
                        "{expr}: `{name}` never has {label}=\"{value}\": {values:?}"
                    );
                }
            }
            labels_available.extend(labels.keys().cloned());
        }
        for label in grouped_by(&expr) {
            assert!(
                labels_available.contains(&label),
                "{expr}: groups by `{label}`, which none of its series carries"
            );
        }
    }
}

#[test]
fn the_dashboard_shows_rate_latency_errors_pool_and_429s() {
    let all = exprs().join("\n");
    for (what, needle) in [
        ("request rate", "rate(mtdb_http_requests_total"),
        ("latency percentiles by route", "histogram_quantile(0.99"),
        ("errors by status code", "sum by (status)"),
        ("429s", "status=\"429\""),
        ("pool use", "mtdb_db_pool_connections{state=\"idle\"}"),
    ] {
        assert!(all.contains(needle), "no {what} panel (`{needle}`)");
    }
}
