# The same recipes as the Makefile, for those who prefer just (a test keeps the two in
# step: crates/app/tests/api/project_files/recipes.rs). `just` alone lists them.

# list the recipes (this text)
help:
    @just --list --unsorted

# migrate, seed, print demo tokens and serve on 127.0.0.1:8080 (release build)
run:
    scripts/run.sh

# hot reload: rebuild and restart `mtdb serve` on each save (installs watchexec once)
dev:
    scripts/dev.sh

# formatting, clippy and every test against a real PostgreSQL
test:
    scripts/test.sh

# cargo fmt --check, clippy and cargo doc, with warnings as errors
lint:
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets --all-features -- -D warnings
    RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --all-features

# format every crate (cargo fmt)
fmt:
    cargo fmt --all

# start the project-local PostgreSQL and print its URLs
db:
    scripts/pg-local.sh start

# stop the project-local PostgreSQL
db-stop:
    scripts/pg-local.sh stop

# apply the migrations and provision the application login role
migrate:
    scripts/db.sh migrate

# revert down to migration N: just migrate-down 5 (add --allow-data-loss to drop rows)
migrate-down N *FLAGS:
    scripts/db.sh migrate-down {{N}} {{FLAGS}}

# load the demo tenants (idempotent)
seed:
    scripts/db.sh seed

# drop and recreate the local database, then migrate and seed
reset:
    scripts/db.sh reset

# line coverage per crate (fails below 90%), HTML in target/llvm-cov/html
coverage:
    scripts/coverage.sh

# API documentation of the workspace crates in target/doc (warnings are errors)
doc:
    RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --all-features

# build and start the compose stack: PostgreSQL, mtdb, Prometheus, Grafana
docker-up:
    scripts/docker.sh up

# stop the compose stack (its volumes stay; docker.sh down -v drops them)
docker-down:
    scripts/docker.sh down

# validate the compose file and lint the Dockerfile (hadolint), no daemon needed
docker-check:
    scripts/docker-check.sh

# /docs in headless Chromium with the network cut: the six operations must show (screenshot in target/docs-check/)
docs-check:
    scripts/docs-check.sh

# remove build output (target/); the local database stays (just reset renews it)
clean:
    cargo clean

# use the versioned git hooks of .githooks/ (pre-commit: fmt, clippy, fast tests)
hooks:
    scripts/hooks.sh

# cargo deny: advisories, licenses, banned and duplicate crates (installs it once)
audit:
    scripts/audit.sh

# release build: latency, timing-oracle pairs, noisy-neighbour flood, throughput beside pgbench (SCALE=...; docs/performance.md)
bench:
    scripts/bench.sh

# Schemathesis against the real server from its OpenAPI document (needs PyPI once)
fuzz:
    scripts/fuzz.sh

# the model-based test at length: 10,000 random operations against the reference model
soak:
    scripts/soak.sh
