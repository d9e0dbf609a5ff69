//! Extractors that turn raw request parts into checked values, each failing with the
//! error envelope of docs/api.md (never actix's own plain-text one).

pub(crate) mod body;
pub(crate) mod consistency;
pub(crate) mod entity_tags;
pub(crate) mod fields;
pub(crate) mod if_match;
pub(crate) mod path;
pub(crate) mod query;
pub(crate) mod strict_json;
pub(crate) mod uuid;
