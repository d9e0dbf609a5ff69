//! Why `jsonwebtoken` refused a token, as one of a fixed set of reasons: for the log line
//! and the `reason` label of the refusals counted, never the token or its claims.

use jsonwebtoken::errors::ErrorKind as JwtErrorKind;

/// The reason for the refusal `kind`.
pub(crate) fn reason(kind: &JwtErrorKind) -> &'static str {
    match kind {
        JwtErrorKind::ExpiredSignature => "token expired",
        JwtErrorKind::ImmatureSignature => "token not yet valid",
        JwtErrorKind::InvalidSignature => "bad signature",
        JwtErrorKind::InvalidIssuer => "wrong issuer",
        JwtErrorKind::InvalidAudience => "wrong audience",
        JwtErrorKind::MissingRequiredClaim(_) => "a required claim is missing",
        JwtErrorKind::InvalidClaimFormat(_) => "a claim is malformed",
        JwtErrorKind::InvalidAlgorithm => "algorithm not accepted",
        _ => "malformed token",
    }
}
