#!/usr/bin/env bash
# `make dev`: hot reload. Migrates and seeds the project-local PostgreSQL (or the database
# you bring), then watchexec rebuilds mtdb (dev profile) and restarts `mtdb serve` on every
# save under crates/ or migrations/. watchexec-cli is installed from crates.io on first use.
# Each restart runs `mtdb migrate` first, so a new migration applies on save too.
#
#   scripts/dev.sh          the watcher (what `make dev` runs)
#   scripts/dev.sh --serve  one build, migrate and serve (what the watcher restarts)
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'dev: %s\n' "$*" >&2; }
mtdb=target/debug/mtdb

if [ "${1:-}" = --serve ]; then
  cargo build --quiet --bin mtdb
  RUST_LOG=warn "$mtdb" migrate
  say "serving on http://${MTDB_LISTEN} (started $(date +%T))"
  exec "$mtdb" serve
fi

if ! command -v watchexec >/dev/null 2>&1; then
  say "installing watchexec-cli from crates.io (once, a few minutes)"
  cargo install --locked watchexec-cli
fi

if [ -z "${DATABASE_URL:-}" ]; then
  urls=$(scripts/pg-local.sh start) || { say "error: the local PostgreSQL did not start"; exit 1; }
  set -a
  eval "$urls"
  set +a
fi
export MTDB_ADMIN_DATABASE_URL DATABASE_URL
# A fixed secret for local use only: production sets its own.
export MTDB_JWT_SECRET="${MTDB_JWT_SECRET:-mtdb-local-development-secret-do-not-deploy}"
export MTDB_LOG_FORMAT="${MTDB_LOG_FORMAT:-pretty}"
export MTDB_LISTEN="${MTDB_LISTEN:-127.0.0.1:8080}"
# A restart should not wait out a long drain of requests in flight.
export MTDB_SHUTDOWN_GRACE_MS="${MTDB_SHUTDOWN_GRACE_MS:-2000}"

cargo build --quiet --bin mtdb
RUST_LOG=warn "$mtdb" migrate
# The demo data once; a failed seed (demo rows deleted by hand) does not stop the loop.
RUST_LOG=warn "$mtdb" seed || say "the seed failed (above): 'make reset' restores the demo data"
token=$(RUST_LOG=warn "$mtdb" token --platform-admin --sub dev --ttl 12h)
say "platform admin token (12 h): $token"
say "watching crates/ and migrations/; Ctrl-C stops"

exec watchexec --restart --stop-signal SIGTERM --stop-timeout 5s --debounce 300ms \
  --watch crates --watch migrations --watch Cargo.toml --watch Cargo.lock \
  --exts rs,toml,sql,html,js --shell none -- scripts/dev.sh --serve
