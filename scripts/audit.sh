#!/usr/bin/env bash
# `make audit`: cargo-deny with deny.toml: security advisories (RustSec, when its database
# can be fetched), licenses, banned crates and sources; duplicate versions are warnings.
# cargo-deny is installed from crates.io on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo deny --version >/dev/null 2>&1; then
  echo "audit: installing cargo-deny from crates.io (once, a few minutes)" >&2
  cargo install --locked cargo-deny
fi
cargo deny --version >&2
# Licenses, bans and sources need nothing from the network beyond the crates themselves.
cargo deny --all-features check --hide-inclusion-graph licenses bans sources
# The advisory database is a git clone from GitHub. Where it cannot be fetched (these
# machines reach only package registries) the audit says so loudly and checks the rest;
# where it can, any advisory fails the audit.
if cargo deny fetch db; then
  cargo deny --all-features check --hide-inclusion-graph --disable-fetch advisories
elif [ "${MTDB_REQUIRE_ADVISORIES:-0}" = 1 ]; then
  echo "audit: error: the advisory database could not be fetched" >&2
  exit 1
else
  echo "audit: ADVISORIES NOT CHECKED: the RustSec database could not be fetched (above)." >&2
  echo "audit: run where GitHub is reachable, or MTDB_REQUIRE_ADVISORIES=1 to fail here." >&2
fi
