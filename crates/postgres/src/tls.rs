//! TLS to PostgreSQL: one rustls connector (ring provider, no C crypto) for every
//! connection the adapter opens. The modes follow libpq's `sslmode` (docs/operations.md,
//! "TLS"); tokio-postgres itself knows only disable, prefer and require, so the verifying
//! modes are carried here and handed to tokio-postgres as `require`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};
use tokio_postgres_rustls::MakeRustlsConnect;

mod verifiers;

/// The connector every connection uses: with `sslmode=disable` tokio-postgres never
/// starts TLS, so it is the same type for all modes.
pub type TlsConnector = MakeRustlsConnect;

/// libpq's `sslmode`, as far as mtdb supports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlsMode {
    /// Plain TCP.
    Disable,
    /// TLS when the server offers it, plain otherwise; the certificate is not checked.
    Prefer,
    /// TLS or no connection; the certificate is not checked (encryption against a
    /// passive listener only), unless `sslrootcert` is given: then as `VerifyCa`.
    Require,
    /// TLS; the certificate must chain to a trusted root; any host name.
    VerifyCa,
    /// TLS; the certificate must chain to a trusted root and name the host.
    VerifyFull,
}

impl TlsMode {
    /// The `sslmode` value.
    pub fn name(self) -> &'static str {
        match self {
            Self::Disable => "disable",
            Self::Prefer => "prefer",
            Self::Require => "require",
            Self::VerifyCa => "verify-ca",
            Self::VerifyFull => "verify-full",
        }
    }
}

/// Why no connector was built; no database was contacted yet.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// The `sslrootcert` file could not be read or holds no PEM certificate.
    #[error("the sslrootcert file {path:?} could not be read as PEM certificates")]
    RootCertFile {
        /// The file named in the connection string.
        path: PathBuf,
        /// What the PEM reader said.
        #[source]
        source: rustls::pki_types::pem::Error,
    },
    /// A certificate of the root store was refused.
    #[error("a root certificate was refused")]
    RootCert(#[source] rustls::Error),
    /// A verifying mode without `sslrootcert` and no usable system root certificate.
    #[error(
        "sslmode={0} needs root certificates: none were found in the system store; \
         name the server's certificate authority with sslrootcert=<file>"
    )]
    NoRootCerts(&'static str),
    /// rustls refused the configuration.
    #[error("the TLS configuration was refused")]
    Config(#[source] rustls::Error),
    /// The certificate verifier could not be built.
    #[error("the TLS certificate verifier could not be built")]
    Verifier(#[source] rustls::client::VerifierBuilderError),
}

/// The connector for `mode`, trusting `root_cert` (a PEM file) when given, else the
/// system's root certificates.
///
/// # Errors
/// An unreadable `root_cert`, or a verifying mode with no root certificate at all.
pub fn connector(mode: TlsMode, root_cert: Option<&Path>) -> Result<TlsConnector, TlsError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(TlsError::Config)?;
    // libpq: with a root certificate file, `require` verifies the chain as `verify-ca`.
    let mode = match (mode, root_cert) {
        (TlsMode::Require, Some(_)) => TlsMode::VerifyCa,
        (mode, _) => mode,
    };
    let config = match mode {
        TlsMode::Disable | TlsMode::Prefer | TlsMode::Require => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifiers::AnyCertificate::new(provider)))
            .with_no_client_auth(),
        TlsMode::VerifyCa | TlsMode::VerifyFull => {
            let roots = Arc::new(roots(mode, root_cert)?);
            let webpki = WebPkiServerVerifier::builder_with_provider(roots, provider)
                .build()
                .map_err(TlsError::Verifier)?;
            let verifier: Arc<dyn rustls::client::danger::ServerCertVerifier> =
                if mode == TlsMode::VerifyCa {
                    Arc::new(verifiers::AnyHostName::new(webpki))
                } else {
                    webpki
                };
            builder
                .dangerous()
                .with_custom_certificate_verifier(verifier)
                .with_no_client_auth()
        }
    };
    Ok(MakeRustlsConnect::new(config))
}

fn roots(mode: TlsMode, root_cert: Option<&Path>) -> Result<RootCertStore, TlsError> {
    let mut store = RootCertStore::empty();
    match root_cert {
        Some(path) => {
            let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
                .and_then(Iterator::collect)
                .map_err(|source| TlsError::RootCertFile {
                    path: path.to_owned(),
                    source,
                })?;
            if certs.is_empty() {
                return Err(TlsError::RootCertFile {
                    path: path.to_owned(),
                    source: rustls::pki_types::pem::Error::NoItemsFound,
                });
            }
            for cert in certs {
                store.add(cert).map_err(TlsError::RootCert)?;
            }
        }
        None => {
            // Unreadable system certificates are skipped, as libpq skips them; an empty
            // store is refused below.
            let native = rustls_native_certs::load_native_certs();
            store.add_parsable_certificates(native.certs);
        }
    }
    if store.is_empty() {
        return Err(TlsError::NoRootCerts(mode.name()));
    }
    Ok(store)
}
