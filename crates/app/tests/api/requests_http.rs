//! docs/requests.http, the request collection of the docs, run against the real server:
//! every request in order, each answered with the status (and code, and `total_count`)
//! written beside it. The file's tokens and base URL are replaced by this server's.

use std::collections::HashMap;

use reqwest::Method;
use serde_json::Value;

use crate::helpers::*;

const COLLECTION: &str = include_str!("../../../../docs/requests.http");
const RUN_SCRIPT: &str = include_str!("../../../../scripts/run.sh");

/// One request of the collection and what it must get.
#[derive(Debug)]
struct Request {
    title: String,
    method: Method,
    url: String,
    headers: Vec<(String, String)>,
    body: String,
    status: u16,
    code: Option<String>,
    total_count: Option<u64>,
}

/// `@name = value` lines, wherever they are outside a request.
fn variables(text: &str) -> HashMap<String, String> {
    text.lines()
        .filter_map(|line| line.strip_prefix('@'))
        .filter_map(|line| line.split_once('='))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect()
}

fn substitute(text: &str, vars: &HashMap<String, String>) -> String {
    let mut out = text.to_owned();
    for (name, value) in vars {
        out = out.replace(&format!("{{{{{name}}}}}"), value);
    }
    assert!(!out.contains("{{"), "an undefined variable in {out}");
    out
}

/// `# expect 409 DUPLICATE_NAME` or `# expect 200 total_count=3`.
fn expectation(line: &str) -> Option<(u16, Option<String>, Option<u64>)> {
    let rest = line.strip_prefix("# expect ")?;
    let mut words = rest.split_whitespace();
    let status = words.next()?.parse().ok()?;
    let (mut code, mut total) = (None, None);
    for word in words {
        match word.strip_prefix("total_count=") {
            Some(n) => total = n.parse().ok(),
            None => code = Some(word.to_owned()),
        }
    }
    Some((status, code, total))
}

fn parse(text: &str, vars: &HashMap<String, String>) -> Vec<Request> {
    let mut requests = Vec::new();
    for block in text.split("\n###").skip(1) {
        let mut lines = block.lines();
        let title = lines.next().unwrap_or_default().trim().to_owned();
        let mut expected = None;
        let mut request_line = None;
        for line in lines.by_ref() {
            if let Some(e) = expectation(line) {
                expected = Some(e);
            } else if !line.trim().is_empty() && !line.starts_with('#') {
                request_line = Some(line.to_owned());
                break;
            }
        }
        let request_line = request_line.unwrap_or_else(|| panic!("{title}: no request line"));
        let (method, url) = request_line
            .split_once(' ')
            .unwrap_or_else(|| panic!("{title}: {request_line}"));
        let mut headers = Vec::new();
        for line in lines.by_ref() {
            if line.trim().is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').expect("a header line");
            headers.push((name.trim().to_owned(), substitute(value.trim(), vars)));
        }
        let body: Vec<&str> = lines.filter(|l| !l.starts_with('@')).collect();
        let (status, code, total_count) =
            expected.unwrap_or_else(|| panic!("{title}: no `# expect` line"));
        requests.push(Request {
            title,
            method: method.parse().expect("an HTTP method"),
            url: substitute(url.trim(), vars),
            headers,
            body: substitute(body.join("\n").trim(), vars),
            status,
            code,
            total_count,
        });
    }
    requests
}

#[tokio::test]
async fn every_request_of_the_collection_gets_the_status_written_beside_it() {
    let app = TestApp::spawn().await;
    let mut vars = variables(COLLECTION);
    vars.insert("base".into(), app.address.clone());
    for (name, who) in [
        ("admin_token", As::Admin),
        ("hsbc_token", As::Tenant(HSBC)),
        ("hsbc_hk_token", As::Tenant(HSBC_HK)),
        ("hsbc_london_token", As::Tenant(HSBC_LONDON)),
        ("barclays_token", As::Tenant(BARCLAYS)),
        ("barclays_uk_token", As::Tenant(BARCLAYS_UK)),
    ] {
        assert!(vars.contains_key(name), "the collection defines @{name}");
        vars.insert(name.into(), token_for(who));
    }

    let requests = parse(COLLECTION, &vars);
    assert!(requests.len() >= 20, "{} requests", requests.len());
    for request in requests {
        let mut builder = app.client.request(request.method.clone(), &request.url);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        if !request.body.is_empty() {
            builder = builder.body(request.body.clone());
        }
        let response = builder.send().await.expect("a response");
        let status = response.status().as_u16();
        let text = response.text().await.expect("a body");
        assert_eq!(status, request.status, "{}: {text}", request.title);
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        if let Some(code) = &request.code {
            assert_eq!(body["error"]["code"], code.as_str(), "{}", request.title);
        }
        if let Some(total) = request.total_count {
            assert_eq!(body["total_count"], total, "{}: {text}", request.title);
        }
    }
}

#[test]
fn the_parser_reads_expectations_variables_and_bodies() {
    let text = "@base = http://x\n@t = T\n\n### one\n# expect 409 DUPLICATE_NAME\nPOST {{base}}/a\nAuthorization: Bearer {{t}}\n\n{\"a\": 1}\n\n### two\n# expect 200 total_count=3\nGET {{base}}/b\n";
    let requests = parse(text, &variables(text));
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].url, "http://x/a");
    assert_eq!(
        requests[0].headers,
        [("Authorization".into(), "Bearer T".into())]
    );
    assert_eq!(requests[0].body, "{\"a\": 1}");
    assert_eq!(requests[0].code.as_deref(), Some("DUPLICATE_NAME"));
    assert_eq!(
        (requests[1].status, requests[1].total_count),
        (200, Some(3))
    );
    assert!(requests[1].body.is_empty());
}

/// `make run` prints the tokens to paste: one line for each token the collection uses.
#[test]
fn make_run_prints_every_token_the_collection_uses() {
    let tokens: Vec<String> = variables(COLLECTION)
        .into_keys()
        .filter(|name| name.ends_with("_token"))
        .collect();
    assert_eq!(tokens.len(), 6, "{tokens:?}");
    for name in tokens {
        let printed = format!(":{name}:");
        assert!(
            RUN_SCRIPT.contains(&printed),
            "scripts/run.sh prints no @{name}"
        );
    }
}
