//! A JSON Web Key Set read into the keys mtdb verifies with: each usable signing key by
//! its `kid`, bound to exactly one algorithm. That algorithm is the one the key declares
//! (`alg`) or, when it declares none (Entra ID's keys), the one its type allows: RS256
//! for RSA, ES256 for P-256, ES384 for P-384, EdDSA for Ed25519. A token's `alg` must
//! equal it; symmetric keys, encryption keys and keys without a `kid` are skipped.

use std::collections::HashMap;

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::Value;

/// One verification key and the one algorithm it may be used with.
#[derive(Clone)]
pub(crate) struct SigningKey {
    pub(crate) algorithm: Algorithm,
    pub(crate) key: DecodingKey,
}

/// The usable keys of a key set, by `kid`. Keys that do not parse are skipped (a set
/// may hold kinds this version does not know), never an error for the whole set.
pub(crate) fn signing_keys(set: &Value) -> HashMap<String, SigningKey> {
    let Some(keys) = set.get("keys").and_then(Value::as_array) else {
        return HashMap::new();
    };
    keys.iter()
        .filter_map(|raw| serde_json::from_value::<Jwk>(raw.clone()).ok())
        .filter_map(|jwk| {
            let kid = jwk.common.key_id.clone()?;
            Some((kid, signing_key(&jwk)?))
        })
        .collect()
}

fn signing_key(jwk: &Jwk) -> Option<SigningKey> {
    if matches!(&jwk.common.public_key_use, Some(usage) if *usage != PublicKeyUse::Signature) {
        return None;
    }
    let algorithm = match jwk.common.key_algorithm {
        Some(declared) => declared_algorithm(declared)?,
        None => implied_algorithm(&jwk.algorithm)?,
    };
    let key = DecodingKey::from_jwk(jwk).ok()?;
    // A key whose type does not fit its declared algorithm (an RSA key that says ES256)
    // could never verify anything: skip it rather than keep a trap.
    (key.family() == algorithm.family()).then_some(SigningKey { algorithm, key })
}

/// The asymmetric signature algorithms accepted from a key set.
fn declared_algorithm(declared: KeyAlgorithm) -> Option<Algorithm> {
    Some(match declared {
        KeyAlgorithm::RS256 => Algorithm::RS256,
        KeyAlgorithm::RS384 => Algorithm::RS384,
        KeyAlgorithm::RS512 => Algorithm::RS512,
        KeyAlgorithm::PS256 => Algorithm::PS256,
        KeyAlgorithm::PS384 => Algorithm::PS384,
        KeyAlgorithm::PS512 => Algorithm::PS512,
        KeyAlgorithm::ES256 => Algorithm::ES256,
        KeyAlgorithm::ES384 => Algorithm::ES384,
        KeyAlgorithm::EdDSA => Algorithm::EdDSA,
        // HMAC (a shared secret has no place in a public set) and encryption algorithms.
        _ => return None,
    })
}

fn implied_algorithm(parameters: &AlgorithmParameters) -> Option<Algorithm> {
    match parameters {
        AlgorithmParameters::RSA(_) => Some(Algorithm::RS256),
        AlgorithmParameters::EllipticCurve(ec) => match ec.curve {
            EllipticCurve::P256 => Some(Algorithm::ES256),
            EllipticCurve::P384 => Some(Algorithm::ES384),
            _ => None,
        },
        AlgorithmParameters::OctetKeyPair(okp) => {
            (okp.curve == EllipticCurve::Ed25519).then_some(Algorithm::EdDSA)
        }
        AlgorithmParameters::OctetKey(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const N: &str = "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw";

    fn kinds(set: Value) -> Vec<(String, Algorithm)> {
        let mut found: Vec<_> = signing_keys(&set)
            .into_iter()
            .map(|(kid, key)| (kid, key.algorithm))
            .collect();
        found.sort_by(|a, b| a.0.cmp(&b.0));
        found
    }

    #[test]
    fn keys_carry_their_declared_or_implied_algorithm() {
        let set = json!({"keys": [
            {"kty": "RSA", "kid": "a", "alg": "RS256", "use": "sig", "n": N, "e": "AQAB"},
            {"kty": "RSA", "kid": "b", "n": N, "e": "AQAB"},
            {"kty": "OKP", "kid": "c", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
        ]});
        assert_eq!(
            kinds(set),
            vec![
                ("a".to_owned(), Algorithm::RS256),
                ("b".to_owned(), Algorithm::RS256),
                ("c".to_owned(), Algorithm::EdDSA),
            ]
        );
    }

    #[test]
    fn skips_secrets_encryption_keys_mismatches_and_keys_without_kid() {
        let set = json!({"keys": [
            {"kty": "oct", "kid": "s", "alg": "HS256", "k": "c2VjcmV0"},
            {"kty": "RSA", "kid": "e", "use": "enc", "n": N, "e": "AQAB"},
            {"kty": "RSA", "kid": "m", "alg": "ES256", "n": N, "e": "AQAB"},
            {"kty": "RSA", "alg": "RS256", "n": N, "e": "AQAB"},
            {"kty": "XYZ", "kid": "u"},
            {"kty": "RSA", "kid": "ok", "alg": "RS256", "n": N, "e": "AQAB"},
        ]});
        assert_eq!(kinds(set), vec![("ok".to_owned(), Algorithm::RS256)]);
        assert!(signing_keys(&json!({"nokeys": []})).is_empty());
    }
}
