use std::sync::Arc;
use std::time::Duration;

use jsonwebtoken::dangerous::insecure_decode;
use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
use mtdb_domain::Actor;
use secrecy::ExposeSecret;
use serde_json::{Map, Value};

use super::claims::actor_from_claims;
use super::jwt_reason::reason;
use super::oidc::{IdentityProviders, Rejection};
use super::settings::{JwtSettings, KeyError, MIN_SECRET_BYTES};
use super::validation::validation;
use crate::error::auth::AuthError;

/// Tolerated clock skew between a token's issuer and this server, unless configured.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(30);

/// Verifies bearer tokens: a token whose `iss` is a configured identity provider with
/// that provider's keys and rules only; any other with the static keys (HS256 with the
/// shared secret, plus RS256 or EdDSA when a public key is configured). Built once at
/// start and shared by every worker.
pub struct TokenVerifier {
    hs256: DecodingKey,
    public: Option<(Algorithm, DecodingKey)>,
    issuer: Option<String>,
    audience: Option<String>,
    leeway: Duration,
    providers: Option<Arc<IdentityProviders>>,
}

impl TokenVerifier {
    /// # Errors
    /// [`KeyError::SecretTooShort`] for a secret under 32 bytes;
    /// [`KeyError::UnsupportedPublicKey`] for a PEM that is not an RSA or Ed25519
    /// public key.
    pub fn new(settings: JwtSettings) -> Result<Self, KeyError> {
        if settings.hs256_secret.expose_secret().len() < MIN_SECRET_BYTES {
            return Err(KeyError::SecretTooShort(
                settings.hs256_secret.expose_secret().len(),
            ));
        }
        let public = settings
            .public_key_pem
            .as_deref()
            .map(public_key)
            .transpose()?;
        Ok(Self {
            hs256: DecodingKey::from_secret(settings.hs256_secret.expose_secret()),
            public,
            issuer: settings.issuer,
            audience: settings.audience,
            leeway: DEFAULT_LEEWAY,
            providers: None,
        })
    }

    /// Also trusts these identity providers, each for its own tokens.
    #[must_use]
    pub fn with_providers(mut self, providers: Arc<IdentityProviders>) -> Self {
        self.providers = Some(providers);
        self
    }

    /// The clock skew tolerated on `exp` and `nbf` (`MTDB_JWT_LEEWAY_SECS`).
    #[must_use]
    pub fn with_leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// The actor a token speaks for: through its identity provider (keys, claims and
    /// issuer binding) when its `iss` names one, else as [`verify`](Self::verify).
    pub(crate) async fn authenticate(&self, token: &str) -> Result<Actor, Rejection> {
        let header = decode_header(token)
            .map_err(|_| Rejection::Auth(AuthError::Invalid("malformed token")))?;
        if let Some(providers) = &self.providers {
            // Unverified: only to choose whose keys and rules apply. The provider's
            // verification then checks `iss` again, signed.
            let iss = insecure_decode::<Map<String, Value>>(token)
                .ok()
                .and_then(|data| data.claims.get("iss")?.as_str().map(str::to_owned));
            if let Some(n) = iss.as_deref().and_then(|iss| providers.issuer(iss)) {
                return providers.verify(n, token, &header, self.leeway).await;
            }
        }
        self.verify(token).map_err(Rejection::Auth)
    }

    /// The actor a token speaks for.
    ///
    /// # Errors
    /// [`AuthError::Invalid`] for anything but a well-formed, correctly signed, unexpired
    /// token of a configured algorithm whose claims name exactly one principal.
    pub fn verify(&self, token: &str) -> Result<Actor, AuthError> {
        let header = decode_header(token).map_err(|_| AuthError::Invalid("malformed token"))?;
        // The key is chosen by the header's algorithm, but only among the configured
        // ones, and each key is bound to its one algorithm: `none`, or an HS256 token
        // "signed" with the public key, finds no key here.
        let key = self
            .key_for(header.alg)
            .ok_or(AuthError::Invalid("algorithm not accepted"))?;
        let data = decode::<Map<String, Value>>(token, key, &self.validation(header.alg))
            .map_err(|err| AuthError::Invalid(reason(err.kind())))?;
        actor_from_claims(&data.claims).map_err(AuthError::Invalid)
    }

    fn key_for(&self, alg: Algorithm) -> Option<&DecodingKey> {
        match (alg, &self.public) {
            (Algorithm::HS256, _) => Some(&self.hs256),
            (alg, Some((public_alg, key))) if alg == *public_alg => Some(key),
            _ => None,
        }
    }

    fn validation(&self, alg: Algorithm) -> Validation {
        validation(
            alg,
            self.leeway,
            self.issuer.as_deref(),
            self.audience.as_deref(),
        )
    }
}

/// Reads the public key, telling RSA from Ed25519 by the key itself.
fn public_key(pem: &[u8]) -> Result<(Algorithm, DecodingKey), KeyError> {
    // `jsonwebtoken` would also take a *private* RSA key here and then fail every
    // verification; an operator who configured the wrong file should hear it at start.
    if !matches!(pem_label(pem), Some("PUBLIC KEY" | "RSA PUBLIC KEY")) {
        return Err(KeyError::UnsupportedPublicKey);
    }
    if let Ok(key) = DecodingKey::from_rsa_pem(pem) {
        return Ok((Algorithm::RS256, key));
    }
    match DecodingKey::from_ed_pem(pem) {
        // The verifier slices the first 32 bytes of the key: refuse anything shorter
        // here, at start, rather than on the first EdDSA token.
        Ok(key) if key.as_bytes().len() == 32 => Ok((Algorithm::EdDSA, key)),
        _ => Err(KeyError::UnsupportedPublicKey),
    }
}

/// The label of the first PEM block: `PUBLIC KEY` in `-----BEGIN PUBLIC KEY-----`.
fn pem_label(pem: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(pem).ok()?;
    let (_, rest) = text.split_once("-----BEGIN ")?;
    let (label, _) = rest.split_once("-----")?;
    Some(label)
}
