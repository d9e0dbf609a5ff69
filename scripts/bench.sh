#!/usr/bin/env bash
# `make bench`: p50/p99 latency of the API (release build) against the project-local
# PostgreSQL, each figure beside the no-database floor measured in the same run; then the
# timing-oracle scenario (invisible id vs random uuid, see docs/performance.md).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${MTDB_ADMIN_DATABASE_URL:-}" ]; then
  set -a
  # Captured, then evaluated: `eval "$(...)"` would carry on without the URLs
  # when the start fails (the script has said why on stderr).
  pg_env=$(scripts/pg-local.sh start) || exit
  eval "$pg_env"
  set +a
fi
export MTDB_ADMIN_DATABASE_URL DATABASE_URL RUST_LOG="${RUST_LOG:-warn}"
cargo bench -p mtdb-app --bench latency --features mtdb-postgres/testing
cargo bench -p mtdb-app --bench timing --features mtdb-postgres/testing
# Noisy neighbours: one organization floods lists of 65 MB, another's latency and the
# server's peak RSS are printed (the server runs as a child process).
cargo bench -p mtdb-app --bench noisy --features mtdb-postgres/testing
