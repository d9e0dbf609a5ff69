use mtdb_domain::{Principal, TenantId};
use secrecy::ExposeSecret;

use crate::cli::TokenArgs;
use crate::config::process_env;
use crate::error::AppError;

/// `mtdb token`: prints a signed HS256 token (for local use) on stdout.
pub fn run(args: &TokenArgs) -> Result<(), AppError> {
    let jwt = process_env().jwt_settings()?;
    let principal = match args.principal.tenant {
        Some(id) => Principal::Tenant(TenantId::from_uuid(id)),
        None => Principal::PlatformAdmin,
    };
    let token = mtdb_http::issue_hs256_token(
        jwt.hs256_secret.expose_secret(),
        principal,
        &args.sub,
        args.ttl,
        jwt.issuer.as_deref(),
        jwt.audience.as_deref(),
    )
    .map_err(AppError::config("MTDB_JWT_SECRET (signing the token)"))?;
    println!("{token}");
    Ok(())
}
