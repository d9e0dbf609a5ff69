#!/usr/bin/env bash
# `make bench` (docs/performance.md): against the project-local PostgreSQL and the release
# build, in order:
#   latency     p50/p99 of sequential requests, each beside the no-database floor
#   timing      the timing-oracle pairs (invisible id vs random uuid)
#   noisy       one organization floods lists while another reads; the server's peak RSS
#   throughput  the API under wrk beside pgbench's ceiling, plain and pipelined, at 64 and
#               256 connections; list and GET latency at SCALE tenants against 10,000;
#               then GET by id through PgBouncer (one instance, two) against direct
#   pgbouncer   that last part alone (the throughput bench, BENCH_ONLY=pgbouncer); needs
#               the installed pgbouncer (Debian: apt-get install pgbouncer)
# Environment: SCALE (tenants for throughput, default 100000; SCALE=1000000 takes a few
# minutes more), BENCH_SECONDS (per throughput row, default 5), BENCH_PERF=1 (a `perf`
# profile of the server under GET load, printed at the end), BENCH_ONLY (one of the names
# above).
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

wanted() { [ -z "${BENCH_ONLY:-}" ] || [ "$BENCH_ONLY" = "$1" ]; }

# The throughput bench drives wrk (Debian's package) and pgbench (PostgreSQL's client
# tools, beside the server binaries scripts/pg-local.sh uses).
throughput_tools() {
  if ! command -v wrk >/dev/null 2>&1; then
    echo "bench: installing wrk (Debian package)" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
  fi
  if ! command -v pgbench >/dev/null 2>&1; then
    local bindir=${MTDB_PG_BINDIR:-}
    [ -n "$bindir" ] || bindir=$(pg_config --bindir 2>/dev/null || true)
    [ -n "$bindir" ] || bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
    export PATH="$bindir:$PATH"
  fi
  # The PgBouncer row runs the API behind a PgBouncer the bench starts.
  scripts/need-pgbouncer.sh
  if [ -n "${BENCH_PERF:-}" ] && ! command -v perf >/dev/null 2>&1; then
    echo "bench: installing perf (Debian package linux-perf)" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq linux-perf >/dev/null
  fi
  command -v wrk >/dev/null && command -v pgbench >/dev/null || {
    echo "bench: throughput needs wrk and pgbench on the PATH" >&2
    exit 1
  }
}

if wanted latency; then cargo bench -p mtdb-app --bench latency; fi
if wanted timing; then cargo bench -p mtdb-app --bench timing; fi
# Noisy neighbours: one organization floods lists of 65 MB, another's latency and the
# server's peak RSS are printed (the server runs as a child process).
if wanted noisy; then cargo bench -p mtdb-app --bench noisy; fi
if wanted throughput || [ "${BENCH_ONLY:-}" = pgbouncer ]; then
  throughput_tools
  # The bench reads BENCH_ONLY itself: `pgbouncer` skips all but the PgBouncer rows.
  export BENCH_ONLY
  cargo bench -p mtdb-app --bench throughput
fi
