//! The application: adapters built once from configuration and shared by
//! every handler (in a Lambda binary and in the local server alike).

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::assistant::model::{AssistantModel, OpenAiCompatible};
use crate::assistant::{ChatService, TurnLimits};
use crate::auth::{Auth, AuthSettings, Tokens};
use crate::cache::{Breaker, Cache, MemoryCache, UpstashCache};
use crate::config::{AssistantBackend, CacheBackend, Config, ProviderKind, StoreBackend};
use crate::config::{EmailBackend, PriceHistoryBackend, WatchConfig};
use crate::email::{LogMailer, Mailer, SesMailer};
use crate::fares::{
    DemoCalendar, DemoProvider, FareCalendar, FareProvider, FareSearch, SearchService,
};
use crate::prices::{DynamoPriceHistory, Insights, MemoryPriceHistory, PriceHistory};
use crate::store::{
    AccountStore, HistoryStore, MemoryStore, MemoryWatchStore, PostgrestStore, WatchRefreshStore,
    WatchStore,
};

/// The current time; a fixed one in tests.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// Everything a handler needs, cheap to clone.
#[derive(Clone)]
pub struct App {
    /// Cached flight search across the configured providers.
    pub search: Arc<SearchService>,
    /// Sign-up, login, refresh and logout.
    pub auth: Arc<Auth>,
    /// Conversation history, on behalf of each signed-in caller.
    pub history: Arc<dyn HistoryStore>,
    /// Watches and notifications, on behalf of each signed-in caller.
    pub watches: Arc<dyn WatchStore>,
    /// Every traveller's watches, for the scheduled refresh (service role).
    pub watch_refresh: Arc<dyn WatchRefreshStore>,
    /// How the refresh claims and reschedules watches.
    pub refresh: WatchConfig,
    /// Where the refresh e-mails new notifications.
    pub mailer: Arc<dyn Mailer>,
    /// The chat turn with the offline assistant.
    pub chat: Arc<ChatService>,
    /// Rate limits (and whatever else is short-lived).
    pub cache: Arc<dyn Cache>,
    /// Source of "now" for date checks, pricing and tokens.
    pub clock: Clock,
    /// Origins allowed to call from a browser.
    pub cors_allowed_origins: Arc<[String]>,
    /// Proxies whose `X-Forwarded-For` names the client (`serve` only).
    pub trusted_proxies: Arc<[std::net::IpAddr]>,
    store_name: &'static str,
}

impl App {
    /// Builds every adapter `config` selects, once.
    ///
    /// # Errors
    /// When an adapter's HTTP client cannot be built (TLS set-up).
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        let cache = cache(config)?;
        let Stores {
            accounts,
            history,
            watches,
            watch_refresh,
            name: store_name,
        } = stores(config)?;
        let search = Arc::new(with_insights(
            SearchService::new(
                FareSearch::new(providers(config), config.search_deadline),
                cache.clone(),
                config.search_cache_ttl,
            )
            .with_calendar(calendar()),
            config,
        ));
        Ok(Self {
            chat: Arc::new(
                ChatService::new(
                    history.clone(),
                    search.clone(),
                    cache.clone(),
                    TurnLimits {
                        per_minute: config.chat_limit_per_user,
                        model_deadline: config.chat_model_deadline,
                    },
                    model(config)?,
                )
                .with_watches(watches.clone()),
            ),
            search,
            auth: Arc::new(auth(config, accounts, cache.clone())),
            history,
            watches,
            watch_refresh,
            refresh: config.watches.clone(),
            mailer: mailer(config),
            cache,
            clock: Arc::new(Utc::now),
            cors_allowed_origins: config.cors_allowed_origins.clone().into(),
            trusted_proxies: config.trusted_proxies.clone().into(),
            store_name,
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
            "fare providers: {}; cache: {}; store: {}; price history: {}; e-mail: {}",
            self.search.provider_names().join(", "),
            self.search.cache_name(),
            self.store_name,
            self.search.history_name(),
            self.mailer.name()
        )
    }
}

