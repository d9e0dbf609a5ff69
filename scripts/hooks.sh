#!/usr/bin/env bash
# `make hooks`: git runs the versioned hooks of .githooks/ from now on (for this clone):
# pre-commit checks formatting, clippy and the tests that need no database.
# `git config --unset core.hooksPath` undoes it; `git commit --no-verify` skips it once.
set -euo pipefail
cd "$(dirname "$0")/.."
git config core.hooksPath .githooks
echo "hooks: git now runs .githooks/pre-commit before each commit" >&2
