use mtdb_domain::{ListQuery, TenantPage, ValidationError};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::dto::tenant::TenantResponse;
use crate::dto::tenant_type::TenantTypeDto;
use crate::error::validation::first_failure;
use crate::error::ApiError;
use crate::extract::query::QueryParams;

/// Query of `GET /api/v1/tenants`: its shape (integers in range, a known type), checked
/// here, where the OpenAPI bounds beside each rule say the same. `ListQuery::parse` then
/// builds the domain value once; its own range check is the type's invariant, which a
/// validated query always meets (a test holds the two to the same bounds).
#[derive(Debug, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ListTenantsParams {
    /// Page size.
    #[validate(range(min = 1, max = 1000, message = "must be between 1 and 1000"))]
    #[param(minimum = 1, maximum = 1000, default = 100)]
    pub limit: Option<i64>,
    /// How many tenants to skip.
    #[validate(range(min = 0, message = "must be 0 or more"))]
    #[param(minimum = 0, default = 0)]
    pub offset: Option<i64>,
    /// Only tenants of this type.
    #[param(inline)]
    pub tenant_type: Option<TenantTypeDto>,
}

const FIELDS: &[&str] = &["limit", "offset", "tenant_type"];
const LIMIT_RANGE: &str = "must be between 1 and 1000";
const OFFSET_MIN: &str = "must be 0 or more";
const OFFSET_MAX: &str = "must be at most 9223372036854775807";

impl TryFrom<&QueryParams> for ListTenantsParams {
    type Error = ApiError;

    fn try_from(query: &QueryParams) -> Result<Self, ApiError> {
        query.deny_unknown(FIELDS)?;
        let params = Self {
            limit: integer(query, "limit", [LIMIT_RANGE; 2])?,
            offset: integer(query, "offset", [OFFSET_MIN, OFFSET_MAX])?,
            tenant_type: query.get("tenant_type").map(tenant_type).transpose()?,
        };
        params
            .validate()
            .map_err(|errors| first_failure(&errors, FIELDS))?;
        Ok(params)
    }
}

impl TryFrom<ListTenantsParams> for ListQuery {
    type Error = ValidationError;

    fn try_from(params: ListTenantsParams) -> Result<Self, Self::Error> {
        Self::parse(
            params.limit,
            params.offset,
            params.tenant_type.map(Into::into),
        )
    }
}

/// A decimal integer. Digits beyond a 64-bit integer are out of range rather than "not
/// an integer": `range` holds the messages for too small and too large.
fn integer(
    query: &QueryParams,
    field: &'static str,
    range: [&'static str; 2],
) -> Result<Option<i64>, ApiError> {
    let judge = |raw: &str| {
        raw.parse().map_err(|_| {
            let digits = raw.strip_prefix(['-', '+']).unwrap_or(raw);
            let message = if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                "must be an integer"
            } else if raw.starts_with('-') {
                range[0]
            } else {
                range[1]
            };
            ApiError::validation(field, message)
        })
    };
    query.get(field).map(judge).transpose()
}

fn tenant_type(raw: &str) -> Result<TenantTypeDto, ApiError> {
    match raw {
        "parent" => Ok(TenantTypeDto::Parent),
        "subsidiary" => Ok(TenantTypeDto::Subsidiary),
        _ => Err(ApiError::validation(
            "tenant_type",
            "must be \"parent\" or \"subsidiary\"",
        )),
    }
}

/// One page of tenants and how many the principal can see under the same filter.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TenantPageResponse {
    pub tenants: Vec<TenantResponse>,
    pub total_count: u64,
    pub limit: u16,
    pub offset: u64,
}

impl From<TenantPage> for TenantPageResponse {
    fn from(page: TenantPage) -> Self {
        Self {
            tenants: page.tenants.into_iter().map(TenantResponse::from).collect(),
            total_count: page.total_count,
            limit: page.limit.get(),
            offset: page.offset,
        }
    }
}

#[cfg(test)]
mod tests;
