use std::time::Duration;

use mtdb_domain::TenantId;
use reqwest::Url;

use crate::auth::mapping::ClaimMapping;

/// One identity provider mtdb trusts (docs/operations.md, "Identity providers").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerSettings {
    /// The issuer exactly as its tokens' `iss` say it; discovery reads
    /// `<issuer>/.well-known/openid-configuration`.
    pub issuer: String,
    /// The `aud` its tokens must carry for mtdb (always checked).
    pub audience: String,
    /// The organizations its tokens may act for.
    pub speaks_for: SpeaksFor,
    /// Where its tokens put the tenant id and the platform admin.
    pub claims: ClaimMapping,
}

/// The organizations an issuer may speak for: top-level tenants (each with its
/// subsidiaries), the platform admin, or both. Anything else it names is refused.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SpeaksFor {
    /// Its tokens may name the platform admin.
    pub platform: bool,
    /// The parent tenants whose organizations (the parent and its subsidiaries) its
    /// tokens may act as.
    pub organizations: Vec<TenantId>,
}

/// How keys are fetched and kept, the same for every issuer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyRefresh {
    /// The key set is fetched again this often (`MTDB_OIDC_REFRESH_SECS`).
    pub interval: Duration,
    /// A token whose `kid` is not in the cache causes a fetch only when none was tried
    /// for this long (`MTDB_OIDC_UNKNOWN_KID_SECS`): a flood of invented `kid`s costs the
    /// provider at most one request per this interval.
    pub unknown_kid_interval: Duration,
    /// Keys not confirmed by a successful fetch for this long are dropped
    /// (`MTDB_OIDC_KEYS_MAX_AGE_SECS`): how long a provider may be unreachable before
    /// its tokens stop verifying.
    pub max_age: Duration,
    /// One discovery or key set request may take this long (`MTDB_OIDC_FETCH_TIMEOUT_MS`).
    pub fetch_timeout: Duration,
}

impl Default for KeyRefresh {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(300),
            unknown_kid_interval: Duration::from_secs(60),
            max_age: Duration::from_secs(24 * 3600),
            fetch_timeout: Duration::from_secs(5),
        }
    }
}

/// Why an issuer's settings cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IssuerError {
    /// Not an absolute `https` URL (`http` is allowed on loopback only).
    #[error("issuer {0:?} must be an https URL (http only for localhost)")]
    NotHttps(String),
    /// The same issuer twice: which settings would apply would be a guess.
    #[error("issuer {0:?} is configured twice")]
    Duplicate(String),
    /// An empty audience.
    #[error("issuer {0:?} needs an audience")]
    NoAudience(String),
    /// Speaks for nobody: every token would be refused.
    #[error("issuer {0:?} speaks for no organization and not for the platform")]
    SpeaksForNobody(String),
    /// A claim path that names nothing, or an empty admin value.
    #[error("issuer {0:?} has an empty claim name or path, or an empty admin value")]
    BadClaim(String),
}

impl IssuerSettings {
    /// Checks what can be checked without the network.
    ///
    /// # Errors
    /// The first problem found, naming the issuer.
    pub fn validate(&self) -> Result<(), IssuerError> {
        let named = || self.issuer.clone();
        if fetchable(&self.issuer).is_none() {
            return Err(IssuerError::NotHttps(named()));
        }
        if self.audience.trim().is_empty() {
            return Err(IssuerError::NoAudience(named()));
        }
        if !self.speaks_for.platform && self.speaks_for.organizations.is_empty() {
            return Err(IssuerError::SpeaksForNobody(named()));
        }
        let claims = &self.claims;
        if !ClaimMapping::path_is_valid(&claims.tenant_claim)
            || !ClaimMapping::path_is_valid(&claims.admin_claim)
            || claims.admin_value.is_empty()
        {
            return Err(IssuerError::BadClaim(named()));
        }
        Ok(())
    }
}

/// Checks a list of issuers: each valid, none twice.
///
/// # Errors
/// The first problem found, naming the issuer.
pub fn validate_issuers(issuers: &[IssuerSettings]) -> Result<(), IssuerError> {
    for (n, issuer) in issuers.iter().enumerate() {
        issuer.validate()?;
        if issuers[..n]
            .iter()
            .any(|other| other.issuer == issuer.issuer)
        {
            return Err(IssuerError::Duplicate(issuer.issuer.clone()));
        }
    }
    Ok(())
}

/// The URL, when mtdb may fetch from it: `https`, or `http` to a loopback host (a
/// provider on the same machine, as in the tests). Keys fetched over plain `http` from
/// elsewhere could be replaced by anyone on the path.
pub(crate) fn fetchable(raw: &str) -> Option<Url> {
    let url = Url::parse(raw).ok()?;
    let host = url.host_str()?;
    let ip = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = host == "localhost"
        || ip
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    match url.scheme() {
        "https" => Some(url),
        "http" if loopback => Some(url),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issuer(url: &str) -> IssuerSettings {
        IssuerSettings {
            issuer: url.to_owned(),
            audience: "mtdb".to_owned(),
            speaks_for: SpeaksFor {
                platform: true,
                organizations: vec![],
            },
            claims: ClaimMapping::default(),
        }
    }

    #[test]
    fn https_anywhere_http_on_loopback_only() {
        for good in [
            "https://idp.example/realms/hsbc",
            "http://127.0.0.1:4000",
            "http://localhost:4000/x",
            "http://[::1]:4000",
        ] {
            assert_eq!(issuer(good).validate(), Ok(()), "{good}");
        }
        for bad in ["http://idp.example", "ftp://127.0.0.1", "idp.example", ""] {
            assert!(
                matches!(issuer(bad).validate(), Err(IssuerError::NotHttps(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn refuses_duplicates_nobody_empty_audience_and_empty_claims() {
        let one = issuer("https://a.example");
        assert!(matches!(
            validate_issuers(&[one.clone(), one.clone()]),
            Err(IssuerError::Duplicate(_))
        ));
        let mut nobody = one.clone();
        nobody.speaks_for.platform = false;
        assert!(matches!(
            nobody.validate(),
            Err(IssuerError::SpeaksForNobody(_))
        ));
        let mut no_audience = one.clone();
        no_audience.audience = " ".to_owned();
        assert!(matches!(
            no_audience.validate(),
            Err(IssuerError::NoAudience(_))
        ));
        let mut bad_claim = one;
        bad_claim.claims.tenant_claim = "a..b".to_owned();
        assert!(matches!(
            bad_claim.validate(),
            Err(IssuerError::BadClaim(_))
        ));
    }
}
