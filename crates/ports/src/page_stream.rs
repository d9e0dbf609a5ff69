//! A page of tenants delivered one tenant at a time, so that a page of 1,000 tenants of
//! 64 KiB each never has to sit in memory whole (docs/fairness.md).

use std::pin::Pin;

use futures::stream::{self, Stream, TryStreamExt};
use mtdb_domain::{ListTenantsError, PageLimit, Tenant, TenantPage};

/// The tenants of a page, in the page's order. An `Err` item ends the page early: the
/// store failed after the page had begun.
pub type TenantRows = Pin<Box<dyn Stream<Item = Result<Tenant, ListTenantsError>> + Send>>;

/// A [`TenantPage`] whose tenants are still on their way. `total_count` is known before
/// the first tenant, so a response can start with everything but the tenants.
pub struct TenantPageStream {
    /// Every tenant the principal sees under the filter, not only this page's.
    pub total_count: u64,
    /// The page size asked for.
    pub limit: PageLimit,
    /// How many tenants were skipped before this page.
    pub offset: u64,
    /// This page's tenants, in list order, as they arrive.
    pub tenants: TenantRows,
}

impl TenantPageStream {
    /// Waits for every tenant: for callers that want the page whole (and tests).
    ///
    /// # Errors
    /// The first failure of the stream.
    pub async fn collect(self) -> Result<TenantPage, ListTenantsError> {
        Ok(TenantPage {
            tenants: self.tenants.try_collect().await?,
            total_count: self.total_count,
            limit: self.limit,
            offset: self.offset,
        })
    }
}

impl From<TenantPage> for TenantPageStream {
    fn from(page: TenantPage) -> Self {
        Self {
            total_count: page.total_count,
            limit: page.limit,
            offset: page.offset,
            tenants: Box::pin(stream::iter(page.tenants.into_iter().map(Ok))),
        }
    }
}

impl std::fmt::Debug for TenantPageStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TenantPageStream")
            .field("total_count", &self.total_count)
            .field("limit", &self.limit)
            .field("offset", &self.offset)
            .finish_non_exhaustive()
    }
}
