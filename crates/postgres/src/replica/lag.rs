//! The standby's replay lag, measured as time: pure, so that it can be tested without a
//! clock or a server (docs/replicas.md, "How the lag is measured").
//!
//! Every probe interval the monitor reads the primary's WAL position and records it with
//! the instant it asked. Lag is then the age of the oldest recorded position the standby
//! has not replayed yet, and zero when it replayed every recorded position. Unlike
//! `now() - pg_last_xact_replay_timestamp()`, this does not grow while the primary is
//! idle (nothing to replay is no lag), and it needs no privilege beyond calling
//! `pg_current_wal_lsn()` and `pg_last_wal_replay_lsn()`.
//!
//! Every approximation errs towards a larger lag, so that a read is sent to the primary
//! rather than to a standby that might miss a write older than the bound.

use std::collections::VecDeque;
use std::time::Duration;

/// A WAL position (`pg_lsn`) as a number.
pub type Lsn = u64;

/// The most samples kept; beyond it, the newest two merge (see [`LagWindow::record`]).
const CAPACITY: usize = 1024;

/// Parses PostgreSQL's text form of an LSN, `16/B374D848` (two hex halves).
pub fn parse_lsn(text: &str) -> Option<Lsn> {
    let (high, low) = text.trim().split_once('/')?;
    let high = u32::from_str_radix(high, 16).ok()?;
    let low = u32::from_str_radix(low, 16).ok()?;
    Some((u64::from(high) << 32) | u64::from(low))
}

/// The primary's positions not yet known to be replayed, each with the instant (an offset
/// from the monitor's start) at which the primary was asked for it. Every write committed
/// before that instant lies at or below that position.
#[derive(Debug, Default)]
pub struct LagWindow {
    samples: VecDeque<(Duration, Lsn)>,
    /// The first probe of the primary that failed since the last that answered: a write
    /// may have committed from then on that no sample covers yet.
    missed_since: Option<Duration>,
    /// The highest position the standby was seen to have replayed.
    replayed: Lsn,
}

impl LagWindow {
    /// Records the primary's position `lsn`, asked at `at` (never earlier than the last).
    pub fn record(&mut self, at: Duration, lsn: Lsn) {
        // After a missed probe, the position is dated back to it: writes since then are
        // covered by this sample only, so it is as old as the oldest of them may be.
        let at = self.missed_since.take().map_or(at, |missed| missed.min(at));
        if lsn <= self.replayed {
            return;
        }
        let full = self.samples.len() >= CAPACITY;
        match self.samples.back_mut() {
            // The same position again (an idle primary): the older instant says all.
            Some(&mut (_, last)) if last >= lsn => {}
            // Full: the newest sample takes the new position and keeps its older
            // instant, which can only make the lag look larger.
            Some(last) if full => last.1 = lsn,
            _ => self.samples.push_back((at, lsn)),
        }
    }

    /// The primary did not answer the probe made at `at`.
    pub fn missed(&mut self, at: Duration) {
        self.missed_since.get_or_insert(at);
    }

    /// The standby has replayed up to `lsn`: every sample at or below it is done.
    pub fn replayed(&mut self, lsn: Lsn) {
        self.replayed = self.replayed.max(lsn);
        while self
            .samples
            .front()
            .is_some_and(|&(_, sample)| sample <= self.replayed)
        {
            self.samples.pop_front();
        }
    }

    /// The lag at `now`: the age of the oldest sample not replayed (or of a missed probe
    /// of the primary), zero when there is none.
    pub fn lag(&self, now: Duration) -> Duration {
        let oldest = self.samples.front().map(|&(at, _)| at);
        let oldest = match (oldest, self.missed_since) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        oldest.map_or(Duration::ZERO, |at| now.saturating_sub(at))
    }

    /// How many samples wait for replay (for tests).
    pub fn pending(&self) -> usize {
        self.samples.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn parses_the_text_form_of_an_lsn() {
        assert_eq!(parse_lsn("0/0"), Some(0));
        assert_eq!(parse_lsn("16/B374D848"), Some(0x16_B374_D848));
        assert_eq!(parse_lsn(" FFFFFFFF/FFFFFFFF\n"), Some(u64::MAX));
        for bad in ["", "16", "16/", "/1", "x/1", "1/2/3", "100000000/0"] {
            assert_eq!(parse_lsn(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn an_idle_primary_has_no_lag_however_long_it_stays_idle() {
        let mut window = LagWindow::default();
        window.record(ms(0), 100);
        window.replayed(100);
        for t in 1..100 {
            window.record(ms(t * 100), 100);
        }
        // The defect of `now() - pg_last_xact_replay_timestamp()`: it would say 10 s.
        assert_eq!(window.lag(ms(10_000)), Duration::ZERO);
    }

    #[test]
    fn lag_is_the_age_of_the_oldest_position_not_replayed() {
        let mut window = LagWindow::default();
        window.record(ms(0), 100);
        window.record(ms(100), 200);
        window.record(ms(200), 300);
        window.replayed(50);
        assert_eq!(window.lag(ms(250)), ms(250));
        window.replayed(150); // 100 done, 200 not: as old as the sample at 100 ms
        assert_eq!(window.lag(ms(250)), ms(150));
        window.replayed(300);
        assert_eq!(window.lag(ms(250)), Duration::ZERO);
        assert_eq!(window.pending(), 0);
    }

    #[test]
    fn a_paused_standby_lags_more_and_more() {
        let mut window = LagWindow::default();
        window.replayed(100);
        window.record(ms(1_000), 101);
        for t in 11..50 {
            window.record(ms(t * 100), 100 + t);
        }
        assert_eq!(window.lag(ms(5_000)), ms(4_000));
        assert_eq!(window.lag(ms(9_000)), ms(8_000));
    }

    #[test]
    fn repeated_positions_keep_the_oldest_instant() {
        let mut window = LagWindow::default();
        window.record(ms(0), 100);
        window.record(ms(100), 100);
        window.record(ms(200), 100);
        assert_eq!(window.pending(), 1);
        assert_eq!(window.lag(ms(300)), ms(300));
    }

    #[test]
    fn a_missed_probe_of_the_primary_counts_from_when_it_was_missed() {
        let mut window = LagWindow::default();
        window.record(ms(0), 100);
        window.replayed(100);
        window.missed(ms(100));
        window.missed(ms(200));
        // Nothing sampled, but a write may have happened since 100 ms.
        assert_eq!(window.lag(ms(300)), ms(200));
        // The next answer covers those writes: it is dated back to the missed probe.
        window.record(ms(300), 200);
        assert_eq!(window.lag(ms(400)), ms(300));
        window.replayed(200);
        assert_eq!(window.lag(ms(400)), Duration::ZERO);
    }

    #[test]
    fn a_full_window_merges_into_its_newest_sample_without_hiding_lag() {
        let mut window = LagWindow::default();
        let capacity = u64::try_from(CAPACITY).unwrap();
        for i in 0..capacity + 10 {
            window.record(ms(i), 1 + i);
        }
        assert_eq!(window.pending(), CAPACITY);
        // Replayed up to every sample but the merged last one: still lagging.
        window.replayed(capacity);
        assert!(window.lag(ms(capacity + 10)) >= ms(11));
        window.replayed(capacity + 10);
        assert_eq!(window.lag(ms(capacity + 10)), Duration::ZERO);
    }

    #[test]
    fn positions_already_replayed_are_not_recorded() {
        let mut window = LagWindow::default();
        window.replayed(500);
        window.record(ms(0), 400);
        assert_eq!(window.pending(), 0);
        assert_eq!(window.lag(ms(1_000)), Duration::ZERO);
    }
}
