//! The two requests to an identity provider: its discovery document, then its key set.

use std::time::Duration;

use reqwest::{Client, Url};
use serde_json::Value;

use super::settings::fetchable;

/// A discovery document or key set larger than this is refused (real ones are a few KiB).
const MAX_BODY_BYTES: usize = 256 * 1024;

/// Why keys could not be fetched: for the logs (it names the provider's URL, never a
/// token).
#[derive(Debug, thiserror::Error)]
pub(crate) enum FetchError {
    #[error("{url}: {source}")]
    Request {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("{0}: answered {1}")]
    Status(String, u16),
    #[error("{0}: the body is over {MAX_BODY_BYTES} bytes")]
    TooLarge(String),
    #[error("{0}: the body is not the JSON expected")]
    NotJson(String),
    #[error("{0}: the discovery document names another issuer")]
    OtherIssuer(String),
    #[error("{0}: jwks_uri is missing or not an https URL")]
    NoKeySetUrl(String),
}

#[derive(Clone)]
pub(crate) struct Fetcher {
    client: Client,
}

impl Fetcher {
    pub(crate) fn new(timeout: Duration) -> Result<Self, reqwest::Error> {
        let client = Client::builder()
            .timeout(timeout)
            // A provider's keys are where the discovery document says, not wherever a
            // redirect would lead.
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self { client })
    }

    /// The `jwks_uri` of `issuer`'s discovery document, which must name `issuer` itself
    /// (OpenID Connect Discovery 1.0, section 4.3).
    pub(crate) async fn key_set_url(&self, issuer: &str) -> Result<Url, FetchError> {
        let url = format!(
            "{}/.well-known/openid-configuration",
            issuer.trim_end_matches('/')
        );
        let document = self.json(&url).await?;
        if document.get("issuer").and_then(Value::as_str) != Some(issuer) {
            return Err(FetchError::OtherIssuer(url));
        }
        document
            .get("jwks_uri")
            .and_then(Value::as_str)
            .and_then(fetchable)
            .ok_or(FetchError::NoKeySetUrl(url))
    }

    pub(crate) async fn key_set(&self, url: &Url) -> Result<Value, FetchError> {
        self.json(url.as_str()).await
    }

    async fn json(&self, url: &str) -> Result<Value, FetchError> {
        let request = |source| FetchError::Request {
            url: url.to_owned(),
            source,
        };
        let mut response = self.client.get(url).send().await.map_err(request)?;
        if !response.status().is_success() {
            return Err(FetchError::Status(
                url.to_owned(),
                response.status().as_u16(),
            ));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(request)? {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(FetchError::TooLarge(url.to_owned()));
            }
            body.extend_from_slice(&chunk);
        }
        serde_json::from_slice::<Value>(&body)
            .ok()
            .filter(Value::is_object)
            .ok_or_else(|| FetchError::NotJson(url.to_owned()))
    }
}
