# mtdb: `make run` serves the demo; `make test` checks everything; `make` alone lists every
# target. Those that need a database start a project-local PostgreSQL unless you bring your
# own (MTDB_ADMIN_DATABASE_URL and DATABASE_URL, see README). The justfile runs these
# targets by the same names.

.DEFAULT_GOAL := help
.PHONY: help run dev test lint fmt db db-stop migrate migrate-down schema seed reset coverage doc \
	docker-up docker-down docker-check docs-check clean hooks audit bench fuzz soak

help: ## list the targets (this text)
	@awk 'BEGIN {FS = ":[^#]*## "} /^[a-z][a-z-]*:.*## / {printf "  %-13s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

run: ## migrate, seed, print demo tokens and serve on 127.0.0.1:8080 (release build)
	@scripts/run.sh

dev: ## hot reload: rebuild and restart `mtdb serve` on each save (installs watchexec once)
	@scripts/dev.sh

test: ## formatting, clippy and every test against a real PostgreSQL
	@scripts/test.sh

lint: ## cargo fmt --check, clippy and cargo doc, with warnings as errors
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --all-features -- -D warnings
	RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --all-features

fmt: ## format every crate (cargo fmt)
	cargo fmt --all

db: ## start the project-local PostgreSQL and print its URLs
	@scripts/pg-local.sh start

db-stop: ## stop the project-local PostgreSQL
	@scripts/pg-local.sh stop

migrate: ## apply the migrations and provision the application login role
	@scripts/db.sh migrate

migrate-down: ## revert down to migration N: make migrate-down N=5 (DATA_LOSS=1 to drop rows)
	@scripts/db.sh migrate-down "$(N)" $(if $(DATA_LOSS),--allow-data-loss)

schema: ## regenerate the files generated from the migrations (migrations/schema.sql, migrations/security_catalog.json)
	@scripts/schema.sh

seed: ## load the demo tenants (idempotent)
	@scripts/db.sh seed

reset: ## drop and recreate the local database, then migrate and seed
	@scripts/db.sh reset

coverage: ## line coverage per crate (fails below 90%), HTML in target/llvm-cov/html
	@scripts/coverage.sh

doc: ## API documentation of the workspace crates in target/doc (warnings are errors)
	RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --all-features

docker-up: ## build and start the compose stack: PostgreSQL, mtdb, Prometheus, Grafana
	@scripts/docker.sh up

docker-down: ## stop the compose stack (its volumes stay; docker.sh down -v drops them)
	@scripts/docker.sh down

docker-check: ## validate the compose file and lint the Dockerfile (hadolint), no daemon needed
	@scripts/docker-check.sh

docs-check: ## /docs in headless Chromium with the network cut: the six operations must show (screenshot in target/docs-check/)
	@scripts/docs-check.sh

clean: ## remove build output (target/); the local database stays (make reset renews it)
	cargo clean

hooks: ## use the versioned git hooks of .githooks/ (pre-commit: fmt, clippy, fast tests)
	@scripts/hooks.sh

audit: ## cargo deny: advisories, licenses, banned and duplicate crates (installs it once)
	@scripts/audit.sh

bench: ## release build: latency, timing-oracle pairs, noisy-neighbour flood, throughput beside pgbench (SCALE=...; docs/performance.md)
	@scripts/bench.sh

fuzz: ## Schemathesis against the real server from its OpenAPI document (needs PyPI once)
	@scripts/fuzz.sh

soak: ## the model-based test at length: 10,000 random operations against the reference model
	@scripts/soak.sh
