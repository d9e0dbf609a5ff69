//! Reads counted by where they ran and why: a fixed set of label pairs, so that the
//! metrics never grow a series from anything a client sends.

use std::sync::atomic::{AtomicU64, Ordering};

/// Where a read ran and why there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadRoute {
    /// On the standby: healthy and within the lag bound.
    Replica,
    /// On the primary: the client asked for strong consistency.
    Requested,
    /// On the primary: the standby lags more than the bound.
    Lagging,
    /// On the primary: the standby is unreachable (or failed a read since its last probe).
    Down,
    /// On the primary, after the same read failed on the standby.
    Retried,
}

impl ReadRoute {
    /// Every route, in the order of [`ReadCounts::snapshot`].
    pub const ALL: [Self; 5] = [
        Self::Replica,
        Self::Requested,
        Self::Lagging,
        Self::Down,
        Self::Retried,
    ];

    /// The metric labels: `(target, reason)`.
    pub fn labels(self) -> (&'static str, &'static str) {
        match self {
            Self::Replica => ("replica", "fresh"),
            Self::Requested => ("primary", "strong_consistency"),
            Self::Lagging => ("primary", "replica_lagging"),
            Self::Down => ("primary", "replica_down"),
            Self::Retried => ("primary", "replica_failed"),
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One counter per [`ReadRoute`].
#[derive(Debug, Default)]
pub struct ReadCounts([AtomicU64; 5]);

impl ReadCounts {
    pub(crate) fn count(&self, route: ReadRoute) {
        self.0[route.index()].fetch_add(1, Ordering::Relaxed);
    }

    /// Every route with its count so far.
    pub fn snapshot(&self) -> [(ReadRoute, u64); 5] {
        ReadRoute::ALL.map(|route| (route, self.0[route.index()].load(Ordering::Relaxed)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_route_counts_apart_and_the_labels_are_distinct() {
        let counts = ReadCounts::default();
        counts.count(ReadRoute::Replica);
        counts.count(ReadRoute::Replica);
        counts.count(ReadRoute::Retried);
        let snapshot = counts.snapshot();
        assert_eq!(snapshot[0], (ReadRoute::Replica, 2));
        assert_eq!(snapshot[4], (ReadRoute::Retried, 1));
        let labels: std::collections::BTreeSet<_> =
            ReadRoute::ALL.iter().map(|r| r.labels()).collect();
        assert_eq!(labels.len(), ReadRoute::ALL.len());
    }
}
