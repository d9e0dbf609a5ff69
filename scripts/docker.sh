#!/usr/bin/env bash
# `make docker-up` / `make docker-down`: the compose stack of docker/compose.yml with
# `docker compose` (the plugin) or, failing that, the standalone `docker-compose`.
#   scripts/docker.sh up        build the image, start everything, wait for health
#   scripts/docker.sh up-scale  the same with docker/compose.scale.yml layered over it:
#                               PgBouncer, a second instance, nginx on :8088 (docs/scaling.md)
#   scripts/docker.sh down [-v] stop and remove the containers of either (-v: the volumes too)
set -euo pipefail
cd "$(dirname "$0")/.."

if docker compose version >/dev/null 2>&1; then
  compose=(docker compose -f docker/compose.yml)
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose -f docker/compose.yml)
else
  echo "docker: neither 'docker compose' nor 'docker-compose' is installed" >&2
  exit 1
fi

case "${1:-}" in
  up)
    "${compose[@]}" up --build --detach
    cat >&2 <<'TEXT'
docker: API http://127.0.0.1:8080 (GET /health), Prometheus http://127.0.0.1:9091,
        Grafana http://127.0.0.1:3000 (dashboard "mtdb"), PostgreSQL 127.0.0.1:55432.
        The seed's outcome: docker compose -f docker/compose.yml logs seed
TEXT
    ;;
  up-scale)
    "${compose[@]}" -f docker/compose.scale.yml up --build --detach
    cat >&2 <<'TEXT'
docker: API through the load balancer http://127.0.0.1:8088 (two instances behind
        PgBouncer), the first instance alone http://127.0.0.1:8080, Prometheus
        http://127.0.0.1:9091, Grafana http://127.0.0.1:3000, PostgreSQL 127.0.0.1:55432.
TEXT
    ;;
  down)
    shift
    # With the overlay named, down also removes the scale-out services when they run.
    "${compose[@]}" -f docker/compose.scale.yml down "$@"
    ;;
  *)
    echo "usage: $0 up | up-scale | down [-v]" >&2
    exit 2
    ;;
esac
