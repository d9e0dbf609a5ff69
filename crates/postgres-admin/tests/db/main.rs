//! The operator's tools against a real PostgreSQL: migrate and revert, `mtdb check`, the
//! login role and the seed. Each test gets a fresh database (see `mtdb_testing`). Run with
//! `make test`, or `scripts/pg-local.sh start` and the URLs it prints exported, then
//! `cargo nextest run -p mtdb-postgres-admin`.

use mtdb_testing::arrange as support;

mod check;
mod migrations;
mod provisioning;
