use actix_web::test::TestRequest;
use mtdb_domain::{DeleteMode, DeleteTenantError, Precondition, Version};

use crate::helpers::*;

fn delete(query: &str) -> TestRequest {
    with_token(
        TestRequest::delete().uri(&format!("/api/v1/tenants/{HSBC_LONDON}{query}")),
        &tenant_token(HSBC),
    )
}

fn expecting(
    mode: DeleteMode,
    precondition: Precondition,
    answer: fn() -> Result<(), DeleteTenantError>,
) -> TestApp {
    let mut app = TestApp::new();
    app.service
        .expect_delete()
        .withf(move |_, tenant_id, given_mode, given| {
            *tenant_id == id(HSBC_LONDON) && *given_mode == mode && *given == precondition
        })
        .times(1)
        .returning(move |_, _, _, _| answer());
    app
}

#[actix_web::test]
async fn deletes_with_204_and_no_body() {
    let app = expecting(DeleteMode::Restrict, Precondition::None, || Ok(()));
    let reply = app.send(delete("")).await;
    assert_eq!(reply.status, 204);
    assert!(reply.body.is_empty());
}

#[actix_web::test]
async fn cascade_is_true_or_false() {
    for (query, mode) in [
        ("?cascade=true", DeleteMode::Cascade),
        ("?cascade=false", DeleteMode::Restrict),
    ] {
        let app = expecting(mode, Precondition::None, || Ok(()));
        assert_eq!(app.send(delete(query)).await.status, 204, "{query}");
    }
    for query in ["?cascade=yes", "?cascade=1", "?cascade=TRUE", "?cascade="] {
        TestApp::new()
            .send(delete(query))
            .await
            .assert_invalid("cascade");
    }
    TestApp::new()
        .send(delete("?force=true"))
        .await
        .assert_invalid("force");
}

#[actix_web::test]
async fn refusals_keep_their_codes() {
    let cases: Vec<ErrorCase<Result<(), DeleteTenantError>>> = vec![
        (|| Err(DeleteTenantError::NotFound), 404, "NOT_FOUND"),
        (|| Err(DeleteTenantError::Forbidden), 403, "FORBIDDEN"),
        (
            || Err(DeleteTenantError::HasSubsidiaries),
            409,
            "HAS_SUBSIDIARIES",
        ),
    ];
    for (answer, status, code) in cases {
        let app = expecting(DeleteMode::Restrict, Precondition::None, answer);
        app.send(delete("")).await.assert_error(status, code);
    }
}

#[actix_web::test]
async fn a_stale_if_match_is_412() {
    let precondition = Precondition::OneOf(vec![Version::new(1), Version::new(2)]);
    let app = expecting(DeleteMode::Cascade, precondition, || {
        Err(DeleteTenantError::PreconditionFailed)
    });
    let request = delete("?cascade=true").insert_header(("if-match", "\"1\", W/\"9\", \"2\""));
    app.send(request)
        .await
        .assert_error(412, "PRECONDITION_FAILED");
}
