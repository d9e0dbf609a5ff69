//! Pooled connections: nothing of one unit of work reaches the next, the pipelined unit
//! of work, fairness between organizations, failures injected, declared parameter types.

mod failure_injection;
mod fairness;
mod pipelined;
pub mod pooled_connections;
mod statement_types;
