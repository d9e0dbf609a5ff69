//! The one way mtdb writes an error with its causes, for the logs and the terminal.

use std::error::Error as StdError;
use std::fmt;

/// An error and every `source()` below it. `{}` writes one line for a log field
/// (`outer: caused by: inner`); `{:#}` writes one cause per line for a terminal.
///
/// A cause whose text the error above it already ends with is skipped: some errors
/// (tokio-postgres's among them) print their source in their own message *and* return
/// it as `source()`, which would otherwise say everything twice.
pub struct ErrorChain<'a>(pub &'a (dyn StdError + 'static));

impl fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let separator = if f.alternate() {
            "\n  caused by: "
        } else {
            ": caused by: "
        };
        let mut above = self.0.to_string();
        f.write_str(&above)?;
        let mut cause = self.0.source();
        while let Some(inner) = cause {
            let text = inner.to_string();
            if !above.ends_with(&text) {
                write!(f, "{separator}{text}")?;
            }
            above = text;
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
    struct Outer(#[source] Middle);

    #[derive(Debug, thiserror::Error)]
    #[error("db error: {0}")]
    struct Middle(#[source] std::io::Error);

    fn sample() -> Outer {
        Outer(Middle(std::io::Error::other(
            "password authentication failed",
        )))
    }

    #[test]
    fn one_line_for_logs_every_cause_in_order() {
        assert_eq!(
            ErrorChain(&sample()).to_string(),
            "outer: caused by: db error: password authentication failed"
        );
    }

    #[test]
    fn one_cause_per_line_for_terminals() {
        assert_eq!(
            format!("{:#}", ErrorChain(&sample())),
            "outer\n  caused by: db error: password authentication failed"
        );
    }

    #[test]
    fn a_cause_already_in_the_message_above_is_not_repeated() {
        let text = ErrorChain(&sample()).to_string();
        assert_eq!(text.matches("password authentication failed").count(), 1);
    }
}
