//! The mtdb domain: financial organizations (tenants) in a hierarchy of at most two
//! levels, who may see and change which of them, and the errors each operation can end in.
//!
//! Everything here is pure: parsing turns raw input into types that can only hold valid
//! values ("parse, don't validate"), and the visibility and write rules (docs/api.md) are plain
//! functions. The database enforces the same rules again with row level security; these
//! functions exist so that users get precise errors before anything is written.

#![warn(missing_docs)]

mod actor;
mod chain;
mod errors;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixture;
mod list;
mod metadata;
mod name;
mod precondition;
pub mod rules;
mod tenant;
mod tenant_id;
mod validation;

pub use actor::{Actor, Principal, Subject, SUBJECT_MAX_CHARS};
pub use chain::ErrorChain;
pub use errors::{
    CreateTenantError, DeleteTenantError, ErrorKind, GetTenantError, ListTenantsError, StoreError,
    UpdateTenantError,
};
pub use list::{ListQuery, PageLimit, TenantPage};
pub use metadata::{Metadata, METADATA_MAX_BYTES};
pub use name::{TenantName, TENANT_NAME_MAX_CHARS};
pub use precondition::{Precondition, Version};
// Every public item of tenant.rs is a tenant's own type: a field's type added there is
// exported without a line here.
pub use tenant::*;
pub use tenant_id::TenantId;
pub use validation::ValidationError;
