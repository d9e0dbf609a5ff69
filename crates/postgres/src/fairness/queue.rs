//! A round-robin queue for permits (one per pooled connection), keyed by organization.
//!
//! - Shared permits are work-conserving: a free one is taken at once, whoever asks, so
//!   an organization alone may hold every one of them.
//! - Reserved permits (extra connections) go only to an organization that holds no
//!   shared permit: one that floods the shared ones cannot make a newcomer wait for its
//!   long requests to end.
//! - When nothing fits, waiters queue per key, and a released permit goes to the next
//!   key in turn (round-robin over the keys that have waiters), never to the back of one
//!   long queue: no organization waits behind another's queue.
//! - Within one key's queue, first come, first served, whichever event loop a waiter is
//!   on: preferring the releasing loop's waiters saves a wake-up across threads but piles
//!   a flooding organization's lists onto one loop, whose other requests then wait
//!   (docs/records/2026-12-07-noisy-flood-regressions.md).
//! - Cancellation-safe: a waiter dropped while queued leaves the queue; a permit handed to
//!   a waiter that is dropped before it looked is released again by the permit's `Drop`.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::oneshot;

pub(crate) struct FairQueue<K: Hash + Eq + Clone> {
    state: Arc<Mutex<State<K>>>,
}

struct State<K: Hash + Eq + Clone> {
    free: usize,
    reserve_free: usize,
    /// Shared permits held, per key (keys at zero are removed).
    held: HashMap<K, usize>,
    queues: HashMap<K, VecDeque<Waiter<K>>>,
    /// Keys with at least one waiter, in the order they get their next permit.
    turns: VecDeque<K>,
    next_id: u64,
}

struct Waiter<K: Hash + Eq + Clone> {
    id: u64,
    wake: oneshot::Sender<Permit<K>>,
}

/// One pooled connection's worth of the right to run; released on drop.
pub(crate) struct Permit<K: Hash + Eq + Clone> {
    state: Option<Arc<Mutex<State<K>>>>,
    key: K,
    reserved: bool,
}

impl<K: Hash + Eq + Clone> FairQueue<K> {
    pub(crate) fn new(shared: usize, reserved: usize) -> Self {
        Self {
            state: Arc::new(Mutex::new(State {
                free: shared,
                reserve_free: reserved,
                held: HashMap::new(),
                queues: HashMap::new(),
                turns: VecDeque::new(),
                next_id: 0,
            })),
        }
    }

    /// A permit for `key`: at once if one fits, else when `key`'s turn comes.
    pub(crate) async fn acquire(&self, key: K) -> Permit<K> {
        loop {
            let (id, woken) = {
                let mut state = lock(&self.state);
                if let Some(reserved) = state.take_free(&key) {
                    return Permit::new(&self.state, key, reserved);
                }
                state.enqueue(key.clone())
            };
            let mut queued = Queued {
                state: &self.state,
                key: &key,
                id,
                armed: true,
            };
            let result = woken.await;
            queued.armed = false;
            // The sender is only ever dropped unsent when its waiter is dropped first,
            // which is not this one; queue again rather than trust that.
            if let Ok(permit) = result {
                return permit;
            }
        }
    }

    /// How many are waiting, all keys together.
    pub(crate) fn waiting(&self) -> usize {
        lock(&self.state).queues.values().map(VecDeque::len).sum()
    }
}

impl<K: Hash + Eq + Clone> State<K> {
    /// Takes a free permit that `key` may have: `Some(reserved)`, or `None`.
    fn take_free(&mut self, key: &K) -> Option<bool> {
        if self.free > 0 {
            self.free -= 1;
            *self.held.entry(key.clone()).or_insert(0) += 1;
            return Some(false);
        }
        if self.reserve_free > 0 && !self.held.contains_key(key) {
            self.reserve_free -= 1;
            return Some(true);
        }
        None
    }

    fn enqueue(&mut self, key: K) -> (u64, oneshot::Receiver<Permit<K>>) {
        let id = self.next_id;
        self.next_id += 1;
        let (wake, woken) = oneshot::channel();
        let queue = self.queues.entry(key.clone()).or_default();
        if queue.is_empty() {
            self.turns.push_back(key);
        }
        queue.push_back(Waiter { id, wake });
        (id, woken)
    }

    /// The next waiter in round-robin order among the keys `eligible` accepts.
    fn next_waiter(&mut self, eligible: impl Fn(&Self, &K) -> bool) -> Option<(K, Waiter<K>)> {
        let position = (0..self.turns.len()).find(|&i| eligible(self, &self.turns[i]))?;
        let key = self.turns.remove(position)?;
        let queue = self.queues.get_mut(&key)?;
        let waiter = queue.pop_front()?;
        if queue.is_empty() {
            self.queues.remove(&key);
        } else {
            self.turns.push_back(key.clone());
        }
        Some((key, waiter))
    }

    fn forget(&mut self, key: &K, id: u64) {
        if let Some(queue) = self.queues.get_mut(key) {
            queue.retain(|w| w.id != id);
            if queue.is_empty() {
                self.queues.remove(key);
                self.turns.retain(|k| k != key);
            }
        }
    }

    fn give_back_shared(&mut self, key: &K) {
        if let Some(count) = self.held.get_mut(key) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                self.held.remove(key);
            }
        }
    }
}

/// Takes a waiter out of its queue if its `acquire` is dropped before being woken.
struct Queued<'a, K: Hash + Eq + Clone> {
    state: &'a Arc<Mutex<State<K>>>,
    key: &'a K,
    id: u64,
    armed: bool,
}

impl<K: Hash + Eq + Clone> Drop for Queued<'_, K> {
    fn drop(&mut self) {
        if self.armed {
            lock(self.state).forget(self.key, self.id);
        }
    }
}

impl<K: Hash + Eq + Clone> Permit<K> {
    fn new(state: &Arc<Mutex<State<K>>>, key: K, reserved: bool) -> Self {
        Self {
            state: Some(Arc::clone(state)),
            key,
            reserved,
        }
    }
}

impl<K: Hash + Eq + Clone> Drop for Permit<K> {
    fn drop(&mut self) {
        let Some(shared) = self.state.take() else {
            return;
        };
        let mut state = lock(&shared);
        if !self.reserved {
            state.give_back_shared(&self.key);
        }
        let reserved = self.reserved;
        loop {
            // A shared permit goes to whoever's turn it is; a reserved one only to a key
            // that holds no shared permit.
            let next = state.next_waiter(|s, k| !reserved || !s.held.contains_key(k));
            let Some((key, waiter)) = next else { break };
            if !reserved {
                *state.held.entry(key.clone()).or_insert(0) += 1;
            }
            match waiter
                .wake
                .send(Permit::new(&shared, key.clone(), reserved))
            {
                Ok(()) => return,
                // That waiter is gone; the permit came back. Undo, disarm it (dropping it
                // here, under the lock, would release it re-entrantly), try the next.
                Err(mut unused) => {
                    unused.state = None;
                    if !reserved {
                        state.give_back_shared(&key);
                    }
                }
            }
        }
        if reserved {
            state.reserve_free += 1;
        } else {
            state.free += 1;
        }
    }
}

/// The state stays consistent at every await point, so a panic elsewhere that poisoned
/// the lock leaves nothing half-done: carry on rather than fail every request after it.
fn lock<K: Hash + Eq + Clone>(state: &Mutex<State<K>>) -> MutexGuard<'_, State<K>> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests;
