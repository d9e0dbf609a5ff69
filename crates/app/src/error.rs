use std::error::Error as StdError;
use std::fmt;

use crate::config::ConfigError;

/// Why a command stopped. `main` prints the whole cause chain and exits non-zero.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("configuration: {0}")]
    InvalidSetting(Box<dyn StdError + Send + Sync>),
    #[error("database: {0}")]
    Database(Box<dyn StdError + Send + Sync>),
    #[error("i/o: {0}")]
    Io(#[source] std::io::Error),
    /// `serve` stopped before every request in flight was answered.
    #[error("stopped at once ({by}): {cut} requests in flight cut")]
    Cut { cut: usize, by: &'static str },
}

impl AppError {
    pub fn database(e: impl StdError + Send + Sync + 'static) -> Self {
        Self::Database(Box::new(e))
    }

    pub fn config(e: impl StdError + Send + Sync + 'static) -> Self {
        Self::InvalidSetting(Box::new(e))
    }
}

/// Formats an error with every cause, one per line, for the terminal and the logs.
pub struct Chain<'a>(pub &'a (dyn StdError + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut cause = self.0.source();
        while let Some(e) = cause {
            write!(f, "\n  caused by: {e}")?;
            cause = e.source();
        }
        Ok(())
    }
}
