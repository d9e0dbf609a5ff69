//! The operator's tools for mtdb's database, run as the owner from the command line.
//!
//! - [`migrate_up`], [`migrate_down`] and [`migrate_down_to`] apply and revert the
//!   migrations; a revert that would lose data refuses unless told ([`DataLoss`]).
//! - [`inspect`] is `mtdb check`: every row-level-security misconfiguration of a live
//!   database; [`check_roles`] is `mtdb serve`'s refusal to run on any of them.
//! - [`check_login_role`] and [`ensure_login_role`] provision the application's login
//!   role; [`seed_demo`] writes the demo tenants.
//!
//! Connections are opened with the request path's own settings and TLS
//! (`mtdb_postgres::ConnectionSettings`).

#![warn(missing_docs)]

mod admin;
mod login_role;
mod migrate;
mod preflight;
pub mod seed;

pub use admin::{connect, AdminError};
pub use login_role::{check_login_role, ensure_login_role};
pub use migrate::{migrate_down, migrate_down_to, migrate_up, DataLoss};
pub use preflight::{check_roles, inspect, Finding, FindingKind, PreflightError, TENANT_TABLES};
pub use seed::seed_demo;
