//! Pooled connections, one pool per event loop: nothing of one unit of work reaches the next, the pipelined unit
//! of work, fairness between organizations (and where a principal counts), failures injected, declared parameter types.

mod context_organization;
mod event_loops;
mod failure_injection;
mod fairness;
mod pipelined;
pub mod pooled_connections;
mod statement_types;
