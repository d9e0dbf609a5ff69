//! A `tenants` row as a domain [`Tenant`].
//!
//! The store only ever holds what the domain accepted, so a row that does not parse
//! means a broken schema or a write that went around the application: an internal
//! error, reported with the tenant's id, never a panic.

use chrono::{DateTime, Utc};
use mtdb_domain::{Metadata, Placement, Tenant, TenantId, TenantName, TenantType, Version};
use serde_json::Value;
use tokio_postgres::Row;
use uuid::Uuid;

use crate::errors::DbFailure;

/// The columns [`tenant_from_row`] reads, for `select` lists and `returning` clauses.
macro_rules! tenant_columns {
    () => {
        "tenant_id, name, parent_tenant_id, tenant_type, metadata, created_at, updated_at, version"
    };
}
pub(crate) use tenant_columns;

#[derive(Debug, thiserror::Error)]
#[error("stored tenant {id} is not a valid tenant: {problem}")]
struct CorruptRow {
    id: Uuid,
    problem: String,
}

pub(crate) fn tenant_from_row(row: &Row) -> Result<Tenant, DbFailure> {
    let id: Uuid = row.try_get("tenant_id")?;
    let corrupt = |problem: String| DbFailure::internal(CorruptRow { id, problem });

    let name: String = row.try_get("name")?;
    let name = match TenantName::parse(&name) {
        // Parsing trims; a stored name must already be in that form.
        Ok(parsed) if parsed.as_str() == name => parsed,
        Ok(_) => return Err(corrupt("name: not trimmed".to_owned())),
        Err(e) => return Err(corrupt(e.to_string())),
    };
    let tenant_type: String = row.try_get("tenant_type")?;
    let tenant_type: TenantType = tenant_type.parse().map_err(|e| corrupt(format!("{e}")))?;
    let parent: Option<Uuid> = row.try_get("parent_tenant_id")?;
    let placement = Placement::parse(tenant_type, parent.map(TenantId::from))
        .map_err(|e| corrupt(e.to_string()))?;
    let metadata = match row.try_get::<_, Value>("metadata")? {
        Value::Object(map) => Metadata::from_stored(map),
        _ => return Err(corrupt("metadata is not a JSON object".to_owned())),
    };
    let created_at: DateTime<Utc> = row.try_get("created_at")?;
    let updated_at: DateTime<Utc> = row.try_get("updated_at")?;
    let version: i64 = row.try_get("version")?;

    Ok(Tenant {
        id: TenantId::from(id),
        name,
        placement,
        metadata,
        created_at,
        updated_at,
        version: Version::new(version),
    })
}
