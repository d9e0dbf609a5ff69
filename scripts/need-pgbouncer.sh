#!/usr/bin/env bash
# Makes sure PgBouncer is installed: the tests and the bench start their own PgBouncer in
# front of the project-local PostgreSQL (docs/scaling.md). Installs Debian's package when
# it is missing and this user may (root, or sudo without a password); otherwise says how
# and fails, so that a run without PgBouncer never passes as green.
set -euo pipefail

found() { command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ]; }
found && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo"
  else
    echo "error: PgBouncer is not installed and this user cannot install it:" \
      "run 'sudo apt-get install pgbouncer' (Debian/Ubuntu) or 'brew install pgbouncer'" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: PgBouncer is not installed and there is no apt-get here: install it" \
    "(the package is usually named 'pgbouncer')" >&2
  exit 1
fi
echo "==> installing pgbouncer (Debian package)" >&2
$sudo apt-get update -qq >/dev/null
# Debian's package also installs a service; nothing here needs it, and in a container
# no init system starts it.
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq pgbouncer >/dev/null
found || { echo "error: pgbouncer is still missing after apt-get install" >&2; exit 1; }
