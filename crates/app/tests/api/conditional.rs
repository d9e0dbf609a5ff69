//! Conditional requests through the real server: `If-None-Match` gives `304` for the
//! version the client holds and `200` once it changed; tags compare exactly; a tenant the
//! principal cannot see is `404` whatever the condition.

use reqwest::{Method, Response, StatusCode};
use serde_json::json;

use crate::helpers::*;

async fn get_if_none_match(
    app: &TestApp,
    method: Method,
    who: As,
    id: &str,
    tag: &str,
) -> Response {
    app.client
        .request(method, app.url(&format!("/api/v1/tenants/{id}")))
        .bearer_auth(app.token(who))
        .header("If-None-Match", tag)
        .send()
        .await
        .expect("conditional GET")
}

#[tokio::test]
async fn a_client_holding_the_current_version_gets_304_until_it_changes() {
    let app = TestApp::spawn().await;
    let first = app.get_tenant(As::Tenant(HSBC), HSBC_LONDON).await;
    assert_eq!(first.status(), StatusCode::OK);
    let etag = header(&first, "etag");

    for method in [Method::GET, Method::HEAD] {
        let again =
            get_if_none_match(&app, method.clone(), As::Tenant(HSBC), HSBC_LONDON, &etag).await;
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{method}");
        assert_eq!(header(&again, "etag"), etag);
        assert!(again.bytes().await.expect("body").is_empty());
    }
    let weak = format!("W/{etag}");
    let again = get_if_none_match(&app, Method::GET, As::Tenant(HSBC), HSBC_LONDON, &weak).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);

    let update = app
        .update(
            As::Tenant(HSBC),
            HSBC_LONDON,
            &json!({"name": "HSBC London", "metadata": {"desk": "fx"}}),
            Some(&etag),
        )
        .await;
    assert_eq!(update.status(), StatusCode::OK);
    let new_etag = header(&update, "etag");
    assert_ne!(new_etag, etag);

    let changed = get_if_none_match(&app, Method::GET, As::Tenant(HSBC), HSBC_LONDON, &etag).await;
    assert_eq!(header(&changed, "etag"), new_etag);
    let body = json(changed, StatusCode::OK).await;
    assert_eq!(body["metadata"], json!({"desk": "fx"}));
}

#[tokio::test]
async fn an_invisible_tenant_is_404_even_for_if_none_match_star() {
    let app = TestApp::spawn().await;
    let missing = "00000000-0000-4000-8000-0000000000ff";
    for id in [HSBC_LONDON, missing] {
        let reply = get_if_none_match(&app, Method::GET, As::Tenant(BARCLAYS), id, "*").await;
        assert!(reply.headers().get("etag").is_none());
        let (code, _) = error_code(reply, StatusCode::NOT_FOUND).await;
        assert_eq!(code, "NOT_FOUND", "{id}");
    }
}

#[tokio::test]
async fn if_match_compares_etags_exactly() {
    let app = TestApp::spawn().await;
    let etag = header(&app.get_tenant(As::Admin, BARCLAYS_UK).await, "etag");
    let version = etag.trim_matches('"');
    let body = json!({"name": "Barclays UK", "metadata": {"tier": 1}});
    for lookalike in [
        format!("\"0{version}\""),
        format!("\"+{version}\""),
        format!("W/{etag}"),
    ] {
        let reply = app
            .update(As::Admin, BARCLAYS_UK, &body, Some(&lookalike))
            .await;
        let (code, _) = error_code(reply, StatusCode::PRECONDITION_FAILED).await;
        assert_eq!(code, "PRECONDITION_FAILED", "{lookalike}");
    }
    // Not entity tags at all (a space inside the quotes, the quotes stripped): 400, so
    // that a client learns how to send the tag instead of refetching for ever.
    for garbled in [format!("\"{version} \""), version.to_owned()] {
        let reply = app
            .update(As::Admin, BARCLAYS_UK, &body, Some(&garbled))
            .await;
        let (code, _) = error_code(reply, StatusCode::BAD_REQUEST).await;
        assert_eq!(code, "VALIDATION_ERROR", "{garbled}");
    }
    let unchanged = app.get_tenant(As::Admin, BARCLAYS_UK).await;
    assert_eq!(header(&unchanged, "etag"), etag);
}
