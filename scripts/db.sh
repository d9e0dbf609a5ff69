#!/usr/bin/env bash
# `make migrate`, `make migrate-down N=5`, `make seed`, `make reset`: the mtdb commands
# against the project-local PostgreSQL (started when needed) or the database you bring
# (MTDB_ADMIN_DATABASE_URL and DATABASE_URL set). Built in the dev profile, as `make dev`.
#
#   scripts/db.sh migrate                      apply the migrations, provision the login role
#   scripts/db.sh migrate-down N [--allow-data-loss]   revert down to version N
#   scripts/db.sh seed                         load the demo tenants
#   scripts/db.sh reset                        drop and recreate the local database, migrate, seed
set -euo pipefail
cd "$(dirname "$0")/.."

die() { printf 'db: error: %s\n' "$*" >&2; exit 1; }

brought_own=false
[ -n "${MTDB_ADMIN_DATABASE_URL:-}" ] && brought_own=true

local_env() {
  local urls
  # Not inside eval: a failed start must stop here, not run on with no URLs.
  urls=$(scripts/pg-local.sh start) || die "the local PostgreSQL did not start (see above)"
  set -a
  eval "$urls"
  set +a
}
$brought_own || local_env
export MTDB_ADMIN_DATABASE_URL DATABASE_URL

mtdb() {
  cargo build --quiet --bin mtdb
  RUST_LOG="${RUST_LOG:-warn}" target/debug/mtdb "$@"
}

case "${1:-}" in
  migrate)
    mtdb migrate
    echo "db: migrations applied" >&2
    ;;
  migrate-down)
    n=${2:-}
    [[ $n =~ ^[0-9]+$ ]] || die "which version? make migrate-down N=5 / just migrate-down 5"
    shift 2
    mtdb migrate --down-to "$n" "$@"
    echo "db: reverted down to version $n" >&2
    ;;
  seed)
    mtdb seed
    echo "db: demo tenants loaded" >&2
    ;;
  reset)
    # Only ever the project-local cluster: a database you brought is yours to drop.
    $brought_own && die "reset drops the project-local database only; MTDB_ADMIN_DATABASE_URL is set"
    scripts/pg-local.sh psql -d postgres -v ON_ERROR_STOP=1 -q \
      -c "drop database if exists mtdb with (force)"
    unset MTDB_ADMIN_DATABASE_URL DATABASE_URL
    local_env # creates the database again, owned by mtdb_owner
    mtdb migrate
    mtdb seed
    echo "db: local database recreated, migrated and seeded" >&2
    ;;
  *)
    die "usage: $0 migrate | migrate-down N [--allow-data-loss] | seed | reset"
    ;;
esac
