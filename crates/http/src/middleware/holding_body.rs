//! A response body that keeps something alive until the answer is written (or the
//! connection dropped): the middleware that must outlive the handler hands it its guard.

use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::web::Bytes;

/// `body`, unchanged, holding `guard` until it is dropped.
pub(crate) struct HoldingBody<G> {
    body: BoxBody,
    _guard: G,
}

impl<G: Unpin + 'static> HoldingBody<G> {
    pub(crate) fn boxed(body: impl MessageBody + 'static, guard: G) -> BoxBody {
        BoxBody::new(Self {
            body: BoxBody::new(body),
            _guard: guard,
        })
    }
}

impl<G: Unpin> MessageBody for HoldingBody<G> {
    type Error = Box<dyn std::error::Error>;

    fn size(&self) -> BodySize {
        self.body.size()
    }

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        Pin::new(&mut self.body).poll_next(cx)
    }
}
