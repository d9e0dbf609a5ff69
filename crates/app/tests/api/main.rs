//! End-to-end tests: the real `mtdb` server on a random port, a fresh migrated and
//! seeded database per test, connected as the application's login role.

mod helpers;

mod check;
mod check_drift;
mod client_errors;
mod commands;
mod concurrency;
mod conditional;
mod crud;
mod docs_budget;
mod docs_links;
mod docs_tested_by;
mod errors;
mod failover;
mod fairness;
mod holds;
mod instances;
mod lifecycle;
mod metadata;
mod metrics;
mod migrate_down;
mod migrate_role;
mod model;
mod names;
mod oidc;
mod openapi_examples;
mod outage;
mod process;
mod project_files;
mod redaction;
mod renames;
mod replicas;
mod requests_http;
mod says_why;
mod scripts;
mod shutdown;
mod troubleshooting;
mod visibility;
