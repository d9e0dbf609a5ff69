//! A tenant's stored shape, on this side: the view `live_tenants` (V11) defines the
//! columns every read returns (`select *`, `returning *`); this file decodes them into a
//! [`Tenant`] and gives what an insert and an update write, in parameter order, with the
//! parameters' types. A column added to a tenant changes the view and this file, nothing
//! else in the crate (docs/contributing.md, "Adding a field to a tenant").
//!
//! The store only ever holds what the domain accepted, so a row that does not parse
//! means a broken schema or a write that went around the application: an internal
//! error, reported with the tenant's id, never a panic.

use chrono::{DateTime, Utc};
use mtdb_domain::{
    Metadata, NewTenant, Placement, Tenant, TenantChanges, TenantId, TenantName, TenantType,
    Version,
};
use serde_json::Value;
use tokio_postgres::types::Type;
use tokio_postgres::Row;
use uuid::Uuid;

use crate::errors::DbFailure;
use crate::statement::Params;

/// The columns an insert writes and their parameters, for `insert into live_tenants`.
macro_rules! inserted_columns {
    () => {
        "(name, parent_tenant_id, tenant_type, metadata) values ($1, $2, $3, $4)"
    };
}
pub(crate) use inserted_columns;

/// The columns an update replaces, for `update live_tenants set`; `$1` is the target.
macro_rules! updated_columns {
    () => {
        "name = $2, metadata = $3"
    };
}
pub(crate) use updated_columns;

/// The types of [`inserted_columns!`]'s parameters.
pub(crate) const INSERTED_TYPES: [Type; 4] = [Type::TEXT, Type::UUID, Type::TEXT, Type::JSONB];
/// The types of [`updated_columns!`]'s parameters, the target's id first.
pub(crate) const UPDATED_TYPES: [Type; 3] = [Type::UUID, Type::TEXT, Type::JSONB];

/// What an insert writes, as [`inserted_columns!`] orders it.
pub(crate) struct Inserted<'a> {
    name: &'a str,
    parent: Option<Uuid>,
    tenant_type: &'static str,
    metadata: Value,
}

impl<'a> Inserted<'a> {
    pub(crate) fn new(new: &'a NewTenant) -> Self {
        Self {
            name: new.name.as_str(),
            parent: new.placement.parent().map(|p| p.as_uuid()),
            tenant_type: new.placement.tenant_type().as_str(),
            metadata: Value::Object(new.metadata.as_map().clone()),
        }
    }

    pub(crate) fn params(&self) -> Params<'_, { INSERTED_TYPES.len() }> {
        [&self.name, &self.parent, &self.tenant_type, &self.metadata]
    }
}

/// What an update of tenant `id` writes, as [`updated_columns!`] orders it.
pub(crate) struct Updated<'a> {
    id: Uuid,
    name: &'a str,
    metadata: Value,
}

impl<'a> Updated<'a> {
    pub(crate) fn new(id: TenantId, changes: &'a TenantChanges) -> Self {
        Self {
            id: id.as_uuid(),
            name: changes.name.as_str(),
            metadata: Value::Object(changes.metadata.as_map().clone()),
        }
    }

    pub(crate) fn params(&self) -> Params<'_, { UPDATED_TYPES.len() }> {
        [&self.id, &self.name, &self.metadata]
    }
}

#[derive(Debug, thiserror::Error)]
#[error("stored tenant {id} is not a valid tenant: {problem}")]
struct CorruptRow {
    id: Uuid,
    problem: String,
}

/// A row of `live_tenants` (or of a find function, which returns the same rows).
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
