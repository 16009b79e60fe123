use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tokio::time::timeout;

use super::calendar::FareCalendar;
use super::flexible::{self, FlexibleSummary};
use super::{FareSearch, Warning, refine};
use crate::cache::Cache;
use crate::domain::Offer;
use crate::metrics::{Metric, Metrics};
use crate::prices::{Insight, Insights};
use crate::search::SearchQuery;

/// Longest wait for the cache on a search: a slow cache must cost less than
/// the search it would save (a demo search takes about a millisecond, a
/// Duffel search seconds).
const CACHE_TIMEOUT: Duration = Duration::from_millis(300);

/// Version of the cached layout; bump it when [`CachedOffers`] changes shape.
const CACHE_PREFIX: &str = "search:v1:";

/// A search answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SearchResults {
    /// The offers after filters, sort and limit.
    pub offers: Vec<Offer>,
    /// Providers that failed or were late.
    pub warnings: Vec<Warning>,
    /// Whether the providers' answer came from the cache.
    pub cached: bool,
    /// How old the cached answer is, in seconds (0 when fresh).
    pub cache_age_seconds: u64,
    /// When the providers were asked.
    pub searched_at: DateTime<Utc>,
    /// Today's cheapest price against comparable history (`None` without
    /// offers, for multi-city trips, or when price history is off).
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub insight: Option<Insight>,
    /// For a flexible-date or several-origin search: the cheapest calendar
    /// days, the origins and how many calendar and live requests it made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flexible: Option<FlexibleSummary>,
}

/// What is stored per query: the merged offers before filters and sort, so
/// queries that differ only in those share an entry.
#[derive(Clone, Serialize, Deserialize)]
struct CachedOffers {
    searched_at: DateTime<Utc>,
    offers: Vec<Offer>,
}

/// Flight search with a cache in front of the providers.
pub struct SearchService {
    fares: FareSearch,
    cache: Arc<dyn Cache>,
    /// How long merged offers are reused: short, because fares move and
    /// live offers expire (Duffel's within about 30 minutes).
    ttl: Duration,
    /// Price history and insight; `None` leaves answers without them.
    insights: Option<Insights>,
    /// The last answers this process read from the cache port, kept typed:
    /// a repeated search (the chat's refinements, a page reload) skips
    /// decoding the JSON of every merged offer, which was most of a cached
    /// search's time. Filled only from the port's hits, so it never keeps
    /// what the port would not have.
    warm: Mutex<HashMap<String, (Instant, Arc<CachedOffers>)>>,
    /// Cheapest price per day, which flexible-date searches read to choose
    /// the days to search live; `None` leaves them with a warning.
    calendar: Option<Arc<dyn FareCalendar>>,
    /// Where cache hits and misses are counted.
    metrics: Metrics,
}

/// Answers kept typed in process: a few hundred KB each, so a few MB in all.
const WARM_ENTRIES: usize = 32;

impl SearchService {
    /// A service over `fares`, caching complete answers in `cache` for `ttl`.
    pub fn new(fares: FareSearch, cache: Arc<dyn Cache>, ttl: Duration) -> Self {
        Self {
            fares,
            cache,
            ttl,
            insights: None,
            warm: Mutex::new(HashMap::new()),
            calendar: None,
            metrics: Metrics::off(),
        }
    }

    /// The same service counting cache hits and misses, and timing each
    /// provider call, in `metrics`.
    #[must_use]
    pub fn with_metrics(mut self, metrics: Metrics) -> Self {
        self.fares = self.fares.with_metrics(metrics.clone());
        self.metrics = metrics;
        self
    }

    /// The sink this service reports to. The chat turn, which holds the
    /// service, reports its own metrics here too: one sink per app, and
    /// the turn's code needs no field of its own for it.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// The same service answering flexible-date searches from `calendar`.
    #[must_use]
    pub fn with_calendar(mut self, calendar: Arc<dyn FareCalendar>) -> Self {
        self.calendar = Some(calendar);
        self
    }

    /// The price calendar's name (`off` without one).
    pub fn calendar_name(&self) -> &str {
        self.calendar.as_ref().map_or("off", |c| c.name())
    }

    /// The same service recording every fresh answer's cheapest fare and
    /// adding an insight to every answer.
    #[must_use]
    pub fn with_insights(mut self, insights: Insights) -> Self {
        self.insights = Some(insights);
        self
    }

