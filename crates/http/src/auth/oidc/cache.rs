//! One issuer's keys, cached: refreshed on a schedule (`refresh`), fetched early for an
//! unknown `kid` at most once per `unknown_kid_interval`, and dropped when no fetch has
//! confirmed them for `max_age`. One fetch at a time: requests that find a fetch under way
//! wait for it (within the fetch timeout) instead of starting their own.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};

use reqwest::Url;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::fetch::{FetchError, Fetcher};
use super::keys::{signing_keys, SigningKey};
use super::settings::{IssuerSettings, KeyRefresh};

pub(crate) struct IssuerKeys {
    pub(crate) settings: IssuerSettings,
    refresh: KeyRefresh,
    fetcher: Fetcher,
    state: RwLock<State>,
    /// Held while fetching; holds the key set's URL once discovery found it.
    fetching: Mutex<Option<Url>>,
}

#[derive(Default)]
struct State {
    keys: HashMap<String, SigningKey>,
    /// When a fetch last succeeded: the keys are good until this plus `max_age`.
    confirmed: Option<Instant>,
    /// When a fetch was last started, successful or not.
    attempted: Option<Instant>,
}

impl IssuerKeys {
    pub(crate) fn new(settings: IssuerSettings, refresh: KeyRefresh, fetcher: Fetcher) -> Self {
        Self {
            settings,
            refresh,
            fetcher,
            state: RwLock::default(),
            fetching: Mutex::new(None),
        }
    }

    /// The key `kid`, fetching the key set first when `kid` is unknown and no fetch was
    /// tried within the unknown-`kid` interval.
    pub(crate) async fn key(&self, kid: &str) -> Option<SigningKey> {
        if let Some(key) = self.cached(kid) {
            return Some(key);
        }
        let mut fetching = self.fetching.lock().await;
        // Whoever held the lock before may have fetched it, or tried just now.
        if let Some(key) = self.cached(kid) {
            return Some(key);
        }
        let recent = self
            .read(|state| state.attempted)
            .is_some_and(|at| at.elapsed() < self.refresh.unknown_kid_interval);
        if recent {
            return None;
        }
        if let Err(e) = self.fetch_locked(&mut fetching).await {
            tracing::warn!(issuer = %self.settings.issuer, error = %e, "fetching the key set failed");
        }
        self.cached(kid)
    }

    /// Fetches the key set now (the scheduled refresh), waiting for one under way.
    pub(crate) async fn refresh(&self) -> Result<(), FetchError> {
        let mut fetching = self.fetching.lock().await;
        self.fetch_locked(&mut fetching).await
    }

    pub(crate) fn schedule(&self) -> KeyRefresh {
        self.refresh
    }

    fn cached(&self, kid: &str) -> Option<SigningKey> {
        self.read(|state| {
            let fresh = state
                .confirmed
                .is_some_and(|at| at.elapsed() < self.refresh.max_age);
            fresh.then(|| state.keys.get(kid).cloned()).flatten()
        })
    }

    async fn fetch_locked(&self, key_set_url: &mut Option<Url>) -> Result<(), FetchError> {
        self.write(|state| state.attempted = Some(Instant::now()));
        let url = match key_set_url.clone() {
            Some(url) => url,
            None => {
                let url = self.fetcher.key_set_url(&self.settings.issuer).await?;
                *key_set_url = Some(url.clone());
                url
            }
        };
        let set = self.fetcher.key_set(&url).await.inspect_err(|_| {
            // The document may have moved the key set: discover again next time.
            *key_set_url = None;
        })?;
        let keys = signing_keys(&set);
        tracing::debug!(issuer = %self.settings.issuer, keys = keys.len(), "key set fetched");
        self.write(|state| {
            state.keys = keys;
            state.confirmed = Some(Instant::now());
        });
        Ok(())
    }

    fn read<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&self.state.read().unwrap_or_else(PoisonError::into_inner))
    }

    fn write(&self, f: impl FnOnce(&mut State)) {
        f(&mut self.state.write().unwrap_or_else(PoisonError::into_inner));
    }
}
