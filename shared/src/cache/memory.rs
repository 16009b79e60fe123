use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;

use super::{Cache, CacheError, RateDecision, ttl_seconds, weighted_previous, window_keys};

type Entries = HashMap<String, (String, Instant)>;

/// An in-process cache: the embedded default. Each Lambda instance keeps its
/// own, so it only helps warm instances; production uses Upstash.
///
/// Two pools: cached values, bounded and evicted when full; and pinned
/// state (rate-limit counters, revoked logins), never evicted by values —
/// otherwise filling the cache with searches would reset a login's
/// password-guessing counter. Pinned entries leave only when they expire.
pub struct MemoryCache {
    entries: Mutex<Entries>,
    pinned: Mutex<Entries>,
    /// Pinned entries held when the next sweep of expired ones runs: twice
    /// those left live by the last sweep, at least [`Self::PINNED_SWEEP`],
    /// so many live counters are not swept again on every call.
    pinned_sweep_at: AtomicUsize,
    /// Bounds memory in a 128 MB Lambda: past this many keys, expired entries
    /// are swept and, if still full, the entry closest to expiry is dropped.
    capacity: usize,
}

impl MemoryCache {
    /// Default capacity: a search result is about 20–60 KB of JSON, so 1,000
    /// entries stay well under 64 MB.
    pub const DEFAULT_CAPACITY: usize = 1000;

    /// Pinned entries are a few dozen bytes; past this many, expired ones
    /// are swept (counters live two windows, marks one token lifetime).
    const PINNED_SWEEP: usize = 10_000;

    /// An empty cache holding at most `capacity` values.
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            pinned: Mutex::new(HashMap::new()),
            pinned_sweep_at: AtomicUsize::new(Self::PINNED_SWEEP),
            capacity: capacity.max(1),
        }
    }

    fn lock(map: &Mutex<Entries>) -> std::sync::MutexGuard<'_, Entries> {
        map.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn pinned(&self) -> std::sync::MutexGuard<'_, Entries> {
        let mut pinned = Self::lock(&self.pinned);
        // Read and written under the lock: relaxed ordering is enough.
        if pinned.len() >= self.pinned_sweep_at.load(Ordering::Relaxed) {
            let now = Instant::now();
            pinned.retain(|_, (_, expires)| *expires > now);
            let next = (pinned.len() * 2).max(Self::PINNED_SWEEP);
            self.pinned_sweep_at.store(next, Ordering::Relaxed);
        }
        pinned
    }
}

impl Default for MemoryCache {
    fn default() -> Self {
        Self::new(Self::DEFAULT_CAPACITY)
    }
}

/// The live value under `key`, dropping it if expired.
fn live(entries: &mut Entries, key: &str) -> Option<String> {
    match entries.get(key) {
        Some((value, expires)) if *expires > Instant::now() => Some(value.clone()),
        Some(_) => {
            entries.remove(key);
            None
        }
        None => None,
    }
}

#[async_trait]
impl Cache for MemoryCache {
    fn name(&self) -> &'static str {
        "memory"
    }

    async fn get(&self, key: &str) -> Result<Option<String>, CacheError> {
        if let Some(value) = live(&mut self.pinned(), key) {
            return Ok(Some(value));
        }
        Ok(live(&mut Self::lock(&self.entries), key))
    }

    async fn set(&self, key: &str, value: &str, ttl: Duration) -> Result<(), CacheError> {
        let now = Instant::now();
        let mut entries = Self::lock(&self.entries);
        if entries.len() >= self.capacity && !entries.contains_key(key) {
            entries.retain(|_, (_, expires)| *expires > now);
            if entries.len() >= self.capacity {
                let soonest = entries
                    .iter()
                    .min_by_key(|(_, (_, e))| *e)
                    .map(|(k, _)| k.clone());
                if let Some(k) = soonest {
                    entries.remove(&k);
                }
            }
        }
        let expires = now + Duration::from_secs(ttl_seconds(ttl));
        entries.insert(key.to_owned(), (value.to_owned(), expires));
        Ok(())
    }

    async fn set_pinned(&self, key: &str, value: &str, ttl: Duration) -> Result<(), CacheError> {
        let expires = Instant::now() + Duration::from_secs(ttl_seconds(ttl));
        self.pinned()
            .insert(key.to_owned(), (value.to_owned(), expires));
        Ok(())
    }

    async fn delete(&self, key: &str) -> Result<(), CacheError> {
        self.pinned().remove(key);
        Self::lock(&self.entries).remove(key);
        Ok(())
    }

    async fn rate_limit(
        &self,
        key: &str,
        limit: u32,
        window: Duration,
        now_ms: i64,
    ) -> Result<RateDecision, CacheError> {
        let window_ms = i64::try_from(window.as_millis()).unwrap_or(i64::MAX).max(1);
        let (current_key, previous_key, reset_after_ms) = window_keys(key, window_ms, now_ms);
        let mut entries = self.pinned();
        let now = Instant::now();
        let count = |entries: &Entries, k: &str| {
            entries
                .get(k)
                .filter(|(_, expires)| *expires > now)
                .and_then(|(v, _)| v.parse::<i64>().ok())
                .unwrap_or(0)
        };
        let current = count(&entries, &current_key);
        let previous = weighted_previous(count(&entries, &previous_key), window_ms, now_ms);
        let limit = i64::from(limit);
        if previous + current >= limit {
            return Ok(RateDecision {
                allowed: false,
                remaining: 0,
                reset_after_ms,
            });
        }
        let expires =
            now + Duration::from_millis(u64::try_from(window_ms * 2 + 1000).unwrap_or(u64::MAX));
        let expires = entries.get(&current_key).map_or(expires, |(_, e)| *e);
        entries.insert(current_key, ((current + 1).to_string(), expires));
        let remaining = u32::try_from(limit - (current + 1 + previous)).unwrap_or(0);
        Ok(RateDecision {
            allowed: true,
            remaining,
            reset_after_ms,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn values_expire_and_capacity_is_kept() {
        let cache = MemoryCache::new(2);
        cache.set("a", "1", Duration::from_secs(60)).await.unwrap();
        assert_eq!(cache.get("a").await.unwrap().as_deref(), Some("1"));
        cache.set("b", "2", Duration::from_secs(30)).await.unwrap();
        cache.set("c", "3", Duration::from_secs(90)).await.unwrap();
        // "b" expired soonest, so it made room.
        assert_eq!(cache.get("b").await.unwrap(), None);
        assert_eq!(cache.get("c").await.unwrap().as_deref(), Some("3"));
        cache.delete("c").await.unwrap();
        assert_eq!(cache.get("c").await.unwrap(), None);
    }

    #[tokio::test]
    async fn filling_the_cache_with_values_never_resets_a_rate_limit_or_a_pin() {
        let cache = MemoryCache::new(10);
        let window = Duration::from_secs(60);
        for _ in 0..5 {
            assert!(
                cache
                    .rate_limit("login", 5, window, 1_000)
                    .await
                    .unwrap()
                    .allowed
            );
        }
        cache
            .set_pinned("revoked", "1", Duration::from_secs(900))
            .await
            .unwrap();
        for i in 0..100 {
            let key = format!("search:{i}");
            cache
                .set(&key, "x", Duration::from_secs(300))
                .await
                .unwrap();
        }
        assert!(
            !cache
                .rate_limit("login", 5, window, 2_000)
                .await
                .unwrap()
                .allowed
        );
        assert_eq!(cache.get("revoked").await.unwrap().as_deref(), Some("1"));
    }
}
