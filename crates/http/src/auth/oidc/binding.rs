//! The issuer binding: a token is accepted only for an organization its issuer may speak
//! for. The platform admin and the listed parent tenants are decided from the settings
//! alone; any other tenant (a subsidiary, a foreign tenant, one that does not exist) is
//! decided by its organization, asked of the [`OrganizationDirectory`] once (one
//! statement, before the request's unit of work; the directory remembers live tenants'
//! roots). Refusals are remembered too, per issuer and tenant, so that after the first
//! request a foreign tenant and a nonexistent one cost the same nothing; both are the
//! same `401` as any invalid token.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use mtdb_domain::{Actor, Principal, StoreError, TenantId};
use mtdb_ports::OrganizationDirectory;
use tokio::time::Instant;

use super::settings::SpeaksFor;

/// The reason logged and counted for every refusal of the binding, whatever the cause.
pub(crate) const OUTSIDE: &str = "outside the issuer's organizations";

/// How long a refusal is remembered, and how many at most (about 60 bytes each).
const REFUSAL_TTL: Duration = Duration::from_secs(600);
const MAX_REFUSALS: usize = 65_536;

/// Why the binding did not admit a principal.
#[derive(Debug)]
pub(crate) enum Refused {
    /// The issuer may not speak for it: `401`.
    Outside,
    /// The directory could not answer: the store's error (`503`, `429`, ...).
    Store(StoreError),
}

#[derive(Default)]
pub(crate) struct Refusals(Mutex<HashMap<(usize, TenantId), Instant>>);

impl Refusals {
    fn remembered(&self, key: (usize, TenantId)) -> bool {
        let refusals = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        refusals
            .get(&key)
            .is_some_and(|at| at.elapsed() < REFUSAL_TTL)
    }

    fn remember(&self, key: (usize, TenantId)) {
        let mut refusals = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if refusals.len() >= MAX_REFUSALS {
            refusals.retain(|_, at| at.elapsed() < REFUSAL_TTL);
            if refusals.len() >= MAX_REFUSALS {
                refusals.clear();
            }
        }
        refusals.insert(key, Instant::now());
    }
}

/// Admits `actor` for the issuer numbered `issuer` that speaks for `speaks_for`.
pub(crate) async fn admit(
    actor: &Actor,
    issuer: usize,
    speaks_for: &SpeaksFor,
    directory: &dyn OrganizationDirectory,
    refusals: &Refusals,
) -> Result<(), Refused> {
    let tenant = match actor.principal {
        Principal::PlatformAdmin if speaks_for.platform => return Ok(()),
        Principal::PlatformAdmin => return Err(Refused::Outside),
        Principal::Tenant(id) if speaks_for.organizations.contains(&id) => return Ok(()),
        Principal::Tenant(id) => id,
    };
    if refusals.remembered((issuer, tenant)) {
        return Err(Refused::Outside);
    }
    let root = directory
        .organization_of(actor)
        .await
        .map_err(Refused::Store)?;
    match root {
        Some(root) if speaks_for.organizations.contains(&root) => Ok(()),
        _ => {
            refusals.remember((issuer, tenant));
            Err(Refused::Outside)
        }
    }
}

#[cfg(test)]
mod tests {
    use mtdb_domain::Subject;
    use mtdb_ports::MockOrganizationDirectory;

    use super::*;

    fn id(n: u32) -> TenantId {
        format!("00000000-0000-4000-8000-{n:012}").parse().unwrap()
    }

    fn actor(principal: Principal) -> Actor {
        Actor::new(principal, Subject::parse("s").unwrap())
    }

    fn hsbc() -> SpeaksFor {
        SpeaksFor {
            platform: false,
            organizations: vec![id(1)],
        }
    }

    fn directory(roots: &'static [(u32, u32)], calls: usize) -> MockOrganizationDirectory {
        let mut directory = MockOrganizationDirectory::new();
        directory
            .expect_organization_of()
            .times(calls)
            .returning(|actor| {
                let Principal::Tenant(t) = actor.principal else {
                    return Ok(None);
                };
                Ok(roots.iter().find(|(s, _)| id(*s) == t).map(|(_, r)| id(*r)))
            });
        directory
    }

    #[tokio::test]
    async fn listed_parents_and_the_platform_need_no_lookup() {
        let none = directory(&[], 0);
        let refusals = Refusals::default();
        let parent = actor(Principal::Tenant(id(1)));
        assert!(admit(&parent, 0, &hsbc(), &none, &refusals).await.is_ok());
        let admin = actor(Principal::PlatformAdmin);
        let refused = admit(&admin, 0, &hsbc(), &none, &refusals).await;
        assert!(matches!(refused, Err(Refused::Outside)));
        let platform = SpeaksFor {
            platform: true,
            organizations: vec![],
        };
        assert!(admit(&admin, 0, &platform, &none, &refusals).await.is_ok());
    }

    #[tokio::test]
    async fn subsidiaries_by_their_root_foreign_and_unknown_alike_once() {
        // 11 is HSBC's subsidiary, 21 Barclays', 99 exists nowhere.
        let directory = directory(&[(11, 1), (21, 2)], 3);
        let refusals = Refusals::default();
        let own = actor(Principal::Tenant(id(11)));
        assert!(admit(&own, 0, &hsbc(), &directory, &refusals).await.is_ok());
        for other in [21, 99] {
            let other = actor(Principal::Tenant(id(other)));
            for _ in 0..3 {
                let refused = admit(&other, 0, &hsbc(), &directory, &refusals).await;
                assert!(matches!(refused, Err(Refused::Outside)));
            }
        }
    }
}
