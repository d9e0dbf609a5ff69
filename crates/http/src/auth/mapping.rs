//! Where an identity provider puts the principal: which claim holds the tenant id and
//! which claim value names the platform admin. Each is a claim name or a dotted path into
//! nested objects (`realm_access.roles`); the admin claim may hold one string or an array
//! of strings (roles, groups). The default reads today's claims: `tenant_id`, and `role`
//! equal to `platform_admin`.

use mtdb_domain::{Actor, Principal, TenantId};
use serde_json::{Map, Value};

use super::claims::{subject, PLATFORM_ADMIN_ROLE};

/// How one issuer's claims name a principal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimMapping {
    /// The claim (or dotted path) whose string value is the tenant id.
    pub tenant_claim: String,
    /// The claim (or dotted path) that holds the admin's role or group.
    pub admin_claim: String,
    /// The value of `admin_claim` (or one of its values) that means the platform admin.
    pub admin_value: String,
}

impl Default for ClaimMapping {
    fn default() -> Self {
        Self {
            tenant_claim: "tenant_id".to_owned(),
            admin_claim: "role".to_owned(),
            admin_value: PLATFORM_ADMIN_ROLE.to_owned(),
        }
    }
}

impl ClaimMapping {
    /// A path is one or more non-empty names joined by dots.
    pub(crate) fn path_is_valid(path: &str) -> bool {
        !path.is_empty() && path.split('.').all(|part| !part.trim().is_empty())
    }

    /// The actor the claims name. Exactly one principal: the admin value together with a
    /// tenant id is refused, and so is neither.
    pub(crate) fn actor(&self, claims: &Map<String, Value>) -> Result<Actor, &'static str> {
        let subject = subject(claims)?;
        let admin = lookup(claims, &self.admin_claim).is_some_and(|value| self.names_admin(value));
        let tenant = lookup(claims, &self.tenant_claim).filter(|value| !value.is_null());
        let principal = match (tenant, admin) {
            (Some(_), true) => return Err("both a tenant id and the platform admin"),
            (Some(id), false) => Principal::Tenant(tenant_id(id)?),
            (None, true) => Principal::PlatformAdmin,
            (None, false) => return Err("neither a tenant id nor the platform admin"),
        };
        Ok(Actor::new(principal, subject))
    }

    fn names_admin(&self, value: &Value) -> bool {
        match value {
            Value::String(one) => *one == self.admin_value,
            Value::Array(many) => many.iter().any(|v| v.as_str() == Some(&self.admin_value)),
            _ => false,
        }
    }
}

/// The value at a dotted path: `a.b` is `claims["a"]["b"]`. A claim whose own name holds
/// the dots (`"https://mtdb.example/tenant"`, Auth0's namespaced claims) is found first.
fn lookup<'a>(claims: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    if let Some(value) = claims.get(path) {
        return Some(value);
    }
    let mut parts = path.split('.');
    let first = claims.get(parts.next()?)?;
    parts.try_fold(first, |value, part| value.as_object()?.get(part))
}

fn tenant_id(value: &Value) -> Result<TenantId, &'static str> {
    value
        .as_str()
        .and_then(|raw| raw.parse().ok())
        .ok_or("the tenant id is not a UUID")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const ID: &str = "00000000-0000-4000-8000-000000000011";

    fn claims(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    fn keycloak() -> ClaimMapping {
        ClaimMapping {
            tenant_claim: "mtdb.tenant".to_owned(),
            admin_claim: "realm_access.roles".to_owned(),
            admin_value: "mtdb-platform-admin".to_owned(),
        }
    }

    #[test]
    fn the_default_reads_todays_claims() {
        let mapping = ClaimMapping::default();
        let tenant = mapping.actor(&claims(json!({"sub": "a", "tenant_id": ID})));
        assert_eq!(
            tenant.map(|a| a.principal),
            Ok(Principal::Tenant(ID.parse().unwrap()))
        );
        let admin = mapping.actor(&claims(json!({"sub": "a", "role": "platform_admin"})));
        assert_eq!(admin.map(|a| a.principal), Ok(Principal::PlatformAdmin));
    }

    #[test]
    fn nested_paths_arrays_and_namespaced_names() {
        let mapping = keycloak();
        let tenant = json!({"sub": "a", "mtdb": {"tenant": ID}, "realm_access": {"roles": ["x"]}});
        assert_eq!(
            mapping.actor(&claims(tenant)).map(|a| a.principal),
            Ok(Principal::Tenant(ID.parse().unwrap()))
        );
        let admin = json!({"sub": "a", "realm_access": {"roles": ["x", "mtdb-platform-admin"]}});
        assert_eq!(
            mapping.actor(&claims(admin)).map(|a| a.principal),
            Ok(Principal::PlatformAdmin)
        );
        let auth0 = ClaimMapping {
            tenant_claim: "https://mtdb.example/tenant_id".to_owned(),
            ..ClaimMapping::default()
        };
        let namespaced = json!({"sub": "a", "https://mtdb.example/tenant_id": ID});
        assert!(auth0.actor(&claims(namespaced)).is_ok());
    }

    #[test]
    fn refuses_both_neither_and_malformed() {
        let mapping = keycloak();
        for bad in [
            json!({"sub": "a", "mtdb": {"tenant": ID}, "realm_access": {"roles": ["mtdb-platform-admin"]}}),
            json!({"sub": "a", "realm_access": {"roles": ["viewer"]}}),
            json!({"sub": "a", "realm_access": {"roles": "viewer"}}),
            json!({"sub": "a", "mtdb": {"tenant": "hsbc"}}),
            json!({"sub": "a", "mtdb": {"tenant": 7}}),
            json!({"sub": "a", "mtdb": {"tenant": null}}),
            json!({"sub": "a", "mtdb": "flat"}),
            json!({"mtdb": {"tenant": ID}}),
            json!({"sub": "", "mtdb": {"tenant": ID}}),
        ] {
            assert!(mapping.actor(&claims(bad.clone())).is_err(), "{bad}");
        }
    }

    #[test]
    fn paths_must_name_something() {
        assert!(ClaimMapping::path_is_valid("realm_access.roles"));
        for bad in ["", ".", "a.", ".a", "a..b", "a. .b"] {
            assert!(!ClaimMapping::path_is_valid(bad), "{bad:?}");
        }
    }
}
