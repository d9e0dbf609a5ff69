#!/usr/bin/env bash
# Makes sure the OpenID Connect provider the identity provider tests run is installed: the
# `oidc-provider` package from npm, exactly as locked (every dependency's version and
# checksum) by crates/app/tests/api/oidc/package-lock.json, in target/oidc-provider
# (ignored by git, gone with `make clean`). Prints the package's directory. Needs Node.js
# 20 or later and npm; fails, saying so, without them, so that a run without the provider
# never passes as green.
set -euo pipefail
cd "$(dirname "$0")/.."

locked="$PWD/crates/app/tests/api/oidc"
dir="$PWD/target/oidc-provider"
package="$dir/node_modules/oidc-provider"

# Installed when the lock file npm installed from is this one.
installed() { cmp -s "$locked/package-lock.json" "$dir/installed.lock" && [ -d "$package" ]; }

if ! installed; then
  for tool in node npm flock; do
    command -v "$tool" >/dev/null 2>&1 || {
      echo "error: $tool is missing: the identity provider tests need Node.js 20+ and npm" >&2
      exit 1
    }
  done
  major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$major" -lt 20 ]; then
    echo "error: Node.js $(node --version) is too old: the identity provider tests need 20+" >&2
    exit 1
  fi
  mkdir -p "$dir"
  # Tests run as parallel processes: one installs, the others wait for it.
  exec 9>"$dir/.lock"
  flock 9
  if ! installed; then
    echo "==> installing oidc-provider (npm ci) into target/oidc-provider" >&2
    cp "$locked/package.json" "$locked/package-lock.json" "$dir/"
    (cd "$dir" && npm ci --no-audit --no-fund --silent >&2)
    cp "$locked/package-lock.json" "$dir/installed.lock"
    installed || { echo "error: oidc-provider is still missing after npm ci" >&2; exit 1; }
  fi
fi
echo "$package"
