//! The JSON shapes of the API. Requests are taken apart field by field (so every 400
//! names its field: unknown, missing, mistyped), then turned into domain values with
//! `TryFrom` at the edge, where each domain parser runs once and its value is kept (a
//! failure is the same `400 VALIDATION_ERROR` with `details.field`). The shape is the
//! extractors' (`JsonObject`, `QueryParams`) plus `validator`'s declarative rules where
//! a rule is about the request's form alone: the list query's ranges. Every rule on a
//! tenant's values (name, metadata, placement) is the domain's, never repeated in a
//! `validator` rule: the create and update bodies have no rule of their own. Responses
//! are built from domain values.

pub(crate) mod create_schema;
pub(crate) mod delete;
pub(crate) mod health;
pub(crate) mod list;
pub(crate) mod page_body;
pub(crate) mod request;
pub(crate) mod schemas;
pub(crate) mod tenant;
pub(crate) mod tenant_type;

pub(crate) use page_body::page_body;
