//! Request-wide concerns as `from_fn` middleware, outermost first: the count of requests
//! in flight (the real server only), the hold on an unread request body, the request
//! id, the access log, and the backstop that gives every error the JSON error envelope.

pub(crate) mod access_log;
pub(crate) mod error_body;
pub(crate) mod holding_body;
pub(crate) mod in_flight;
pub(crate) mod request_id;
pub(crate) mod unread_body;
