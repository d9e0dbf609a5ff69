//! The list's `COMMIT`, sent in the same round trip as the page's query and awaited after
//! its last row. It is polled once to leave, and may finish at that poll (a closed
//! connection answers at once) or at any later one; a finished `async fn` must never be
//! polled again (it panics, and the panic took the pooled connection with it), so the
//! commit is kept in a `MaybeDone`, which holds the answer until it is asked for.

use std::future::Future;
use std::pin::Pin;

use futures::future::MaybeDone;

/// Polls `commit` once, so that its request leaves now; its failure if it has already
/// answered with one.
pub(super) async fn send<F, E>(mut commit: Pin<&mut MaybeDone<F>>) -> Option<E>
where
    F: Future<Output = Result<(), E>>,
{
    // Ready or not, the request is sent; a success is kept for `outcome`.
    let _sent = futures::poll!(commit.as_mut());
    match commit.as_mut().output_mut() {
        Some(Err(_)) => commit.take_output().and_then(Result::err),
        _ => None,
    }
}

/// What `commit` answered, once awaited to the end; `None` if it was already taken.
pub(super) fn outcome<F, E>(commit: Pin<&mut MaybeDone<F>>) -> Option<Result<(), E>>
where
    F: Future<Output = Result<(), E>>,
{
    commit.take_output()
}

#[cfg(test)]
mod tests {
    use std::pin::pin;

    use futures::future::maybe_done;

    use super::*;

    async fn answered_at_once(result: Result<(), &'static str>) -> Result<(), &'static str> {
        result
    }

    #[tokio::test]
    async fn a_commit_answered_at_its_first_poll_is_never_polled_again() {
        let mut commit = pin!(maybe_done(answered_at_once(Ok(()))));
        assert_eq!(send(commit.as_mut()).await, None);
        // Awaited again after the page: an `async fn` polled after its end would panic.
        commit.as_mut().await;
        assert_eq!(outcome(commit.as_mut()), Some(Ok(())));
    }

    #[tokio::test]
    async fn a_commit_refused_at_its_first_poll_is_reported_at_once() {
        let mut commit = pin!(maybe_done(answered_at_once(Err("refused"))));
        assert_eq!(send(commit.as_mut()).await, Some("refused"));
    }

    #[tokio::test]
    async fn a_commit_still_waiting_is_sent_and_awaited_later() {
        let (answer, answered) = tokio::sync::oneshot::channel::<Result<(), &'static str>>();
        let mut commit = pin!(maybe_done(
            async move { answered.await.unwrap_or(Err("gone")) }
        ));
        assert_eq!(send(commit.as_mut()).await, None);
        answer.send(Ok(())).unwrap();
        commit.as_mut().await;
        assert_eq!(outcome(commit.as_mut()), Some(Ok(())));
    }
}
