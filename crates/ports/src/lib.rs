//! The hexagon's edge. Driven ports ([`TenantRepository`], [`HealthProbe`]) say what the
//! core needs from the outside world; the driving port ([`TenantService`]) is what the
//! core offers to the HTTP adapter, implemented by [`TenantUseCases`].
//!
//! With the `mocks` feature, every port has a `mockall` mock (`MockTenantRepository`,
//! `MockHealthProbe`, `MockTenantService`) for other crates' unit tests.

mod health;
mod page_stream;
mod repository;
mod service;
mod use_cases;

pub use health::HealthProbe;
pub use page_stream::{TenantPageStream, TenantRows};
pub use repository::TenantRepository;
pub use service::TenantService;
pub use use_cases::TenantUseCases;

#[cfg(any(test, feature = "mocks"))]
pub use health::MockHealthProbe;
#[cfg(any(test, feature = "mocks"))]
pub use repository::MockTenantRepository;
#[cfg(any(test, feature = "mocks"))]
pub use service::MockTenantService;
