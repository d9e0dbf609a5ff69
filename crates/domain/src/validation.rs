use std::fmt;

/// Input that cannot become a domain value. Names the offending field so that the API can
/// answer `400 VALIDATION_ERROR` with `details.field`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    /// The field to blame, as the API names it (`name`, `limit`, ...).
    pub field: &'static str,
    /// What is wrong with it.
    pub message: String,
}

impl ValidationError {
    /// An error naming `field`.
    pub fn new(field: &'static str, message: impl fmt::Display) -> Self {
        Self {
            field,
            message: message.to_string(),
        }
    }
}
