//! A connection whose client must keep taking what the server writes: a write or flush
//! that the socket has not accepted a byte of for the write timeout fails with
//! `TimedOut`, and actix drops the connection, the response being written with it (for a
//! list, its unit of work: docs/fairness.md, "Bounded holds"). Reads pass through: the
//! request head, keep-alive and body have bounds of their own.
//!
//! The timer starts when a write first finds the socket full and restarts at every byte
//! the socket takes, so a slow reader is cut only when it stalls for the whole timeout.

use std::future::Future;
use std::io::{self, IoSlice};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{sleep, Sleep};

pub(crate) struct WriteDeadline<T> {
    io: T,
    timeout: Duration,
    /// Running while the socket accepts nothing.
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<T> WriteDeadline<T> {
    pub(crate) fn new(io: T, timeout: Duration) -> Self {
        Self {
            io,
            timeout,
            stalled: None,
        }
    }

    /// The socket, for its options.
    #[cfg(test)]
    pub(crate) fn get_ref(&self) -> &T {
        &self.io
    }

    /// `inner`'s answer, with the clock: progress stops it, a stall runs it, and a stall
    /// that outlasts the timeout is an error.
    fn timed<R>(
        &mut self,
        cx: &mut Context<'_>,
        inner: Poll<io::Result<R>>,
    ) -> Poll<io::Result<R>> {
        if inner.is_ready() {
            self.stalled = None;
            return inner;
        }
        let timeout = self.timeout;
        let stalled = self.stalled.get_or_insert_with(|| Box::pin(sleep(timeout)));
        match stalled.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client took nothing for the write timeout",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for WriteDeadline<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let inner = Pin::new(&mut self.io).poll_write(cx, buf);
        self.timed(cx, inner)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let inner = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        self.timed(cx, inner)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let inner = Pin::new(&mut self.io).poll_flush(cx);
        self.timed(cx, inner)
    }

    /// Bounded by actix's own disconnect timeout.
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for WriteDeadline<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{duplex, AsyncReadExt, AsyncWriteExt};

    use super::*;

    const TIMEOUT: Duration = Duration::from_secs(5);

    #[tokio::test(start_paused = true)]
    async fn a_client_that_takes_nothing_is_cut_after_the_timeout() {
        let (server, _client) = duplex(16);
        let mut server = WriteDeadline::new(server, TIMEOUT);
        let started = tokio::time::Instant::now();
        let error = server.write_all(&[0; 64]).await.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
        assert_eq!(started.elapsed(), TIMEOUT);
    }

    #[tokio::test(start_paused = true)]
    async fn a_slow_client_that_keeps_taking_is_not_cut() {
        let (server, mut client) = duplex(16);
        let mut server = WriteDeadline::new(server, TIMEOUT);
        let reader = tokio::spawn(async move {
            let mut byte = [0; 16];
            let mut total = 0;
            while total < 64 {
                // Each read is just inside the timeout: a stall is what gets cut.
                tokio::time::sleep(TIMEOUT - Duration::from_millis(1)).await;
                total += client.read(&mut byte).await.unwrap();
            }
        });
        server.write_all(&[0; 64]).await.unwrap();
        reader.await.unwrap();
    }
}
