//! The REST adapter of mtdb: the six endpoints of docs/api.md, JWT authentication, the DTOs
//! that turn JSON into domain values at the edge, and the one error envelope every 4xx
//! and 5xx answer uses.
//!
//! This crate knows the core only through its ports ([`TenantService`],
//! [`HealthProbe`]); it never names a database type. The app crate binds the socket,
//! builds an [`ApiDeps`] and calls [`build_server`]. Tests call [`app`](fn@app) so that they run
//! the very routing and middleware that production runs.
//!
//! [`TenantService`]: mtdb_ports::TenantService
//! [`HealthProbe`]: mtdb_ports::HealthProbe

#![warn(missing_docs)]

mod app;
mod auth;
mod dto;
mod error;
mod extract;
mod handlers;
mod metrics;
mod middleware;
mod openapi;
mod openapi_examples;
mod openapi_headers;
mod openapi_schemas;
mod server;

/// The running server [`build_server`] returns: await it to serve until stopped, stop it
/// through its [`ServerHandle`].
pub use actix_web::dev::{Server, ServerHandle};
pub use app::{app, ApiDeps};
pub use auth::{
    issue_hs256_token, AuthError, IssueError, JwtSettings, KeyError, TokenVerifier,
    MIN_SECRET_BYTES,
};
pub use metrics::{
    build_metrics_server, Metrics, PoolSnapshot, ReplicaSnapshot,
    CONTENT_TYPE as METRICS_CONTENT_TYPE, PROMETHEUS_TEXT as METRICS_PROMETHEUS_TEXT,
};
pub use middleware::in_flight::InFlight;
pub use server::{build_server, HttpSettings};
