# Sourced by scripts/fuzz.sh and scripts/clients.sh: `fresh_server MTDB DATABASE LOG`
# serves the built binary MTDB on a fresh database DATABASE (migrated and seeded) of the
# PostgreSQL in MTDB_ADMIN_DATABASE_URL, or of the project-local one when that is unset,
# on MTDB_LISTEN (default: a free port). Sets `base` (http://host:port), `admin_token`
# (a platform admin's, valid 2 h) and `server` (its pid, stopped on exit); its logs go to LOG.

fresh_server() {
  local mtdb=$1 database=$2 log=$3
  if [ -z "${MTDB_ADMIN_DATABASE_URL:-}" ]; then
    local pg_env
    # Captured, then evaluated: `eval "$(...)"` would carry on without the URLs
    # when the start fails (the script has said why on stderr).
    pg_env=$(scripts/pg-local.sh start) || exit
    set -a
    eval "$pg_env"
    set +a
  fi
  psql "$MTDB_ADMIN_DATABASE_URL" -qc "drop database if exists ${database} with (force)" \
    -c "create database ${database}" 2>&1 | grep -v '^NOTICE' >&2 || true
  export MTDB_ADMIN_DATABASE_URL="${MTDB_ADMIN_DATABASE_URL%/*}/${database}"
  export DATABASE_URL="${DATABASE_URL%/*}/${database}"
  export MTDB_JWT_SECRET="${MTDB_JWT_SECRET:-mtdb-local-development-secret-do-not-deploy}"
  export MTDB_LISTEN="${MTDB_LISTEN:-127.0.0.1:0}" MTDB_LOG_FORMAT=json RUST_LOG=info
  RUST_LOG=warn "$mtdb" migrate
  RUST_LOG=warn "$mtdb" seed >/dev/null

  "$mtdb" serve >"${log}.stdout" 2>"$log" &
  server=$!
  trap 'kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
  # The server prints its address once it listens (not a fixed sleep): up to 30 s.
  base=""
  for _ in $(seq 300); do
    base=$(sed -n 's/^mtdb is listening on //p' "${log}.stdout")
    [ -n "$base" ] && break
    kill -0 "$server" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$base" ] || { echo "error: mtdb did not listen within 30 s" >&2; cat "$log" >&2; exit 1; }
  admin_token=$(RUST_LOG=warn "$mtdb" token --platform-admin --sub "$database" --ttl 2h)
}
