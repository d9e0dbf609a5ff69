//! The PostgreSQL adapter of mtdb: the request path, and nothing else.
//!
//! - [`PostgresTenantRepository`] and [`PostgresHealthProbe`] implement the driven ports
//!   over a [`Pool`] connected as the application login role. Every unit of work runs in
//!   one transaction that first switches to `mtdb_tenant` or `mtdb_platform_admin` and
//!   sets the principal with `set_config(..., true)`; row level security does the rest.
//! - [`ReadRouting`] sends reads to a hot standby while it keeps up (docs/replicas.md).
//! - [`ConnectionSettings`] and [`TlsConnector`] open every connection mtdb makes, here
//!   and in the operator's tools (`mtdb-postgres-admin`: migrate, check, login role, seed).
//! - [`introspect`] shows what the adapter sends, for the tests that compare it with the
//!   server.

#![warn(missing_docs)]

mod connection;
mod errors;
mod fairness;
mod health;
pub mod introspect;
mod pool;
mod pools;
pub mod replica;
mod repository;
mod row;
mod server_address;
mod statement;
mod tls;
mod unit_of_work;

pub use connection::{AsConnection, ConnectionSettings};
pub use deadpool_postgres::Pool;
pub use errors::{constraint, pool_store_error, store_error};
pub use fairness::{FairnessSettings, MIN_ORG_MAX_REQUESTS};
pub use health::PostgresHealthProbe;
pub use pool::{connect_pool, connect_pool_with, PoolSetupError};
pub use pools::{connect_pools, Pools, PoolsStatus};
pub use replica::ReadRouting;
pub use repository::PostgresTenantRepository;
pub use statement::{InvalidStatementMode, StatementMode};
pub use tls::{TlsConnector, TlsError, TlsMode};
pub use unit_of_work::{ADMIN_ROLE, TENANT_ROLE};
