//! Why `mtdb seed` could not put a demo tenant in: another live tenant already holds its
//! name among its siblings, or the demo parent it belongs under is soft-deleted. The demo
//! needs its fixed ids (documented examples use them), so the seed will not take another
//! tenant's row for its own nor bring a deleted one back; it says which tenant is in the
//! way and how to proceed.

use std::fmt;

use tokio_postgres::error::SqlState;
use tokio_postgres::{Error, Transaction};
use uuid::Uuid;

use super::demo::{DemoTenant, DEMO_TENANTS};
use crate::admin::AdminError;
use mtdb_postgres::constraint;

/// Why `mtdb seed` stopped. The variants other than `Admin` are caused by the
/// database's own tenants; their messages name the tenant in the way and how to proceed.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// Connecting, switching role or another administrative step failed.
    #[error(transparent)]
    Admin(#[from] AdminError),
    /// Nothing was seeded: the seed is one transaction.
    #[error("{}", NameTakenMessage { demo, holder: holder.as_ref() })]
    NameTaken {
        /// The demo tenant that could not be inserted.
        demo: DemoTenant,
        /// The live tenant holding the name, when it could be read back.
        holder: Option<NameHolder>,
        /// The unique violation PostgreSQL reported.
        #[source]
        source: Error,
    },
    /// Nothing was seeded: `subsidiary` belongs under `parent`, which is soft-deleted
    /// (the API's delete examples leave Barclays so).
    #[error(
        "the demo tenant {:?} (id {}) is soft-deleted, so the demo's {:?} (id {}) cannot \
         be under it: nothing was seeded. {WAY_OUT}",
        parent.name, parent.id, subsidiary.name, subsidiary.id
    )]
    ParentDeleted {
        /// The soft-deleted demo parent.
        parent: DemoTenant,
        /// The demo subsidiary that cannot go under it.
        subsidiary: DemoTenant,
    },
    /// Nothing was seeded.
    #[error("inserting the demo tenant {:?} (id {}) failed: nothing was seeded", demo.name, demo.id)]
    Insert {
        /// The demo tenant whose insert failed.
        demo: DemoTenant,
        /// The database's error.
        #[source]
        source: Error,
    },
}

/// How to get a clean demo back, for every error that a database's own tenants cause.
const WAY_OUT: &str = "To start the demo afresh on the local database, run `make reset` \
     (drops and recreates it, migrates and seeds); or seed another database";

/// The live tenant that already holds a demo tenant's name among its siblings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameHolder {
    /// Its id, to look it up or delete it.
    pub id: Uuid,
    /// Its name as stored, which may differ from the demo's in case or Unicode form.
    pub name: String,
}

/// Whether an insert failed on the live-name uniqueness (and not on anything else).
pub(crate) fn is_name_taken(error: &Error) -> bool {
    error.code() == Some(&SqlState::UNIQUE_VIOLATION)
        && error.as_db_error().and_then(|db| db.constraint()) == Some(constraint::LIVE_NAME)
}

/// The error for `demo`, naming the live sibling that holds its name. The statement that
/// failed must have been rolled back to a savepoint, so that `tx` can still read.
pub(crate) async fn name_taken(tx: &Transaction<'_>, demo: DemoTenant, source: Error) -> SeedError {
    // The same key as the unique index tenants_live_name_key (migrations/V4): NFKC, then
    // full case mapping. Should the two ever drift, the message loses the id, not its point.
    let holder = tx
        .query_opt(
            "select tenant_id, name from tenants \
              where parent_tenant_id is not distinct from $1 and tenant_id <> $2 \
                and normalize(lower(upper(normalize(name, nfkc) collate \"und-x-icu\") \
                      collate \"und-x-icu\"), nfkc) \
                  = normalize(lower(upper(normalize($3::text, nfkc) collate \"und-x-icu\") \
                      collate \"und-x-icu\"), nfkc) \
              limit 1",
            &[&demo.parent, &demo.id, &demo.name],
        )
        .await
        .ok()
        .flatten()
        .map(|row| NameHolder {
            id: row.get(0),
            name: row.get(1),
        });
    SeedError::NameTaken {
        demo,
        holder,
        source,
    }
}

struct NameTakenMessage<'a> {
    demo: &'a DemoTenant,
    holder: Option<&'a NameHolder>,
}

impl fmt::Display for NameTakenMessage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.holder {
            Some(holder) => write!(
                f,
                "a live tenant named {:?} (id {})",
                holder.name, holder.id
            )?,
            None => f.write_str("a live tenant")?,
        }
        write!(
            f,
            " already has the name of the demo's {:?} ",
            self.demo.name
        )?;
        match self.demo.parent {
            None => f.write_str("among the top-level tenants")?,
            Some(parent) => {
                let name = DEMO_TENANTS
                    .iter()
                    .find(|t| t.id == parent)
                    .map_or("?", |t| t.name);
                write!(f, "among the subsidiaries of {name:?} ({parent})")?;
            }
        }
        write!(
            f,
            ": the demo needs its fixed ids ({} for {:?}), so nothing was seeded; \
             delete or rename that tenant. {WAY_OUT}",
            self.demo.id, self.demo.name
        )
    }
}
