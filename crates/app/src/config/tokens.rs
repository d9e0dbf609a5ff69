//! How bearer tokens are verified: the static keys (`MTDB_JWT_*`), the identity providers
//! (docs/operations.md, "Identity providers": `MTDB_OIDC_ISSUERS`, a JSON array of
//! issuers, and how their keys are refreshed), and the clock skew tolerated on every token
//! (`MTDB_JWT_LEEWAY_SECS`). Every issuer is checked here, at start, and a bad one stops
//! the program with the variable and the issuer named.

use std::time::Duration;

use mtdb_domain::TenantId;
use mtdb_http::{
    validate_issuers, ClaimMapping, IssuerSettings, JwtSettings, KeyRefresh, SpeaksFor,
    DEFAULT_LEEWAY, MIN_SECRET_BYTES,
};
use secrecy::SecretSlice;
use serde::Deserialize;
use uuid::Uuid;

use super::env::Env;
use super::error::{invalid, ConfigError};

const ISSUERS: &str = "MTDB_OIDC_ISSUERS";

/// The identity providers and the rules common to every token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcSettings {
    /// `MTDB_OIDC_ISSUERS`; none by default (the static keys only).
    pub issuers: Vec<IssuerSettings>,
    /// `MTDB_OIDC_REFRESH_SECS`, `MTDB_OIDC_UNKNOWN_KID_SECS`,
    /// `MTDB_OIDC_KEYS_MAX_AGE_SECS`, `MTDB_OIDC_FETCH_TIMEOUT_MS`.
    pub refresh: KeyRefresh,
    /// `MTDB_JWT_LEEWAY_SECS`: the clock skew tolerated on `exp` and `nbf`.
    pub leeway: Duration,
}

impl Default for OidcSettings {
    fn default() -> Self {
        Self {
            issuers: Vec::new(),
            refresh: KeyRefresh::default(),
            leeway: DEFAULT_LEEWAY,
        }
    }
}

/// One element of `MTDB_OIDC_ISSUERS`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    issuer: String,
    audience: String,
    #[serde(default)]
    organizations: Vec<Uuid>,
    #[serde(default)]
    platform: bool,
    tenant_claim: Option<String>,
    admin_claim: Option<String>,
    admin_value: Option<String>,
}

impl From<Entry> for IssuerSettings {
    fn from(entry: Entry) -> Self {
        let default = ClaimMapping::default();
        Self {
            issuer: entry.issuer,
            audience: entry.audience,
            speaks_for: SpeaksFor {
                platform: entry.platform,
                organizations: entry
                    .organizations
                    .into_iter()
                    .map(TenantId::from)
                    .collect(),
            },
            claims: ClaimMapping {
                tenant_claim: entry.tenant_claim.unwrap_or(default.tenant_claim),
                admin_claim: entry.admin_claim.unwrap_or(default.admin_claim),
                admin_value: entry.admin_value.unwrap_or(default.admin_value),
            },
        }
    }
}

impl<F: Fn(&str) -> Option<String>> Env<F> {
    /// How tokens are verified: `MTDB_JWT_SECRET` (required, at least
    /// [`MIN_SECRET_BYTES`]), the optional public key file, issuer and audience.
    ///
    /// # Errors
    /// The secret missing or too short, or the key file unreadable (the error names the
    /// variable and the path, never the secret).
    pub fn jwt_settings(&self) -> Result<JwtSettings, ConfigError> {
        let secret = self.required("MTDB_JWT_SECRET")?;
        if secret.len() < MIN_SECRET_BYTES {
            return Err(invalid(
                "MTDB_JWT_SECRET",
                format!("must be at least {MIN_SECRET_BYTES} bytes"),
            ));
        }
        let public_key_pem = match self.optional("MTDB_JWT_PUBLIC_KEY_FILE") {
            None => None,
            Some(path) => Some(
                std::fs::read(path.trim())
                    .map_err(|e| invalid("MTDB_JWT_PUBLIC_KEY_FILE", format!("{path}: {e}")))?,
            ),
        };
        Ok(JwtSettings {
            hs256_secret: SecretSlice::from(secret.into_bytes()),
            public_key_pem,
            issuer: self.optional("MTDB_JWT_ISSUER"),
            audience: self.optional("MTDB_JWT_AUDIENCE"),
        })
    }

