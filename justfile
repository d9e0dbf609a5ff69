# Each recipe runs the Makefile's target of the same name, which says what it does
# (`just` alone prints `make help`). Only the names are repeated here: just has no
# catch-all recipe (crates/app/tests/api/project_files/recipes.rs checks both name the same).

help:
    @make --no-print-directory help

run:
    @make --no-print-directory run

dev:
    @make --no-print-directory dev

test:
    @make --no-print-directory test

lint:
    @make --no-print-directory lint

fmt:
    @make --no-print-directory fmt

db:
    @make --no-print-directory db

db-stop:
    @make --no-print-directory db-stop

migrate:
    @make --no-print-directory migrate

migrate-down N *FLAGS:
    @make --no-print-directory migrate-down N={{N}} {{ if FLAGS == "--allow-data-loss" { "DATA_LOSS=1" } else { "" } }}

schema:
    @make --no-print-directory schema

seed:
    @make --no-print-directory seed

reset:
    @make --no-print-directory reset

coverage:
    @make --no-print-directory coverage

doc:
    @make --no-print-directory doc

docker-up:
    @make --no-print-directory docker-up

docker-down:
    @make --no-print-directory docker-down

docker-check:
    @make --no-print-directory docker-check

docs-check:
    @make --no-print-directory docs-check

clean:
    @make --no-print-directory clean

hooks:
    @make --no-print-directory hooks

audit:
    @make --no-print-directory audit

bench:
    @make --no-print-directory bench

fuzz:
    @make --no-print-directory fuzz

soak:
    @make --no-print-directory soak
