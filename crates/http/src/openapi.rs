//! The OpenAPI 3 document, generated from the handlers' `#[utoipa::path]` attributes and
//! the DTOs' `ToSchema` derives, so it cannot drift from the code.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::dto::create_schema::{CreateParentRequest, CreateSubsidiaryRequest};
use crate::dto::health::{DatabaseState, HealthResponse, HealthStatus};
use crate::dto::list::TenantPageResponse;
use crate::dto::request::{CreateTenantRequest, UpdateTenantRequest};
use crate::dto::schemas::{MetadataSchema, TenantNameSchema};
use crate::dto::tenant::TenantResponse;
use crate::dto::tenant_type::TenantTypeDto;
use crate::error::body::{ErrorBody, ErrorDetail};
use crate::error::details_schema::ErrorDetailsSchema;
use crate::handlers::{health, tenants};
use crate::openapi_examples::{ErrorExamples, RequestExamples};
use crate::openapi_headers::Headers;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "mtdb",
        description = "Secure multi-tenancy on PostgreSQL row level security: financial \
            organizations (tenants) in a two-level hierarchy, each principal seeing only its own.",
    ),
    paths(
        tenants::create,
        tenants::list,
        tenants::get,
        tenants::update,
        tenants::delete,
        health::health,
    ),
    components(schemas(
        CreateTenantRequest,
        CreateParentRequest,
        CreateSubsidiaryRequest,
        TenantNameSchema,
        MetadataSchema,
        UpdateTenantRequest,
        TenantResponse,
        TenantPageResponse,
        TenantTypeDto,
        HealthResponse,
        HealthStatus,
        DatabaseState,
        ErrorBody,
        ErrorDetail,
        ErrorDetailsSchema,
    )),
    modifiers(&BearerJwt, &ErrorExamples, &RequestExamples, &Headers),
    tags(
        (name = "tenants", description = "Tenants visible to the token's principal"),
        (name = "health", description = "Liveness of the service and its database"),
    ),
)]
pub(crate) struct ApiDoc;

/// The `bearer` security scheme the tenant endpoints name.
struct BearerJwt;

impl Modify for BearerJwt {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("JWT")
            .description(Some(
                "HS256 with the server's secret, or RS256/EdDSA from the configured identity \
                 provider. Claims: `sub`, `exp`, and `tenant_id` or `role: \"platform_admin\"`.",
            ))
            .build();
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}
