//! The visibility and write rules (docs/api.md, docs/security.md section 3) as plain functions.
//!
//! The use cases call them before writing so that users get precise errors; PostgreSQL
//! enforces each of them again (see `docs/security.md`), so a caller that forgets one
//! still cannot read or write outside its scope.

use crate::actor::Principal;
use crate::errors::{CreateTenantError, DeleteTenantError, UpdateTenantError};
use crate::name::TenantName;
use crate::tenant::{DeleteMode, Placement, Tenant, TenantType};

/// Visibility: the admin sees every live tenant; a tenant principal sees itself and, for
/// a parent, its subsidiaries. `tenant` is live (the store returns nothing else).
pub fn can_see(principal: &Principal, tenant: &Tenant) -> bool {
    match principal {
        Principal::PlatformAdmin => true,
        Principal::Tenant(me) => tenant.id == *me || tenant.parent_id() == Some(*me),
    }
}

/// Creating a parent tenant: the platform admin only.
pub fn ensure_may_create_top_level(principal: &Principal) -> Result<(), CreateTenantError> {
    match principal {
        Principal::PlatformAdmin => Ok(()),
        Principal::Tenant(_) => Err(CreateTenantError::Forbidden),
    }
}

/// Creating a subsidiary under `parent`, which the caller has already found visible to
/// the principal (else `ParentNotFound`): it must itself be a parent tenant.
pub fn ensure_may_hold_subsidiary(parent: &Tenant) -> Result<(), CreateTenantError> {
    match parent.placement {
        Placement::TopLevel => Ok(()),
        Placement::SubsidiaryOf(_) => Err(CreateTenantError::HierarchyDepthExceeded),
    }
}

/// Deleting a visible tenant: the platform admin, or the tenant's parent. No tenant
/// deletes itself.
pub fn ensure_may_delete(principal: &Principal, target: &Tenant) -> Result<(), DeleteTenantError> {
    match principal {
        Principal::PlatformAdmin => Ok(()),
        Principal::Tenant(me) if target.parent_id() == Some(*me) => Ok(()),
        Principal::Tenant(_) => Err(DeleteTenantError::Forbidden),
    }
}

/// Updating a visible tenant with `new_name`. Keeping the stored name (compared after
/// parsing, so in NFC) is a metadata update that every principal seeing `target` may make.
/// Changing it needs a principal that sees every tenant the new name could collide with,
/// so that a duplicate-name error never reveals a tenant it cannot see: the platform admin,
/// or the parent of a subsidiary (it sees all the siblings). A parent renaming itself
/// would collide with other organizations, a subsidiary renaming itself with siblings it
/// cannot see: both are `Forbidden`, the same whether the name is taken or not.
pub fn ensure_may_rename(
    principal: &Principal,
    target: &Tenant,
    new_name: &TenantName,
) -> Result<(), UpdateTenantError> {
    if *new_name == target.name {
        return Ok(());
    }
    match principal {
        Principal::PlatformAdmin => Ok(()),
        Principal::Tenant(me) if target.parent_id() == Some(*me) => Ok(()),
        Principal::Tenant(_) => Err(UpdateTenantError::Forbidden),
    }
}

/// A tenant with live subsidiaries goes only with `cascade`.
pub fn ensure_may_remove(
    target_type: TenantType,
    live_subsidiaries: u64,
    mode: DeleteMode,
) -> Result<(), DeleteTenantError> {
    match (target_type, live_subsidiaries, mode) {
        (TenantType::Subsidiary, _, _) | (_, 0, _) | (_, _, DeleteMode::Cascade) => Ok(()),
        (TenantType::Parent, _, DeleteMode::Restrict) => Err(DeleteTenantError::HasSubsidiaries),
    }
}

#[cfg(test)]
mod tests;
