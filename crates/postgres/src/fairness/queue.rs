//! A work-conserving, round-robin queue for a fixed number of permits (one per pooled
//! connection), keyed by organization.
//!
//! - A free permit is taken at once, whoever asks: an organization alone may hold them all.
//! - When none is free, waiters queue per key, and a released permit goes to the next key
//!   in turn (round-robin over the keys that have waiters), never to the back of one long
//!   queue: no organization waits behind another's queue.
//! - Cancellation-safe: a waiter dropped while queued leaves the queue; a permit handed to
//!   a waiter that is dropped before it looked is released again by the permit's own `Drop`.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::oneshot;

pub(crate) struct FairQueue<K: Hash + Eq + Clone> {
    state: Arc<Mutex<State<K>>>,
}

struct State<K: Hash + Eq + Clone> {
    free: usize,
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
}

impl<K: Hash + Eq + Clone> FairQueue<K> {
    pub(crate) fn new(permits: usize) -> Self {
        Self {
            state: Arc::new(Mutex::new(State {
                free: permits,
                queues: HashMap::new(),
                turns: VecDeque::new(),
                next_id: 0,
            })),
        }
    }

    /// A permit for `key`: at once if one is free, else when `key`'s turn comes.
    pub(crate) async fn acquire(&self, key: K) -> Permit<K> {
        loop {
            let (id, woken) = {
                let mut state = lock(&self.state);
                if state.free > 0 {
                    state.free -= 1;
                    return Permit::new(&self.state);
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

    /// The next waiter in round-robin order, if any.
    fn next_waiter(&mut self) -> Option<Waiter<K>> {
        while let Some(key) = self.turns.pop_front() {
            let Some(queue) = self.queues.get_mut(&key) else {
                continue;
            };
            let waiter = queue.pop_front();
            if queue.is_empty() {
                self.queues.remove(&key);
            } else {
                self.turns.push_back(key);
            }
            if waiter.is_some() {
                return waiter;
            }
        }
        None
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
    fn new(state: &Arc<Mutex<State<K>>>) -> Self {
        Self {
            state: Some(Arc::clone(state)),
        }
    }
}

impl<K: Hash + Eq + Clone> Drop for Permit<K> {
    fn drop(&mut self) {
        let Some(shared) = self.state.take() else {
            return;
        };
        let mut state = lock(&shared);
        while let Some(waiter) = state.next_waiter() {
            match waiter.wake.send(Permit::new(&shared)) {
                Ok(()) => return,
                // That waiter is gone; the permit came back. Disarm it (dropping it here,
                // under the lock, would release it re-entrantly) and try the next one.
                Err(mut unused) => unused.state = None,
            }
        }
        state.free += 1;
    }
}

/// The state stays consistent at every await point, so a panic elsewhere that poisoned
/// the lock leaves nothing half-done: carry on rather than fail every request after it.
fn lock<K: Hash + Eq + Clone>(state: &Mutex<State<K>>) -> MutexGuard<'_, State<K>> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests;
