#!/usr/bin/env bash
# Makes sure the OpenID Connect provider the identity provider tests run is installed:
# the `oidc-provider` package from npm, at the version pinned here, in target/oidc-provider
# (ignored by git, gone with `make clean`). Prints the package's directory. Needs Node.js
# 20 or later and npm; fails, saying so, without them, so that a run without the
# provider never passes as green.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=9.13.3
dir="$PWD/target/oidc-provider"
package="$dir/node_modules/oidc-provider"

installed() { grep -qs "\"version\": \"$VERSION\"" "$package/package.json"; }

if ! installed; then
  for tool in node npm flock; do
    command -v "$tool" >/dev/null 2>&1 || {
      echo "error: $tool is missing: the identity provider tests need Node.js 20+ and npm" >&2
      exit 1
    }
  done
  mkdir -p "$dir"
  # Tests run as parallel processes: one installs, the others wait for it.
  exec 9>"$dir/.lock"
  flock 9
  if ! installed; then
    echo "==> installing oidc-provider@$VERSION (npm) into target/oidc-provider" >&2
    (cd "$dir" && npm install --no-audit --no-fund --no-save --silent "oidc-provider@$VERSION" >&2)
    installed || { echo "error: oidc-provider is still missing after npm install" >&2; exit 1; }
  fi
fi
echo "$package"
