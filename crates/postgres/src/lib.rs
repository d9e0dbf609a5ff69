//! The PostgreSQL adapter of mtdb.
//!
//! - [`PostgresTenantRepository`] and [`PostgresHealthProbe`] implement the driven ports
//!   over a [`Pool`] connected as the application login role. Every unit of work runs in
//!   one transaction that first switches to `mtdb_tenant` or `mtdb_platform_admin` and
//!   sets the principal with `set_config(..., true)`; row level security does the rest.
//! - [`inspect`] is `mtdb check`: every row-level-security misconfiguration of a live
//!   database; [`check_roles`] is `mtdb serve`'s refusal to run on any of them.
//! - [`migrate_up`], [`migrate_down`], [`check_login_role`], [`ensure_login_role`] and
//!   [`seed_demo`] are the owner's work behind `mtdb migrate` and `mtdb seed`.
//! - [`ReadRouting`] sends reads to a hot standby while it keeps up (docs/replicas.md).
//! - With the `testing` feature, `testing::TestDatabase` gives each test a database.

#![warn(missing_docs)]

mod admin;
mod connection;
mod errors;
mod fairness;
mod health;
mod login_role;
mod migrate;
mod pool;
mod preflight;
pub mod replica;
mod repository;
mod row;
pub mod seed;
mod seed_conflict;
mod statement;
mod tls;
mod unit_of_work;

#[cfg(feature = "testing")]
pub mod testing;

pub use admin::AdminError;
pub use connection::{AsConnection, ConnectionSettings};
pub use deadpool_postgres::Pool;
pub use fairness::{FairnessSettings, MIN_ORG_MAX_REQUESTS};
pub use health::PostgresHealthProbe;
pub use login_role::{check_login_role, ensure_login_role};
pub use migrate::{migrate_down, migrate_down_to, migrate_up, DataLoss};
pub use pool::{connect_pool, connect_pool_with, PoolSetupError};
pub use preflight::{
    check_roles, inspect, security_catalog, Finding, FindingKind, PreflightError,
    EXPECTED_SECURITY_CATALOG, TENANT_TABLES,
};
pub use replica::ReadRouting;
pub use repository::PostgresTenantRepository;
pub use seed::seed_demo;
pub use statement::{InvalidStatementMode, StatementMode};
pub use tls::{TlsConnector, TlsError, TlsMode};
