use actix_web::test::TestRequest;
use mtdb_domain::{GetTenantError, Principal, StoreError};

use crate::helpers::*;

fn get(tenant_id: &str, token: &str) -> TestRequest {
    with_token(
        TestRequest::get().uri(&format!("/api/v1/tenants/{tenant_id}")),
        token,
    )
}

#[actix_web::test]
async fn answers_the_tenant_with_a_strong_etag() {
    let mut app = TestApp::new();
    app.service
        .expect_get()
        .withf(|actor, tenant_id| {
            actor.principal == Principal::Tenant(id(HSBC)) && *tenant_id == id(HSBC_HK)
        })
        .times(1)
        .returning(|_, _| Ok(tenant(HSBC_HK, "HSBC Hong Kong", Some(HSBC), 7)));

    let reply = app.send(get(HSBC_HK, &tenant_token(HSBC))).await;

    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("etag"), Some("\"7\""));
    assert_eq!(
        reply.json(),
        tenant_json(HSBC_HK, "HSBC Hong Kong", Some(HSBC))
    );
}

#[actix_web::test]
async fn invisible_and_missing_tenants_answer_byte_identically() {
    // Barclays asks for HSBC Hong Kong (exists, invisible) and for an id nobody has.
    let missing = "00000000-0000-4000-8000-0000000000ff";
    let mut replies = Vec::new();
    for target in [HSBC_HK, missing] {
        let mut app = TestApp::new();
        app.service
            .expect_get()
            .returning(|_, _| Err(GetTenantError::NotFound));
        replies.push(app.send(get(target, &tenant_token(BARCLAYS))).await);
    }
    replies[0].assert_error(404, "NOT_FOUND");
    assert_eq!(replies[0].body, replies[1].body);
    assert_eq!(replies[0].status, replies[1].status);
    let mut headers: Vec<_> = replies
        .iter()
        .map(|r| {
            let mut names: Vec<_> = r.headers.keys().map(|k| k.as_str().to_owned()).collect();
            names.sort();
            names
        })
        .collect();
    headers.dedup();
    assert_eq!(headers.len(), 1, "same header names: {headers:?}");
}

#[actix_web::test]
async fn a_path_id_in_either_case_is_read() {
    let mut app = TestApp::new();
    app.service
        .expect_get()
        .withf(|_, tenant_id| *tenant_id == id(HSBC_HK))
        .times(1)
        .returning(|_, _| Ok(tenant(HSBC_HK, "HSBC Hong Kong", Some(HSBC), 1)));
    let upper = HSBC_HK.to_uppercase();
    assert_eq!(app.send(get(&upper, &admin_token())).await.status, 200);
}

#[actix_web::test]
async fn a_path_id_that_is_not_a_uuid_is_400() {
    for bad in ["hsbc", "1", "00000000-0000-4000-8000-00000000000", "%00"] {
        let reply = TestApp::new().send(get(bad, &admin_token())).await;
        reply.assert_invalid("tenant_id");
    }
}

/// Other spellings of HSBC's id that the `uuid` crate reads as the same id.
const HSBC_SPELLINGS: [&str; 4] = [
    "%7B00000000-0000-4000-8000-000000000001%7D",
    "urn:uuid:00000000-0000-4000-8000-000000000001",
    "00000000000040008000000000000001",
    "URN:UUID:00000000-0000-4000-8000-000000000001",
];

#[actix_web::test]
async fn a_path_id_in_another_spelling_is_400() {
    // No expectation on the service: reaching it would fail the test.
    for bad in HSBC_SPELLINGS {
        let reply = TestApp::new().send(get(bad, &admin_token())).await;
        reply.assert_invalid("tenant_id");
    }
}

#[actix_web::test]
async fn store_failures_are_503_and_500() {
    let cases: Vec<ErrorCase<StoreError>> = vec![
        (
            || StoreError::Unavailable(Box::new(std::io::Error::other("down"))),
            503,
            "SERVICE_UNAVAILABLE",
        ),
        (
            || StoreError::Internal(Box::new(std::io::Error::other("syntax error at or near"))),
            500,
            "INTERNAL_ERROR",
        ),
    ];
    for (error, status, code) in cases {
        let mut app = TestApp::new();
        app.service
            .expect_get()
            .returning(move |_, _| Err(GetTenantError::Store(error())));
        let reply = app.send(get(HSBC, &admin_token())).await;
        reply.assert_error(status, code);
        assert!(!String::from_utf8_lossy(&reply.body).contains("syntax"));
    }
}
