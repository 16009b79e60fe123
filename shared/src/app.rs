//! The application: adapters built once from configuration and shared by
//! every handler (in a Lambda binary and in the local server alike).

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::cache::{Cache, CacheError, MemoryCache, UpstashCache};
use crate::config::{CacheBackend, Config, ProviderKind};
use crate::fares::{DemoProvider, FareProvider, FareSearch, SearchService};

/// The current time; a fixed one in tests.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// Everything a handler needs, cheap to clone.
#[derive(Clone)]
pub struct App {
    /// Cached flight search across the configured providers.
    pub search: Arc<SearchService>,
    /// Source of "now" for date checks and pricing.
    pub clock: Clock,
    /// Origins allowed to call from a browser.
    pub cors_allowed_origins: Arc<[String]>,
}

impl App {
    /// Builds every adapter `config` selects, once.
    ///
    /// # Errors
    /// When an adapter cannot be built (the Upstash client's TLS set-up).
    pub fn from_config(config: &Config) -> Result<Self, CacheError> {
        let cache: Arc<dyn Cache> = match &config.cache {
            CacheBackend::Memory => Arc::new(MemoryCache::default()),
            CacheBackend::Upstash { url, token } => {
                Arc::new(UpstashCache::new(url, token, config.cache_timeout)?)
            }
        };
        let providers = config
            .fare_providers
            .iter()
            .map(|kind| match kind {
                ProviderKind::Demo => Arc::new(DemoProvider) as Arc<dyn FareProvider>,
            })
            .collect();
        let fares = FareSearch::new(providers, config.search_deadline);
        Ok(Self {
            search: Arc::new(SearchService::new(fares, cache, config.search_cache_ttl)),
            clock: Arc::new(Utc::now),
            cors_allowed_origins: config.cors_allowed_origins.clone().into(),
        })
    }

    /// The same app with a fixed clock (tests, benchmarks).
    #[must_use]
    pub fn with_clock(mut self, now: DateTime<Utc>) -> Self {
        self.clock = Arc::new(move || now);
        self
    }

    /// One line for start-up logs: which adapters are active.
    pub fn describe(&self) -> String {
        format!(
            "fare providers: {}; cache: {}",
            self.search.provider_names().join(", "),
            self.search.cache_name()
        )
    }
}
