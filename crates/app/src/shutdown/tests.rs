//! The drain's decisions, on a stand-in for the servers and paused time (a deadline
//! passes when nothing else can happen). The real binary's tests are
//! `crates/app/tests/api/shutdown.rs`.

use std::future::pending;

use tokio::sync::oneshot;

use super::*;

const GRACE: Duration = Duration::from_secs(30);

fn servers<F>(serving: F) -> Servers<F> {
    Servers {
        serving,
        handles: Vec::new(),
        in_flight: InFlight::default(),
    }
}

#[tokio::test(start_paused = true)]
async fn a_drain_that_ends_in_time_is_a_clean_stop() {
    let (stop, stops) = mpsc::unbounded_channel();
    let (done, drained) = oneshot::channel::<()>();
    let serving = async move {
        let _ = drained.await;
        Ok(())
    };
    stop.send(Stop::Drain("SIGTERM")).unwrap();
    let running = tokio::spawn(serve_until_stopped(servers(serving), stops, GRACE));
    tokio::time::sleep(GRACE / 2).await;
    done.send(()).unwrap();

    assert!(running.await.unwrap().is_ok());
}

#[tokio::test(start_paused = true)]
async fn a_drain_past_the_grace_period_is_cut() {
    let (stop, stops) = mpsc::unbounded_channel();
    stop.send(Stop::Drain("SIGINT")).unwrap();

    let result = serve_until_stopped(servers(pending()), stops, GRACE).await;

    assert!(matches!(
        result,
        Err(AppError::Cut {
            by: "the grace period",
            ..
        })
    ));
}

#[tokio::test(start_paused = true)]
async fn sigquit_cuts_a_drain_short() {
    let (stop, stops) = mpsc::unbounded_channel();
    stop.send(Stop::Drain("SIGTERM")).unwrap();
    stop.send(Stop::Drain("SIGTERM")).unwrap();
    stop.send(Stop::Now("SIGQUIT")).unwrap();
    let started = tokio::time::Instant::now();

    let result = serve_until_stopped(servers(pending()), stops, GRACE).await;

    assert!(matches!(result, Err(AppError::Cut { by: "SIGQUIT", .. })));
    assert!(started.elapsed() < GRACE, "not the deadline");
}

#[tokio::test(start_paused = true)]
async fn a_server_that_stops_by_itself_ends_the_wait() {
    let (_stop, stops) = mpsc::unbounded_channel();
    let failed = async { Err(io::Error::other("listener failed")) };

    let result = serve_until_stopped(servers(failed), stops, GRACE).await;

    assert!(matches!(result, Err(AppError::Io { .. })));
}
