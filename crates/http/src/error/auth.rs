use actix_web::http::header::HeaderValue;

/// Why a request is not authenticated. The reason is for the logs; the client gets a
/// generic message and the RFC 6750 challenge.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// No `Authorization` header, or an empty bearer token.
    #[error("missing bearer token")]
    Missing,
    /// An `Authorization` header with another scheme (Basic, ...).
    #[error("the authorization scheme must be Bearer")]
    NotBearer,
    /// Two or more `Authorization` headers: which one counts would depend on which
    /// proxy or library looks, so none does.
    #[error("more than one Authorization header")]
    Repeated,
    /// A token was given but cannot be trusted: malformed, badly signed, expired, of an
    /// algorithm not configured, or with claims that name no principal.
    #[error("invalid bearer token")]
    Invalid(&'static str),
}

impl AuthError {
    /// The `WWW-Authenticate` challenge: `error="invalid_token"` only when a bearer
    /// token was actually presented (RFC 6750 section 3.1).
    pub(crate) fn challenge(&self) -> HeaderValue {
        match self {
            Self::Missing | Self::NotBearer | Self::Repeated => HeaderValue::from_static("Bearer"),
            Self::Invalid(_) => HeaderValue::from_static(r#"Bearer error="invalid_token""#),
        }
    }

    /// The reason, safe to log: it never contains the token.
    pub(crate) fn reason(&self) -> &'static str {
        match self {
            Self::Missing => "no bearer token",
            Self::NotBearer => "not a bearer scheme",
            Self::Repeated => "more than one Authorization header",
            Self::Invalid(reason) => reason,
        }
    }
}
