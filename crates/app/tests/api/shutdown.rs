//! Signals on the real binary (docs/architecture.md, "Stopping"). A request is held in
//! flight by a row lock taken from outside, so that the order of events is certain: the
//! request waits, the signal arrives and is logged, then the lock is released (a drain)
//! or kept past the deadline (a cut).

use reqwest::StatusCode;

use crate::process::*;

/// `SIGTERM` or `SIGINT`: the held request is answered, its write stored, exit 0 (which
/// needs every listener stopped, the metrics one too when `env` turns it on).
async fn drains_the_request_in_flight_then_exits_0(signal: &str, env: &[(&str, &str)]) {
    let mut server = ServerProcess::start("info", env).await;
    let locker = server.connect().await;
    let put = server.put_behind_lock(&locker).await;

    server.signal(signal);
    let draining = server.until_logged("draining requests in flight").await;
    assert_eq!(draining["signal"], format!("SIG{signal}"));
    assert_eq!(draining["in_flight"], 1);
    release(&locker).await;

    let response = put.outcome().await.expect("a response, not a cut");
    assert_eq!(response.status(), StatusCode::OK);
    let exit = server.exit().await;
    assert!(exit.success(), "{exit:?}");
    assert_eq!(server.hsbc_name().await, "HSBC Holdings");
}

#[tokio::test]
async fn sigterm_finishes_the_request_in_flight_then_exits_0() {
    drains_the_request_in_flight_then_exits_0("TERM", &[("MTDB_METRICS_LISTEN", "127.0.0.1:0")])
        .await;
}

/// actix's own handler stopped at once on `SIGINT`, cutting the request.
#[tokio::test]
async fn sigint_finishes_the_request_in_flight_then_exits_0() {
    drains_the_request_in_flight_then_exits_0("INT", &[]).await;
}

/// A drain still running after `MTDB_SHUTDOWN_GRACE_MS` is cut: the log says how many
/// requests, the exit is non-zero, and the cut write is not stored.
#[tokio::test]
async fn a_drain_past_the_grace_period_is_cut_counted_and_exits_non_zero() {
    let mut server = ServerProcess::start("info", &[("MTDB_SHUTDOWN_GRACE_MS", "500")]).await;
    let locker = server.connect().await;
    let put = server.put_behind_lock(&locker).await;

    server.signal("TERM");
    server.until_logged("draining requests in flight").await;
    // The lock is kept until the process is gone: the deadline must pass.
    let cut = server.until_logged("stopping at once").await;
    let exit = server.exit().await;
    release(&locker).await;

    assert_eq!(cut["level"], "ERROR");
    assert_eq!(cut["cut"], 1, "{cut}");
    assert_eq!(cut["by"], "the grace period");
    assert!(exit.code().is_some_and(|code| code != 0), "{exit:?}");
    let outcome = put.outcome().await;
    assert!(
        outcome.is_err(),
        "the cut request got no answer: {outcome:?}"
    );
    assert_eq!(server.hsbc_name().await, "HSBC");
}

/// `SIGQUIT` stops at once (the operator's way to cut a drain short without `SIGKILL`):
/// the cut is logged and counted, the exit non-zero.
#[tokio::test]
async fn sigquit_cuts_at_once_counts_and_exits_non_zero() {
    let mut server = ServerProcess::start("info", &[]).await;
    let locker = server.connect().await;
    let put = server.put_behind_lock(&locker).await;

    server.signal("QUIT");
    let cut = server.until_logged("stopping at once").await;
    let exit = server.exit().await;
    release(&locker).await;

    assert_eq!(cut["level"], "ERROR");
    assert_eq!(cut["cut"], 1, "{cut}");
    assert_eq!(cut["by"], "SIGQUIT");
    assert!(exit.code().is_some_and(|code| code != 0), "{exit:?}");
    let outcome = put.outcome().await;
    assert!(
        outcome.is_err(),
        "the cut request got no answer: {outcome:?}"
    );
    assert_eq!(server.hsbc_name().await, "HSBC");
}

/// `SIGHUP`'s default action would kill the process (exit 129, nothing logged).
#[tokio::test]
async fn sighup_is_logged_and_ignored() {
    let mut server = ServerProcess::start("info", &[]).await;

    server.signal("HUP");
    let ignored = server.until_logged("SIGHUP received and ignored").await;
    let health = reqwest::get(format!("{}/health", server.base)).await;
    server.signal("TERM");
    let exit = server.exit().await;

    assert_eq!(ignored["level"], "INFO");
    assert_eq!(health.expect("still serving").status(), StatusCode::OK);
    assert!(exit.success(), "{exit:?}");
}
