//! The cache port (search results, rate limits, revoked logins) and its
//! adapters: in-memory and Upstash Redis over REST, and a circuit breaker
//! that keeps a down cache from costing a timeout on every request.

mod breaker;
mod memory;
mod upstash;

use std::time::Duration;

use async_trait::async_trait;

pub use breaker::Breaker;
pub use memory::MemoryCache;
pub use upstash::UpstashCache;
// The answer decoding, for the fuzz targets (`crate::fuzzing`).
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) use upstash::{pipeline_results, result_of};

/// A key-value cache with expiry.
#[async_trait]
pub trait Cache: Send + Sync {
    /// Short name for logs and `/health` (`memory`, `upstash`).
    fn name(&self) -> &'static str;

    /// The value under `key`, if present and not expired.
    ///
    /// # Errors
    /// A [`CacheError`] when the backend cannot answer.
    async fn get(&self, key: &str) -> Result<Option<String>, CacheError>;

    /// Stores `value` under `key` for `ttl` (whole seconds, at least one).
    ///
    /// # Errors
    /// A [`CacheError`] when the backend refuses or cannot be reached.
    async fn set(&self, key: &str, value: &str, ttl: Duration) -> Result<(), CacheError>;

    /// Stores `value` under `key` for `ttl`, outside any eviction: security
    /// state (a revoked login) must hold until it expires, however many
    /// search results are cached meanwhile. On Redis this is `set`: the
    /// database's policy is `noeviction` (Upstash's default).
    ///
    /// # Errors
    /// A [`CacheError`] when the backend refuses or cannot be reached.
    async fn set_pinned(&self, key: &str, value: &str, ttl: Duration) -> Result<(), CacheError> {
        self.set(key, value, ttl).await
    }

    /// Removes `key`; absent keys are not an error.
    ///
    /// # Errors
    /// A [`CacheError`] when the backend refuses or cannot be reached.
    async fn delete(&self, key: &str) -> Result<(), CacheError>;

    /// Counts one hit on `key` under a sliding-window limit of `limit` hits
    /// per `window`, unless the limit is reached (then nothing is counted).
    /// The algorithm of `@upstash/ratelimit`'s `slidingWindow`: a counter per
    /// fixed window, the previous window's weighted by how much of it still
    /// overlaps the sliding one.
    ///
    /// # Errors
    /// A [`CacheError`] when the backend cannot answer (callers decide
    /// whether to fail open or closed).
    async fn rate_limit(
        &self,
        key: &str,
        limit: u32,
        window: Duration,
        now_ms: i64,
    ) -> Result<RateDecision, CacheError>;
}

/// The outcome of one rate-limited attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateDecision {
    /// Whether the attempt may proceed.
    pub allowed: bool,
    /// Attempts left in the window after this one.
    pub remaining: u32,
    /// Milliseconds until the current fixed window ends.
    pub reset_after_ms: i64,
}

/// The two fixed-window keys and the weight of the previous window for a
/// sliding window at `now_ms` (as `@upstash/ratelimit` names them).
pub(crate) fn window_keys(key: &str, window_ms: i64, now_ms: i64) -> (String, String, i64) {
    let current = now_ms.div_euclid(window_ms);
    (
        format!("{key}:{current}"),
        format!("{key}:{}", current - 1),
        window_ms - now_ms.rem_euclid(window_ms),
    )
}

/// How many of the previous window's hits still count at `now_ms`.
pub(crate) fn weighted_previous(previous: i64, window_ms: i64, now_ms: i64) -> i64 {
    let fraction_elapsed = now_ms.rem_euclid(window_ms) as f64 / window_ms as f64;
    ((1.0 - fraction_elapsed) * previous as f64).floor() as i64
}

/// Why the cache could not answer. Callers treat every variant as a miss:
/// a cache that is down never fails a search.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// The token was refused (HTTP 401).
    #[error("cache credentials refused")]
    Unauthorized,
    /// The backend rejected the command (HTTP 400 with its message).
    #[error("cache refused the command: {0}")]
    Rejected(String),
    /// Network failure, timeout or a 5xx.
    #[error("cache unavailable: {0}")]
    Unavailable(String),
    /// An answer we could not read.
    #[error("unexpected cache response: {0}")]
    Protocol(String),
}

/// Whole seconds for a TTL, at least one (Redis refuses `EX 0`).
pub(crate) fn ttl_seconds(ttl: Duration) -> u64 {
    ttl.as_secs().max(1)
}
