#!/usr/bin/env bash
# `make coverage`: every test (as `make test` runs them) under cargo-llvm-cov, against the
# project-local PostgreSQL unless MTDB_ADMIN_DATABASE_URL is given; a line-coverage table
# per crate; the HTML report in target/llvm-cov/html. Fails when a crate is below
# MTDB_COVERAGE_MIN percent of lines (default 90).
#
# The binaries that the process tests spawn (`mtdb migrate`, `mtdb check`, `mtdb serve`...)
# count too: they are the instrumented build (CARGO_BIN_EXE_mtdb) and inherit
# LLVM_PROFILE_FILE, so their profiles join the tests' own.
set -euo pipefail
cd "$(dirname "$0")/.."
min=${MTDB_COVERAGE_MIN:-90}
out=target/llvm-cov

say() { printf 'coverage: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

if ! cargo llvm-cov --version >/dev/null 2>&1; then
  say "installing cargo-llvm-cov from crates.io (once)"
  cargo install --locked cargo-llvm-cov
fi
# llvm-cov and llvm-profdata of rustc's own LLVM: the rustup component, else Debian's
# llvm-22 (the same LLVM major as this rustc; set LLVM_COV/LLVM_PROFDATA for another).
if [ -z "${LLVM_COV:-}" ] && ! rustup component add llvm-tools-preview >/dev/null 2>&1; then
  llvm=$(rustc -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')
  command -v "llvm-cov-$llvm" >/dev/null 2>&1 \
    || die "no llvm-tools: rustup component add llvm-tools-preview, or install llvm-$llvm"
  LLVM_COV=$(command -v "llvm-cov-$llvm")
  LLVM_PROFDATA=$(command -v "llvm-profdata-$llvm")
  export LLVM_COV LLVM_PROFDATA
fi

if [ -z "${MTDB_ADMIN_DATABASE_URL:-}" ]; then
  urls=$(scripts/pg-local.sh start) || die "the local PostgreSQL did not start (see above)"
  set -a
  eval "$urls"
  set +a
  if [ -n "${CI:-}" ]; then
    trap 'scripts/pg-local.sh stop >/dev/null 2>&1 || true' EXIT
  fi
fi
# The scale-out tests start their own PgBouncer in front of that PostgreSQL.
scripts/need-pgbouncer.sh
: "${DATABASE_URL:?DATABASE_URL must name the application login role when MTDB_ADMIN_DATABASE_URL is given}"
export MTDB_ADMIN_DATABASE_URL DATABASE_URL RUST_LOG="${RUST_LOG:-warn}"

start=$(date +%s)
cargo llvm-cov clean --workspace
if cargo nextest --version >/dev/null 2>&1; then
  cargo llvm-cov nextest --workspace --all-features --no-report --no-fail-fast
else
  cargo llvm-cov --workspace --all-features --no-report --no-fail-fast
fi
cargo llvm-cov report --html --output-dir "$out" >/dev/null
cargo llvm-cov report --json --summary-only --output-path "$out/summary.json"
say "tests and reports took $(( $(date +%s) - start )) s; HTML: $out/html/index.html"

# One row per crate: the files under crates/<name>/src, lines covered of lines counted.
# Not crates/testing: test support runs only as the tests' own setup, so its coverage says
# nothing about what the tests prove of mtdb.
root=$(pwd -P)
jq -r --arg root "$root/crates/" '
  [.data[0].files[]
   | select(.filename | startswith($root))
   | {crate: (.filename | ltrimstr($root) | split("/")[0]),
      count: .summary.lines.count, covered: .summary.lines.covered}
   | select(.crate != "testing")]
  | group_by(.crate)[]
  | [.[0].crate, (map(.covered) | add), (map(.count) | add)]
  | @tsv' "$out/summary.json" >"$out/crates.tsv"

# main.rs runs only in the spawned binaries: no line of it covered means their profiles
# were lost (an env_clear() in a test, a binary killed before it exits), and the table
# would understate the app crate.
main_hit=$(jq --arg f "$root/crates/app/src/main.rs" \
  '[.data[0].files[] | select(.filename == $f) | .summary.lines.covered] | add // 0' \
  "$out/summary.json")
[ "$main_hit" -gt 0 ] || die "crates/app/src/main.rs has no covered line: the spawned mtdb binaries were not measured"

awk -F'\t' -v min="$min" '
  BEGIN { printf "%-10s %8s %8s %8s\n", "crate", "lines", "covered", "percent" }
  {
    pct = $3 ? 100 * $2 / $3 : 100
    flag = pct < min ? "  below " min "%" : ""
    if (pct < min) low++
    printf "%-10s %8d %8d %7.1f%%%s\n", $1, $3, $2, pct, flag
    all += $3; hit += $2
  }
  END {
    printf "%-10s %8d %8d %7.1f%%\n", "total", all, hit, all ? 100 * hit / all : 100
    exit low ? 1 : 0
  }' "$out/crates.tsv" || die "a crate is below ${min}% of lines (table above)"
