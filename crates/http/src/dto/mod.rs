//! The JSON shapes of the API. Requests are taken apart field by field (so every 400
//! names its field), checked with `validator` against the domain's own rules, and
//! turned into domain values with `TryFrom` at the edge; responses are built from
//! domain values.

mod create;
mod delete;
mod error_body;
mod health;
mod list;
mod page_body;
mod rules;
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
