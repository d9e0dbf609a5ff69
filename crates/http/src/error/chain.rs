use std::error::Error;
use std::fmt;

/// Renders an error with every `source()` below it on one line, for the logs: the
/// whole story server-side (as `error_chain_fmt` in zero-to-production), none of it
/// in a response.
pub(crate) struct CauseChain<'a>(pub &'a (dyn Error + 'static));

impl fmt::Display for CauseChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut cause = self.0.source();
        while let Some(inner) = cause {
            write!(f, ": caused by: {inner}")?;
            cause = inner.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("outer")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn renders_every_cause_in_order() {
        let err = Outer(std::io::Error::other("connection refused"));
        assert_eq!(
            CauseChain(&err).to_string(),
            "outer: caused by: connection refused"
        );
    }
}
