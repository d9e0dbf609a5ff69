//! `If-None-Match` on `GET` (and `HEAD`) of one tenant: `304` with the `ETag` and no body
//! when it names the current version (weak comparison, or `*`); the condition is never
//! evaluated for a tenant the principal cannot see.

use actix_web::http::Method;
use actix_web::test::TestRequest;
use mtdb_domain::GetTenantError;

use crate::helpers::*;

/// A GET (or HEAD) of HSBC Hong Kong as HSBC, with these `If-None-Match` headers.
fn conditional(method: Method, headers: &[&str]) -> TestRequest {
    let mut request = with_token(
        TestRequest::default()
            .method(method)
            .uri(&format!("/api/v1/tenants/{HSBC_HK}")),
        &tenant_token(HSBC),
    );
    for header in headers {
        request = request.append_header(("if-none-match", *header));
    }
    request
}

/// The service holds HSBC Hong Kong at version 4.
fn at_version_4() -> TestApp {
    let mut app = TestApp::new();
    app.service
        .expect_get()
        .times(1)
        .returning(|_, _| Ok(tenant(HSBC_HK, "HSBC Hong Kong", Some(HSBC), 4)));
    app
}

#[actix_web::test]
async fn naming_the_current_version_is_304_with_the_etag_and_no_body() {
    for headers in [
        &["\"4\""][..],
        &["W/\"4\""],
        &["*"],
        &["\"3\", W/\"4\""],
        &["\"3\"", "\"4\""],
    ] {
        for method in [Method::GET, Method::HEAD] {
            let reply = at_version_4()
                .send(conditional(method.clone(), headers))
                .await;
            assert_eq!(reply.status, 304, "{method} {headers:?}");
            assert_eq!(reply.header("etag"), Some("\"4\""), "{headers:?}");
            assert!(reply.body.is_empty(), "{headers:?}");
            assert_eq!(reply.header("content-type"), None, "{headers:?}");
        }
    }
}

#[actix_web::test]
async fn any_other_tag_is_a_full_200() {
    for headers in [
        &["\"3\""][..],
        &["\"04\""],
        &["W/\"04\""],
        &["\"3\", \"5\""],
    ] {
        let reply = at_version_4().send(conditional(Method::GET, headers)).await;
        assert_eq!(reply.status, 200, "{headers:?}");
        assert_eq!(reply.header("etag"), Some("\"4\""));
        assert_eq!(reply.json()["name"], "HSBC Hong Kong");
    }
}

/// A value that holds no readable tag is refused before any tenant is looked up, so the
/// answer is the same for every tenant, visible or not.
#[actix_web::test]
async fn an_unreadable_condition_is_400_saying_how_to_write_one() {
    for headers in [
        &["\"4 \""][..],
        &["4"],
        &[""],
        &["null"],
        &["\"4\", garbage"],
    ] {
        let reply = TestApp::new().send(conditional(Method::GET, headers)).await;
        reply.assert_invalid("If-None-Match");
        let message = reply.json()["error"]["message"].to_string();
        assert!(
            message.contains("quotes included"),
            "{headers:?}: {message}"
        );
    }
}

#[actix_web::test]
async fn an_invisible_tenant_is_404_whatever_the_condition() {
    for headers in [&["*"][..], &["\"1\""], &[]] {
        let mut app = TestApp::new();
        app.service
            .expect_get()
            .times(1)
            .returning(|_, _| Err(GetTenantError::NotFound));
        let reply = app.send(conditional(Method::GET, headers)).await;
        reply.assert_error(404, "NOT_FOUND");
        assert_eq!(reply.header("etag"), None);
    }
}

#[actix_web::test]
async fn authentication_still_comes_first() {
    // No token: the mock has no expectation, so reaching the service would fail the test.
    let request = TestRequest::get()
        .uri(&format!("/api/v1/tenants/{HSBC_HK}"))
        .insert_header(("if-none-match", "*"));
    let reply = TestApp::new().send(request).await;
    reply.assert_error(401, "UNAUTHENTICATED");
}
