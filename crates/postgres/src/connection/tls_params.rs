//! The TLS parameters tokio-postgres does not parse (`sslmode=verify-ca|verify-full`,
//! `sslrootcert`), taken out of a connection string before it does: it refuses both.

use std::path::PathBuf;

use crate::tls::TlsMode;

/// What was taken out, and the rest of the string for tokio-postgres.
pub(super) struct Stripped {
    pub(super) rest: String,
    /// `verify-ca` or `verify-full`, when the string asked for one.
    pub(super) verify: Option<TlsMode>,
    pub(super) root_cert: Option<PathBuf>,
}

pub(super) fn strip(raw: &str) -> Stripped {
    if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
        strip_url(raw)
    } else {
        strip_key_values(raw)
    }
}

fn verify_mode(value: &str) -> Option<TlsMode> {
    match value {
        "verify-ca" => Some(TlsMode::VerifyCa),
        "verify-full" => Some(TlsMode::VerifyFull),
        _ => None,
    }
}

fn strip_url(raw: &str) -> Stripped {
    let mut out = Stripped {
        rest: raw.to_owned(),
        verify: None,
        root_cert: None,
    };
    let Some((base, query)) = raw.split_once('?') else {
        return out;
    };
    let mut kept = Vec::new();
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = decode(value);
        match (key, verify_mode(&value)) {
            ("sslmode", Some(mode)) => out.verify = Some(mode),
            ("sslrootcert", _) => out.root_cert = Some(PathBuf::from(value)),
            _ => kept.push(pair),
        }
    }
    out.rest = if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    out
}

/// `key=value` pairs separated by spaces; a value may be quoted with `'` and escape
/// with `\`, as libpq reads them.
fn strip_key_values(raw: &str) -> Stripped {
    let mut out = Stripped {
        rest: String::new(),
        verify: None,
        root_cert: None,
    };
    let mut kept = Vec::new();
    let mut chars = raw.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        // One pair: up to the first unquoted whitespace.
        let (mut quoted, mut escaped, mut end) = (false, false, raw.len());
        for (i, c) in chars.by_ref() {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '\'' {
                quoted = !quoted;
            } else if c.is_whitespace() && !quoted {
                end = i;
                break;
            }
        }
        let pair = &raw[start..end];
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = unquote(value.trim());
        match (key.trim(), verify_mode(&value)) {
            ("sslmode", Some(mode)) => out.verify = Some(mode),
            ("sslrootcert", _) => out.root_cert = Some(PathBuf::from(value)),
            _ => kept.push(pair),
        }
    }
    out.rest = kept.join(" ");
    out
}

fn unquote(value: &str) -> String {
    let inner = value
        .strip_prefix('\'')
        .and_then(|v| v.strip_suffix('\''))
        .unwrap_or(value);
    let mut out = String::with_capacity(inner.len());
    let mut escaped = false;
    for c in inner.chars() {
        if !escaped && c == '\\' {
            escaped = true;
        } else {
            escaped = false;
            out.push(c);
        }
    }
    out
}

/// Percent-decoding; a malformed escape stays as written.
fn decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_verifying_modes_and_the_root_certificate_out_of_urls() {
        let s = strip(
            "postgres://u:p@h/d?sslmode=verify-full&sslrootcert=%2Ftmp%2Fca.pem&application_name=x",
        );
        assert_eq!(s.rest, "postgres://u:p@h/d?application_name=x");
        assert_eq!(s.verify, Some(TlsMode::VerifyFull));
        assert_eq!(s.root_cert, Some(PathBuf::from("/tmp/ca.pem")));
        let s = strip("postgres://u:p@h/d?sslmode=require");
        assert_eq!(s.rest, "postgres://u:p@h/d?sslmode=require");
        assert_eq!(s.verify, None);
        let s = strip("postgres://u:p@h/d?sslmode=verify-ca");
        assert_eq!(s.rest, "postgres://u:p@h/d");
        assert_eq!(s.verify, Some(TlsMode::VerifyCa));
    }

    #[test]
    fn takes_them_out_of_key_value_strings() {
        let s =
            strip("host=h password='a b\\' sslmode=x' sslmode=verify-ca sslrootcert='/c a.pem'");
        assert_eq!(s.rest, "host=h password='a b\\' sslmode=x'");
        assert_eq!(s.verify, Some(TlsMode::VerifyCa));
        assert_eq!(s.root_cert, Some(PathBuf::from("/c a.pem")));
    }
}
