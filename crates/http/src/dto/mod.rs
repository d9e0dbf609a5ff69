//! The JSON shapes of the API. Requests are taken apart field by field (so every 400
//! names its field: unknown, missing, mistyped), then turned into domain values with
//! `TryFrom` at the edge, where each domain parser runs once and its value is kept (a
//! failure is the same `400 VALIDATION_ERROR` with `details.field`). The shape is the
//! extractors' (`JsonObject`, `QueryParams`) plus `validator`'s declarative rules where
//! a rule is about the request's form alone: the list query's ranges. Every rule on a
//! tenant's values (name, metadata, placement) is the domain's, never repeated in a
//! `validator` rule: the create and update bodies have no rule of their own. Responses
//! are built from domain values.

mod create;
mod delete;
mod error_body;
mod health;
mod list;
mod page_body;
mod tenant;
mod tenant_type;
mod update;

pub(crate) use create::CreateTenantRequest;
pub(crate) use delete::DeleteParams;
pub(crate) use error_body::{ErrorBody, ErrorDetail};
pub(crate) use health::{DatabaseState, HealthResponse, HealthStatus};
pub(crate) use list::{ListTenantsParams, TenantPageResponse};
pub(crate) use page_body::page_body;
pub(crate) use tenant::{timestamp, TenantResponse};
pub(crate) use tenant_type::TenantTypeDto;
pub(crate) use update::UpdateTenantRequest;
