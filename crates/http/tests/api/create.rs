use actix_web::test::TestRequest;
use mtdb_domain::{fixture, CreateTenantError, Metadata, NewTenant, Placement, StoreError};
use serde_json::{json, Value};

use crate::helpers::*;

fn post(body: &Value) -> TestRequest {
    json_body(as_admin(TestRequest::post().uri("/api/v1/tenants")), body)
}

fn hsbc_hong_kong() -> Value {
    json!({
        "name": "  HSBC Hong Kong ",
        "tenant_type": "subsidiary",
        "parent_tenant_id": HSBC,
        "metadata": {"country": "Hong Kong"}
    })
}

#[actix_web::test]
async fn creates_a_subsidiary_with_location_etag_and_the_tenant() {
    // Arrange
    let mut app = TestApp::new();
    let expected = NewTenant {
        metadata: Metadata::parse(Some(json!({"country": "Hong Kong"}))).expect("valid"),
        ..fixture::new_tenant("HSBC Hong Kong", Placement::SubsidiaryOf(id(HSBC)))
    };
    app.service
        .expect_create()
        .withf(move |actor, new| actor.subject.as_str() == "test-user" && *new == expected)
        .times(1)
        .returning(|_, _| Ok(tenant(HSBC_HK, "HSBC Hong Kong", Some(HSBC), 1)));

    // Act
    let reply = app.send(post(&hsbc_hong_kong())).await;

    // Assert
    assert_eq!(reply.status, 201);
    assert_eq!(
        reply.header("location"),
        Some(&*format!("/api/v1/tenants/{HSBC_HK}"))
    );
    assert_eq!(reply.header("etag"), Some("\"1\""));
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(
        reply.json(),
        tenant_json(HSBC_HK, "HSBC Hong Kong", Some(HSBC))
    );
}

#[actix_web::test]
async fn a_parent_has_a_null_parent_and_absent_metadata_is_empty() {
    let mut app = TestApp::new();
    app.service
        .expect_create()
        .withf(|_, new| new.placement == Placement::TopLevel && new.metadata.as_map().is_empty())
        .returning(|_, _| Ok(tenant(BARCLAYS, "Barclays", None, 1)));

    let body = json!({"name": "Barclays", "tenant_type": "parent", "parent_tenant_id": null});
    let reply = app.send(post(&body)).await;

    assert_eq!(reply.status, 201);
    assert_eq!(reply.json()["parent_tenant_id"], Value::Null);
    assert_eq!(reply.json()["tenant_type"], "parent");
}

#[actix_web::test]
async fn accepts_unicode_up_to_the_longest_name() {
    let longest = format!("汇丰银行{}", "é".repeat(196));
    let mut app = TestApp::new();
    app.service
        .expect_create()
        .times(1)
        .returning(|_, new| Ok(tenant(HSBC, new.name.as_str(), None, 1)));

    let reply = app
        .send(post(&json!({"name": longest, "tenant_type": "parent"})))
        .await;

    assert_eq!(reply.status, 201);
    assert_eq!(reply.json()["name"], longest);
}

