#!/usr/bin/env bash
# `make docs-check`: proves that /docs renders with no network but the server's.
#
# Starts `mtdb serve` (on the project-local PostgreSQL unless DATABASE_URL is given), then
# headless Chromium loads http://127.0.0.1:<port>/docs with every other host unresolvable
# (--host-resolver-rules) and every other connection sent to a proxy that refuses
# (127.0.0.1:9). Swagger UI must then draw the six operations from /openapi.json: the DOM
# after its scripts ran is searched for each operation's method, path and summary, and a
# screenshot is kept in target/docs-check/docs.png.
#
# Chromium comes from Debian (`apt-get install chromium`); the script installs it when
# missing and it can (root with apt-get). Exit 0 when the page shows the six operations,
# 1 when it does not (or the server cannot start), 3 when no Chromium can be had.
# Environment: MTDB_DOCS_CHECK_PORT (default 18089), MTDB_PG_PORT (see pg-local.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'docs-check: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

port=${MTDB_DOCS_CHECK_PORT:-18089}
out=target/docs-check
mkdir -p "$out"

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  say "installing Debian's chromium"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >&2 \
    || say "apt-get could not install chromium"
  browser=$(command -v chromium || true)
fi
if [ -z "$browser" ]; then
  # Exit 3, not 1: CI tells "no browser here" from "the page is broken".
  say "no chromium: install it (Debian/Ubuntu: sudo apt-get install chromium)"
  exit 3
fi

started_pg=false
if [ -z "${DATABASE_URL:-}" ]; then
  set -a
  eval "$(scripts/pg-local.sh start)"
  set +a
  started_pg=true
fi
export MTDB_JWT_SECRET="${MTDB_JWT_SECRET:-mtdb-docs-check-secret-of-at-least-32-bytes}"
export MTDB_LISTEN="127.0.0.1:${port}"
export RUST_LOG=warn

say "building mtdb"
cargo build --quiet --bin mtdb
mtdb=target/debug/mtdb
if [ -n "${MTDB_ADMIN_DATABASE_URL:-}" ]; then
  "$mtdb" migrate >&2
fi

"$mtdb" serve >"$out/server.log" 2>&1 &
server=$!
profile=$(mktemp -d)
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$profile"
  # As scripts/test.sh: in CI, leave no PostgreSQL running behind.
  if $started_pg && [ -n "${CI:-}" ]; then scripts/pg-local.sh stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

base="http://127.0.0.1:${port}"
for _ in $(seq 1 100); do
  if curl -fsS -o /dev/null "$base/health" 2>/dev/null; then break; fi
  kill -0 "$server" 2>/dev/null || die "mtdb serve exited: $(tail -5 "$out/server.log")"
  sleep 0.1
done
curl -fsS -o /dev/null "$base/health" || die "the server did not answer on $base"

# Everything but the server is cut: names do not resolve, and any connection that still
# tries (an IP literal) goes to a proxy port where nothing listens.
chromium_run() {
  "$browser" --headless --no-sandbox --disable-gpu --user-data-dir="$profile" \
    --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" \
    --proxy-server="http://127.0.0.1:9" --proxy-bypass-list="127.0.0.1:${port}" \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --disable-extensions \
    --virtual-time-budget=15000 --window-size=1280,2000 "$@" 2>>"$out/chromium.log"
}

say "loading $base/docs in headless Chromium, offline"
chromium_run --dump-dom "$base/docs" >"$out/docs.html"
chromium_run --screenshot="$out/docs.png" "$base/docs" >/dev/null
[ -s "$out/docs.png" ] || die "no screenshot was written"

# Each operation: its method, its path and its summary, as Swagger UI draws them.
missing=0
while IFS='|' read -r method path summary; do
  block=$(grep -o "opblock-${method}[^>]*" "$out/docs.html" | head -1 || true)
  if [ -z "$block" ] || ! grep -qF "data-path=\"${path}\"" "$out/docs.html" \
      || ! grep -qF "$summary" "$out/docs.html"; then
    say "missing on the page: ${method^^} ${path} (${summary})"
    missing=1
  fi
done <<'EOF'
get|/api/v1/tenants|List the tenants the principal can see
post|/api/v1/tenants|Create a parent tenant or a subsidiary
get|/api/v1/tenants/{tenant_id}|Read one tenant
put|/api/v1/tenants/{tenant_id}|Replace a tenant's name and metadata
delete|/api/v1/tenants/{tenant_id}|Soft-delete a tenant, optionally with its subsidiaries
get|/health|Liveness of the service and its database
EOF
count=$(grep -o 'class="opblock opblock-' "$out/docs.html" | wc -l)
[ "$missing" = 0 ] && [ "$count" = 6 ] \
  || die "the page does not show the six operations (found ${count}); DOM in $out/docs.html"
say "ok: /docs shows the six operations offline; screenshot $out/docs.png"
