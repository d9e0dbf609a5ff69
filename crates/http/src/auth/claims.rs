//! The mtdb claims: `sub`, and exactly one of `tenant_id` or `role: "platform_admin"`.
//! The registered claims (`exp`, `iss`, `aud`, `nbf`) are checked by `jsonwebtoken`.

use mtdb_domain::{Actor, Principal, Subject, TenantId};
use serde_json::{Map, Value};

pub(crate) const PLATFORM_ADMIN_ROLE: &str = "platform_admin";

/// Reads the principal and subject out of verified claims. Anything but exactly one of
/// the two principal claims, well formed, is refused: a token must never grant more
/// than it plainly says.
pub(crate) fn actor_from_claims(claims: &Map<String, Value>) -> Result<Actor, &'static str> {
    let subject = subject(claims)?;
    let principal = match (claims.get("tenant_id"), claims.get("role")) {
        (Some(tenant_id), None) => Principal::Tenant(tenant_id_claim(tenant_id)?),
        (None, Some(Value::String(role))) if role == PLATFORM_ADMIN_ROLE => {
            Principal::PlatformAdmin
        }
        (None, Some(_)) => return Err("role is not platform_admin"),
        (Some(_), Some(_)) => return Err("both tenant_id and role"),
        (None, None) => return Err("neither tenant_id nor role"),
    };
    Ok(Actor::new(principal, subject))
}

/// The `sub` claim, whoever issued the token: it is recorded in the audit trail as sent,
/// so it is refused rather than cleaned.
pub(crate) fn subject(claims: &Map<String, Value>) -> Result<Subject, &'static str> {
    match claims.get("sub") {
        Some(Value::String(sub)) => Subject::parse(sub).map_err(|_| {
            "sub is blank, over 255 characters, or holds a control, format or separator character"
        }),
        Some(_) => Err("sub is not a string"),
        None => Err("sub is missing"),
    }
}

fn tenant_id_claim(value: &Value) -> Result<TenantId, &'static str> {
    value
        .as_str()
        .and_then(|raw| raw.parse().ok())
        .ok_or("tenant_id is not a UUID")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn claims(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn a_tenant_principal() {
        let id = "00000000-0000-4000-8000-000000000011";
        let actor = actor_from_claims(&claims(json!({"sub": "alice", "tenant_id": id})));
        let actor = actor.expect("valid claims");
        assert_eq!(
            actor.principal,
            Principal::Tenant(id.parse().expect("uuid"))
        );
        assert_eq!(actor.subject.as_str(), "alice");
    }

    #[test]
    fn the_platform_admin() {
        let actor = actor_from_claims(&claims(json!({"sub": "ops", "role": "platform_admin"})));
        assert_eq!(actor.map(|a| a.principal), Ok(Principal::PlatformAdmin));
    }

    #[test]
    fn refuses_anything_ambiguous_or_malformed() {
        let id = "00000000-0000-4000-8000-000000000001";
        for bad in [
            json!({"tenant_id": id}),
            json!({"sub": "", "tenant_id": id}),
            json!({"sub": 7, "tenant_id": id}),
            json!({"sub": "a"}),
            json!({"sub": "a", "tenant_id": id, "role": "platform_admin"}),
            json!({"sub": "a", "tenant_id": "hsbc"}),
            json!({"sub": "a", "tenant_id": null}),
            json!({"sub": "a", "tenant_id": 1}),
            json!({"sub": "a", "role": "admin"}),
            json!({"sub": "a", "role": null}),
        ] {
            assert!(actor_from_claims(&claims(bad.clone())).is_err(), "{bad}");
        }
    }
}
