#!/usr/bin/env bash
# `make test`: lint, then every test, against a real PostgreSQL: the project-local one
# (started here, from the installed binaries) unless MTDB_ADMIN_DATABASE_URL is given.
# The owner role in MTDB_ADMIN_DATABASE_URL needs CREATEDB and CREATEROLE: every test
# gets a fresh database, migrated, and connects as the application's login role.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${MTDB_ADMIN_DATABASE_URL:-}" ]; then
  set -a
  # Captured, then evaluated: `eval "$(...)"` would carry on without the URLs
  # when the start fails (the script has said why on stderr).
  pg_env=$(scripts/pg-local.sh start) || exit
  eval "$pg_env"
  set +a
  if [ -n "${CI:-}" ]; then
    trap 'scripts/pg-local.sh stop >/dev/null 2>&1 || true' EXIT
  fi
fi
: "${DATABASE_URL:?DATABASE_URL must name the application login role when MTDB_ADMIN_DATABASE_URL is given}"
export MTDB_ADMIN_DATABASE_URL DATABASE_URL

# The scale-out tests start their own PgBouncer in front of that PostgreSQL.
scripts/need-pgbouncer.sh
# The identity provider tests start their own OpenID Connect providers (Node.js), and the
# generated TypeScript client is checked with tsc.
scripts/need-debian.sh "command -v node && command -v npm" nodejs npm
scripts/need-oidc-provider.sh >/dev/null
# The metrics test checks /metrics with Debian's promtool.
scripts/need-debian.sh "command -v promtool" prometheus

echo "==> cargo fmt --check" >&2
cargo fmt --all -- --check
echo "==> cargo clippy -D warnings" >&2
cargo clippy --workspace --all-targets --all-features -- -D warnings
echo "==> tests" >&2
status=0
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --all-features --no-fail-fast || status=$?
else
  cargo test --workspace --all-features --no-fail-fast || status=$?
fi
echo "==> generated clients (TypeScript, Python) against the server" >&2
scripts/clients.sh || status=$?
exit "$status"
