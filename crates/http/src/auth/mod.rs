//! Bearer JWT authentication: verifying tokens into an [`Actor`](mtdb_domain::Actor),
//! the extractor that guards every tenant route, and issuing HS256 tokens for the CLI.

mod claims;
mod error;
mod extractor;
mod issue;
mod jwt_reason;
mod mapping;
mod oidc;
mod settings;
mod verifier;

pub use error::AuthError;
pub(crate) use extractor::principal_label;
pub(crate) use extractor::Authenticated;
pub use issue::{issue_hs256_token, IssueError};
pub use mapping::ClaimMapping;
pub use oidc::{
    validate_issuers, IdentityProviders, IssuerError, IssuerSettings, KeyRefresh, ProvidersError,
    SpeaksFor,
};
pub use settings::{JwtSettings, KeyError, MIN_SECRET_BYTES};
pub use verifier::{TokenVerifier, DEFAULT_LEEWAY};
