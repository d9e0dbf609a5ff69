//! The data `make bench` loads, and the ids and tokens both load generators derive from it.
//!
//! Every loaded tenant's id is `00000000-0000-0000-0000-` and 12 hex digits of an integer,
//! so that wrk's Lua and pgbench's `\set` can pick a random visible id without a table of
//! ids (the demo's ids have `4000-8000` in the middle: no overlap). Groups `g = 1..groups`:
//! a parent `16 g` with 9 subsidiaries `16 g + 1..9`. Large parents `p = 0..LARGE`:
//! `2^32 + 4096 p` with `LARGE_SUBSIDIARIES` subsidiaries, for full list pages. HSBC (the
//! demo's) gets `LARGE_SUBSIDIARIES` more subsidiaries. Up to 9 parents without
//! subsidiaries, `2^36 + 1..`, make the count exact.

use std::time::Duration;

use mtdb_domain::{Principal, TenantId};

pub const SECRET: &str = "a-benchmark-secret-of-at-least-32-bytes!";
/// The token's `sub`, i.e. `app.actor_sub` in the context statement.
pub const SUBJECT: &str = "bench";
pub const HSBC: &str = "00000000-0000-4000-8000-000000000001";
pub const SUBSIDIARIES_PER_GROUP: u64 = 9;
pub const LARGE: u64 = 16;
pub const LARGE_SUBSIDIARIES: u64 = 150;
const LARGE_BASE: u64 = 1 << 32;
/// Parents whose tokens the load generators hold (spread over all groups).
pub const TOKEN_PARENTS: u64 = 1_000;
/// The demo's five tenants.
const DEMO: u64 = 5;

/// How many groups make `tenants` tenants in all (at least one).
pub fn groups_for(tenants: u64) -> u64 {
    let fixed = DEMO + LARGE * (1 + LARGE_SUBSIDIARIES) + LARGE_SUBSIDIARIES;
    (tenants.saturating_sub(fixed) / (1 + SUBSIDIARIES_PER_GROUP)).max(1)
}

/// Parents without subsidiaries that make up the rest: `2^36 + 1..`.
pub fn standalone_for(tenants: u64, groups: u64) -> u64 {
    tenants.saturating_sub(total(groups))
}

pub const STANDALONE_BASE: u64 = 1 << 36;

/// Live tenants once `groups` groups are loaded (and no standalone parents).
pub fn total(groups: u64) -> u64 {
    DEMO + LARGE * (1 + LARGE_SUBSIDIARIES)
        + LARGE_SUBSIDIARIES
        + groups * (1 + SUBSIDIARIES_PER_GROUP)
}

pub fn id(n: u64) -> String {
    format!("00000000-0000-0000-0000-{n:012x}")
}

pub fn group_parent(g: u64) -> u64 {
    16 * g
}

pub fn large_parent(p: u64) -> u64 {
    LARGE_BASE + 4096 * p
}

/// The parents that hold tokens: `i = 0..TOKEN_PARENTS` maps to group
/// `1 + i * groups / TOKEN_PARENTS` (integer division, as in the Lua and pgbench scripts).
pub fn token_parents(groups: u64) -> u64 {
    TOKEN_PARENTS.min(groups)
}

pub fn token_group(i: u64, groups: u64) -> u64 {
    1 + i * groups / token_parents(groups)
}

pub fn token(principal: Principal) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let day = Duration::from_secs(86_400);
    Ok(mtdb_http::issue_hs256_token(
        SECRET.as_bytes(),
        principal,
        SUBJECT,
        day,
        None,
        None,
    )?)
}

pub fn tenant(n_or_id: &str) -> Result<Principal, Box<dyn std::error::Error + Send + Sync>> {
    Ok(Principal::Tenant(n_or_id.parse::<TenantId>()?))
}
