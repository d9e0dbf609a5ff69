//! Metadata numbers at the edges of what JSON readers agree on (RFC 7493, I-JSON): every
//! IEEE-754 double and every 64-bit integer goes in and comes back exactly, through the
//! real parser, PostgreSQL's `jsonb` and back, the largest doubles included, which `jsonb`
//! writes out in full (a case `make fuzz` finds).

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

/// The body is sent as raw text so that each number is exactly as written here.
async fn create_raw(app: &TestApp, body: String) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/tenants"))
        .bearer_auth(app.token(As::Admin))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("POST")
}

#[tokio::test]
async fn extreme_numbers_come_back_exactly() {
    let app = TestApp::spawn().await;
    let metadata = r#"{"max": 1.7976931348623157e308, "near_max": 1.7976931348623155e+308,
        "tiniest": 5e-324, "negative_small": -2.2250738585072014e-308, "tenth": 0.1,
        "u64_max": 18446744073709551615, "i64_min": -9223372036854775808, "zero": 0}"#;
    let body =
        format!(r#"{{"name": "Extremes", "tenant_type": "parent", "metadata": {metadata}}}"#);

    let created = json(create_raw(&app, body).await, StatusCode::CREATED).await;
    let id = created["tenant_id"].as_str().expect("an id").to_owned();
    let read = json(app.get_tenant(As::Admin, &id).await, StatusCode::OK).await;

    for tenant in [&created, &read] {
        let m = &tenant["metadata"];
        assert_eq!(m["max"].as_f64(), Some(f64::MAX), "{m}");
        assert_eq!(
            m["near_max"].as_f64(),
            Some(1.797_693_134_862_315_5e308),
            "{m}"
        );
        assert_eq!(m["tiniest"].as_f64(), Some(5e-324), "{m}");
        assert_eq!(
            m["negative_small"].as_f64(),
            Some(-f64::MIN_POSITIVE),
            "{m}"
        );
        assert_eq!(m["tenth"].as_f64(), Some(0.1), "{m}");
        assert_eq!(m["u64_max"].as_u64(), Some(u64::MAX), "{m}");
        assert_eq!(m["i64_min"].as_i64(), Some(i64::MIN), "{m}");
        assert_eq!(m["zero"].as_u64(), Some(0), "{m}");
    }
    assert_eq!(read, created);
}

#[tokio::test]
async fn metadata_that_is_too_large_as_stored_is_refused_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let before = app.visible_ids(As::Admin).await;
    // 250 numbers: 1.5 KiB as sent, but each is 309 digits written out, as stored and
    // returned, so 77 KiB: over the 64 KiB limit.
    let numbers = vec!["1e308"; 250].join(",");
    let body = format!(
        r#"{{"name": "Amplified", "tenant_type": "parent", "metadata": {{"n": [{numbers}]}}}}"#
    );
    assert!(body.len() < 2 * 1024);

    let (code, error) = error_code(create_raw(&app, body).await, StatusCode::BAD_REQUEST).await;

    assert_eq!(code, "VALIDATION_ERROR");
    assert_eq!(error["error"]["details"]["field"], "metadata");
    assert_eq!(app.visible_ids(As::Admin).await, before);
}

#[tokio::test]
async fn metadata_just_under_the_limit_as_stored_is_accepted() {
    let app = TestApp::spawn().await;
    // 200 × 309 digits + separators: 62 KiB as stored.
    let numbers = vec!["1e308"; 200].join(",");
    let body = format!(
        r#"{{"name": "Large", "tenant_type": "parent", "metadata": {{"n": [{numbers}]}}}}"#
    );
    let created = json(create_raw(&app, body).await, StatusCode::CREATED).await;
    let n = created["metadata"]["n"].as_array().expect("the array");
    assert_eq!(n.len(), 200);
    assert!(n.iter().all(|v| v.as_f64() == Some(1e308)), "{n:?}");
    let _: &Value = &created;
}
