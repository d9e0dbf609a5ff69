//! Tokens that must never pass, through the real server: `alg: none`, HS256 keyed with
//! the provider's public key, a token from a provider mtdb does not trust, an expired
//! one. An EdDSA provider's genuine token passes beside them.

use jsonwebtoken::{encode, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{json, Value};

use super::provider::{kid, Provider};
use super::*;

/// `{"alg":"none"}`, base64url-encoded.
const NONE_HEADER: &str = "eyJhbGciOiJub25lIn0";

#[tokio::test]
async fn forged_foreign_and_expired_tokens_are_401() {
    let clients = json!({"hsbc": {"claims": {"tenant_id": HSBC}},
                         "brief": {"claims": {"tenant_id": HSBC}, "ttl": 1}});
    let trusted = Provider::start("EdDSA", clients.clone()).await;
    let stranger = Provider::start("RS256", clients).await;
    let server = serve(
        json!([issuer(&trusted, &[HSBC])]),
        &[("MTDB_JWT_LEEWAY_SECS", "0")],
    )
    .await;

    let genuine = trusted.token("hsbc").await;
    assert_eq!(get(&server, &genuine, HSBC).await.status(), StatusCode::OK);

    let payload = genuine.split('.').nth(1).expect("a payload");
    let none = format!("{NONE_HEADER}.{payload}.");
    refused(get(&server, &none, HSBC).await).await;

    let claims: Value = jsonwebtoken::dangerous::insecure_decode::<Value>(&genuine)
        .expect("claims")
        .claims;
    let header = Header {
        kid: Some(kid(&genuine)),
        ..Header::default()
    };
    let pem = trusted.public_pem().await;
    let confused = encode(&header, &claims, &EncodingKey::from_secret(pem.as_bytes()))
        .expect("HS256 keyed with the public key");
    refused(get(&server, &confused, HSBC).await).await;

    let foreign = stranger.token("hsbc").await;
    refused(get(&server, &foreign, HSBC).await).await;

    let brief = trusted.token("brief").await;
    assert_eq!(get(&server, &brief, HSBC).await.status(), StatusCode::OK);
    let exp = claims_of(&brief)["exp"].as_u64().expect("exp");
    // The clock itself is what is tested: wait until the token is past its `exp`.
    while jsonwebtoken::get_current_timestamp() <= exp {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    refused(get(&server, &brief, HSBC).await).await;

    // Each refusal is logged and counted with its reason, never with the token.
    for reason in [
        "malformed token",
        "algorithm not the key's",
        "algorithm not accepted",
        "token expired",
    ] {
        until_logged(&server, &["authentication failed", reason]).await;
    }
    for token in [&genuine, &none, &confused, &foreign, &brief] {
        let signature = token.rsplit('.').next().unwrap_or_default();
        let payload = token.split('.').nth(1).expect("a payload");
        for line in server.log() {
            assert!(!line.contains(payload), "a token in the log: {line}");
            assert!(signature.is_empty() || !line.contains(signature));
        }
    }
    server.stop().await;
}

fn claims_of(token: &str) -> Value {
    jsonwebtoken::dangerous::insecure_decode::<Value>(token)
        .expect("claims")
        .claims
}
