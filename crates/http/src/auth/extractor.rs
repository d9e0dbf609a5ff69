use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use futures::future::LocalBoxFuture;
use mtdb_domain::{Actor, Principal};

use crate::auth::oidc::Rejection;
use crate::auth::verifier::TokenVerifier;
use crate::error::auth::AuthError;
use crate::error::ApiError;
use crate::metrics::Metrics;

/// The authenticated actor of a request. As a handler argument it guards the route:
/// without a valid bearer token the handler never runs and the answer is `401`.
/// Handlers list it first so that authentication precedes every input check.
#[derive(Debug)]
pub(crate) struct Authenticated(pub Actor);

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let actor = authenticate(&req).await?;
            // The access log reads the principal from here; the token itself is
            // never stored or logged.
            req.extensions_mut().insert(actor.principal);
            Ok(Self(actor))
        })
    }
}

async fn authenticate(req: &HttpRequest) -> Result<Actor, ApiError> {
    let Some(verifier) = req.app_data::<web::Data<TokenVerifier>>() else {
        tracing::error!("no TokenVerifier registered with the app");
        return Err(ApiError::Internal);
    };
    let result = match bearer_token(req) {
        Ok(token) => verifier.authenticate(token).await,
        Err(err) => Err(Rejection::Auth(err)),
    };
    result.map_err(|rejection| match rejection {
        Rejection::Auth(err) => {
            tracing::info!(reason = err.reason(), "authentication failed");
            if let Some(metrics) = req.app_data::<web::Data<Metrics>>() {
                metrics.refused(err.reason());
            }
            ApiError::Unauthenticated(err)
        }
        Rejection::Store(err) => ApiError::from(err),
    })
}

fn bearer_token(req: &HttpRequest) -> Result<&str, AuthError> {
    let mut headers = req.headers().get_all(AUTHORIZATION);
    let header = headers.next().ok_or(AuthError::Missing)?;
    if headers.next().is_some() {
        return Err(AuthError::Repeated);
    }
    let value = header
        .to_str()
        .map_err(|_| AuthError::Invalid("not visible ASCII"))?;
    let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
    // Auth schemes are case-insensitive (RFC 9110 section 11.1).
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(AuthError::NotBearer);
    }
    match token.trim() {
        "" => Err(AuthError::Missing),
        token => Ok(token),
    }
}

/// The principal of an authenticated request, for the access log: `-` when none.
pub(crate) fn principal_label(req: &HttpRequest) -> String {
    req.extensions()
        .get::<Principal>()
        .map_or_else(|| "-".to_owned(), ToString::to_string)
}
