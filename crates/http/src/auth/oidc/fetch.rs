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

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    use super::*;

    /// A server on a local port answering every request with `head` (status line and
    /// headers) and the body `body(base)`; returns its base URL.
    async fn answering(
        head: &'static str,
        body: impl Fn(&str) -> String + Send + 'static,
    ) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let body = body(&base);
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let reply = format!(
                    "HTTP/1.1 {head}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(reply.as_bytes()).await;
            }
        });
        base
    }

    fn fetcher() -> Fetcher {
        Fetcher::new(Duration::from_secs(5)).unwrap()
    }

    #[tokio::test]
    async fn discovery_gives_the_key_set_of_the_issuer_it_names() {
        let issuer = answering("200 OK", |base| {
            format!(r#"{{"issuer": "{base}", "jwks_uri": "{base}/jwks"}}"#)
        })
        .await;
        let url = fetcher().key_set_url(&issuer).await.unwrap();
        assert_eq!(url.as_str(), format!("{issuer}/jwks"));
    }

    #[tokio::test]
    async fn another_issuer_or_a_key_set_over_plain_http_elsewhere_is_refused() {
        let other = answering("200 OK", |_| {
            r#"{"issuer": "https://idp.example", "jwks_uri": "https://idp.example/jwks"}"#
                .to_owned()
        })
        .await;
        let refused = fetcher().key_set_url(&other).await;
        assert!(
            matches!(refused, Err(FetchError::OtherIssuer(_))),
            "{refused:?}"
        );
        let plain = answering("200 OK", |base| {
            format!(r#"{{"issuer": "{base}", "jwks_uri": "http://idp.example/jwks"}}"#)
        })
        .await;
        let refused = fetcher().key_set_url(&plain).await;
        assert!(
            matches!(refused, Err(FetchError::NoKeySetUrl(_))),
            "{refused:?}"
        );
    }

    #[tokio::test]
    async fn redirects_errors_oversized_and_non_object_bodies_are_refused() {
        let redirect = answering("302 Found\r\nlocation: https://idp.example/jwks", |_| {
            String::new()
        })
        .await;
        let failing = answering("500 Internal Server Error", |_| String::new()).await;
        let huge = answering("200 OK", |_| {
            format!(r#"{{"keys": "{}"}}"#, "k".repeat(MAX_BODY_BYTES))
        })
        .await;
        let text = answering("200 OK", |_| "<html>".to_owned()).await;
        let array = answering("200 OK", |_| "[]".to_owned()).await;
        let fetcher = fetcher();
        let get = |base: String| {
            let fetcher = fetcher.clone();
            async move { fetcher.key_set(&Url::parse(&base).unwrap()).await }
        };
        assert!(matches!(
            get(redirect).await,
            Err(FetchError::Status(_, 302))
        ));
        assert!(matches!(
            get(failing).await,
            Err(FetchError::Status(_, 500))
        ));
        assert!(matches!(get(huge).await, Err(FetchError::TooLarge(_))));
        assert!(matches!(get(text).await, Err(FetchError::NotJson(_))));
        assert!(matches!(get(array).await, Err(FetchError::NotJson(_))));
    }
}
