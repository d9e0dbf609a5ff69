use actix_web::test::TestRequest;
use jsonwebtoken::{encode, get_current_timestamp, Algorithm, EncodingKey, Header};
use mtdb_domain::Principal;
use mtdb_http::JwtSettings;
use serde_json::{json, Value};

use crate::helpers::*;

pub(crate) fn claims() -> Value {
    json!({"sub": "alice", "exp": get_current_timestamp() + 300, "tenant_id": HSBC})
}

pub(crate) fn with(mut claims: Value, changes: Value) -> Value {
    if let (Some(map), Some(changes)) = (claims.as_object_mut(), changes.as_object()) {
        for (key, value) in changes {
            match value {
                Value::Null => map.remove(key),
                _ => map.insert(key.clone(), value.clone()),
            };
        }
    }
    claims
}

pub(crate) fn sign(alg: Algorithm, key: &EncodingKey, claims: &Value) -> String {
    encode(&Header::new(alg), claims, key).expect("test token signed")
}

pub(crate) fn hs256(claims: &Value) -> String {
    sign(Algorithm::HS256, &EncodingKey::from_secret(SECRET), claims)
}

fn get_hsbc() -> TestRequest {
    TestRequest::get().uri(&format!("/api/v1/tenants/{HSBC}"))
}

/// Sends `GET /api/v1/tenants/HSBC` with this Authorization header; the service answers
/// only if it is reached, i.e. only if authentication passed.
async fn send(jwt: JwtSettings, authorization: Option<String>) -> Reply {
    let mut app = TestApp::new();
    app.jwt = jwt;
    app.service
        .expect_get()
        .returning(|_, _| Ok(tenant(HSBC, "HSBC", None, 1)));
    let request = match authorization {
        Some(value) => get_hsbc().insert_header(("authorization", value)),
        None => get_hsbc(),
    };
    app.send(request).await
}

pub(crate) async fn send_token(jwt: JwtSettings, token: &str) -> Reply {
    send(jwt, Some(format!("Bearer {token}"))).await
}

