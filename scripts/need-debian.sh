#!/usr/bin/env bash
# `need-debian.sh CHECK PACKAGE...`: makes sure a tool the tests run is here. CHECK is a
# shell condition (`command -v npm`); when it fails, installs Debian's PACKAGEs if this
# user may (root, or sudo without a password), else says what to install and fails, so
# that a run without the tool never passes as green. Used by scripts/test.sh and
# scripts/clients.sh.
set -euo pipefail

check=$1
shift
found() { eval "$check" >/dev/null 2>&1; }
found && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo"
  else
    echo "error: '$check' fails and this user cannot install $*: run" \
      "'sudo apt-get install $*' (Debian/Ubuntu) or your system's equivalent" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: '$check' fails and there is no apt-get here: install $*" >&2
  exit 1
fi
echo "==> installing $* (Debian packages)" >&2
$sudo apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
found || { echo "error: '$check' still fails after apt-get install $*" >&2; exit 1; }
