//! Does a connection pooler sit between this connection and PostgreSQL?
//!
//! The signal: at start-up the server announces its process id in `BackendKeyData` (the
//! key a cancel request quotes). PostgreSQL announces the pid of the backend serving the
//! connection, so `pg_backend_pid()` returns the same number. A pooler that shares server
//! connections between clients (PgBouncer, Odyssey, PgCat, RDS Proxy, Supavisor) cannot
//! hand out a real backend's key and makes up its own, so the two differ (PgBouncer draws
//! it at random: a match by chance is one in 2^32). Limits (docs/pgbouncer.md): a pooler
//! that passed a real backend's key through would look direct; none that pools by
//! transaction does, since a cancel would then hit whichever client holds that backend.
//!
//! tokio-postgres keeps the announced pid to itself, except in the one message it writes
//! with it: a cancel request. The connection's cancel token writes it here into an
//! in-memory stream (never to the network), and the pid is read back from the bytes.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, DuplexStream, ReadBuf};
use tokio_postgres::tls::{ChannelBinding, TlsConnect, TlsStream};
use tokio_postgres::{Client, SimpleQueryMessage};

/// `SSLRequest`: length 8, code 80877103. tokio-postgres sends it first unless TLS is off.
const SSL_REQUEST: [u8; 8] = [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f];
/// `CancelRequest`'s head: length 16, code 80877102; the pid and secret key follow.
const CANCEL_REQUEST: [u8; 8] = [0, 0, 0, 16, 0x04, 0xd2, 0x16, 0x2e];

/// `Some(true)`: the connection is served by PostgreSQL itself (the pids agree);
/// `Some(false)`: something else answered its start-up; `None`: could not tell. The
/// caller bounds it in time (the server may hang).
pub(crate) async fn direct(client: &Client) -> Option<bool> {
    let announced = announced_pid(client).await?;
    let served = backend_pid(client).await?;
    Some(announced == served)
}

/// What `pg_backend_pid()` says, as a simple query (no statement of any kind kept).
async fn backend_pid(client: &Client) -> Option<i32> {
    let messages = client
        .simple_query("select pg_catalog.pg_backend_pid()")
        .await
        .ok()?;
    messages.iter().find_map(|message| match message {
        SimpleQueryMessage::Row(row) => row.get(0).and_then(|pid| pid.parse().ok()),
        _ => None,
    })
}

/// The pid of the start-up's `BackendKeyData`, from the cancel request the connection's
/// token writes into `ours`.
async fn announced_pid(client: &Client) -> Option<i32> {
    let (ours, theirs) = tokio::io::duplex(64);
    let token = client.cancel_token();
    let (sent, pid) = tokio::join!(token.cancel_query_raw(ours, Passthrough), read(theirs));
    sent.ok()?;
    pid
}

/// Plays the server's part: accepts the TLS request (the "TLS" is [`Passthrough`]), then
/// reads the cancel request.
async fn read(mut stream: DuplexStream) -> Option<i32> {
    let mut head = [0; 8];
    stream.read_exact(&mut head).await.ok()?;
    if head == SSL_REQUEST {
        stream.write_all(b"S").await.ok()?;
        stream.read_exact(&mut head).await.ok()?;
    }
    let mut key = [0; 8];
    stream.read_exact(&mut key).await.ok()?;
    (head == CANCEL_REQUEST).then(|| i32::from_be_bytes([key[0], key[1], key[2], key[3]]))
}

/// A "TLS" that leaves the in-memory stream as it is, so that the cancel request is
/// written whatever the connection's `sslmode`.
struct Passthrough;

impl<S: AsyncRead + AsyncWrite + Unpin> TlsConnect<S> for Passthrough {
    type Stream = Plain<S>;
    type Error = io::Error;
    type Future = std::future::Ready<io::Result<Plain<S>>>;

    fn connect(self, stream: S) -> Self::Future {
        std::future::ready(Ok(Plain(stream)))
    }
}

struct Plain<S>(S);

impl<S: AsyncRead + AsyncWrite + Unpin> TlsStream for Plain<S> {
    fn channel_binding(&self) -> ChannelBinding {
        ChannelBinding::none()
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Plain<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Plain<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}