    /// The identity providers and key refresh settings.
    ///
    /// # Errors
    /// An `MTDB_OIDC_ISSUERS` that is not a JSON array of issuers, an issuer that cannot
    /// work (not https, no audience, speaks for nobody, twice), or a refresh setting out
    /// of its range.
    pub fn oidc_settings(&self) -> Result<OidcSettings, ConfigError> {
        let issuers: Vec<IssuerSettings> = match self.optional(ISSUERS) {
            None => Vec::new(),
            Some(raw) => serde_json::from_str::<Vec<Entry>>(&raw)
                .map_err(|e| invalid(ISSUERS, format!("not a JSON array of issuers ({e})")))?
                .into_iter()
                .map(IssuerSettings::from)
                .collect(),
        };
        validate_issuers(&issuers).map_err(|e| invalid(ISSUERS, e))?;
        let refresh = KeyRefresh {
            interval: self.seconds("MTDB_OIDC_REFRESH_SECS", 300, 86_400)?,
            unknown_kid_interval: self.seconds("MTDB_OIDC_UNKNOWN_KID_SECS", 60, 86_400)?,
            max_age: self.seconds("MTDB_OIDC_KEYS_MAX_AGE_SECS", 86_400, 30 * 86_400)?,
            fetch_timeout: self.millis(
                "MTDB_OIDC_FETCH_TIMEOUT_MS",
                Duration::from_millis(5_000),
                60_000,
            )?,
        };
        if refresh.max_age <= refresh.interval {
            return Err(invalid(
                "MTDB_OIDC_KEYS_MAX_AGE_SECS",
                "must be longer than MTDB_OIDC_REFRESH_SECS",
            ));
        }
        Ok(OidcSettings {
            issuers,
            refresh,
            // Up to five minutes: more would keep expired tokens alive for long.
            leeway: Duration::from_secs(self.within("MTDB_JWT_LEEWAY_SECS", 30, 0..=300)?),
        })
    }

    fn seconds(&self, name: &'static str, default: u64, max: u64) -> Result<Duration, ConfigError> {
        self.within(name, default, 1..=max).map(Duration::from_secs)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::env;
    use super::*;

    const HSBC: &str = "00000000-0000-4000-8000-000000000001";

    #[test]
    fn none_by_default_with_todays_claims() {
        let settings = env(&[]).oidc_settings().unwrap();
        assert_eq!(settings, OidcSettings::default());
    }

    #[test]
    fn reads_issuers_with_their_mapping_and_binding() {
        let json = format!(
            r#"[{{"issuer": "https://idp.example/realms/hsbc", "audience": "mtdb",
                 "organizations": ["{HSBC}"], "admin_claim": "realm_access.roles",
                 "admin_value": "mtdb-admin"}}]"#
        );
        let settings = env(&[(ISSUERS, &json)]).oidc_settings().unwrap();
        let issuer = &settings.issuers[0];
        assert_eq!(issuer.speaks_for.organizations, vec![HSBC.parse().unwrap()]);
        assert!(!issuer.speaks_for.platform);
        assert_eq!(issuer.claims.tenant_claim, "tenant_id");
        assert_eq!(issuer.claims.admin_claim, "realm_access.roles");
    }

    #[test]
    fn a_bad_issuer_or_bound_names_its_variable() {
        let cases = [
            (ISSUERS, "{}".to_owned()),
            (
                ISSUERS,
                r#"[{"issuer": "https://a", "audience": "m", "platfrom": true}]"#.to_owned(),
            ),
            (
                ISSUERS,
                r#"[{"issuer": "http://idp.example", "audience": "m", "platform": true}]"#
                    .to_owned(),
            ),
            (
                ISSUERS,
                r#"[{"issuer": "https://a", "audience": "m"}]"#.to_owned(),
            ),
            (
                ISSUERS,
                r#"[{"issuer": "https://a", "audience": "m", "organizations": ["hsbc"]}]"#
                    .to_owned(),
            ),
            ("MTDB_OIDC_REFRESH_SECS", "0".to_owned()),
            ("MTDB_OIDC_KEYS_MAX_AGE_SECS", "10".to_owned()),
            ("MTDB_JWT_LEEWAY_SECS", "301".to_owned()),
        ];
        for (name, value) in cases {
            let err = env(&[(name, &value)]).oidc_settings().unwrap_err();
            assert!(
                matches!(err, ConfigError::Invalid { name: n, .. } if n == name),
                "{name}={value}: {err}"
            );
        }
    }
}
