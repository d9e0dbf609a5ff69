//! The five tenant endpoints. Each lists `Authenticated` first, so a request without a
//! valid token is answered `401` before any of its input is looked at.

use std::convert::Infallible;

use actix_web::http::header::{self, ContentType, EntityTag};
use actix_web::http::Method;
use actix_web::web::Bytes;
use actix_web::{web, HttpResponse};
use mtdb_domain::{ListQuery, NewTenant, Tenant, TenantChanges};
use mtdb_ports::TenantService;

use crate::auth::extractor::Authenticated;
use crate::dto::delete::DeleteParams;
use crate::dto::list::{ListTenantsParams, TenantPageResponse};
use crate::dto::page_body;
use crate::dto::request::CreateTenantRequest;
use crate::dto::request::UpdateTenantRequest;
use crate::dto::tenant::TenantResponse;
use crate::error::body::ErrorBody;
use crate::error::ApiError;
use crate::extract::body::JsonBody;
use crate::extract::consistency::ReadService;
use crate::extract::if_match::{IfMatch, IfNoneMatch};
use crate::extract::path::TenantPath;
use crate::extract::query::{NoParams, Query};

type Service = web::Data<dyn TenantService>;

#[utoipa::path(
    post, path = "/api/v1/tenants", tag = "tenants", operation_id = "createTenant",
    summary = "Create a parent tenant or a subsidiary",
    description = "A parent tenant (`tenant_type: parent`, no `parent_tenant_id`) is created by the \
        platform admin only. A subsidiary is created under a parent tenant the principal can see: \
        the platform admin under any, a parent tenant's principal under itself. The name is trimmed \
        and put in NFC; it must be unique among the live siblings after NFKC and case folding. \
        Checks run in this order: authentication, body, `403`, `404` (parent not visible, the same \
        whether it exists or not), `409 HIERARCHY_DEPTH_EXCEEDED`, `409 DUPLICATE_NAME`.",
    request_body(content = CreateTenantRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = TenantResponse, headers(
            ("Location" = String, description = "/api/v1/tenants/{tenant_id}"),
            ("ETag" = String, description = "Strong tag of the tenant's version"))),
        (status = 400, description = "Invalid body", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Only the platform admin creates parent tenants", body = ErrorBody),
        (status = 404, description = "Parent tenant not found", body = ErrorBody),
        (status = 409, description = "DUPLICATE_NAME or HIERARCHY_DEPTH_EXCEEDED", body = ErrorBody),
        (status = 408, description = "Body not received within MTDB_HTTP_BODY_TIMEOUT_MS", body = ErrorBody),
        (status = 413, description = "Body over 256 KiB", body = ErrorBody),
        (status = 415, description = "Body not application/json", body = ErrorBody),
        (status = 429, description = "The organization has too many requests in flight", body = ErrorBody),
        (status = 500, description = "Unexpected failure; never SQL text or another tenant's data", body = ErrorBody),
        (status = 503, description = "Store unavailable", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(name = "create_tenant", skip_all, fields(principal = %actor.0.principal))]
pub(crate) async fn create(
    actor: Authenticated,
    _: Query<NoParams>,
    body: JsonBody<CreateTenantRequest>,
    service: Service,
) -> Result<HttpResponse, ApiError> {
    let new = NewTenant::try_from(body.0)?;
    let tenant = service.create(&actor.0, new).await?;
    let location = format!("/api/v1/tenants/{}", tenant.id);
    Ok(with_etag(HttpResponse::Created(), &tenant)
        .insert_header((header::LOCATION, location))
        .json(TenantResponse::from(tenant)))
}

#[utoipa::path(
    get, path = "/api/v1/tenants", tag = "tenants", operation_id = "listTenants",
    summary = "List the tenants the principal can see",
    description = "The platform admin sees every live tenant; a parent tenant's principal sees itself \
        and its live subsidiaries; a subsidiary's principal sees itself only. Ordered by `created_at`, \
        then `tenant_id`, so pages are stable; `total_count` counts every visible tenant under the filter.",
    params(
        ListTenantsParams,
        ("Mtdb-Consistency" = Option<String>, Header, description = "`strong`: read from the primary, so that the principal's own writes are seen (docs/replicas.md); compared exactly, any other value is 400. Without it the list may come from a standby within MTDB_READ_MAX_LAG_MS"),
    ),
    responses(
        (status = 200, description = "A page of the tenants the principal can see", body = TenantPageResponse),
        (status = 400, description = "Bad query parameter or Mtdb-Consistency value", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 429, description = "The organization has too many requests in flight", body = ErrorBody),
        (status = 500, description = "Unexpected failure; never SQL text or another tenant's data", body = ErrorBody),
        (status = 503, description = "Store unavailable", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(name = "list_tenants", skip_all, fields(principal = %actor.0.principal))]
pub(crate) async fn list(
    actor: Authenticated,
    params: Query<ListTenantsParams>,
    service: ReadService,
    method: Method,
) -> Result<HttpResponse, ApiError> {
    let query = ListQuery::try_from(params.0)?;
    let mut response = HttpResponse::Ok();
    response.content_type(ContentType::json());
    if method == Method::HEAD {
        // The same admission and unit of work as the list's first statements, no count
        // and no page: the status and headers a list would have, no body to send.
        service.list_head(&actor.0).await?;
        return Ok(response.streaming(futures::stream::empty::<Result<Bytes, Infallible>>()));
    }
    // Failures up to the count get their own status; the tenants are then written as
    // they come, so the page never sits in memory whole (docs/fairness.md).
    let page = service.list(&actor.0, query).await?;
    Ok(response.streaming(page_body(page)))
}

#[utoipa::path(
    get, path = "/api/v1/tenants/{tenant_id}", tag = "tenants", operation_id = "getTenant",
    summary = "Read one tenant",
    description = "A tenant the principal cannot see is answered exactly as one that does not exist: \
        `404 NOT_FOUND`, the same message and headers. With `If-None-Match` naming the current `ETag` \
        the answer is `304` without a body; the condition is never evaluated for an invisible tenant.",
    params(
        ("tenant_id" = Uuid, Path, description = "The tenant", example = "00000000-0000-4000-8000-000000000011"),
        ("If-None-Match" = Option<String>, Header, description = "Answer 304 if the tenant's ETag is one of these (weak comparison), or for `*`. A value with no well-formed tag is 400"),
        ("Mtdb-Consistency" = Option<String>, Header, description = "`strong`: read from the primary, so that the principal's own writes are seen (docs/replicas.md); compared exactly, any other value is 400. Without it the tenant may come from a standby within MTDB_READ_MAX_LAG_MS"),
    ),
    responses(
        (status = 200, description = "The tenant", body = TenantResponse, headers(
            ("ETag" = String, description = "Strong tag of the tenant's version"))),
        (status = 304, description = "If-None-Match names the current version: no body", headers(
            ("ETag" = String, description = "Strong tag of the tenant's version"))),
        (status = 400, description = "tenant_id is not a UUID, or a bad If-None-Match or Mtdb-Consistency value", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 404, description = "Missing, deleted or not visible", body = ErrorBody),
        (status = 429, description = "The organization has too many requests in flight", body = ErrorBody),
        (status = 500, description = "Unexpected failure; never SQL text or another tenant's data", body = ErrorBody),
        (status = 503, description = "Store unavailable", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(name = "get_tenant", skip_all, fields(principal = %actor.0.principal, tenant_id = %id.0))]
pub(crate) async fn get(
    actor: Authenticated,
    id: TenantPath,
    _: Query<NoParams>,
    if_none_match: IfNoneMatch,
    service: ReadService,
) -> Result<HttpResponse, ApiError> {
    // The condition is looked at only once the tenant is known to be visible: for any
    // other the service has already answered 404, as without the header.
    let tenant = service.get(&actor.0, id.0).await?;
    if if_none_match.0.names(tenant.version) {
        return Ok(with_etag(HttpResponse::NotModified(), &tenant).finish());
    }
    Ok(with_etag(HttpResponse::Ok(), &tenant).json(TenantResponse::from(tenant)))
}

#[utoipa::path(
    put, path = "/api/v1/tenants/{tenant_id}", tag = "tenants", operation_id = "updateTenant",
    summary = "Replace a tenant's name and metadata",
    description = "Replaces the mutable fields (`name`, and `metadata`: absent means `{}`); \
        `tenant_type` and `parent_tenant_id` never change and are refused in the body. Any visible \
        tenant may be updated, but a new name is chosen only by the platform admin or, for a \
        subsidiary, its parent (`403` otherwise, whether or not the name is taken). With `If-Match` \
        the write happens only if the version still matches (`412` otherwise).",
    params(
        ("tenant_id" = Uuid, Path, description = "The tenant", example = "00000000-0000-4000-8000-000000000011"),
        ("If-Match" = Option<String>, Header, description = "Proceed only if the tenant's current ETag is one of these strong tags, sent exactly as ETag gave them (quotes included), or `*`. A value with no well-formed tag is 400"),
    ),
    request_body(content = UpdateTenantRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The updated tenant", body = TenantResponse, headers(
            ("ETag" = String, description = "Strong tag of the new version"))),
        (status = 400, description = "Invalid body, tenant_id or If-Match", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "A new name, and the principal is neither the platform admin nor the tenant's parent (whether or not the name is taken)", body = ErrorBody),
        (status = 404, description = "Missing, deleted or not visible", body = ErrorBody),
        (status = 409, description = "DUPLICATE_NAME (same name after NFKC and case folding among live siblings)", body = ErrorBody),
        (status = 412, description = "If-Match holds well-formed tags, none of them the current version's", body = ErrorBody),
        (status = 408, description = "Body not received within MTDB_HTTP_BODY_TIMEOUT_MS", body = ErrorBody),
        (status = 413, description = "Body over 256 KiB", body = ErrorBody),
        (status = 415, description = "Body not application/json", body = ErrorBody),
        (status = 429, description = "The organization has too many requests in flight", body = ErrorBody),
        (status = 500, description = "Unexpected failure; never SQL text or another tenant's data", body = ErrorBody),
        (status = 503, description = "Store unavailable", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(name = "update_tenant", skip_all, fields(principal = %actor.0.principal, tenant_id = %id.0))]
pub(crate) async fn update(
    actor: Authenticated,
    id: TenantPath,
    _: Query<NoParams>,
    if_match: IfMatch,
    body: JsonBody<UpdateTenantRequest>,
    service: Service,
) -> Result<HttpResponse, ApiError> {
    let changes = TenantChanges::try_from(body.0)?;
    let tenant = service.update(&actor.0, id.0, changes, if_match.0).await?;
    Ok(with_etag(HttpResponse::Ok(), &tenant).json(TenantResponse::from(tenant)))
}

#[utoipa::path(
    delete, path = "/api/v1/tenants/{tenant_id}", tag = "tenants", operation_id = "deleteTenant",
    summary = "Soft-delete a tenant, optionally with its subsidiaries",
    description = "Only the platform admin or the tenant's parent deletes a tenant (no tenant deletes \
        itself). The row stays, with its deletion time, in the database and the audit trail, and \
        disappears from every read. A tenant with live subsidiaries is `409 HAS_SUBSIDIARIES` unless \
        `cascade=true`, which deletes it and them in one transaction.",
    params(
        ("tenant_id" = Uuid, Path, description = "The tenant", example = "00000000-0000-4000-8000-000000000011"),
        DeleteParams,
        ("If-Match" = Option<String>, Header, description = "Proceed only if the tenant's current ETag is one of these strong tags, sent exactly as ETag gave them (quotes included), or `*`. A value with no well-formed tag is 400"),
    ),
    responses(
        (status = 204, description = "Deleted (soft)"),
        (status = 400, description = "Bad tenant_id, cascade or If-Match", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Only the platform admin or the tenant's parent deletes it", body = ErrorBody),
        (status = 404, description = "Missing, deleted or not visible", body = ErrorBody),
        (status = 409, description = "HAS_SUBSIDIARIES", body = ErrorBody),
        (status = 412, description = "If-Match holds well-formed tags, none of them the current version's", body = ErrorBody),
        (status = 429, description = "The organization has too many requests in flight", body = ErrorBody),
        (status = 500, description = "Unexpected failure; never SQL text or another tenant's data", body = ErrorBody),
        (status = 503, description = "Store unavailable", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(name = "delete_tenant", skip_all, fields(principal = %actor.0.principal, tenant_id = %id.0))]
pub(crate) async fn delete(
    actor: Authenticated,
    id: TenantPath,
    params: Query<DeleteParams>,
    if_match: IfMatch,
    service: Service,
) -> Result<HttpResponse, ApiError> {
    service
        .delete(&actor.0, id.0, params.0.into(), if_match.0)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A strong `ETag` from the tenant's version: `"<version>"`.
fn with_etag(
    mut response: actix_web::HttpResponseBuilder,
    tenant: &Tenant,
) -> actix_web::HttpResponseBuilder {
    let tag = EntityTag::new_strong(tenant.version.to_string());
    response.insert_header(header::ETag(tag));
    response
}
