//! The HTTP API against mocked ports: every status, code and header of docs/api.md,
//! through the same `app()` that production serves.

mod access_log;
mod auth;
mod auth_keys;
mod body;
mod conditional_get;
mod create;
mod dashboard;
mod delete;
mod docs_page;
mod get;
mod head;
mod headers;
mod health;
mod helpers;
mod list;
mod openapi;
mod openapi_operations;
mod routing;
mod server;
mod update;
mod wire;
