#!/usr/bin/env bash
# `make run`: a project-local PostgreSQL (unless DATABASE_URL is given), migrations,
# the demo tenants, a ready token per demo principal, then the API on MTDB_LISTEN.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${DATABASE_URL:-}" ]; then
  set -a
  eval "$(scripts/pg-local.sh start)"
  set +a
fi
# A fixed secret for local use only: production sets its own.
export MTDB_JWT_SECRET="${MTDB_JWT_SECRET:-mtdb-local-development-secret-do-not-deploy}"
export MTDB_LOG_FORMAT="${MTDB_LOG_FORMAT:-pretty}"
export MTDB_LISTEN="${MTDB_LISTEN:-127.0.0.1:8080}"

echo "==> building mtdb (release)" >&2
cargo build --release --quiet --bin mtdb
mtdb=target/release/mtdb

if [ -n "${MTDB_ADMIN_DATABASE_URL:-}" ]; then
  RUST_LOG=warn "$mtdb" migrate
  RUST_LOG=warn "$mtdb" seed
else
  echo "MTDB_ADMIN_DATABASE_URL is not set: skipping migrate and seed" >&2
fi

base="http://${MTDB_LISTEN}"
echo
echo "Demo tokens (valid 12 hours). Try:"
vars=""
for who in "HSBC:hsbc_token:--tenant 00000000-0000-4000-8000-000000000001" \
           "HSBC Hong Kong:hsbc_hk_token:--tenant 00000000-0000-4000-8000-000000000011" \
           "HSBC London:hsbc_london_token:--tenant 00000000-0000-4000-8000-000000000012" \
           "Barclays:barclays_token:--tenant 00000000-0000-4000-8000-000000000002" \
           "Barclays UK:barclays_uk_token:--tenant 00000000-0000-4000-8000-000000000021" \
           "Platform admin:admin_token:--platform-admin"; do
  name="${who%%:*}"
  rest="${who#*:}"
  var="${rest%%:*}"
  # shellcheck disable=SC2086 # the flags are meant to split
  token=$(RUST_LOG=warn "$mtdb" token ${rest#*:} --sub "demo" --ttl 12h)
  echo
  echo "# ${name}"
  echo "curl -s -H 'Authorization: Bearer ${token}' ${base}/api/v1/tenants"
  vars="${vars}@${var} = ${token}"$'\n'
done
echo
echo "# For docs/requests.http (VS Code REST Client, JetBrains HTTP client): paste over its tokens"
printf '%s' "$vars"
echo
echo "OpenAPI: ${base}/openapi.json   docs: ${base}/docs   health: ${base}/health"
echo
exec "$mtdb" serve
