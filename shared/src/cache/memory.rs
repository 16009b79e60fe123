use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_trait::async_trait;

use super::{Cache, CacheError, RateDecision, ttl_seconds, weighted_previous, window_keys};

/// An in-process cache: the embedded default. Each Lambda instance keeps its
/// own, so it only helps warm instances; production uses Upstash.
pub struct MemoryCache {
    entries: Mutex<HashMap<String, (String, Instant)>>,
    /// Bounds memory in a 128 MB Lambda: past this many keys, expired entries
    /// are swept and, if still full, the entry closest to expiry is dropped.
    capacity: usize,
}

impl MemoryCache {
    /// Default capacity: a search result is about 20–60 KB of JSON, so 1,000
    /// entries stay well under 64 MB.
    pub const DEFAULT_CAPACITY: usize = 1000;

    /// An empty cache holding at most `capacity` keys.
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (String, Instant)>> {
        // A panic while holding the lock leaves the map consistent (every
        // operation is a single insert or remove), so poisoning is ignored.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Default for MemoryCache {
    fn default() -> Self {
        Self::new(Self::DEFAULT_CAPACITY)
    }
}

#[async_trait]
impl Cache for MemoryCache {
    fn name(&self) -> &'static str {
        "memory"
    }

    async fn get(&self, key: &str) -> Result<Option<String>, CacheError> {
        let mut entries = self.lock();
        match entries.get(key) {
            Some((value, expires)) if *expires > Instant::now() => Ok(Some(value.clone())),
            Some(_) => {
                entries.remove(key);
                Ok(None)
            }
            None => Ok(None),
        }
    }

    async fn set(&self, key: &str, value: &str, ttl: Duration) -> Result<(), CacheError> {
        let now = Instant::now();
        let mut entries = self.lock();
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

    async fn delete(&self, key: &str) -> Result<(), CacheError> {
        self.lock().remove(key);
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
        let mut entries = self.lock();
        let now = Instant::now();
        let count = |entries: &HashMap<String, (String, Instant)>, k: &str| {
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
        // Kept two windows and a second, like the Lua script's PEXPIRE.
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
}
