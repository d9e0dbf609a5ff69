//! Against a real PostgreSQL: each test gets a fresh database (see
//! `mtdb_testing`) and talks to it as the application's login role, exactly
//! as `mtdb serve` does. Run with `make test`, or `scripts/pg-local.sh start` and the
//! URLs it prints exported, then `cargo nextest run -p mtdb-postgres`.

use mtdb_testing::arrange as support;

mod audit;
mod audit_principal;
mod concurrency;
mod fail_closed;
mod failure_injection;
mod fairness;
mod find_functions;
mod forbidden_writes;
mod live_counts;
mod names;
mod pgbouncer;
mod pgbouncer_isolation;
mod pgbouncer_launcher;
mod pipelined;
mod plans;
mod pooled_connections;
mod renames;
mod repository;
mod standby;
mod statement_types;
mod timing_oracle;
mod tls;
mod tls_cluster;
