# The same recipes as the Makefile, for those who prefer just.

# migrate, seed, print demo tokens and serve on 127.0.0.1:8080
run:
    scripts/run.sh

# formatting, clippy and every test against a real PostgreSQL
test:
    scripts/test.sh

# cargo fmt --check and clippy with warnings as errors
lint:
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets --all-features -- -D warnings

# start the project-local PostgreSQL and print its URLs
db:
    scripts/pg-local.sh start

db-stop:
    scripts/pg-local.sh stop

# latency of GET /api/v1/tenants/{id} against a release build
bench:
    scripts/bench.sh

# Schemathesis against the real server from its OpenAPI document (needs PyPI once)
fuzz:
    scripts/fuzz.sh

# the model-based test at length: 10,000 random operations against the reference model
soak:
    scripts/soak.sh
