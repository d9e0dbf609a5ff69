#!/usr/bin/env bash
# Generated clients against the real server (`make test` runs this last): from the live
# /openapi.json, openapi-typescript + openapi-fetch make a TypeScript client and
# openapi-python-client a Python one; clients/typescript/check.ts must pass `tsc --strict`
# and clients/python/check.py `mypy --strict`, both with no cast, then each runs against a
# fresh seeded server: list, get, create a parent and a subsidiary with metadata, update
# with the ETag, delete, and read 404, 409 and 412 bodies. Before them, every example of the
# document is checked against its schema (clients/python/examples.py).
#
# Generators pinned here and in clients/typescript/package-lock.json; installed from npm
# and PyPI into target/clients/ once (Node.js and Python's venv from Debian when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

PY_PINS=("openapi-python-client==0.29.1" "mypy==2.4.1" "jsonschema==4.26.0" "rfc3339-validator==0.1.4")
work=target/clients
mkdir -p "$work"

scripts/need-debian.sh "command -v node && command -v npm" nodejs npm
scripts/need-debian.sh "python3 -c 'import ensurepip, venv'" python3-venv

# TypeScript: the tools, once per package-lock.json.
ts=$work/typescript
mkdir -p "$ts"
cp clients/typescript/package.json clients/typescript/package-lock.json \
  clients/typescript/tsconfig.json clients/typescript/check.ts "$ts/"
lock_sum=$(sha256sum clients/typescript/package-lock.json | cut -d' ' -f1)
if [ "$(cat "$ts/.installed" 2>/dev/null)" != "$lock_sum" ]; then
  echo "==> npm ci (openapi-typescript, openapi-fetch, typescript) in ${ts}" >&2
  (cd "$ts" && npm ci --no-audit --no-fund --loglevel=error >&2)
  echo "$lock_sum" >"$ts/.installed"
fi
# Python: the tools, once per pin list.
venv=$work/venv
if [ "$(cat "$venv/.installed" 2>/dev/null)" != "${PY_PINS[*]}" ]; then
  echo "==> ${PY_PINS[*]} in ${venv}" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${PY_PINS[@]}"
  echo "${PY_PINS[*]}" >"$venv/.installed"
fi

echo "==> building mtdb" >&2
cargo build --quiet --bin mtdb
# shellcheck source=scripts/fresh-server.sh
. scripts/fresh-server.sh
fresh_server target/debug/mtdb mtdb_clients "$work/server.log"
curl -fsS "$base/openapi.json" -o "$work/openapi.json"
export MTDB_BASE=$base MTDB_ADMIN_TOKEN=$admin_token

echo "==> every example of the document against its schema" >&2
"$venv/bin/python" clients/python/examples.py "$work/openapi.json"

echo "==> TypeScript: openapi-typescript, tsc --strict, run" >&2
(
  cd "$ts"
  rm -rf dist
  node_modules/.bin/openapi-typescript ../openapi.json -o schema.d.ts --silent
  node_modules/.bin/tsc --strict -p .
  node dist/check.js
)

echo "==> Python: openapi-python-client, mypy --strict, run" >&2
py=$work/python
rm -rf "$py"
mkdir -p "$py"
# The venv's bin first, so the generator finds its own ruff to format the code.
PATH="$PWD/$venv/bin:$PATH" openapi-python-client generate --path "$work/openapi.json" \
  --output-path "$py/generated" --overwrite --fail-on-warning >/dev/null
cp clients/python/check.py "$py/"
(
  cd "$py"
  export PYTHONPATH=generated MYPYPATH=generated
  "../venv/bin/mypy" --strict --no-incremental check.py
  "../venv/bin/python" check.py
)
