#!/usr/bin/env bash
# A project-local PostgreSQL for `make run`, `make test` and CI.
#
#   scripts/pg-local.sh start   start (or reuse) the cluster, create mtdb_owner and database
#                               mtdb, print the connection URLs (also written to <area>/env)
#   scripts/pg-local.sh env     print the URLs: eval "$(scripts/pg-local.sh env)" or
#                               export $(scripts/pg-local.sh env)
#   scripts/pg-local.sh stop    stop the cluster (pg_ctl stop -m fast)
#   scripts/pg-local.sh status  say whether it runs and where
#   scripts/pg-local.sh psql    superuser psql on database mtdb (extra arguments pass through)
#   scripts/pg-local.sh cluster print where the running cluster is, for tests that build a
#                               standby from it (KEY=value: data dir, socket dir, port,
#                               superuser, OS user, binaries)
#
# Environment: MTDB_PG_DIR (data area), MTDB_PG_PORT (default 54329), MTDB_PG_BINDIR (the
# PostgreSQL binaries, default `pg_config --bindir`). When MTDB_ADMIN_DATABASE_URL is already
# set, `start` and `env` only echo the URLs given (you bring your own database).
#
# Data area: $MTDB_PG_DIR, else <repo>/.pg, else (when run as root, as CI does, possibly from
# a clone under /root that user postgres cannot traverse) /tmp/mtdb-pg-<8 hex of the repo path>,
# owned by postgres, because initdb refuses to run as root. It holds data/ (PGDATA), the unix
# socket, postgres.log and env. Only 127.0.0.1 is listened on; local socket connections are
# trusted (the area is mode 0700), TCP ones need a SCRAM password.
#
# Progress goes to stderr; stdout carries only the KEY=value lines, so it stays eval-able.
set -euo pipefail

readonly OWNER_ROLE=mtdb_owner OWNER_PASSWORD=mtdb_owner DB_NAME=mtdb
readonly APP_ROLE=mtdb_app APP_PASSWORD=mtdb_app

