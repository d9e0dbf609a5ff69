use std::time::Duration;

use jsonwebtoken::{encode, get_current_timestamp, EncodingKey, Header};
use mtdb_domain::Principal;
use serde_json::{json, Map, Value};

use super::claims::PLATFORM_ADMIN_ROLE;
use super::settings::MIN_SECRET_BYTES;

/// Why a token could not be issued.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    /// The secret is shorter than [`MIN_SECRET_BYTES`](crate::auth::settings::MIN_SECRET_BYTES); it
    /// holds the length given.
    #[error("the HS256 secret must be at least {MIN_SECRET_BYTES} bytes, got {0}")]
    SecretTooShort(usize),
    /// The subject (`sub`) is empty or only whitespace.
    #[error("the subject must be a non-empty string")]
    BlankSubject,
    /// Now plus the time to live does not fit the `exp` claim (an `i64` of seconds).
    #[error("the time to live is too long")]
    TtlTooLong,
    /// `jsonwebtoken` failed to encode or sign the claims.
    #[error("the token could not be signed")]
    Signing(#[source] jsonwebtoken::errors::Error),
}

/// Signs an HS256 token for `principal` (the `mtdb token` command), valid for `ttl`,
/// with `iss`/`aud` when given. The same secret verifies it in [`TokenVerifier`].
///
/// # Errors
/// A secret under 32 bytes, a blank subject, a `ttl` beyond the range of `exp`, or a
/// signing failure.
///
/// [`TokenVerifier`]: crate::auth::verifier::TokenVerifier
pub fn issue_hs256_token(
    secret: &[u8],
    principal: Principal,
    sub: &str,
    ttl: Duration,
    issuer: Option<&str>,
    audience: Option<&str>,
) -> Result<String, IssueError> {
    if secret.len() < MIN_SECRET_BYTES {
        return Err(IssueError::SecretTooShort(secret.len()));
    }
    if sub.trim().is_empty() {
        return Err(IssueError::BlankSubject);
    }
    let now = get_current_timestamp();
    let exp = now
        .checked_add(ttl.as_secs())
        // `exp` must stay a JSON number that every verifier reads as an integer.
        .filter(|exp| i64::try_from(*exp).is_ok())
        .ok_or(IssueError::TtlTooLong)?;
    let mut claims = Map::new();
    claims.insert("sub".to_owned(), json!(sub));
    claims.insert("iat".to_owned(), json!(now));
    claims.insert("exp".to_owned(), json!(exp));
    match principal {
        Principal::PlatformAdmin => claims.insert("role".to_owned(), json!(PLATFORM_ADMIN_ROLE)),
        Principal::Tenant(id) => claims.insert("tenant_id".to_owned(), json!(id.to_string())),
    };
    if let Some(issuer) = issuer {
        claims.insert("iss".to_owned(), json!(issuer));
    }
    if let Some(audience) = audience {
        claims.insert("aud".to_owned(), json!(audience));
    }
    encode(
        &Header::default(),
        &Value::Object(claims),
        &EncodingKey::from_secret(secret),
    )
    .map_err(IssueError::Signing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::settings::JwtSettings;
    use crate::auth::verifier::TokenVerifier;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn verifier() -> TokenVerifier {
        let settings = JwtSettings {
            hs256_secret: SECRET.to_vec().into(),
            public_key_pem: None,
            issuer: Some("mtdb".to_owned()),
            audience: Some("mtdb-api".to_owned()),
        };
        TokenVerifier::new(settings).expect("valid settings")
    }

    #[test]
    fn issued_tokens_verify_as_the_same_principal() {
        let id = "00000000-0000-4000-8000-000000000001"
            .parse()
            .expect("uuid");
        let ttl = Duration::from_secs(60);
        for principal in [Principal::PlatformAdmin, Principal::Tenant(id)] {
            let token = issue_hs256_token(
                SECRET,
                principal,
                "cli",
                ttl,
                Some("mtdb"),
                Some("mtdb-api"),
            )
            .expect("issued");
            let actor = verifier().verify(&token).expect("verified");
            assert_eq!(actor.principal, principal);
            assert_eq!(actor.subject.as_str(), "cli");
        }
    }

    #[test]
    fn refuses_short_secrets_blank_subjects_and_endless_ttls() {
        let p = Principal::PlatformAdmin;
        let ttl = Duration::from_secs(60);
        assert!(matches!(
            issue_hs256_token(b"short", p, "cli", ttl, None, None),
            Err(IssueError::SecretTooShort(5))
        ));
        assert!(matches!(
            issue_hs256_token(SECRET, p, " ", ttl, None, None),
            Err(IssueError::BlankSubject)
        ));
        assert!(matches!(
            issue_hs256_token(SECRET, p, "cli", Duration::MAX, None, None),
            Err(IssueError::TtlTooLong)
        ));
    }
}
