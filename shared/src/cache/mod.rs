//! The cache port (search results now; rate limits and idempotency keys next)
//! and its adapters: in-memory and Upstash Redis over REST.

mod memory;
mod upstash;

use std::time::Duration;

use async_trait::async_trait;

pub use memory::MemoryCache;
pub use upstash::UpstashCache;

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

    /// Removes `key`; absent keys are not an error.
    ///
    /// # Errors
    /// A [`CacheError`] when the backend refuses or cannot be reached.
    async fn delete(&self, key: &str) -> Result<(), CacheError>;
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
