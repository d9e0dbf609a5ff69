//! Requests in flight: counted from when a request reaches the application until its
//! answer has been written (or its connection dropped), so that a server stopped before
//! they end can say how many it cut (docs/architecture.md, "Stopping").

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use actix_web::Error;

use super::holding_body::HoldingBody;

/// The number of requests in flight on one server; clones share the count.
#[derive(Debug, Clone, Default)]
pub struct InFlight(Arc<AtomicUsize>);

impl InFlight {
    /// The requests admitted and not yet answered (or dropped) at this instant.
    pub fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }

    fn enter(&self) -> Entered {
        self.0.fetch_add(1, Ordering::SeqCst);
        Entered(self.clone())
    }
}

/// One request's place in the count, given back when dropped.
struct Entered(InFlight);

impl Drop for Entered {
    fn drop(&mut self) {
        (self.0).0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Counts the request while the handler runs and while its body is written: the
/// response body holds the place, since a streamed list is still in flight after the
/// handler has returned. Without an [`InFlight`] in the app data, counts nothing.
pub(crate) async fn count_in_flight(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let entered = req
        .app_data::<web::Data<InFlight>>()
        .map(|in_flight| in_flight.enter());
    let response = next.call(req).await?;
    Ok(response.map_body(|_, body| match entered {
        Some(entered) => HoldingBody::boxed(body, entered),
        None => BoxBody::new(body),
    }))
}

#[cfg(test)]
mod tests {
    use actix_web::middleware::from_fn;
    use actix_web::{test, App, HttpResponse};

    use super::*;

    #[actix_web::test]
    async fn a_request_counts_until_its_body_is_gone() {
        let in_flight = InFlight::default();
        let seen = in_flight.clone();
        let app = test::init_service(
            App::new()
                .app_data(web::Data::new(in_flight.clone()))
                .route(
                    "/",
                    web::get().to(move || {
                        let during = seen.count();
                        async move { HttpResponse::Ok().body(during.to_string()) }
                    }),
                )
                .wrap(from_fn(count_in_flight)),
        )
        .await;

        let response = test::call_service(&app, test::TestRequest::get().to_request()).await;
        assert_eq!(in_flight.count(), 1, "the unwritten body still counts");
        let during = test::read_body(response).await;

        assert_eq!(during, "1");
        assert_eq!(in_flight.count(), 0);
    }
}
