//! A request body the handler did not read to its end closes the connection after the
//! answer, chunked or not.
//!
//! actix closes such a connection when the body's receiver is still alive as the answer
//! is sent, but when the receiver has been dropped it *drains* a chunked body instead,
//! for as long as the client keeps sending: one chunk every few seconds kept a
//! connection open without end, past any `408` (the body timeout only bounds what a
//! handler reads). So the receiver is kept here, shared with the handler, and handed to
//! the response body, which lives until the answer is written.

use std::cell::RefCell;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{Error, HttpMessage};
use futures::Stream;

use super::holding_body::HoldingBody;

type Shared = Rc<RefCell<Payload>>;

pub(crate) async fn close_on_unread_body(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let shared: Shared = Rc::new(RefCell::new(req.take_payload()));
    req.set_payload(Payload::Stream {
        payload: Box::pin(Reader(shared.clone())),
    });
    let response = next.call(req).await?;
    // The response body keeps the request body's receiver alive until it is written.
    Ok(response.map_body(|_, body| HoldingBody::boxed(body, shared)))
}

/// What the handler reads: the one body, through the shared receiver.
struct Reader(Shared);

impl Stream for Reader {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Borrowed only for this poll; nothing else polls it.
        let mut payload = self.0.borrow_mut();
        Pin::new(&mut *payload).poll_next(cx)
    }
}
