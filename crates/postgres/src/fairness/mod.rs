//! Sharing the connection pool fairly between organizations (docs/fairness.md).
//!
//! Every unit of work passes the [`Gate`] before it takes a pooled connection:
//! 1. admission: its organization may have at most `max_requests` units of work in
//!    flight or queued, else `StoreError::Overloaded` at once;
//! 2. a permit from a round-robin [`FairQueue`] with one permit per pooled connection,
//!    within the pool's timeout, else `StoreError::Unavailable`. Most permits are shared
//!    by everyone; a few reserved ones serve only organizations that hold no shared one.
//!
//! Holding a permit, `pool.get()` finds a connection without waiting behind anyone.

mod admission;
mod organizations;
mod queue;

use std::time::Duration;

use mtdb_domain::{Principal, StoreError, TenantId};

use admission::{Admission, Ticket};
use organizations::Organizations;
pub(crate) use organizations::{Membership, Organization};
use queue::{FairQueue, Permit};

/// The fewest requests of one organization in flight or queued that are never refused.
pub const MIN_ORG_MAX_REQUESTS: usize = 64;
/// The bound of [`Organization::Unplaced`], all such principals together: the fewest an
/// organization may have, so that a new organization's first burst (each request looking
/// its principal up) is refused no sooner than an organization's would be.
const UNPLACED_MAX_REQUESTS: usize = MIN_ORG_MAX_REQUESTS;
/// How many tenants' organizations are remembered (about 50 bytes each).
const KNOWN_ORGANIZATIONS: usize = 65_536;

/// How the pool is shared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FairnessSettings {
    /// Units of work of one organization in flight or queued at once, past which the
    /// next is refused (`MTDB_ORG_MAX_REQUESTS`, at least [`MIN_ORG_MAX_REQUESTS`]).
    pub org_max_requests: usize,
    /// How many of the pool's connections are kept for organizations that hold none of
    /// the others (`MTDB_DB_POOL_RESERVE`); at least one connection stays shared.
    pub reserved_connections: usize,
    /// How long a list's unit of work may last, from its start to its last tenant handed
    /// over (`MTDB_HTTP_RESPONSE_TIMEOUT_MS`): past it, the page is cut, the transaction
    /// rolled back and the connection returned, however slowly the client reads.
    pub page_deadline: Duration,
}

impl Default for FairnessSettings {
    fn default() -> Self {
        Self {
            org_max_requests: 128,
            reserved_connections: 0,
            page_deadline: Duration::from_secs(60),
        }
    }
}

pub(crate) struct Gate {
    queue: FairQueue<Organization>,
    admission: Admission<Organization>,
    org_max_requests: usize,
    organizations: Organizations,
    wait: Duration,
}

/// The right to one pooled connection for one unit of work; given back on drop.
pub(crate) struct Pass {
    // Field order is drop order: the connection's permit goes first.
    _permit: Permit<Organization>,
    _ticket: Ticket<Organization>,
}

#[derive(Debug, thiserror::Error)]
#[error("no connection was free within {0:?}")]
struct WaitedTooLong(Duration);

impl Gate {
    /// One permit per connection of a pool of `connections`, of which
    /// `settings.reserved_connections` are reserved (at least one stays shared); a wait
    /// longer than `wait` is unavailable.
    pub(crate) fn new(connections: usize, wait: Duration, settings: FairnessSettings) -> Self {
        let reserved = settings
            .reserved_connections
            .min(connections.saturating_sub(1));
        Self {
            queue: FairQueue::new(connections - reserved, reserved),
            admission: Admission::new(),
            org_max_requests: settings.org_max_requests.max(MIN_ORG_MAX_REQUESTS),
            organizations: Organizations::new(KNOWN_ORGANIZATIONS),
            wait,
        }
    }

    pub(crate) fn membership(&self, principal: &Principal) -> Membership {
        self.organizations.of(principal)
    }

    pub(crate) fn learn(&self, tenant: TenantId, root: TenantId) {
        self.organizations.learn(tenant, root);
    }

    /// Admits one unit of work of `organization` and waits for its turn.
    pub(crate) async fn enter(&self, organization: Organization) -> Result<Pass, StoreError> {
        let max = match organization {
            Organization::Unplaced => UNPLACED_MAX_REQUESTS,
            _ => self.org_max_requests,
        };
        let ticket = self
            .admission
            .try_enter(organization, max)
            .ok_or(StoreError::Overloaded)?;
        let permit = tokio::time::timeout(self.wait, self.queue.acquire(organization))
            .await
            // Not logged here: the caller that answers the request logs it, once.
            .map_err(|_| StoreError::Unavailable(Box::new(WaitedTooLong(self.wait))))?;
        Ok(Pass {
            _permit: permit,
            _ticket: ticket,
        })
    }

    /// Units of work waiting for a connection, all organizations together.
    pub fn waiting(&self) -> usize {
        self.queue.waiting()
    }
}
