#!/usr/bin/env bash
# Runs once, when the PostgreSQL volume is first initialised (docker-entrypoint-initdb.d),
# as the image's superuser: the owner mtdb migrates and seeds with is NOT a superuser and
# cannot bypass row level security, as in the local setup (scripts/pg-local.sh). It may
# create roles (`mtdb migrate` creates the application login role) and owns the database.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  --set owner="$MTDB_OWNER_USER" --set password="$MTDB_OWNER_PASSWORD" \
  --set db="$MTDB_DB" <<'SQL'
create role :"owner" login password :'password' createrole nosuperuser nobypassrls;
create database :"db" owner :"owner";
SQL
