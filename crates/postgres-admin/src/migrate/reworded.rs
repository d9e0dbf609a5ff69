//! Applied migrations whose text was later reworded without changing what they do.
//!
//! refinery records a checksum of each applied migration's text and, with
//! `abort_divergent`, refuses to run when a file no longer matches it: the right answer to
//! a migration edited after release. V1 to V3 had their comments reworded once (their
//! comments named a specification outside the repository; docs/migrations.md, "Why V1 to
//! V3 were edited"). So that databases migrated before that keep migrating, the checksum
//! recorded for exactly that earlier text is replaced by the current one, in the same
//! locked session, before refinery compares them. Any other difference still aborts.

use tokio_postgres::Client;

use crate::admin::AdminError;

/// (version, the checksum refinery recorded for the text as first released).
/// The earlier texts are in the history of this repository (`git log -- migrations/V1__tenants.sql`).
const RELEASED: &[(u32, &str)] = &[
    (1, "17311166576249920177"),
    (2, "2902593406135660860"),
    (3, "2670225752264118693"),
];

/// Brings the recorded checksums of the reworded migrations up to date. `current` gives
/// the checksum of an embedded migration by version.
pub(super) async fn accept_rewordings(
    client: &Client,
    current: impl Fn(u32) -> Option<u64>,
) -> Result<(), AdminError> {
    if super::history::applied_versions(client).await?.is_empty() {
        return Ok(());
    }
    for &(version, released) in RELEASED {
        let (Some(now), Ok(version_i32)) = (current(version), i32::try_from(version)) else {
            continue;
        };
        client
            .execute(
                "update refinery_schema_history set checksum = $1 \
                  where version = $2 and checksum = $3",
                &[&now.to_string(), &version_i32, &released],
            )
            .await
            .map_err(AdminError::db(
                "updating the checksum of a reworded migration",
            ))?;
    }
    Ok(())
}
