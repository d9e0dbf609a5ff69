//! Validation failures, from the domain's parsers and from `validator`'s shape rules on
//! the DTOs, to one 400.

use mtdb_domain::ValidationError;

use super::ApiError;

impl From<ValidationError> for ApiError {
    fn from(err: ValidationError) -> Self {
        Self::validation(err.field, err.message)
    }
}

/// The first failing field in `order` (a DTO's declared field order), so that the
/// answer to the same bad input is always the same although `validator` reports
/// in a hash map.
pub(crate) fn first_failure(
    errors: &validator::ValidationErrors,
    order: &[&'static str],
) -> ApiError {
    let fields = errors.field_errors();
    order
        .iter()
        .find_map(|field| {
            let first = fields.get(*field)?.first()?;
            let message = first.message.as_deref().unwrap_or("is invalid").to_owned();
            Some(ApiError::validation(*field, message))
        })
        // Only reachable if a DTO validates a field missing from its order list (the
        // list query is the only DTO with rules today).
        .unwrap_or_else(|| ApiError::validation("query", errors.to_string()))
}