#[track_caller]
pub(crate) fn assert_invalid_token(reply: &Reply) {
    reply.assert_error(401, "UNAUTHENTICATED");
    assert_eq!(
        reply.header("www-authenticate"),
        Some(r#"Bearer error="invalid_token""#)
    );
}

#[actix_web::test]
async fn no_token_is_401_with_a_bare_bearer_challenge() {
    for authorization in [
        None,
        Some("Basic YWxpY2U6cHc=".to_owned()),
        Some("Bearer".to_owned()),
        Some("Bearer   ".to_owned()),
    ] {
        let reply = send(jwt_settings(), authorization.clone()).await;
        reply.assert_error(401, "UNAUTHENTICATED");
        assert_eq!(
            reply.header("www-authenticate"),
            Some("Bearer"),
            "{authorization:?}"
        );
    }
}

/// Two `Authorization` headers, even two valid tokens: a proxy that checks one and a
/// server that uses the other would disagree on who is asking, so neither is used.
#[actix_web::test]
async fn two_authorization_headers_are_401() {
    let valid = format!("Bearer {}", admin_token());
    for second in [
        valid.clone(),
        "Bearer garbage".to_owned(),
        "Basic YWxpY2U6cHc=".to_owned(),
    ] {
        // The service is never reached: a call to the mock would fail the test.
        let request = get_hsbc()
            .append_header(("authorization", valid.clone()))
            .append_header(("authorization", second.clone()));
        let reply = TestApp::new().send(request).await;
        reply.assert_error(401, "UNAUTHENTICATED");
        assert_eq!(reply.header("www-authenticate"), Some("Bearer"), "{second}");
    }
}

#[actix_web::test]
async fn a_valid_token_reaches_the_service_as_its_actor() {
    let mut app = TestApp::new();
    app.service
        .expect_get()
        .withf(|actor, _| {
            actor.principal == Principal::Tenant(id(HSBC)) && actor.subject.as_str() == "alice"
        })
        .times(1)
        .returning(|_, _| Ok(tenant(HSBC, "HSBC", None, 1)));
    // The scheme is case-insensitive.
    let request =
        get_hsbc().insert_header(("authorization", format!("bearer {}", hs256(&claims()))));
    assert_eq!(app.send(request).await.status, 200);
}

#[actix_web::test]
async fn garbage_tokens_are_invalid() {
    for token in [
        "garbage",
        "a.b.c",
        "...",
        "eyJhbGciOiJIUzI1NiJ9.e30.",
        "Bearer x",
    ] {
        assert_invalid_token(&send_token(jwt_settings(), token).await);
    }
}

#[actix_web::test]
async fn expiry_is_required_and_checked_with_a_small_leeway() {
    let now = get_current_timestamp();
    let expired = hs256(&with(claims(), json!({"exp": now - 120})));
    assert_invalid_token(&send_token(jwt_settings(), &expired).await);
    let no_exp = hs256(&with(claims(), json!({"exp": null})));
    assert_invalid_token(&send_token(jwt_settings(), &no_exp).await);
    let string_exp = hs256(&with(claims(), json!({"exp": "tomorrow"})));
    assert_invalid_token(&send_token(jwt_settings(), &string_exp).await);
    // Ten seconds late is within the skew a real deployment sees.
    let just_expired = hs256(&with(claims(), json!({"exp": now - 10})));
    assert_eq!(send_token(jwt_settings(), &just_expired).await.status, 200);
}

#[actix_web::test]
async fn a_token_signed_with_another_secret_is_invalid() {
    let key = EncodingKey::from_secret(b"another-secret-of-at-least-32-bytes!");
    let token = sign(Algorithm::HS256, &key, &claims());
    assert_invalid_token(&send_token(jwt_settings(), &token).await);
}

#[actix_web::test]
async fn claims_must_name_exactly_one_principal_and_a_subject() {
    let cases = [
        json!({"sub": null}),
        json!({"sub": ""}),
        json!({"sub": 42}),
        json!({"tenant_id": null}),
        json!({"role": "platform_admin"}),
        json!({"tenant_id": null, "role": "admin"}),
        json!({"tenant_id": "hsbc"}),
        json!({"tenant_id": 1}),
    ];
    for changes in cases {
        let token = hs256(&with(claims(), changes.clone()));
        assert_invalid_token(&send_token(jwt_settings(), &token).await);
    }
}

/// Subjects that would be stored verbatim in the audit trail and read as something else:
/// 100,000 characters, a right-to-left override, a zero-width space, a line separator.
/// The service is never reached (the mock would answer 200).
#[actix_web::test]
async fn a_subject_that_could_mislead_the_audit_is_an_invalid_token() {
    let long = "a".repeat(100_000);
    let just_over = "a".repeat(256);
    for sub in [
        long.as_str(),
        just_over.as_str(),
        "alice\u{202E}nimda",
        "mtdb\u{200B}seed",
        "alice\u{2028}role=platform_admin",
        "alice\u{2029}",
        "alice\u{FEFF}",
        "alice\n",
    ] {
        let token = hs256(&with(claims(), json!({ "sub": sub })));
        let reply = send_token(jwt_settings(), &token).await;
        assert_invalid_token(&reply);
        assert!(
            reply
                .header("www-authenticate")
                .is_some_and(|h| h.starts_with("Bearer")),
            "{sub:?}"
        );
    }
}

#[actix_web::test]
async fn a_subject_of_255_characters_of_any_script_is_accepted() {
    for sub in ["汇".repeat(255), "alice@example.com".to_owned()] {
        let expected = sub.clone();
        let mut app = TestApp::new();
        app.service
            .expect_get()
            .withf(move |actor, _| actor.subject.as_str() == expected)
            .times(1)
            .returning(|_, _| Ok(tenant(HSBC, "HSBC", None, 1)));
        let token = hs256(&with(claims(), json!({ "sub": sub })));
        let request = get_hsbc().insert_header(("authorization", format!("Bearer {token}")));
        assert_eq!(app.send(request).await.status, 200);
    }
}

#[actix_web::test]
async fn the_none_algorithm_is_refused() {
    let token = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhIiwicm9sZSI6InBsYXRmb3JtX2FkbWluIiwiZXhwIjo0MTAyNDQ0ODAwfQ.";
    assert_invalid_token(&send_token(jwt_settings(), token).await);
}

#[actix_web::test]
async fn authentication_comes_before_input_checks() {
    let reply = TestApp::new()
        .send(TestRequest::get().uri("/api/v1/tenants/not-a-uuid"))
        .await;
    reply.assert_error(401, "UNAUTHENTICATED");
    let reply = TestApp::new()
        .send(
            TestRequest::post()
                .uri("/api/v1/tenants?bogus=1")
                .insert_header(("content-type", "text/plain"))
                .set_payload("{"),
        )
        .await;
    reply.assert_error(401, "UNAUTHENTICATED");
}
