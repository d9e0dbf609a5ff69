//! `mtdb check` and the start-up check of `mtdb serve`: each finding on a database broken
//! on purpose.

mod roles;
mod shadowing;
mod startup;
mod tables;
