//! A circuit breaker for any remote call: after `threshold` failures in a
//! row the circuit opens and calls are refused for `open_for`; then calls go
//! through again (half open), and one more failure opens it again at once
//! while one success closes it. The remote cache and the fare providers both
//! sit behind one, so a backend that is down costs one timeout per interval
//! instead of one per request.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// The breaker's memory of recent calls.
#[derive(Debug, Default)]
struct State {
    /// Failures since the last success.
    failures: u32,
    /// Until when calls are refused; `None` while closed or half open.
    open_until: Option<Instant>,
}

/// Counts consecutive failures and says whether a call may go through.
#[derive(Debug)]
pub struct Circuit {
    /// Failures in a row that open the circuit.
    threshold: u32,
    /// How long an open circuit refuses calls.
    open_for: Duration,
    state: Mutex<State>,
}

impl Circuit {
    /// A closed circuit that opens for `open_for` after `threshold` failures
    /// in a row (a threshold of 0 counts as 1).
    pub fn new(threshold: u32, open_for: Duration) -> Self {
        Self {
            threshold: threshold.max(1),
            open_for,
            state: Mutex::new(State::default()),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How long the circuit stays open after opening.
    pub fn open_for(&self) -> Duration {
        self.open_for
    }

    /// `None` when a call may go through now; otherwise how long the circuit
    /// stays open.
    pub fn refuses(&self, now: Instant) -> Option<Duration> {
        let state = self.state();
        state
            .open_until
            .filter(|until| now < *until)
            .map(|until| until - now)
    }

    /// Records a call that worked: the circuit closes.
    pub fn succeeded(&self) {
        *self.state() = State::default();
    }

    /// Records a failed call; returns true when this failure opened the circuit.
    pub fn failed(&self, now: Instant) -> bool {
        let mut state = self.state();
        state.failures = state.failures.saturating_add(1);
        if state.failures >= self.threshold {
            state.open_until = Some(now + self.open_for);
            // Half open after the interval: one more failure reopens it.
            state.failures = self.threshold - 1;
            return true;
        }
        false
    }

    /// Makes an open circuit's interval end at `now` (tests).
    #[cfg(test)]
    pub(crate) fn expire(&self, now: Instant) {
        if let Some(until) = self.state().open_until.as_mut() {
            *until = now;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_the_threshold_and_half_opens_after_the_interval() {
        let circuit = Circuit::new(3, Duration::from_secs(30));
        let t0 = Instant::now();
        assert!(!circuit.failed(t0));
        assert!(!circuit.failed(t0));
        assert_eq!(circuit.refuses(t0), None, "two failures leave it closed");
        assert!(circuit.failed(t0), "the third failure opens it");
        assert_eq!(circuit.refuses(t0), Some(Duration::from_secs(30)));
        let later = t0 + Duration::from_secs(31);
        assert_eq!(circuit.refuses(later), None, "half open after the interval");
        assert!(
            circuit.failed(later),
            "one failure when half open reopens it"
        );
        circuit.succeeded();
        assert_eq!(circuit.refuses(later), None);
        assert!(!circuit.failed(later), "a success resets the count");
    }
}
