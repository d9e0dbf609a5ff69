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
mod docs;
mod dto;
mod error;
mod extract;
mod handlers;
mod metrics;
mod middleware;
mod openapi;
mod openapi_examples;
mod openapi_headers;
mod server;
mod settings;

pub use crate::auth::issue::{issue_hs256_token, IssueError};
pub use crate::auth::mapping::ClaimMapping;
pub use crate::auth::oidc::settings::{
    validate_issuers, IssuerError, IssuerSettings, KeyRefresh, SpeaksFor,
};
pub use crate::auth::oidc::{IdentityProviders, ProvidersError};
pub use crate::auth::settings::{JwtSettings, KeyError, MIN_SECRET_BYTES};
pub use crate::auth::verifier::{TokenVerifier, DEFAULT_LEEWAY};
pub use crate::error::auth::AuthError;
pub use crate::metrics::replica::ReplicaSnapshot;
pub use crate::metrics::server::build_metrics_server;
/// The running server [`build_server`] returns: await it to serve until stopped, stop it
/// through its [`ServerHandle`].
pub use actix_web::dev::{Server, ServerHandle};
pub use app::{app, ApiDeps};
pub use metrics::{Metrics, PoolSnapshot, CONTENT_TYPE as METRICS_CONTENT_TYPE};
pub use middleware::in_flight::InFlight;
pub use server::build_server;
pub use settings::{event_loops, HttpSettings};
