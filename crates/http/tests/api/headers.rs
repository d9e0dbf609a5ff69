use actix_web::test::TestRequest;
use uuid::Uuid;

use crate::helpers::*;

fn with_request_id(request: TestRequest, id: &str) -> TestRequest {
    request.insert_header(("x-request-id", id))
}

#[actix_web::test]
async fn a_sane_client_request_id_is_echoed_on_every_response() {
    let longest = "r".repeat(128);
    let requests = [
        // Success, auth failure, unknown route, wrong method.
        (as_admin(TestRequest::get().uri("/openapi.json")), "req-1"),
        (TestRequest::get().uri("/api/v1/tenants"), "abc_DEF.123:~!"),
        (TestRequest::get().uri("/nope"), longest.as_str()),
        (TestRequest::patch().uri("/health"), "req-405"),
    ];
    for (request, id) in requests {
        let reply = TestApp::new().send(with_request_id(request, id)).await;
        assert_eq!(reply.header("x-request-id"), Some(id));
    }
}

#[actix_web::test]
async fn a_missing_or_insane_request_id_is_replaced_by_a_uuid_v4() {
    let too_long = "r".repeat(129);
    let mut generated = Vec::new();
    for id in [
        None,
        Some(""),
        Some("has space"),
        Some(too_long.as_str()),
        Some("naïve"),
    ] {
        let request = TestRequest::get().uri("/api/v1/tenants");
        let request = match id {
            Some(id) => with_request_id(request, id),
            None => request,
        };
        let reply = TestApp::new().send(request).await;
        reply.assert_error(401, "UNAUTHENTICATED");
        let echoed = reply.header("x-request-id").unwrap_or_default().to_owned();
        let uuid = Uuid::parse_str(&echoed).unwrap_or_else(|_| panic!("{id:?} gave {echoed:?}"));
        assert_eq!(uuid.get_version_num(), 4);
        generated.push(uuid);
    }
    generated.sort();
    generated.dedup();
    assert_eq!(generated.len(), 5, "each request gets its own id");
}
