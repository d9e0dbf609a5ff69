use actix_web::test::TestRequest;
use mtdb_domain::{ListQuery, PageLimit, TenantPage, TenantType};
use serde_json::json;

use crate::helpers::*;

fn list(query: &str) -> TestRequest {
    with_token(
        TestRequest::get().uri(&format!("/api/v1/tenants{query}")),
        &tenant_token(HSBC),
    )
}

pub(crate) fn page_of(query: &ListQuery) -> TenantPage {
    TenantPage {
        tenants: vec![
            tenant(HSBC, "HSBC", None, 1),
            tenant(HSBC_HK, "HSBC Hong Kong", Some(HSBC), 2),
        ],
        total_count: 3,
        limit: query.limit,
        offset: query.offset,
    }
}

#[actix_web::test]
async fn defaults_to_the_first_100_and_answers_the_page() {
    let mut app = TestApp::new();
    app.service
        .expect_list()
        .withf(|actor, query| {
            actor.principal == mtdb_domain::Principal::Tenant(id(HSBC))
                && *query == ListQuery::default()
        })
        .times(1)
        .returning(|_, query| Ok(page_of(&query).into()));

    let reply = app.send(list("")).await;

    assert_eq!(reply.status, 200);
    let body = reply.json();
    assert_eq!(body["total_count"], 3);
    assert_eq!(body["limit"], 100);
    assert_eq!(body["offset"], 0);
    assert_eq!(body["tenants"][0]["tenant_id"], HSBC);
    assert_eq!(body["tenants"][1]["parent_tenant_id"], HSBC);
    assert_eq!(body["tenants"].as_array().map(Vec::len), Some(2));
    let mut keys: Vec<&str> = body
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    keys.sort_unstable();
    assert_eq!(keys, ["limit", "offset", "tenants", "total_count"]);
}

#[actix_web::test]
async fn passes_limit_offset_and_type_on() {
    let mut app = TestApp::new();
    let expected = ListQuery {
        limit: PageLimit::parse(1000).expect("valid"),
        offset: 10,
        tenant_type: Some(TenantType::Subsidiary),
    };
    app.service
        .expect_list()
        .withf(move |_, query| *query == expected)
        .times(1)
        .returning(|_, query| Ok(page_of(&query).into()));

    let reply = app
        .send(list("?limit=1000&offset=10&tenant_type=subsidiary"))
        .await;

    assert_eq!(reply.status, 200);
    let body = reply.json();
    assert_eq!(
        (&body["limit"], &body["offset"]),
        (&json!(1000), &json!(10))
    );
}

#[actix_web::test]
async fn every_bad_parameter_is_named() {
    let cases = [
        ("?limit=0", "limit"),
        ("?limit=1001", "limit"),
        ("?limit=-5", "limit"),
        ("?limit=ten", "limit"),
        ("?limit=", "limit"),
        ("?limit=99999999999999999999", "limit"),
        ("?offset=-1", "offset"),
        ("?offset=1.5", "offset"),
        ("?tenant_type=holding", "tenant_type"),
        ("?tenant_type=Parent", "tenant_type"),
        ("?page=2", "page"),
        ("?limit=5&limit=6", "limit"),
    ];
    for (query, field) in cases {
        let reply = TestApp::new().send(list(query)).await;
        assert_eq!(reply.status, 400, "{query}");
        reply.assert_invalid(field);
    }
}
