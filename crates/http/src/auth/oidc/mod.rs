//! Identity providers found by OpenID Connect discovery: each configured issuer's keys
//! (cached, refreshed, fetched early for an unknown `kid` at most once per interval), its
//! claim mapping, and the organizations it may speak for (docs/operations.md, "Identity
//! providers").

pub(crate) mod binding;
pub(crate) mod cache;
pub(crate) mod fetch;
pub(crate) mod keys;
pub(crate) mod refresh;
pub(crate) mod settings;

use std::sync::Arc;
use std::time::Duration;

use jsonwebtoken::{decode, Header};
use mtdb_domain::Actor;
use mtdb_ports::OrganizationDirectory;
use serde_json::{Map, Value};
use tokio::task::JoinHandle;

use crate::auth::jwt_reason::reason;
use crate::auth::oidc::binding::{Refusals, Refused, OUTSIDE};
use crate::auth::oidc::cache::IssuerKeys;
use crate::auth::oidc::settings::{validate_issuers, IssuerError, IssuerSettings, KeyRefresh};
use crate::auth::validation::validation;
use crate::error::auth::AuthError;

/// Every configured issuer, with its keys. Built once at start; dropping it stops the
/// refreshes.
pub struct IdentityProviders {
    issuers: Vec<Arc<IssuerKeys>>,
    directory: Arc<dyn OrganizationDirectory>,
    refusals: Refusals,
    refreshing: Vec<JoinHandle<()>>,
}

/// Why the providers could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum ProvidersError {
    /// A setting that cannot work.
    #[error(transparent)]
    Issuer(#[from] IssuerError),
    /// The HTTP client could not be built (no TLS roots, ...).
    #[error("the HTTP client for identity providers could not be built")]
    Client(#[source] reqwest::Error),
}

/// What the binding refused: `401` or the store's failure.
pub(crate) enum Rejection {
    Auth(AuthError),
    Store(mtdb_domain::StoreError),
}

impl IdentityProviders {
    /// Fetches every issuer's keys once (a provider down at start is logged and tried
    /// again with backoff; its tokens are refused meanwhile), then keeps them fresh.
    /// `directory` tells a subsidiary's organization. Call within a Tokio runtime.
    ///
    /// # Errors
    /// Invalid settings, or no HTTP client.
    pub async fn start(
        issuers: Vec<IssuerSettings>,
        refresh: KeyRefresh,
        directory: Arc<dyn OrganizationDirectory>,
    ) -> Result<Self, ProvidersError> {
        validate_issuers(&issuers)?;
        let fetcher = fetch::Fetcher::new(refresh.fetch_timeout).map_err(ProvidersError::Client)?;
        let issuers: Vec<_> = issuers
            .into_iter()
            .map(|s| Arc::new(IssuerKeys::new(s, refresh, fetcher.clone())))
            .collect();
        let started = futures::future::join_all(issuers.iter().map(|keys| async {
            let result = keys.refresh().await;
            if let Err(e) = &result {
                tracing::warn!(issuer = %keys.settings.issuer, error = %e, "fetching the key set at start failed");
            }
            result.is_ok()
        }))
        .await;
        let refreshing = issuers
            .iter()
            .zip(started)
            .map(|(keys, ok)| {
                let delay = refresh::first_delay(keys, ok);
                tokio::spawn(refresh::run(Arc::downgrade(keys), delay))
            })
            .collect();
        Ok(Self {
            issuers,
            directory,
            refusals: Refusals::default(),
            refreshing,
        })
    }

    /// The number of the configured issuer named `iss`, if any.
    pub(crate) fn issuer(&self, iss: &str) -> Option<usize> {
        self.issuers
            .iter()
            .position(|keys| keys.settings.issuer == iss)
    }

    /// Verifies a token of issuer `n` (see [`issuer`](Self::issuer)), then its binding.
    pub(crate) async fn verify(
        &self,
        n: usize,
        token: &str,
        header: &Header,
        leeway: Duration,
    ) -> Result<Actor, Rejection> {
        let invalid = |why| Rejection::Auth(AuthError::Invalid(why));
        let keys = self.issuers.get(n).ok_or(invalid("unknown issuer"))?;
        let kid = header.kid.as_deref().ok_or(invalid("no kid"))?;
        let key = keys.key(kid).await.ok_or(invalid("unknown kid"))?;
        // The key's own algorithm, never the header's alone: a token that names another
        // (`HS256` with the public key as secret) fails here.
        if header.alg != key.algorithm {
            return Err(invalid("algorithm not the key's"));
        }
        let settings = &keys.settings;
        let validation = validation(
            key.algorithm,
            leeway,
            Some(&settings.issuer),
            Some(&settings.audience),
        );
        let data = decode::<Map<String, Value>>(token, &key.key, &validation)
            .map_err(|e| invalid(reason(e.kind())))?;
        let actor = settings.claims.actor(&data.claims).map_err(invalid)?;
        let admitted = binding::admit(
            &actor,
            n,
            &settings.speaks_for,
            self.directory.as_ref(),
            &self.refusals,
        )
        .await;
        match admitted {
            Ok(()) => Ok(actor),
            Err(Refused::Outside) => Err(invalid(OUTSIDE)),
            Err(Refused::Store(e)) => Err(Rejection::Store(e)),
        }
    }
}

impl Drop for IdentityProviders {
    fn drop(&mut self) {
        for task in &self.refreshing {
            task.abort();
        }
    }
}