say() { printf 'pg-local: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
port=${MTDB_PG_PORT:-54329}
if ! [[ $port =~ ^[0-9]{1,5}$ ]] || (( 10#$port < 1 || 10#$port > 65535 )); then
  die "MTDB_PG_PORT must be a TCP port number (1 to 65535), got '$port'"
fi
port=$((10#$port))

short_hash() {
  if command -v sha256sum >/dev/null 2>&1; then
    printf '%s' "$1" | sha256sum | cut -c1-8
  else
    printf '%s' "$1" | shasum -a 256 | cut -c1-8
  fi
}

is_root=false
[[ $(id -u) -eq 0 ]] && is_root=true

if [[ -n ${MTDB_PG_DIR:-} ]]; then
  area=$MTDB_PG_DIR
elif $is_root; then
  area=/tmp/mtdb-pg-$(short_hash "$repo")
else
  area=$repo/.pg
fi
data=$area/data
sock=$area
# A unix socket path must fit in 107 bytes; a deep checkout can exceed that.
if (( ${#sock} + 20 > 100 )); then
  sock=/tmp/mtdb-sock-$(short_hash "$area")
fi
log=$area/postgres.log
envfile=$area/env

if $is_root; then
  pg_os_user=postgres
  id "$pg_os_user" >/dev/null 2>&1 \
    || die "running as root needs an OS user 'postgres' to run initdb"
else
  pg_os_user=$(id -un)
fi
superuser=$pg_os_user # initdb makes the OS user running it the bootstrap superuser

find_bindir() {
  if [[ -n ${MTDB_PG_BINDIR:-} ]]; then printf '%s' "$MTDB_PG_BINDIR"; return; fi
  if command -v pg_config >/dev/null 2>&1 && [[ -x "$(pg_config --bindir)/initdb" ]]; then
    pg_config --bindir; return
  fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
  [[ -n $d ]] || die "PostgreSQL binaries not found: install PostgreSQL 15+ or set MTDB_PG_BINDIR"
  printf '%s' "$d"
}

# Runs a PostgreSQL server binary as the cluster's OS user, from a directory it can enter.
# fd 9 (the lock) is closed for it: a postmaster inheriting it would hold the lock forever.
as_pg() {
  local bin=$1; shift
  if $is_root; then
    (cd / && runuser -u "$pg_os_user" -- "$bindir/$bin" "$@" 9>&-)
  else
    "$bindir/$bin" "$@" 9>&-
  fi
}

su_psql() { # superuser psql over the unix socket; trust auth, the socket dir is private
  PGHOST=$sock PGPORT=$port PGUSER=$superuser "$bindir/psql" -X -q -v ON_ERROR_STOP=1 "$@"
}

print_env() {
  if [[ -n ${MTDB_ADMIN_DATABASE_URL:-} ]]; then
    printf 'MTDB_ADMIN_DATABASE_URL=%s\n' "$MTDB_ADMIN_DATABASE_URL"
    if [[ -n ${DATABASE_URL:-} ]]; then
      printf 'DATABASE_URL=%s\n' "$DATABASE_URL"
    else
      say "MTDB_ADMIN_DATABASE_URL is set but DATABASE_URL is not: set it for 'mtdb serve'"
    fi
    return
  fi
  if [[ -f $envfile ]]; then cat "$envfile"; return; fi
  env_lines "$port"
}

env_lines() {
  printf 'MTDB_ADMIN_DATABASE_URL=postgres://%s:%s@127.0.0.1:%s/%s\n' \
    "$OWNER_ROLE" "$OWNER_PASSWORD" "$1" "$DB_NAME"
  printf 'DATABASE_URL=postgres://%s:%s@127.0.0.1:%s/%s\n' \
    "$APP_ROLE" "$APP_PASSWORD" "$1" "$DB_NAME"
}

running() { [[ -f $data/postmaster.pid ]] && as_pg pg_ctl status -D "$data" >/dev/null 2>&1; }

running_port() { sed -n 4p "$data/postmaster.pid"; }

lock() { # serialise concurrent `start`/`stop` on one area (flock is absent on macOS)
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$area/.lock"
    flock 9
  fi
}

prepare_area() {
  mkdir -p "$area"
  chmod 700 "$area"
  if $is_root; then chown "$pg_os_user": "$area"; fi
  if [[ $sock != "$area" ]]; then
    mkdir -p "$sock"
    chmod 700 "$sock"
    if $is_root; then chown "$pg_os_user": "$sock"; fi
  fi
}

init_cluster() {
  say "initdb in $data (superuser '$superuser')"
  as_pg initdb -D "$data" --encoding=UTF8 --locale=C.UTF-8 --auth-local=trust \
    --auth-host=scram-sha-256 --username="$superuser" >"$area/initdb.log" 2>&1 \
    || { cat "$area/initdb.log" >&2; die "initdb failed"; }
  printf '\n# mtdb: local test settings (mtdb.conf is rewritten by scripts/pg-local.sh)\n%s\n' \
    "include 'mtdb.conf'" >>"$data/postgresql.conf"
}

write_conf() { # rewritten on each start so that a changed port or socket applies
  cat >"$data/mtdb.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$sock'
unix_socket_permissions = 0700
max_connections = 200
max_wal_senders = 32
# The replica tests' standbys stream from here without a replication slot: keep enough WAL
# that a standby starting while other tests write (CREATE DATABASE logs whole databases)
# still finds the segment its base backup ended in.
wal_keep_size = '256MB'
shared_buffers = 128MB
fsync = off
synchronous_commit = off
full_page_writes = off
timezone = 'UTC'
log_timezone = 'UTC'
EOF
  if $is_root; then chown "$pg_os_user": "$data/mtdb.conf"; fi
}

bootstrap_sql() { # idempotent: the owner role (not superuser, no BYPASSRLS) and the database
  su_psql -d postgres <<SQL
do \$\$
begin
  if not exists (select from pg_catalog.pg_roles where rolname = '$OWNER_ROLE') then
    create role $OWNER_ROLE login password '$OWNER_PASSWORD' createrole createdb;
  else
    alter role $OWNER_ROLE login password '$OWNER_PASSWORD' createrole createdb
      nosuperuser nobypassrls;
  end if;
end
\$\$;
select 'create database $DB_NAME owner $OWNER_ROLE'
where not exists (select from pg_catalog.pg_database where datname = '$DB_NAME')
\gexec
SQL
}

cmd_start() {
  if [[ -n ${MTDB_ADMIN_DATABASE_URL:-} ]]; then
    say "MTDB_ADMIN_DATABASE_URL is set: using that database, not starting a local one"
    print_env
    return
  fi
  bindir=$(find_bindir)
  local major
  major=$("$bindir/pg_ctl" --version | sed -E 's/.* ([0-9]+).*/\1/')
  (( major >= 15 )) || die "PostgreSQL 15 or newer needed, found $major in $bindir"
  prepare_area
  lock
  if running; then
    local actual
    actual=$(running_port)
    if [[ $actual != "$port" ]]; then
      say "already running on port $actual (not $port); stop it first to change the port"
      port=$actual
    fi
    say "reusing the running cluster in $data (port $port)"
  else
    # Anything that accepts a connection there (another PostgreSQL, or any server).
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null \
      || "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" >/dev/null 2>&1 || [[ $? -eq 1 ]]; then
      die "port $port (MTDB_PG_PORT) is taken by another server: set MTDB_PG_PORT to a free port"
    fi
    [[ -f $data/PG_VERSION ]] || init_cluster
    write_conf
    say "starting PostgreSQL $major on 127.0.0.1:$port (log: $log)"
    if ! as_pg pg_ctl start -D "$data" -l "$log" -w -t 60 >/dev/null; then
      tail -n 30 "$log" >&2 || true
      die "the server did not start"
    fi
  fi
  bootstrap_sql
  env_lines "$port" >"$envfile"
  say "ready: role $OWNER_ROLE, database $DB_NAME (urls in $envfile)"
  cat "$envfile"
}

cmd_stop() {
  bindir=$(find_bindir)
  [[ -d $area ]] || { say "nothing to stop: no data area at $area"; return; }
  lock
  if running; then
    as_pg pg_ctl stop -D "$data" -m fast -w >/dev/null
    say "stopped the cluster in $data"
  else
    say "not running ($data)"
  fi
}

cmd_status() {
  bindir=$(find_bindir)
  if [[ -d $data ]] && running; then
    say "running: data $data, port $(running_port), socket dir $sock"
  else
    say "not running (data area $area)"
    return 3
  fi
}

cmd_psql() {
  bindir=$(find_bindir)
  running || die "not running: scripts/pg-local.sh start"
  PGHOST=$sock PGPORT=$(running_port) PGUSER=$superuser PGDATABASE=$DB_NAME \
    exec "$bindir/psql" "$@"
}

cmd_cluster() {
  bindir=$(find_bindir)
  running || die "not running: scripts/pg-local.sh start"
  printf 'MTDB_PG_DATA=%s\nMTDB_PG_SOCKET_DIR=%s\nMTDB_PG_RUNNING_PORT=%s\n' \
    "$data" "$sock" "$(running_port)"
  printf 'MTDB_PG_SUPERUSER=%s\nMTDB_PG_OS_USER=%s\nMTDB_PG_BINDIR=%s\n' \
    "$superuser" "$pg_os_user" "$bindir"
}

case ${1:-} in
  start) cmd_start ;;
  cluster) cmd_cluster ;;
  stop) cmd_stop ;;
  env) print_env ;;
  status) cmd_status ;;
  psql) shift; cmd_psql "$@" ;;
  *)
    say "usage: $0 start|stop|env|status|cluster|psql [psql args]"
    exit 2
    ;;
esac
