//! The audit trail: written by the database, naming the principal the policy checked.

mod principal;
pub mod trail;
