//! Which organization a principal belongs to: the platform admin is one organization, a
//! tenant belongs to its root (itself for a parent, its parent for a subsidiary).
//!
//! A tenant's type and parent never change once created, nor when it is deleted, so a
//! root learned from the database stays right for good: the cache never needs
//! invalidating. A principal not learned yet is placed on its first request (one lookup,
//! which finds a deleted tenant's root too); until then, and for good when its id never
//! named a tenant, it counts with every other such principal in one organization,
//! [`Organization::Unplaced`], never in one of its own. The cache is bounded: when full it
//! starts over, which costs the next requests one lookup each and never a wrong answer.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use mtdb_domain::{Principal, TenantId};

/// The unit that fairness counts and shares between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Organization {
    PlatformAdmin,
    Root(TenantId),
    /// Every principal whose organization is not known: while its first request looks it
    /// up, and every request of an id that names no tenant.
    Unplaced,
}

/// What the cache knows of a principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Membership {
    Known(Organization),
    /// Not learned yet: counts as [`Organization::Unplaced`] until a lookup places it.
    Unknown(TenantId),
}

pub(crate) struct Organizations {
    roots: Mutex<HashMap<TenantId, TenantId>>,
    capacity: usize,
}

impl Organizations {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            roots: Mutex::new(HashMap::new()),
            capacity,
        }
    }

    pub(crate) fn of(&self, principal: &Principal) -> Membership {
        match principal {
            Principal::PlatformAdmin => Membership::Known(Organization::PlatformAdmin),
            Principal::Tenant(id) => {
                let roots = self.roots.lock().unwrap_or_else(PoisonError::into_inner);
                match roots.get(id) {
                    Some(root) => Membership::Known(Organization::Root(*root)),
                    None => Membership::Unknown(*id),
                }
            }
        }
    }

    /// Remembers that tenant `tenant` (live or deleted) belongs to `root`.
    pub(crate) fn learn(&self, tenant: TenantId, root: TenantId) {
        let mut roots = self.roots.lock().unwrap_or_else(PoisonError::into_inner);
        if roots.len() >= self.capacity && !roots.contains_key(&tenant) {
            roots.clear();
        }
        roots.insert(tenant, root);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u32) -> TenantId {
        format!("00000000-0000-4000-8000-{n:012}").parse().unwrap()
    }

    #[test]
    fn a_subsidiary_counts_as_its_root_once_learned() {
        let orgs = Organizations::new(10);
        let sub = Principal::Tenant(id(11));
        assert_eq!(orgs.of(&sub), Membership::Unknown(id(11)));
        orgs.learn(id(11), id(1));
        assert_eq!(orgs.of(&sub), Membership::Known(Organization::Root(id(1))));
        assert_eq!(
            orgs.of(&Principal::PlatformAdmin),
            Membership::Known(Organization::PlatformAdmin)
        );
    }

    #[test]
    fn the_cache_never_grows_past_its_capacity() {
        let orgs = Organizations::new(3);
        for n in 0..100 {
            orgs.learn(id(n), id(1));
        }
        assert!(orgs.roots.lock().unwrap().len() <= 3);
        assert_eq!(
            orgs.of(&Principal::Tenant(id(99))),
            Membership::Known(Organization::Root(id(1)))
        );
    }
}
