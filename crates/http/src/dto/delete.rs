use mtdb_domain::DeleteMode;
use utoipa::IntoParams;

use crate::error::ApiError;
use crate::extract::query::QueryParams;

/// Query of `DELETE /api/v1/tenants/{tenant_id}`.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct DeleteParams {
    /// Also delete the tenant's live subsidiaries, in the same transaction.
    #[param(default = false)]
    pub cascade: Option<bool>,
}

impl TryFrom<&QueryParams> for DeleteParams {
    type Error = ApiError;

    fn try_from(query: &QueryParams) -> Result<Self, ApiError> {
        query.deny_unknown(&["cascade"])?;
        // Exactly `true` or `false`: a typo such as `cascade=yes` must not quietly
        // mean "do not cascade" on a destructive call.
        let cascade = match query.get("cascade") {
            None => None,
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(_) => return Err(ApiError::validation("cascade", "must be true or false")),
        };
        Ok(Self { cascade })
    }
}

impl From<DeleteParams> for DeleteMode {
    fn from(params: DeleteParams) -> Self {
        match params.cascade {
            Some(true) => Self::Cascade,
            Some(false) | None => Self::Restrict,
        }
    }
}
