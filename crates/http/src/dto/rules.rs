//! `validator` custom rules that delegate to the domain's parsers, so the rules live in
//! one place and cannot drift; `validator` only reports which field broke one.

use std::borrow::Cow;

use mtdb_domain::{Metadata, TenantName};
use serde_json::Value;
use validator::ValidationError;

pub(super) fn name(raw: &str) -> Result<(), ValidationError> {
    TenantName::parse(raw).map(drop).map_err(into_validator)
}

pub(super) fn metadata(raw: &Value) -> Result<(), ValidationError> {
    Metadata::parse(Some(raw.clone()))
        .map(drop)
        .map_err(into_validator)
}

fn into_validator(err: mtdb_domain::ValidationError) -> ValidationError {
    ValidationError::new(err.field).with_message(Cow::Owned(err.message))
}
