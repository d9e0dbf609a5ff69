//! The transport of a JSON body: media type, size and syntax, judged before any field.

use actix_web::test::TestRequest;

use crate::helpers::*;

fn hsbc_hong_kong() -> String {
    serde_json::json!({
        "name": "HSBC Hong Kong",
        "tenant_type": "subsidiary",
        "parent_tenant_id": HSBC,
    })
    .to_string()
}

#[actix_web::test]
async fn malformed_json_is_a_validation_error() {
    for raw in [
        "{",
        "",
        "{\"name\": \"A\",}",
        "nul",
        "{\"name\": \"A\"} trailing",
    ] {
        let request = as_admin(TestRequest::post().uri("/api/v1/tenants"))
            .insert_header(("content-type", "application/json"))
            .set_payload(raw);
        TestApp::new().send(request).await.assert_invalid("body");
    }
}

/// serde_json keeps the last of two equal member names; the server refuses the body, by
/// the member's path, before the service is called.
#[actix_web::test]
async fn a_member_named_twice_is_refused_by_name() {
    for (raw, field) in [
        (r#"{"name":"A","name":"B","tenant_type":"parent"}"#, "name"),
        (
            r#"{"name":"A","tenant_type":"parent","metadata":{"k":1,"k":2}}"#,
            "metadata.k",
        ),
    ] {
        let request = as_admin(TestRequest::post().uri("/api/v1/tenants"))
            .insert_header(("content-type", "application/json"))
            .set_payload(raw);
        TestApp::new().send(request).await.assert_invalid(field);
    }
}

#[actix_web::test]
async fn a_lone_surrogate_is_named_as_such() {
    let request = as_admin(TestRequest::post().uri("/api/v1/tenants"))
        .insert_header(("content-type", "application/json"))
        .set_payload(r#"{"name":"\ud800","tenant_type":"parent"}"#);
    let reply = TestApp::new().send(request).await;
    reply.assert_invalid("body");
    let message = reply.json()["error"]["message"].to_string();
    assert!(message.contains("lone UTF-16 surrogate"), "{message}");
}

#[actix_web::test]
async fn the_body_must_be_json() {
    let base = || as_admin(TestRequest::post().uri("/api/v1/tenants"));
    let body = hsbc_hong_kong();
    let requests = vec![
        base().set_payload(body.clone()),
        base()
            .insert_header(("content-type", "text/plain"))
            .set_payload(body.clone()),
        base()
            .insert_header(("content-type", "application/x-www-form-urlencoded"))
            .set_payload("name=HSBC"),
        base()
            .insert_header(("content-type", "application/json"))
            .insert_header(("content-encoding", "gzip"))
            .set_payload(body.clone()),
    ];
    for request in requests {
        TestApp::new()
            .send(request)
            .await
            .assert_error(415, "UNSUPPORTED_MEDIA_TYPE");
    }
}

#[actix_web::test]
async fn json_with_a_charset_or_a_json_suffix_is_accepted() {
    for content_type in [
        "application/json; charset=utf-8",
        "application/merge-patch+json",
    ] {
        let mut app = TestApp::new();
        app.service
            .expect_create()
            .returning(|_, _| Ok(tenant(HSBC_HK, "HSBC Hong Kong", Some(HSBC), 1)));
        let request = as_admin(TestRequest::post().uri("/api/v1/tenants"))
            .insert_header(("content-type", content_type))
            .set_payload(hsbc_hong_kong());
        assert_eq!(app.send(request).await.status, 201, "{content_type}");
    }
}

#[actix_web::test]
async fn bodies_over_256_kib_are_413_by_declared_and_by_streamed_size() {
    let big = format!(
        r#"{{"name": "A", "tenant_type": "parent", "metadata": {{"x": "{}"}}}}"#,
        "x".repeat(256 * 1024)
    );
    // Declared: Content-Length says too much.
    let declared = json_body_raw(&big);
    TestApp::new()
        .send(declared)
        .await
        .assert_error(413, "PAYLOAD_TOO_LARGE");
    // Streamed: the header understates, the bytes do not.
    let streamed = json_body_raw(&big).insert_header(("content-length", "100"));
    TestApp::new()
        .send(streamed)
        .await
        .assert_error(413, "PAYLOAD_TOO_LARGE");
}

#[actix_web::test]
async fn a_body_of_exactly_256_kib_is_read() {
    // Padded with white space to exactly the limit: read, then judged on its content.
    let body = r#"{"name": "A", "tenant_type": "parent", "metadata": []}"#;
    let padded = format!("{body}{}", " ".repeat(256 * 1024 - body.len()));
    TestApp::new()
        .send(json_body_raw(&padded))
        .await
        .assert_invalid("metadata");
}

fn json_body_raw(raw: &str) -> TestRequest {
    as_admin(TestRequest::post().uri("/api/v1/tenants"))
        .insert_header(("content-type", "application/json"))
        .set_payload(raw.to_owned())
}

#[actix_web::test]
async fn the_query_is_judged_before_the_body() {
    let request = as_admin(TestRequest::post().uri("/api/v1/tenants?dry_run=true"))
        .insert_header(("content-type", "text/plain"))
        .set_payload("{");
    TestApp::new().send(request).await.assert_invalid("dry_run");
}