    /// The price history, when recording is on.
    pub fn price_history(&self) -> Option<&Arc<dyn crate::prices::PriceHistory>> {
        self.insights.as_ref().map(Insights::history)
    }

    /// The price history adapter's name (`off` without one).
    pub fn history_name(&self) -> &'static str {
        self.insights.as_ref().map_or("off", Insights::history_name)
    }

    /// The fare providers' names.
    pub fn provider_names(&self) -> Vec<String> {
        self.fares.provider_names()
    }

    /// The exchange-rates adapter's name (`fixed`, `ecb`).
    pub fn rates_name(&self) -> &'static str {
        self.fares.rates_name()
    }

    /// The cache adapter's name.
    pub fn cache_name(&self) -> &'static str {
        self.cache.name()
    }

    /// Offers for `query` as of `now`: from the cache when a complete answer
    /// is there, else from the providers. Partial answers (any warning) are
    /// not cached, so a provider's hiccup is not remembered. Cache failures
    /// are logged and treated as misses.
    ///
    /// A flexible-date or several-origin query reads the calendar and runs
    /// one plain search per chosen day and origin (see `fares::flexible`).
    pub async fn search(&self, query: &SearchQuery, now: DateTime<Utc>) -> SearchResults {
        if !query.is_plain() {
            return flexible::search(self, self.calendar.as_ref(), query, now).await;
        }
        self.plain(query, now).await
    }

    /// [`Self::search`] for a query with fixed dates and one origin.
    async fn plain(&self, query: &SearchQuery, now: DateTime<Utc>) -> SearchResults {
        let mut results = self.offers(query, now).await;
        if let Some(insights) = &self.insights {
            insights.observe(query, &results);
            results.insight = insights.insight(query, &results, now).await;
        }
        results
    }

    /// Offers for `query` as [`Self::search`] finds them, recording the
    /// observation but without an insight: the refresh worker's search,
    /// where nobody reads one.
    pub async fn search_and_record(
        &self,
        query: &SearchQuery,
        now: DateTime<Utc>,
    ) -> SearchResults {
        if !query.is_plain() {
            return flexible::search(self, self.calendar.as_ref(), query, now).await;
        }
        let results = self.offers(query, now).await;
        if let Some(insights) = &self.insights {
            insights.observe(query, &results);
        }
        results
    }

    async fn offers(&self, query: &SearchQuery, now: DateTime<Utc>) -> SearchResults {
        let key = format!("{CACHE_PREFIX}{}", query.provider_key());
        let hit = self.cached(&key).await;
        self.metrics.record(&[
            (Metric::CacheHits, f64::from(u8::from(hit.is_some()))),
            (Metric::CacheMisses, f64::from(u8::from(hit.is_none()))),
        ]);
        if let Some(hit) = hit {
            let age = (now - hit.searched_at).num_seconds().max(0);
            let (offers, filtered) = refine(hit.offers.clone(), query.options());
            return SearchResults {
                offers,
                warnings: filtered.into_iter().collect(),
                cached: true,
                cache_age_seconds: u64::try_from(age).unwrap_or(0),
                searched_at: hit.searched_at,
                insight: None,
                flexible: None,
            };
        }
        let (offers, warnings) = self.fares.collect(query, now).await;
        if warnings.is_empty() {
            let entry = Arc::new(CachedOffers {
                searched_at: now,
                offers: offers.clone(),
            });
            self.store(&key, &entry).await;
        }
        let (offers, filtered) = refine(offers, query.options());
        SearchResults {
            offers,
            warnings: warnings.into_iter().chain(filtered).collect(),
            cached: false,
            cache_age_seconds: 0,
            searched_at: now,
            insight: None,
            flexible: None,
        }
    }

    /// The answer under `key`: typed from this process's last answers, else
    /// decoded from the cache port.
    async fn cached(&self, key: &str) -> Option<Arc<CachedOffers>> {
        if let Some(hit) = self.warm_hit(key) {
            return Some(hit);
        }
        let entry = Arc::new(self.decode(key).await?);
        self.keep_warm(key.to_owned(), entry.clone());
        Some(entry)
    }

    fn warm(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, Arc<CachedOffers>)>> {
        self.warm
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn warm_hit(&self, key: &str) -> Option<Arc<CachedOffers>> {
        let warm = self.warm();
        let (until, entry) = warm.get(key)?;
        (*until > Instant::now()).then(|| entry.clone())
    }

    /// Keeps an answer typed until its cache entry would expire; when full,
    /// the one closest to expiry makes room.
    fn keep_warm(&self, key: String, entry: Arc<CachedOffers>) {
        let mut warm = self.warm();
        let now = Instant::now();
        warm.retain(|_, (until, _)| *until > now);
        if warm.len() >= WARM_ENTRIES
            && let Some(soonest) = warm
                .iter()
                .min_by_key(|(_, (u, _))| *u)
                .map(|(k, _)| k.clone())
        {
            warm.remove(&soonest);
        }
        warm.insert(key, (now + self.ttl, entry));
    }

    async fn decode(&self, key: &str) -> Option<CachedOffers> {
        let found = match timeout(CACHE_TIMEOUT, self.cache.get(key)).await {
            Ok(Ok(found)) => found?,
            Ok(Err(err)) => {
                tracing::warn!(cache.name = self.cache.name(), error = %err, "cache read failed; searching providers");
                return None;
            }
            Err(_) => {
                tracing::warn!(
                    cache.name = self.cache.name(),
                    "cache read timed out; searching providers"
                );
                return None;
            }
        };
        match serde_json::from_str(&found) {
            Ok(entry) => Some(entry),
            Err(err) => {
                tracing::warn!(error = %err, "cached search unreadable; searching providers");
                None
            }
        }
    }

    async fn store(&self, key: &str, entry: &CachedOffers) {
        let Ok(json) = serde_json::to_string(entry) else {
            return;
        };
        match timeout(CACHE_TIMEOUT, self.cache.set(key, &json, self.ttl)).await {
            Ok(Ok(())) => {}
            Ok(Err(err)) => {
                tracing::warn!(cache.name = self.cache.name(), error = %err, "cache write failed")
            }
            Err(_) => tracing::warn!(cache.name = self.cache.name(), "cache write timed out"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::{CacheError, MemoryCache};
    use crate::fares::DemoProvider;
    use crate::search::{Leg, SearchOptions, Sort};
    use async_trait::async_trait;
    use chrono::TimeZone;

    struct DownCache;
    #[async_trait]
    impl Cache for DownCache {
        fn name(&self) -> &'static str {
            "down"
        }
        async fn get(&self, _: &str) -> Result<Option<String>, CacheError> {
            Err(CacheError::Unavailable("connection refused".to_owned()))
        }
        async fn set(&self, _: &str, _: &str, _: Duration) -> Result<(), CacheError> {
            Err(CacheError::Unavailable("connection refused".to_owned()))
        }
        async fn delete(&self, _: &str) -> Result<(), CacheError> {
            Err(CacheError::Unavailable("connection refused".to_owned()))
        }
        async fn rate_limit(
            &self,
            _: &str,
            _: u32,
            _: Duration,
            _: i64,
        ) -> Result<crate::cache::RateDecision, CacheError> {
            Err(CacheError::Unavailable("connection refused".to_owned()))
        }
    }

    fn service(cache: Arc<dyn Cache>) -> SearchService {
        SearchService::new(
            FareSearch::new(vec![Arc::new(DemoProvider)], Duration::from_secs(1)),
            cache,
            Duration::from_secs(300),
        )
    }

    fn query(sort: Sort) -> SearchQuery {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap();
        let leg = Leg::parse("legs[0]", "SAO", "LIS", "2027-03-10").unwrap();
        let options = SearchOptions {
            sort,
            ..SearchOptions::default()
        };
        SearchQuery::new(vec![leg], options, now).unwrap()
    }

    #[tokio::test]
    async fn second_search_is_served_from_cache_with_its_age_even_with_another_sort() {
        let svc = service(Arc::new(MemoryCache::default()));
        let t0 = Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap();
        let first = svc.search(&query(Sort::Best), t0).await;
        assert!(!first.cached);
        let later = t0 + chrono::Duration::seconds(42);
        let second = svc.search(&query(Sort::Cheapest), later).await;
        assert!(second.cached);
        assert_eq!(second.cache_age_seconds, 42);
        assert!(
            second
                .offers
                .windows(2)
                .all(|w| w[0].price.amount <= w[1].price.amount)
        );
    }

    #[tokio::test]
    async fn a_cache_that_is_down_never_fails_a_search() {
        let svc = service(Arc::new(DownCache));
        let t0 = Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap();
        let results = svc.search(&query(Sort::Best), t0).await;
        assert!(!results.offers.is_empty());
        assert!(!results.cached);
        assert!(results.warnings.is_empty());
    }
}
