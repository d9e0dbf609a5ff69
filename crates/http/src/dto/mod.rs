//! The JSON shapes of the API. Requests are taken apart field by field (so every 400
//! names its field: unknown, missing, mistyped), then turned into domain values with
//! `TryFrom` at the edge, where each domain parser runs once and its value is kept (a
//! failure is the same `400 VALIDATION_ERROR` with `details.field`). No rule is checked
//! twice: the shape is the extractors' (`JsonObject`, `QueryParams`), every rule on a
//! value is the domain's. Responses are built from domain values.

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
pub(crate) use health::HealthResponse;
pub(crate) use list::{ListTenantsParams, TenantPageResponse};
pub(crate) use page_body::page_body;
pub(crate) use tenant::{timestamp, TenantResponse};
pub(crate) use tenant_type::TenantTypeDto;
pub(crate) use update::UpdateTenantRequest;
