//! Test support for mtdb's crates (a dev-dependency only): a fresh database per test,
//! migrated by the owner and used through the application's login role, as in
//! production. Never a superuser or the owner where row level security is meant to hold:
//! either would pass every isolation test vacuously. Also throwaway logins, PgBouncer, a
//! hot standby, a primary of a test's own to kill, and the helpers that arrange a test's data.

pub mod arrange;
mod cluster;
mod connection_url;
mod database;
pub mod findings;
mod free_port;
mod own_cluster;
mod pgbouncer;
pub mod procfs;
mod repo;
mod standby;
mod superuser;
mod throwaway;
mod urls;

pub use connection_url::ConnectionUrls;
pub use database::TestDatabase;
pub use free_port::free_port;
pub use own_cluster::{OwnCluster, Replication};
pub use pgbouncer::{PgBouncer, PgBouncerSettings, PoolMode};
pub use standby::Standby;
pub use throwaway::ThrowawayLogin;
pub use urls::{with_address, with_database};

pub use mtdb_postgres::introspect::{names_statements, statements, typed_statements};
