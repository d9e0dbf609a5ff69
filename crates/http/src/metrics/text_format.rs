//! The Prometheus text format (0.0.4) from the OpenMetrics text that `prometheus-client`
//! writes, and the choice between them by `Accept`. A scraper that does not ask for
//! OpenMetrics (`promtool`, `curl`, an older Prometheus) gets 0.0.4, where a counter's
//! `HELP` and `TYPE` name its `_total` series and there is no `# UNIT` or `# EOF`.

use actix_web::http::header::{HeaderMap, ACCEPT};

/// The content type of the Prometheus text format.
pub const PROMETHEUS_TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Whether `Accept` names OpenMetrics with a non-zero quality (Prometheus itself sends
/// `application/openmetrics-text;version=1.0.0,...,text/plain;version=0.0.4;q=0.5,...`).
pub fn wants_openmetrics(headers: &HeaderMap) -> bool {
    headers
        .get_all(ACCEPT)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|range| {
            let mut parts = range.split(';').map(str::trim);
            let media = parts.next().unwrap_or_default();
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            media.eq_ignore_ascii_case("application/openmetrics-text") && !refused
        })
}

/// OpenMetrics text rewritten as Prometheus text 0.0.4.
pub fn prometheus_text(openmetrics: &str) -> String {
    let counters: Vec<&str> = openmetrics
        .lines()
        .filter_map(|line| line.strip_prefix("# TYPE "))
        .filter_map(|rest| rest.strip_suffix(" counter"))
        .collect();
    let mut out = String::with_capacity(openmetrics.len());
    for line in openmetrics.lines() {
        if line == "# EOF" || line.starts_with("# UNIT ") {
            continue;
        }
        let renamed = ["# HELP ", "# TYPE "].iter().find_map(|prefix| {
            let rest = line.strip_prefix(prefix)?;
            let (name, tail) = rest.split_once(' ')?;
            counters
                .contains(&name)
                .then(|| format!("{prefix}{name}_total {tail}"))
        });
        match renamed {
            Some(line) => out.push_str(&line),
            None if line.starts_with("# TYPE ") && line.ends_with(" unknown") => {
                out.push_str(line.trim_end_matches("unknown"));
                out.push_str("untyped");
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    const OPENMETRICS_TEXT: &str = "\
# HELP app_requests Requests.
# TYPE app_requests counter
app_requests_total{route=\"/x\"} 1
# HELP app_seconds Time.
# TYPE app_seconds histogram
# UNIT app_seconds seconds
app_seconds_count 1
# TYPE app_mystery unknown
app_mystery 2
# EOF
";

    #[test]
    fn counters_are_named_by_their_total_series_and_openmetrics_lines_go() {
        assert_eq!(
            prometheus_text(OPENMETRICS_TEXT),
            "\
# HELP app_requests_total Requests.
# TYPE app_requests_total counter
app_requests_total{route=\"/x\"} 1
# HELP app_seconds Time.
# TYPE app_seconds histogram
app_seconds_count 1
# TYPE app_mystery untyped
app_mystery 2
"
        );
    }

    #[test]
    fn openmetrics_only_when_asked_for() {
        let wants = |accept: Option<&str>| {
            let mut req = TestRequest::default();
            if let Some(accept) = accept {
                req = req.insert_header((ACCEPT, accept));
            }
            wants_openmetrics(req.to_http_request().headers())
        };
        assert!(wants(Some(
            "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
        )));
        assert!(wants(Some("Application/OpenMetrics-Text")));
        for plain in [
            None,
            Some("text/plain"),
            Some("*/*"),
            Some("application/openmetrics-text;q=0"),
        ] {
            assert!(!wants(plain), "{plain:?}");
        }
    }
}
