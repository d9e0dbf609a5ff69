#!/usr/bin/env bash
# `make soak`: the model-based end-to-end test at length. Runs MTDB_SOAK_RUNS runs (default
# 1) of MTDB_MODEL_OPS operations (default 10000), each with a new random seed unless
# MTDB_MODEL_SEED is given; a failure prints the seed and the line that replays it.
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
export MTDB_ADMIN_DATABASE_URL DATABASE_URL MTDB_MODEL_OPS="${MTDB_MODEL_OPS:-10000}"
for run in $(seq 1 "${MTDB_SOAK_RUNS:-1}"); do
  echo "==> soak run $run: $MTDB_MODEL_OPS operations" >&2
  if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run -p mtdb-app --all-features --no-capture model_random_operations
  else
    cargo test -p mtdb-app --all-features --test api model_random_operations -- --nocapture
  fi
done