/// The search service with price history and insight when configured; the
/// demo model stands in for unobserved history when it is the only provider.
fn with_insights(search: SearchService, config: &Config) -> SearchService {
    let history: Arc<dyn PriceHistory> = match &config.watches.price_history {
        PriceHistoryBackend::Off => return search,
        PriceHistoryBackend::Memory => Arc::new(MemoryPriceHistory::default()),
        PriceHistoryBackend::DynamoDb { table } => Arc::new(DynamoPriceHistory::from_env(table)),
    };
    let demo_only = config
        .fare_providers
        .iter()
        .all(|p| *p == ProviderKind::Demo);
    search.with_insights(Insights::new(history, demo_only))
}

/// A per-process secret for the memory store, where tokens need not outlive
/// the process (and no account, key or server is needed).
fn random_secret() -> String {
    use rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The e-mail adapter: built here once, its SDK client on first send.
fn mailer(config: &Config) -> Arc<dyn Mailer> {
    match &config.watches.email {
        EmailBackend::Log => Arc::new(LogMailer),
        EmailBackend::Ses { from } => Arc::new(SesMailer::from_env(from)),
    }
}

fn cache(config: &Config) -> anyhow::Result<Arc<dyn Cache>> {
    Ok(match &config.cache {
        CacheBackend::Memory => Arc::new(MemoryCache::default()),
        CacheBackend::Upstash { url, token } => Arc::new(Breaker::new(UpstashCache::new(
            url,
            token,
            config.cache_timeout,
        )?)),
    })
}

fn providers(config: &Config) -> Vec<Arc<dyn FareProvider>> {
    config
        .fare_providers
        .iter()
        .map(|kind| match kind {
            ProviderKind::Demo => Arc::new(DemoProvider) as Arc<dyn FareProvider>,
            // Adapters land with #12; until then the names parse and are refused here.
            ProviderKind::Duffel { .. } | ProviderKind::Travelpayouts { .. } => {
                unimplemented!("provider adapter")
            }
        })
        .collect()
}

/// Every store port, each served by one adapter built once (one HTTP
/// client and TLS set-up for PostgREST, not one per port).
struct Stores {
    accounts: Arc<dyn AccountStore>,
    history: Arc<dyn HistoryStore>,
    watches: Arc<dyn WatchStore>,
    watch_refresh: Arc<dyn WatchRefreshStore>,
    name: &'static str,
}

fn stores(config: &Config) -> anyhow::Result<Stores> {
    Ok(match &config.store {
        StoreBackend::Memory => {
            let store = Arc::new(MemoryStore::default());
            let watches = Arc::new(MemoryWatchStore::with_accounts(store.clone()));
            Stores {
                accounts: store.clone(),
                history: store,
                watches: watches.clone(),
                watch_refresh: watches,
                name: "memory",
            }
        }
        StoreBackend::Postgrest {
            url,
            anon_key,
            service_key,
        } => {
            let store = Arc::new(PostgrestStore::new(
                url,
                anon_key,
                service_key.as_deref(),
                config.store_timeout,
            )?);
            Stores {
                accounts: store.clone(),
                history: store.clone(),
                watches: store.clone(),
                watch_refresh: store,
                name: "postgrest",
            }
        }
    })
}

fn auth(config: &Config, accounts: Arc<dyn AccountStore>, cache: Arc<dyn Cache>) -> Auth {
    let secret = config.jwt_secret.clone().unwrap_or_else(random_secret);
    Auth::new(
        accounts,
        cache,
        Tokens::new(secret.as_bytes(), config.access_ttl),
        AuthSettings {
            access_ttl: config.access_ttl,
            refresh_ttl: config.refresh_ttl,
            per_ip_limit: config.auth_limit_per_ip,
            per_email_limit: config.auth_limit_per_email,
            window: Duration::from_secs(60),
        },
    )
}

fn model(config: &Config) -> anyhow::Result<Option<Arc<dyn AssistantModel>>> {
    Ok(match &config.assistant {
        AssistantBackend::Rules => None,
        AssistantBackend::OpenAi {
            base_url,
            api_key,
            model,
        } => Some(Arc::new(OpenAiCompatible::new(
            base_url,
            api_key,
            model,
            config.model_timeout,
        )?)),
    })
}

/// The price calendar flexible-date searches read: the demo model's (the
/// Travelpayouts calendar, when configured, takes its place with #12).
fn calendar() -> Arc<dyn FareCalendar> {
    Arc::new(DemoCalendar)
}
