//! TLS to PostgreSQL, against a cluster of the test's own that accepts nothing else.

pub mod cluster;
mod connections;
