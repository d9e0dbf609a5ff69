//! The scheduled refresh of one issuer's keys: every `interval` after a success; after a
//! failure, again in 1 s, then 2 s, 4 s, ... up to `interval` (a provider that is down is
//! not hammered, one that comes back is used again soon).

use std::sync::Weak;
use std::time::Duration;

use super::cache::IssuerKeys;

const FIRST_RETRY: Duration = Duration::from_secs(1);

/// Runs until the keys are dropped (the verifier with them).
pub(crate) async fn run(keys: Weak<IssuerKeys>, mut delay: Duration) {
    let mut retry = FIRST_RETRY;
    loop {
        tokio::time::sleep(delay).await;
        let Some(keys) = keys.upgrade() else {
            return;
        };
        let interval = keys.schedule().interval;
        delay = match keys.refresh().await {
            Ok(()) => {
                retry = FIRST_RETRY;
                interval
            }
            Err(e) => {
                tracing::warn!(issuer = %keys.settings.issuer, error = %e, "refreshing the key set failed");
                let next = retry.min(interval);
                retry = retry.saturating_mul(2);
                next
            }
        };
    }
}

/// The first delay after the fetch at start: the normal interval after a success, the
/// first retry after a failure.
pub(crate) fn first_delay(keys: &IssuerKeys, started: bool) -> Duration {
    if started {
        keys.schedule().interval
    } else {
        FIRST_RETRY.min(keys.schedule().interval)
    }
}
