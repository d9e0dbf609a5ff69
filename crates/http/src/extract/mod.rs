//! Extractors that turn raw request parts into checked values, each failing with the
//! error envelope of docs/api.md (never actix's own plain-text one).

mod body;
mod consistency;
mod entity_tags;
mod fields;
mod if_match;
mod path;
mod query;
mod strict_json;
mod uuid;

pub(crate) use body::{declared_length, FromJsonObject, JsonBody, MAX_BODY_BYTES};
pub(crate) use consistency::{PrimaryReads, ReadService, HEADER as CONSISTENCY_HEADER};
pub(crate) use fields::JsonObject;
pub(crate) use if_match::{IfMatch, IfNoneMatch};
pub(crate) use path::TenantPath;
pub(crate) use query::{NoParams, Query, QueryParams};
pub(crate) use uuid::canonical_uuid;
