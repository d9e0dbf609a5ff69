//! Row level security holds as the login role: fail closed without a context, every
//! forbidden write refused, look-alike names and renames refused, the same work for a
//! hidden and a missing row, and the database deciding between concurrent writers.

mod concurrency;
mod fail_closed;
mod forbidden_writes;
pub mod names;
mod renames;
pub mod timing_oracle;
