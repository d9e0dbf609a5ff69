use actix_web::test::TestRequest;

use crate::helpers::*;

#[actix_web::test]
async fn unknown_routes_are_404_in_the_envelope() {
    for uri in [
        "/",
        "/api/v1/tenant",
        "/api/v2/tenants",
        "/api/v1/tenants/x/y",
        "/api/v1/tenants/",
    ] {
        let reply = TestApp::new()
            .send(as_admin(TestRequest::get().uri(uri)))
            .await;
        reply.assert_error(404, "NOT_FOUND");
    }
}

#[actix_web::test]
async fn a_wrong_method_is_405_with_allow() {
    let cases = [
        (
            TestRequest::patch().uri("/api/v1/tenants"),
            ["GET", "HEAD", "POST"].as_slice(),
        ),
        (
            TestRequest::delete().uri("/api/v1/tenants"),
            ["GET", "HEAD", "POST"].as_slice(),
        ),
        (
            TestRequest::post().uri(&format!("/api/v1/tenants/{HSBC}")),
            ["DELETE", "GET", "HEAD", "PUT"].as_slice(),
        ),
        (
            TestRequest::patch().uri(&format!("/api/v1/tenants/{HSBC}")),
            ["DELETE", "GET", "HEAD", "PUT"].as_slice(),
        ),
        (
            TestRequest::post().uri("/health"),
            ["GET", "HEAD"].as_slice(),
        ),
        (
            TestRequest::put().uri("/openapi.json"),
            ["GET", "HEAD"].as_slice(),
        ),
        (
            TestRequest::delete().uri("/docs"),
            ["GET", "HEAD"].as_slice(),
        ),
    ];
    for (request, allowed) in cases {
        let reply = TestApp::new().send(as_admin(request)).await;
        reply.assert_error(405, "METHOD_NOT_ALLOWED");
        let mut allow: Vec<&str> = reply
            .header("allow")
            .map(|value| value.split(',').map(str::trim).collect())
            .unwrap_or_default();
        allow.sort_unstable();
        assert_eq!(allow, allowed);
    }
}
