//! The `mtdb` application: configuration, wiring and the commands of the binary.

#![warn(missing_docs)]

pub mod cli;
pub mod commands;
pub mod config;
pub mod error;
pub mod shutdown;
pub mod startup;
pub mod telemetry;
