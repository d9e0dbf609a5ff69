//! The bound on one organization's units of work in flight or queued at once: past it a
//! request is refused at once (`429` with `Retry-After` at the API) instead of queueing
//! without end. Counted per organization, never globally, so a flood refuses only the
//! flooder.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

type Counts<K> = Arc<Mutex<HashMap<K, usize>>>;

pub(crate) struct Admission<K> {
    counts: Counts<K>,
}

/// One admitted unit of work; leaves the count on drop.
pub(crate) struct Ticket<K: Hash + Eq> {
    counts: Counts<K>,
    key: K,
}

impl<K: Hash + Eq + Clone> Admission<K> {
    pub(crate) fn new() -> Self {
        Self {
            counts: Arc::default(),
        }
    }

    /// A ticket, unless `key` already holds `max` of them.
    pub(crate) fn try_enter(&self, key: K, max: usize) -> Option<Ticket<K>> {
        let mut counts = lock(&self.counts);
        let count = counts.entry(key.clone()).or_insert(0);
        if *count >= max {
            return None;
        }
        *count += 1;
        Some(Ticket {
            counts: Arc::clone(&self.counts),
            key,
        })
    }
}

impl<K: Hash + Eq> Drop for Ticket<K> {
    fn drop(&mut self) {
        let mut counts = lock(&self.counts);
        // Keys leave the map at zero: its size is the number of organizations with
        // work in flight, whatever ids clients send.
        if let Some(count) = counts.get_mut(&self.key) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                counts.remove(&self.key);
            }
        }
    }
}

fn lock<K>(counts: &Mutex<HashMap<K, usize>>) -> MutexGuard<'_, HashMap<K, usize>> {
    counts.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_past_the_bound_per_key_and_admits_again_after_a_release() {
        let admission = Admission::new();
        let a1 = admission.try_enter("a", 2);
        let a2 = admission.try_enter("a", 2);
        assert!(a1.is_some() && a2.is_some());
        assert!(
            admission.try_enter("a", 2).is_none(),
            "a third for a is refused"
        );
        assert!(admission.try_enter("b", 2).is_some(), "b is not a's bound");
        drop(a1);
        assert!(admission.try_enter("a", 2).is_some());
    }

    #[test]
    fn keys_leave_the_map_when_their_work_ends() {
        let admission = Admission::new();
        drop(admission.try_enter("a", 2));
        assert!(lock(&admission.counts).is_empty());
    }
}