#[actix_web::test]
async fn every_invalid_body_names_its_field() {
    let long_name = "x".repeat(201);
    let big_metadata = json!({"blob": "x".repeat(64 * 1024)});
    let cases: Vec<(Value, &str)> = vec![
        (json!([]), "body"),
        (json!("HSBC"), "body"),
        (
            json!({"name": "A", "tenant_type": "parent", "colour": "red"}),
            "colour",
        ),
        (
            json!({"name": "A", "tenant_type": "parent", "tenant_id": HSBC}),
            "tenant_id",
        ),
        (json!({"tenant_type": "parent"}), "name"),
        (json!({"name": null, "tenant_type": "parent"}), "name"),
        (json!({"name": 42, "tenant_type": "parent"}), "name"),
        (json!({"name": "   ", "tenant_type": "parent"}), "name"),
        (json!({"name": long_name, "tenant_type": "parent"}), "name"),
        (
            json!({"name": "HSBC\u{7}", "tenant_type": "parent"}),
            "name",
        ),
        (
            json!({"name": "line\nbreak", "tenant_type": "parent"}),
            "name",
        ),
        (json!({"name": "A"}), "tenant_type"),
        (
            json!({"name": "A", "tenant_type": "holding"}),
            "tenant_type",
        ),
        (json!({"name": "A", "tenant_type": 1}), "tenant_type"),
        (
            json!({"name": "A", "tenant_type": "subsidiary", "parent_tenant_id": "hsbc"}),
            "parent_tenant_id",
        ),
        (
            json!({"name": "A", "tenant_type": "subsidiary", "parent_tenant_id": 7}),
            "parent_tenant_id",
        ),
        // Spellings of HSBC's id that the `uuid` crate would read as HSBC.
        (
            json!({"name": "A", "tenant_type": "subsidiary", "parent_tenant_id": format!("{{{HSBC}}}")}),
            "parent_tenant_id",
        ),
        (
            json!({"name": "A", "tenant_type": "subsidiary", "parent_tenant_id": format!("urn:uuid:{HSBC}")}),
            "parent_tenant_id",
        ),
        (
            json!({"name": "A", "tenant_type": "subsidiary", "parent_tenant_id": HSBC.replace('-', "")}),
            "parent_tenant_id",
        ),
        (
            json!({"name": "A", "tenant_type": "parent", "metadata": []}),
            "metadata",
        ),
        (
            json!({"name": "A", "tenant_type": "parent", "metadata": "x"}),
            "metadata",
        ),
        (
            json!({"name": "A", "tenant_type": "parent", "metadata": null}),
            "metadata",
        ),
        (
            json!({"name": "A", "tenant_type": "parent", "metadata": big_metadata}),
            "metadata",
        ),
        // Type and parent must agree.
        (
            json!({"name": "A", "tenant_type": "parent", "parent_tenant_id": HSBC}),
            "parent_tenant_id",
        ),
        (
            json!({"name": "A", "tenant_type": "subsidiary"}),
            "parent_tenant_id",
        ),
        (
            json!({"name": "A", "tenant_type": "subsidiary", "parent_tenant_id": null}),
            "parent_tenant_id",
        ),
    ];
    for (body, field) in cases {
        // No expectation on the service: reaching it would fail the test.
        let reply = TestApp::new().send(post(&body)).await;
        assert_eq!(reply.status, 400, "{body}");
        reply.assert_invalid(field);
    }
}

#[actix_web::test]
async fn domain_refusals_map_to_their_status_and_code() {
    let cases: Vec<ErrorCase<CreateTenantError>> = vec![
        (|| CreateTenantError::Forbidden, 403, "FORBIDDEN"),
        (|| CreateTenantError::ParentNotFound, 404, "NOT_FOUND"),
        (|| CreateTenantError::DuplicateName, 409, "DUPLICATE_NAME"),
        (
            || CreateTenantError::HierarchyDepthExceeded,
            409,
            "HIERARCHY_DEPTH_EXCEEDED",
        ),
    ];
    for (error, status, code) in cases {
        let mut app = TestApp::new();
        app.service
            .expect_create()
            .returning(move |_, _| Err(error()));
        let reply = app.send(post(&hsbc_hong_kong())).await;
        let details = reply.assert_error(status, code);
        assert_eq!(details, json!({}));
    }
}

#[actix_web::test]
async fn an_unavailable_store_is_503_with_retry_after() {
    let mut app = TestApp::new();
    app.service.expect_create().returning(|_, _| {
        let cause = std::io::Error::other("pool timed out after 3000 ms");
        Err(CreateTenantError::Store(StoreError::Unavailable(Box::new(
            cause,
        ))))
    });
    let reply = app.send(post(&hsbc_hong_kong())).await;
    reply.assert_error(503, "SERVICE_UNAVAILABLE");
    assert_eq!(reply.header("retry-after"), Some("5"));
    assert!(!String::from_utf8_lossy(&reply.body).contains("pool"));
}

#[actix_web::test]
async fn an_internal_failure_is_500_and_leaks_nothing() {
    let mut app = TestApp::new();
    app.service.expect_create().returning(|_, _| {
        let cause = std::io::Error::other("relation \"tenants\" does not exist; SELECT secret");
        Err(CreateTenantError::Store(StoreError::Internal(Box::new(
            cause,
        ))))
    });
    let reply = app.send(post(&hsbc_hong_kong())).await;
    reply.assert_error(500, "INTERNAL_ERROR");
    assert_eq!(
        reply.json()["error"]["message"],
        "an internal error occurred"
    );
    let body = String::from_utf8_lossy(&reply.body);
    assert!(
        !body.contains("relation") && !body.contains("SELECT"),
        "{body}"
    );
}

#[actix_web::test]
async fn unknown_query_parameters_are_refused() {
    let request = json_body(
        as_admin(TestRequest::post().uri("/api/v1/tenants?dry_run=true")),
        &hsbc_hong_kong(),
    );
    TestApp::new().send(request).await.assert_invalid("dry_run");
}
