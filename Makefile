# mtdb: two commands matter. `make run` serves the demo; `make test` checks everything.
# Both start a project-local PostgreSQL unless you bring your own (see README).

.PHONY: run test lint fmt db db-stop db-env bench fuzz soak clean-db

run: ## migrate, seed, print demo tokens and serve on 127.0.0.1:8080
	@scripts/run.sh

test: ## formatting, clippy and every test against a real PostgreSQL
	@scripts/test.sh

lint: ## cargo fmt --check and clippy with warnings as errors
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --all-features -- -D warnings

fmt:
	cargo fmt --all

db: ## start the project-local PostgreSQL and print its URLs
	@scripts/pg-local.sh start

db-stop:
	@scripts/pg-local.sh stop

bench: ## release build: latency, the timing-oracle pairs and the noisy-neighbour flood (see docs/performance.md)
	@scripts/bench.sh

fuzz: ## Schemathesis against the real server from its OpenAPI document (needs PyPI once)
	@scripts/fuzz.sh

soak: ## the model-based test at length: 10,000 random operations against the reference model
	@scripts/soak.sh

.PHONY: docs-check
docs-check: ## /docs in headless Chromium with the network cut: the six operations must show (screenshot in target/docs-check/)
	@scripts/docs-check.sh
