//! The obligations of the adapter (`mtdb_ports::TenantRepository`) against the real database.

mod create;
mod delete;
mod list;
mod read;
mod update;

pub use mtdb_testing::arrange::{changes, new_parent, new_subsidiary};
