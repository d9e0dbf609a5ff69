use std::fmt;

use secrecy::SecretSlice;

/// Shortest HS256 secret accepted: 256 bits, the size of the HMAC-SHA256 output
/// (RFC 7518 section 3.2 requires at least that).
pub const MIN_SECRET_BYTES: usize = 32;

/// How tokens are verified (docs/api.md, 401).
#[derive(Clone)]
pub struct JwtSettings {
    /// HS256 secret (`MTDB_JWT_SECRET`), at least 32 bytes. A secret: its `Debug` is
    /// `[REDACTED]` and its memory is zeroed when dropped.
    pub hs256_secret: SecretSlice<u8>,
    /// An RS256 (RSA) or EdDSA (Ed25519) public key in PEM form
    /// (`MTDB_JWT_PUBLIC_KEY_FILE`); which one is read from the key itself.
    pub public_key_pem: Option<Vec<u8>>,
    /// When set, `iss` is required and must equal it.
    pub issuer: Option<String>,
    /// When set, `aud` is required and must contain it.
    pub audience: Option<String>,
}

// The key file's bytes say nothing useful in a log: only whether one is set.
impl fmt::Debug for JwtSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtSettings")
            .field("hs256_secret", &self.hs256_secret)
            .field(
                "public_key_pem",
                &self.public_key_pem.as_ref().map(|_| "[set]"),
            )
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .finish()
    }
}

/// Settings that cannot make a verifier.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// `MTDB_JWT_SECRET` is shorter than [`MIN_SECRET_BYTES`]; it holds the length
    /// given (never the secret).
    #[error("the HS256 secret must be at least {MIN_SECRET_BYTES} bytes, got {0}")]
    SecretTooShort(usize),
    /// The key file does not parse as an RSA or Ed25519 public key in PEM form.
    #[error("the public key is neither an RSA nor an Ed25519 public key in PEM form")]
    UnsupportedPublicKey,
}
