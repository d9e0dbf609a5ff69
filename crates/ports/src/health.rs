use async_trait::async_trait;
use mtdb_domain::StoreError;

/// Whether the tenant store can be reached right now.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait HealthProbe: Send + Sync {
    /// MUST answer within the store's connection timeout and MUST NOT read tenant data.
    ///
    /// # Errors
    /// [`StoreError::Unavailable`] when the store cannot be reached or no connection is
    /// free in time; [`StoreError::Internal`] for anything else.
    async fn check(&self) -> Result<(), StoreError>;
}
