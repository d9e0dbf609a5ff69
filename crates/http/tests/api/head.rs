//! `HEAD` wherever `GET` is: the same status and headers. (That the body is dropped on
//! the wire is checked against the real server in `edges.rs`.)

use actix_web::http::Method;
use actix_web::test::TestRequest;

use crate::helpers::*;

/// An app whose mocks answer any number of calls, as a `GET` and a `HEAD` both need.
fn app() -> TestApp {
    let mut app = TestApp::new();
    app.service
        .expect_get()
        .returning(|_, _| Ok(tenant(HSBC, "HSBC", None, 3)));
    app.service
        .expect_list()
        .returning(|_, query| Ok(crate::list::page_of(&query).into()));
    app.service.expect_list_head().returning(|_| Ok(()));
    app.health.expect_check().returning(|| Ok(()));
    app
}

fn request(method: Method, uri: &str) -> TestRequest {
    as_admin(TestRequest::default().method(method).uri(uri))
}

/// The headers that must agree: everything but the per-request id and the date.
fn comparable(reply: &Reply) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = reply
        .headers
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "x-request-id" | "date"))
        .map(|(name, value)| {
            (
                name.to_string(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    headers.sort();
    headers
}

#[actix_web::test]
async fn head_answers_like_get_on_every_readable_route() {
    let hsbc = format!("/api/v1/tenants/{HSBC}");
    for uri in [
        "/api/v1/tenants",
        hsbc.as_str(),
        "/health",
        "/openapi.json",
        "/docs",
    ] {
        let get = app().send(request(Method::GET, uri)).await;
        let head = app().send(request(Method::HEAD, uri)).await;
        assert_eq!(get.status, 200, "{uri}");
        assert_eq!(head.status, get.status, "{uri}");
        assert_eq!(comparable(&head), comparable(&get), "{uri}");
    }
}

#[actix_web::test]
async fn head_is_authenticated_and_validated_like_get() {
    let reply = TestApp::new()
        .send(
            TestRequest::default()
                .method(Method::HEAD)
                .uri("/api/v1/tenants"),
        )
        .await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
    let reply = TestApp::new()
        .send(request(Method::HEAD, "/api/v1/tenants/hsbc"))
        .await;
    assert_eq!(reply.status, 400);
}
