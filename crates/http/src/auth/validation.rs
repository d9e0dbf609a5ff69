//! What a verified signature still leaves to check, the same for the static key and for
//! every identity provider.

use std::time::Duration;

use jsonwebtoken::{Algorithm, Validation};

/// What a token signed with `alg` must satisfy beyond its signature, for the static key
/// and for an identity provider alike: `exp` always and `nbf` when present, with `leeway`
/// of clock skew; `iss` and `aud` required and equal to these when given.
pub(crate) fn validation(
    alg: Algorithm,
    leeway: Duration,
    issuer: Option<&str>,
    audience: Option<&str>,
) -> Validation {
    let mut validation = Validation::new(alg);
    validation.leeway = leeway.as_secs();
    validation.validate_nbf = true;
    let mut required = vec!["exp"];
    if let Some(issuer) = issuer {
        validation.set_issuer(&[issuer]);
        required.push("iss");
    }
    match audience {
        Some(audience) => {
            validation.set_audience(&[audience]);
            required.push("aud");
        }
        // Not configured means not checked (docs/api.md, 401); by default the library
        // would refuse every token that carries an `aud`.
        None => validation.validate_aud = false,
    }
    validation.set_required_spec_claims(&required);
    validation
}
