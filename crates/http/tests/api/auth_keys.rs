//! Tokens from an external identity provider: RS256 or EdDSA with the configured
//! public key, and `iss`/`aud` when configured.

use jsonwebtoken::{Algorithm, EncodingKey};
use mtdb_http::{JwtSettings, KeyError, TokenVerifier};
use serde_json::{json, Value};

use crate::auth::{assert_invalid_token, claims, hs256, send_token, sign, with};
use crate::helpers::*;

const RSA_PRIVATE: &[u8] = include_bytes!("../fixtures/rsa_private.pem");
const RSA_PUBLIC: &[u8] = include_bytes!("../fixtures/rsa_public.pem");
const OTHER_RSA_PRIVATE: &[u8] = include_bytes!("../fixtures/other_rsa_private.pem");
const ED_PRIVATE: &[u8] = include_bytes!("../fixtures/ed25519_private.pem");
const ED_PUBLIC: &[u8] = include_bytes!("../fixtures/ed25519_public.pem");

fn eddsa(claims: &Value) -> String {
    let key = EncodingKey::from_ed_pem(ED_PRIVATE).expect("test Ed25519 key");
    sign(Algorithm::EdDSA, &key, claims)
}

fn rs256(private_pem: &[u8], claims: &Value) -> String {
    let key = EncodingKey::from_rsa_pem(private_pem).expect("test RSA key");
    sign(Algorithm::RS256, &key, claims)
}

fn settings_with_iss_aud() -> JwtSettings {
    JwtSettings {
        issuer: Some("https://idp.example".to_owned()),
        audience: Some("mtdb".to_owned()),
        ..jwt_settings()
    }
}

fn settings_with_public_key(pem: &[u8]) -> JwtSettings {
    JwtSettings {
        public_key_pem: Some(pem.to_vec()),
        ..jwt_settings()
    }
}

#[actix_web::test]
async fn rs256_verifies_with_the_configured_public_key() {
    let admin = with(
        claims(),
        json!({"tenant_id": null, "role": "platform_admin"}),
    );
    let reply = send_token(
        settings_with_public_key(RSA_PUBLIC),
        &rs256(RSA_PRIVATE, &admin),
    )
    .await;
    assert_eq!(reply.status, 200);

    // Signed by another key; RS256 without a public key configured; an HS256 token
    // whose "secret" is the public key (algorithm confusion); EdDSA when RSA is set.
    let other = rs256(OTHER_RSA_PRIVATE, &admin);
    assert_invalid_token(&send_token(settings_with_public_key(RSA_PUBLIC), &other).await);
    assert_invalid_token(&send_token(jwt_settings(), &rs256(RSA_PRIVATE, &admin)).await);
    let confused = sign(
        Algorithm::HS256,
        &EncodingKey::from_secret(RSA_PUBLIC),
        &admin,
    );
    assert_invalid_token(&send_token(settings_with_public_key(RSA_PUBLIC), &confused).await);
    assert_invalid_token(&send_token(settings_with_public_key(RSA_PUBLIC), &eddsa(&admin)).await);
    // HS256 keeps working beside the public key.
    assert_eq!(
        send_token(settings_with_public_key(RSA_PUBLIC), &hs256(&admin))
            .await
            .status,
        200
    );
}

#[actix_web::test]
async fn eddsa_verifies_with_the_configured_public_key() {
    let reply = send_token(settings_with_public_key(ED_PUBLIC), &eddsa(&claims())).await;
    assert_eq!(reply.status, 200);
    let rsa = rs256(RSA_PRIVATE, &claims());
    assert_invalid_token(&send_token(settings_with_public_key(ED_PUBLIC), &rsa).await);
    let confused = sign(
        Algorithm::HS256,
        &EncodingKey::from_secret(ED_PUBLIC),
        &claims(),
    );
    assert_invalid_token(&send_token(settings_with_public_key(ED_PUBLIC), &confused).await);
}

#[actix_web::test]
async fn issuer_and_audience_are_required_when_configured() {
    let good = json!({"iss": "https://idp.example", "aud": "mtdb"});
    let token = hs256(&with(claims(), good.clone()));
    assert_eq!(
        send_token(settings_with_iss_aud(), &token).await.status,
        200
    );
    let listed = hs256(&with(
        claims(),
        json!({"iss": "https://idp.example", "aud": ["other", "mtdb"]}),
    ));
    assert_eq!(
        send_token(settings_with_iss_aud(), &listed).await.status,
        200
    );

    for changes in [
        json!({"iss": null}),
        json!({"iss": "https://evil.example"}),
        json!({"aud": null}),
        json!({"aud": "other"}),
    ] {
        let token = hs256(&with(with(claims(), good.clone()), changes.clone()));
        assert_invalid_token(&send_token(settings_with_iss_aud(), &token).await);
    }
}

#[actix_web::test]
async fn issuer_and_audience_are_ignored_when_not_configured() {
    let token = hs256(&with(claims(), json!({"iss": "anyone", "aud": "anything"})));
    assert_eq!(send_token(jwt_settings(), &token).await.status, 200);
}

#[test]
fn verifier_settings_are_checked_at_start() {
    let short = JwtSettings {
        hs256_secret: vec![7; 31].into(),
        ..jwt_settings()
    };
    assert!(matches!(
        TokenVerifier::new(short),
        Err(KeyError::SecretTooShort(31))
    ));
    for pem in [&b"not a pem"[..], RSA_PRIVATE, ED_PRIVATE] {
        assert!(matches!(
            TokenVerifier::new(settings_with_public_key(pem)),
            Err(KeyError::UnsupportedPublicKey)
        ));
    }
    assert!(TokenVerifier::new(settings_with_public_key(RSA_PUBLIC)).is_ok());
    assert!(TokenVerifier::new(settings_with_public_key(ED_PUBLIC)).is_ok());
}
