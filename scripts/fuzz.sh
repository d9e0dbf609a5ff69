#!/usr/bin/env bash
# `make fuzz`: Schemathesis against the real server, from its own /openapi.json: the
# example, coverage, fuzzing and stateful phases, every check, as the platform admin.
# A fresh database (mtdb_fuzz, scripts/fresh-server.sh); a release build unless
# FUZZ_PROFILE=debug (what .ci/run uses: no second build); a Python virtualenv under
# target/. Fails on any finding and on any 5xx in the server's own log. What each
# allowance in scripts/schemathesis.toml is for is written there.
set -euo pipefail
cd "$(dirname "$0")/.."

PINS=("schemathesis==4.32.5" "hypothesis==6.170.17")
EXAMPLES="${FUZZ_MAX_EXAMPLES:-300}"
venv=target/fuzz-venv
scripts/need-debian.sh "python3 -c 'import ensurepip, venv'" python3-venv
if [ "$(cat "$venv/.installed" 2>/dev/null)" != "${PINS[*]}" ]; then
  echo "==> ${PINS[*]} in ${venv}" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${PINS[@]}"
  echo "${PINS[*]}" >"$venv/.installed"
fi

echo "==> building mtdb (${FUZZ_PROFILE:-release})" >&2
if [ "${FUZZ_PROFILE:-release}" = release ]; then
  cargo build --release --quiet --bin mtdb
else
  cargo build --quiet --bin mtdb
fi
log=target/fuzz-server.log
export MTDB_LISTEN="${FUZZ_LISTEN:-127.0.0.1:0}"
# shellcheck source=scripts/fresh-server.sh
. scripts/fresh-server.sh
fresh_server "target/${FUZZ_PROFILE:-release}/mtdb" mtdb_fuzz "$log"
token=$admin_token

status=0
"$venv/bin/st" --config-file scripts/schemathesis.toml run "$base/openapi.json" \
  --header "Authorization: Bearer ${token}" \
  --checks all --max-examples "$EXAMPLES" --workers 1 || status=$?
# One worker: with two, hypothesis' lambda-source parsing races on Python 3.11 and
# stops the coverage phase with "AST constructor recursion depth mismatch" (seen here).

echo
echo "==> responses by status (from the server's own access log, ${log}):"
grep -o '"status":[0-9]*' "$log" | sort | uniq -c
if grep -q '"status":5[0-9][0-9]' "$log"; then
  echo "!! the server answered 5xx: see ${log}" >&2
  exit 1
fi
exit "$status"
