use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::metadata::Metadata;
use crate::name::TenantName;
use crate::precondition::Version;
use crate::tenant_id::TenantId;
use crate::validation::ValidationError;

/// The two levels of the hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TenantType {
    /// An organization such as HSBC: has no parent.
    Parent,
    /// An organization's subsidiary such as HSBC Hong Kong: has exactly one parent.
    Subsidiary,
}

impl TenantType {
    /// The wire form: `"parent"` or `"subsidiary"`.
    pub const fn as_str(&self) -> &'static str {
        match self {
            Self::Parent => "parent",
            Self::Subsidiary => "subsidiary",
        }
    }
}

impl FromStr for TenantType {
    type Err = ValidationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "parent" => Ok(Self::Parent),
            "subsidiary" => Ok(Self::Subsidiary),
            _ => Err(ValidationError::new(
                "tenant_type",
                "must be \"parent\" or \"subsidiary\"",
            )),
        }
    }
}

impl fmt::Display for TenantType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a tenant sits in the hierarchy. Type and parent come as one value, so a parent
/// with a parent, or a subsidiary without one, cannot be expressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// A parent tenant: no parent of its own.
    TopLevel,
    /// A subsidiary of the given parent tenant.
    SubsidiaryOf(TenantId),
}

impl Placement {
    /// Builds a placement from the two fields a client sends; they must agree.
    pub fn parse(
        tenant_type: TenantType,
        parent: Option<TenantId>,
    ) -> Result<Self, ValidationError> {
        match (tenant_type, parent) {
            (TenantType::Parent, None) => Ok(Self::TopLevel),
            (TenantType::Subsidiary, Some(parent)) => Ok(Self::SubsidiaryOf(parent)),
            (TenantType::Parent, Some(_)) => Err(ValidationError::new(
                "parent_tenant_id",
                "a parent tenant has no parent_tenant_id",
            )),
            (TenantType::Subsidiary, None) => Err(ValidationError::new(
                "parent_tenant_id",
                "a subsidiary needs a parent_tenant_id",
            )),
        }
    }

    /// The type this placement implies.
    pub const fn tenant_type(&self) -> TenantType {
        match self {
            Self::TopLevel => TenantType::Parent,
            Self::SubsidiaryOf(_) => TenantType::Subsidiary,
        }
    }

    /// The parent, for a subsidiary.
    pub const fn parent(&self) -> Option<TenantId> {
        match self {
            Self::TopLevel => None,
            Self::SubsidiaryOf(parent) => Some(*parent),
        }
    }
}

/// A live tenant as the store returns it.
#[derive(Debug, Clone, PartialEq)]
pub struct Tenant {
    /// Its id; never changes.
    pub id: TenantId,
    /// Its name, as stored (trimmed, NFC).
    pub name: TenantName,
    /// Its type and parent; never change.
    pub placement: Placement,
    /// Its free-form JSON object.
    pub metadata: Metadata,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// Bumped by every change; the source of the HTTP `ETag`.
    pub version: Version,
}

impl Tenant {
    /// `parent` or `subsidiary`.
    pub const fn tenant_type(&self) -> TenantType {
        self.placement.tenant_type()
    }

    /// Its parent, for a subsidiary.
    pub const fn parent_id(&self) -> Option<TenantId> {
        self.placement.parent()
    }
}

/// What a create request asks for, already valid.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTenant {
    /// The name, already checked.
    pub name: TenantName,
    /// The type and the parent.
    pub placement: Placement,
    /// The metadata (`{}` when the request had none).
    pub metadata: Metadata,
}

/// The mutable fields that a `PUT` replaces. Type and parent are not among them.
#[derive(Debug, Clone, PartialEq)]
pub struct TenantChanges {
    /// The new name (the same as now for a metadata-only update).
    pub name: TenantName,
    /// The new metadata, replacing the old whole.
    pub metadata: Metadata,
}

/// Whether deleting a parent also deletes its live subsidiaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteMode {
    /// Refuse while live subsidiaries exist.
    Restrict,
    /// Delete the tenant and its live subsidiaries in one transaction.
    Cascade,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> TenantId {
        "00000000-0000-4000-8000-000000000001".parse().unwrap()
    }

    #[test]
    fn type_and_parent_must_agree() {
        use TenantType::*;
        assert_eq!(Placement::parse(Parent, None), Ok(Placement::TopLevel));
        assert_eq!(
            Placement::parse(Subsidiary, Some(id())),
            Ok(Placement::SubsidiaryOf(id()))
        );
        assert!(Placement::parse(Parent, Some(id())).is_err());
        assert!(Placement::parse(Subsidiary, None).is_err());
    }

    #[test]
    fn tenant_type_round_trips_through_text() {
        for t in [TenantType::Parent, TenantType::Subsidiary] {
            assert_eq!(t.as_str().parse::<TenantType>(), Ok(t));
        }
        assert!("Parent".parse::<TenantType>().is_err());
        assert!("".parse::<TenantType>().is_err());
    }
}
