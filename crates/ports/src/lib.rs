//! The hexagon's edge. Driven ports ([`TenantStore`] and its [`TenantTransaction`],
//! [`HealthProbe`], [`OrganizationDirectory`]) say what the core needs from the outside world; the driving port ([`TenantService`]) is what the
//! core offers to the HTTP adapter, implemented by [`TenantUseCases`].
//!
//! With the `mocks` feature, every port has a `mockall` mock (`MockTenantStore`,
//! `MockTenantTransaction`, `MockHealthProbe`, `MockTenantService`) for other crates' unit tests.

#![warn(missing_docs)]

mod health;
mod organizations;
mod page_stream;
mod service;
mod store;
mod use_cases;

pub use health::HealthProbe;
pub use organizations::OrganizationDirectory;
pub use page_stream::{TenantPageStream, TenantRows};
pub use service::TenantService;
pub use store::{Lock, TenantStore, TenantTransaction};
pub use use_cases::TenantUseCases;

#[cfg(any(test, feature = "mocks"))]
pub use health::MockHealthProbe;
#[cfg(any(test, feature = "mocks"))]
pub use organizations::MockOrganizationDirectory;
#[cfg(any(test, feature = "mocks"))]
pub use service::MockTenantService;
#[cfg(any(test, feature = "mocks"))]
pub use store::{MockTenantStore, MockTenantTransaction};
