//! Against a real PostgreSQL: each test gets a fresh database (see
//! `mtdb_testing`) and talks to it as the application's login role, exactly
//! as `mtdb serve` does. Run with `make test`, or `scripts/pg-local.sh start` and the
//! URLs it prints exported, then `cargo nextest run -p mtdb-postgres`.

use mtdb_testing::arrange as support;

mod audit;
mod isolation;
mod pgbouncer;
mod plans;
mod pooling;
mod replicas;
mod repository;
mod tls;
