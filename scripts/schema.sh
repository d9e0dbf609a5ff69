#!/usr/bin/env bash
# `make schema`: the files generated from the migrations, written again from a scratch
# database that `mtdb migrate` builds on the project-local PostgreSQL (started when needed)
# or on the server you bring (MTDB_ADMIN_DATABASE_URL and DATABASE_URL set; the owner role
# needs CREATEDB). A test fails while a generated file differs from what the migrations build.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { printf 'schema: error: %s\n' "$*" >&2; exit 1; }

# The database named `name` on the server of `url`, query string kept.
with_database() {
  local url=$1 name=$2 query=""
  [[ $url == *\?* ]] && query="?${url#*\?}" && url=${url%%\?*}
  printf '%s/%s%s' "${url%/*}" "$name" "$query"
}

# Every generated file, from the migrated scratch database (its owner's URL, then the
# login role's). Another generated file is one more line here.
generate() {
  DATABASE_URL=$2 target/debug/mtdb check --catalog >migrations/security_catalog.json
  echo "schema: migrations/security_catalog.json written" >&2
}

[ $# -eq 0 ] || die "usage: $0"

if [ -z "${MTDB_ADMIN_DATABASE_URL:-}" ]; then
  urls=$(scripts/pg-local.sh start) || die "the local PostgreSQL did not start (see above)"
  set -a
  eval "$urls"
  set +a
fi
: "${DATABASE_URL:?DATABASE_URL must name the application login role}"

scratch="mtdb_schema_$$"
admin_url=$(with_database "$MTDB_ADMIN_DATABASE_URL" "$scratch")
app_url=$(with_database "$DATABASE_URL" "$scratch")
bindir=${MTDB_PG_BINDIR:-$(pg_config --bindir)}
psql_admin() { "$bindir/psql" -X -q -v ON_ERROR_STOP=1 "$MTDB_ADMIN_DATABASE_URL" -c "$1"; }

cargo build --quiet --bin mtdb
psql_admin "create database $scratch"
trap 'psql_admin "drop database if exists $scratch with (force)" || true' EXIT
MTDB_ADMIN_DATABASE_URL=$admin_url DATABASE_URL=$app_url RUST_LOG=${RUST_LOG:-warn} \
  target/debug/mtdb migrate
generate "$admin_url" "$app_url"
