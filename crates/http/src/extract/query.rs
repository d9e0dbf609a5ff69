use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};

use crate::error::ApiError;

/// A query DTO, built while extracting so that a bad parameter is answered before the
/// body is read (handlers list it before the body).
pub(crate) struct Query<T>(pub T);

impl<T> FromRequest for Query<T>
where
    T: for<'a> TryFrom<&'a QueryParams, Error = ApiError>,
{
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let params = QueryParams::parse(req.query_string());
        ready(params.and_then(|params| T::try_from(&params)).map(Self))
    }
}

/// The query of an endpoint that takes no parameters: any one is refused by name.
pub(crate) struct NoParams;

impl TryFrom<&QueryParams> for NoParams {
    type Error = ApiError;

    fn try_from(query: &QueryParams) -> Result<Self, ApiError> {
        query.deny_unknown(&[]).map(|()| Self)
    }
}

/// The query string as decoded pairs, each name given at most once. Which names are
/// allowed is the DTO's business (`deny_unknown`).
pub(crate) struct QueryParams(Vec<(String, String)>);

impl QueryParams {
    pub(crate) fn parse(query: &str) -> Result<Self, ApiError> {
        let pairs = web::Query::<Vec<(String, String)>>::from_query(query)
            .map_err(|_| ApiError::validation("query", "the query string cannot be decoded"))?
            .into_inner();
        // `limit=1&limit=1000` has no one meaning: refuse it rather than pick one.
        for (i, (name, _)) in pairs.iter().enumerate() {
            if pairs[..i].iter().any(|(earlier, _)| earlier == name) {
                return Err(ApiError::validation(
                    name.clone(),
                    "is given more than once",
                ));
            }
        }
        Ok(Self(pairs))
    }

    /// Refuses the first parameter (in request order) outside `known`.
    pub(crate) fn deny_unknown(&self, known: &[&str]) -> Result<(), ApiError> {
        match self
            .0
            .iter()
            .find(|(name, _)| !known.contains(&name.as_str()))
        {
            Some((name, _)) => Err(ApiError::validation(
                name.clone(),
                "is not a query parameter of this endpoint",
            )),
            None => Ok(()),
        }
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_refuses_repeats() {
        let params = QueryParams::parse("limit=5&tenant_type=sub%73idiary").expect("valid");
        assert_eq!(params.get("limit"), Some("5"));
        assert_eq!(params.get("tenant_type"), Some("subsidiary"));
        assert!(QueryParams::parse("limit=5&limit=6").is_err());
        assert!(params.deny_unknown(&["limit"]).is_err());
        assert!(params.deny_unknown(&["limit", "tenant_type"]).is_ok());
    }
}
