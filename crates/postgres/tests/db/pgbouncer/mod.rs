//! Through a real PgBouncer in transaction mode (docs/pgbouncer.md).

mod isolation;
mod launcher;
pub mod transaction_mode;
