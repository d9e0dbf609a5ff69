use actix_web::test::TestRequest;
use mtdb_domain::{fixture, Metadata, Precondition, UpdateTenantError, Version};
use serde_json::{json, Value};

use crate::helpers::*;

fn put(body: &Value) -> TestRequest {
    json_body(
        with_token(
            TestRequest::put().uri(&format!("/api/v1/tenants/{HSBC_HK}")),
            &tenant_token(HSBC),
        ),
        body,
    )
}

fn rename() -> Value {
    json!({"name": "HSBC Hong Kong Ltd", "metadata": {"country": "Hong Kong"}})
}

/// An app whose service expects exactly this precondition and answers `answer`.
fn expecting(
    precondition: Precondition,
    answer: fn() -> Result<mtdb_domain::Tenant, UpdateTenantError>,
) -> TestApp {
    let mut app = TestApp::new();
    app.service
        .expect_update()
        .withf(move |_, tenant_id, _, given| *tenant_id == id(HSBC_HK) && *given == precondition)
        .times(1)
        .returning(move |_, _, _, _| answer());
    app
}

#[actix_web::test]
async fn replaces_name_and_metadata_and_answers_the_new_etag() {
    let mut app = TestApp::new();
    let metadata = Metadata::parse(Some(json!({"country": "Hong Kong"}))).expect("valid");
    let expected = fixture::changes("HSBC Hong Kong Ltd", metadata);
    app.service
        .expect_update()
        .withf(move |_, _, changes, precondition| {
            *changes == expected && *precondition == Precondition::None
        })
        .times(1)
        .returning(|_, _, _, _| Ok(tenant(HSBC_HK, "HSBC Hong Kong Ltd", Some(HSBC), 4)));

    let reply = app.send(put(&rename())).await;

    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("etag"), Some("\"4\""));
    assert_eq!(reply.json()["name"], "HSBC Hong Kong Ltd");
}

#[actix_web::test]
async fn if_match_is_parsed_into_the_precondition() {
    let ok = || Ok(tenant(HSBC_HK, "HSBC Hong Kong Ltd", Some(HSBC), 4));
    let cases = [
        ("*", Precondition::AnyVersion),
        ("\"3\"", Precondition::OneOf(vec![Version::new(3)])),
        (
            "\"2\", \"3\"",
            Precondition::OneOf(vec![Version::new(2), Version::new(3)]),
        ),
        ("W/\"3\"", Precondition::OneOf(vec![])),
    ];
    for (header, precondition) in cases {
        let app = expecting(precondition, ok);
        let reply = app
            .send(put(&rename()).insert_header(("if-match", header)))
            .await;
        assert_eq!(reply.status, 200, "{header}");
    }
}

/// ETags are opaque strings compared exactly: `"04"` or `"4 "` is not `"4"`, so neither
/// names version 4 (the old parser read both as 4); weak tags never match `If-Match`.
#[actix_web::test]
async fn if_match_compares_tags_exactly_and_strongly() {
    let ok = || Ok(tenant(HSBC_HK, "HSBC Hong Kong Ltd", Some(HSBC), 4));
    let v = Version::new;
    let cases: [(&[&str], Precondition); 6] = [
        (&["\"04\""], Precondition::OneOf(vec![])),
        (&["\"+4\""], Precondition::OneOf(vec![])),
        (&["W/\"4\""], Precondition::OneOf(vec![])),
        (&["\"04\", W/\"4\", \"4\""], Precondition::OneOf(vec![v(4)])),
        // Repeated headers are one list.
        (&["\"3\"", "\"4\""], Precondition::OneOf(vec![v(3), v(4)])),
        (&[" * "], Precondition::AnyVersion),
    ];
    for (headers, precondition) in cases {
        let app = expecting(precondition, ok);
        let mut request = put(&rename());
        for header in headers {
            request = request.append_header(("if-match", *header));
        }
        assert_eq!(app.send(request).await.status, 200, "{headers:?}");
    }
}

/// Without a well-formed tag there is no condition to evaluate: `400` naming the header
/// and saying how to send it, not a `412` that a client would retry for ever.
#[actix_web::test]
async fn an_if_match_without_a_well_formed_tag_is_400() {
    for header in ["", "null", "3", "garbage", "\"4 \"", "W/3", "*, \"4\""] {
        let reply = TestApp::new()
            .send(put(&rename()).insert_header(("if-match", header)))
            .await;
        reply.assert_invalid("If-Match");
        let message = reply.json()["error"]["message"].to_string();
        assert!(
            message.contains(r#"If-Match: \"3\""#),
            "{header:?}: {message}"
        );
    }
}

#[actix_web::test]
async fn a_stale_if_match_is_412() {
    let app = expecting(Precondition::OneOf(vec![Version::new(3)]), || {
        Err(UpdateTenantError::PreconditionFailed)
    });
    let reply = app
        .send(put(&rename()).insert_header(("if-match", "\"3\"")))
        .await;
    reply.assert_error(412, "PRECONDITION_FAILED");
}

#[actix_web::test]
async fn duplicate_names_and_invisible_tenants() {
    let app = expecting(Precondition::None, || Err(UpdateTenantError::DuplicateName));
    app.send(put(&rename()))
        .await
        .assert_error(409, "DUPLICATE_NAME");
    let app = expecting(Precondition::None, || Err(UpdateTenantError::NotFound));
    app.send(put(&rename()))
        .await
        .assert_error(404, "NOT_FOUND");
}

#[actix_web::test]
async fn a_forbidden_rename_is_403() {
    let app = expecting(Precondition::None, || Err(UpdateTenantError::Forbidden));
    app.send(put(&rename()))
        .await
        .assert_error(403, "FORBIDDEN");
}

#[actix_web::test]
async fn only_name_and_metadata_may_be_sent() {
    let cases = [
        (json!({"name": "A", "tenant_type": "parent"}), "tenant_type"),
        (
            json!({"name": "A", "parent_tenant_id": HSBC}),
            "parent_tenant_id",
        ),
        (json!({"name": "A", "tenant_id": HSBC_HK}), "tenant_id"),
        (json!({"name": "A", "created_at": CREATED_AT}), "created_at"),
        (json!({"metadata": {}}), "name"),
        (json!({"name": ""}), "name"),
        (json!({"name": ["A"]}), "name"),
        (json!({"name": "A", "metadata": [1]}), "metadata"),
    ];
    for (body, field) in cases {
        let reply = TestApp::new().send(put(&body)).await;
        assert_eq!(reply.status, 400, "{body}");
        reply.assert_invalid(field);
    }
}

#[actix_web::test]
async fn a_bad_path_id_is_400_before_the_body_is_judged() {
    let request = json_body(
        as_admin(TestRequest::put().uri("/api/v1/tenants/not-a-uuid")),
        &json!({"tenant_type": "parent"}),
    );
    TestApp::new()
        .send(request)
        .await
        .assert_invalid("tenant_id");
}
