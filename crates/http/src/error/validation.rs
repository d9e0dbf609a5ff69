//! Validation failures, from the domain's parsers, to one 400.

use mtdb_domain::ValidationError;

use super::ApiError;

impl From<ValidationError> for ApiError {
    fn from(err: ValidationError) -> Self {
        Self::validation(err.field, err.message)
    }
}
