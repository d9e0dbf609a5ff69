//! Thin handlers: extract, call one port method, render. Every rule lives in the
//! domain or the extractors.

pub(crate) mod health;
pub(crate) mod tenants;
