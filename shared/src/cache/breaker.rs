//! A circuit breaker in front of a remote cache: after a failure the cache
//! is not asked again for [`Breaker::OPEN_FOR`], so a cache that is down
//! costs one timeout per interval instead of one per request. Then one call
//! goes through (half open); its success closes the circuit.

use std::time::{Duration, Instant};

use async_trait::async_trait;

use super::{Cache, CacheError, RateDecision};
use crate::circuit::Circuit;

/// A cache that stops calling its inner cache for a while after it fails.
pub struct Breaker<C> {
    inner: C,
    /// Opens at the first failure: a cache is either up or down.
    circuit: Circuit,
}

impl<C: Cache> Breaker<C> {
    /// How long the circuit stays open after a failure: long enough that a
    /// down cache costs a few timeouts a minute, short enough that a cache
    /// that came back is used again within seconds.
    pub const OPEN_FOR: Duration = Duration::from_secs(15);

    /// Wraps `inner`.
    pub fn new(inner: C) -> Self {
        Self {
            inner,
            circuit: Circuit::new(1, Self::OPEN_FOR),
        }
    }

    /// Fails at once while open; otherwise runs `call` and records how it went.
    async fn guard<T>(
        &self,
        call: impl Future<Output = Result<T, CacheError>>,
    ) -> Result<T, CacheError> {
        if self.circuit.refuses(Instant::now()).is_some() {
            return Err(CacheError::Unavailable(
                "circuit open after a recent failure".to_owned(),
            ));
        }
        let result = call.await;
        match &result {
            // Only failures of the backend open the circuit; a refused
            // command is the caller's problem, not an outage.
            Err(CacheError::Unavailable(_)) => {
                self.circuit.failed(Instant::now());
            }
            _ => self.circuit.succeeded(),
        }
        result
    }
}

#[async_trait]
impl<C: Cache> Cache for Breaker<C> {
    fn name(&self) -> &'static str {
        self.inner.name()
    }

    async fn get(&self, key: &str) -> Result<Option<String>, CacheError> {
        self.guard(self.inner.get(key)).await
    }

    async fn set(&self, key: &str, value: &str, ttl: Duration) -> Result<(), CacheError> {
        self.guard(self.inner.set(key, value, ttl)).await
    }

    async fn set_pinned(&self, key: &str, value: &str, ttl: Duration) -> Result<(), CacheError> {
        self.guard(self.inner.set_pinned(key, value, ttl)).await
    }

    async fn delete(&self, key: &str) -> Result<(), CacheError> {
        self.guard(self.inner.delete(key)).await
    }

    async fn rate_limit(
        &self,
        key: &str,
        limit: u32,
        window: Duration,
        now_ms: i64,
    ) -> Result<RateDecision, CacheError> {
        self.guard(self.inner.rate_limit(key, limit, window, now_ms))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A cache that is down: every call takes a while, then fails.
    #[derive(Default)]
    struct Down {
        calls: AtomicUsize,
    }

    #[async_trait]
    impl Cache for Down {
        fn name(&self) -> &'static str {
            "down"
        }
        async fn get(&self, _: &str) -> Result<Option<String>, CacheError> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(50)).await;
            Err(CacheError::Unavailable("timed out".to_owned()))
        }
        async fn set(&self, _: &str, _: &str, _: Duration) -> Result<(), CacheError> {
            Err(CacheError::Unavailable("timed out".to_owned()))
        }
        async fn delete(&self, _: &str) -> Result<(), CacheError> {
            Ok(())
        }
        async fn rate_limit(
            &self,
            _: &str,
            _: u32,
            _: Duration,
            _: i64,
        ) -> Result<RateDecision, CacheError> {
            Err(CacheError::Unavailable("timed out".to_owned()))
        }
    }

    #[tokio::test]
    async fn a_down_cache_is_asked_once_per_interval_not_once_per_request() {
        let breaker = Breaker::new(Down::default());
        for _ in 0..20 {
            assert!(breaker.get("k").await.is_err());
        }
        assert_eq!(breaker.inner.calls.load(Ordering::SeqCst), 1);
        breaker.circuit.expire(Instant::now());
        assert!(breaker.get("k").await.is_err());
        assert_eq!(
            breaker.inner.calls.load(Ordering::SeqCst),
            2,
            "half open: one call goes through after the interval"
        );
    }
}
