//! Bearer JWT authentication: verifying tokens into an [`Actor`](mtdb_domain::Actor),
//! the extractor that guards every tenant route, and issuing HS256 tokens for the CLI.

pub(crate) mod claims;
pub(crate) mod extractor;
pub(crate) mod issue;
pub(crate) mod jwt_reason;
pub(crate) mod mapping;
pub(crate) mod oidc;
pub(crate) mod settings;
pub(crate) mod validation;
pub(crate) mod verifier;
