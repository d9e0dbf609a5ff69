//! Against a real PostgreSQL: each test gets a fresh database (see
//! `mtdb_postgres::testing`) and talks to it as the application's login role, exactly
//! as `mtdb serve` does. Run with `make test`, or `scripts/pg-local.sh start` and the
//! URLs it prints exported, then `cargo nextest run -p mtdb-postgres`.

mod audit;
mod audit_principal;
mod check_drift;
mod check_roles;
mod check_shadowing;
mod check_support;
mod check_tables;
mod comments;
mod concurrency;
mod data_loss;
mod fail_closed;
mod failure_injection;
mod fairness;
mod find_functions;
mod forbidden_writes;
mod live_counts;
mod migrations;
mod names;
mod pgbouncer;
mod pgbouncer_isolation;
mod pgbouncer_launcher;
mod pipelined;
mod plans;
mod pooled_connections;
mod provisioning;
mod renames;
mod repo;
mod repository;
mod reworded;
mod roles;
mod seed;
mod standby;
mod statement_types;
mod support;
mod timing_oracle;
mod tls;
mod tls_cluster;
