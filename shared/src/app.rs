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
use crate::config::{EmailBackend, PriceHistoryBackend, RatesBackend, WatchConfig};
use crate::email::{LogMailer, Mailer, SesMailer};
use crate::fares::{
    DemoCalendar, DemoProvider, DuffelProvider, FareCalendar, FareProvider, FareSearch,
    SearchService, Travelpayouts,
};
use crate::metrics::{Metrics, TimedModel};
use crate::prices::{DynamoPriceHistory, Insights, MemoryPriceHistory, PriceHistory};
use crate::rates::{EcbRates, FixedRates, Rates};
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
    /// Cheapest known price per day: Travelpayouts' month matrix when
    /// configured, else the demo model.
    pub calendar: Arc<dyn FareCalendar>,
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
    /// Where metric lines go (the search, the chat and the refresh report
    /// to the same sink).
    pub metrics: Metrics,
    store_name: &'static str,
}

/// The adapters a function links in beyond the search itself. Each is a
/// constructor named by the function's `main` (one of the constants below),
/// so a function that names none links none of its code: fat LTO drops what
/// nothing reaches. `watches`, `auth` and `history` never touch DynamoDB or
/// SES (the AWS SDK is about 2.5 MB of a binary), `search` keeps nothing in
/// the store and calls no model. Configuration still chooses whether a
/// linked adapter is used.
#[derive(Clone, Copy)]
pub struct Adapters {
    /// The DynamoDB price history, for `PRICE_HISTORY=dynamodb`.
    price_history: Option<Build<dyn PriceHistory>>,
    /// The SES mailer, for `EMAIL=ses`.
    mailer: Option<Build<dyn Mailer>>,
    /// The configured store (memory or PostgREST); without it every store
    /// port is an in-memory one the function never calls.
    stores: Option<fn(&Config) -> anyhow::Result<Stores>>,
    /// The configured assistant model (`ASSISTANT=openai`).
    model: Option<BuildModel>,
}

/// Builds the configured model adapter, if any.
type BuildModel = fn(&Config, &Metrics) -> anyhow::Result<Option<Arc<dyn AssistantModel>>>;

/// Builds an adapter from its one setting (a table name, a sender address).
type Build<T> = fn(&str) -> Arc<T>;

impl Adapters {
    /// The `search` function: price history, no store, no model.
    pub const SEARCH: Self = Self {
        price_history: Some(dynamo_history),
        mailer: None,
        stores: None,
        model: None,
    };
    /// The `chat` function: price history (its searches record and read
    /// it), the store and the model.
    pub const CHAT: Self = Self {
        price_history: Some(dynamo_history),
        mailer: None,
        stores: Some(stores),
        model: Some(model),
    };
    /// Functions that only need the store: `auth`, `history`, `watches`
    /// and `fare-refresh`.
    pub const STORE: Self = Self {
        price_history: None,
        mailer: None,
        stores: Some(stores),
        model: None,
    };
    /// The `refresh-worker` function: price history, the mailer, the store.
    pub const WORKER: Self = Self {
        price_history: Some(dynamo_history),
        mailer: Some(ses_mailer),
        stores: Some(stores),
        model: None,
    };
    /// Everything (the local server, the CLI, tests).
    pub const ALL: Self = Self {
        price_history: Some(dynamo_history),
        mailer: Some(ses_mailer),
        stores: Some(stores),
        model: Some(model),
    };
}

fn dynamo_history(table: &str) -> Arc<dyn PriceHistory> {
    Arc::new(DynamoPriceHistory::from_env(table))
}

fn ses_mailer(from: &str) -> Arc<dyn Mailer> {
    Arc::new(SesMailer::from_env(from))
}

impl App {
    /// Builds every adapter `config` selects, once, with every AWS adapter
    /// linked (the local server, the CLI, tests).
    ///
    /// # Errors
    /// When an adapter's HTTP client cannot be built (TLS set-up), or a
    /// configured provider has no adapter in this build.
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        Self::with_adapters(config, Adapters::ALL)
    }

    /// Builds every adapter `config` selects, once, linking only those in
    /// `adapters` (a Lambda function's `main`), with the configured metrics.
    ///
    /// # Errors
    /// When an adapter's HTTP client cannot be built (TLS set-up).
    pub fn with_adapters(config: &Config, adapters: Adapters) -> anyhow::Result<Self> {
        Self::assemble(config, adapters, Metrics::from_config(&config.metrics))
    }

    /// Builds every adapter `config` selects, linking those in `adapters`
    /// and reporting metrics to `metrics` instead of the configured sink
    /// (tests read a capture sink's lines).
    ///
    /// # Errors
    /// When an adapter's HTTP client cannot be built (TLS set-up).
    pub fn assemble(config: &Config, adapters: Adapters, metrics: Metrics) -> anyhow::Result<Self> {
        let cache = cache(config)?;
        let Stores {
            accounts,
            history,
            watches,
            watch_refresh,
            name: store_name,
        } = match adapters.stores {
            Some(build) => build(config)?,
            None => unused_stores(config),
        };
        let fares = fares(config)?;
        let search = Arc::new(with_insights(
            SearchService::new(fares.search, cache.clone(), config.search_cache_ttl)
                .with_calendar(fares.calendar.clone())
                .with_metrics(metrics.clone()),
            config,
            adapters,
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
                    match adapters.model {
                        Some(build) => build(config, &metrics)?,
                        None => None,
                    },
                )
                .with_watches(watches.clone()),
            ),
            search,
            calendar: fares.calendar,
            auth: Arc::new(auth(config, accounts, cache.clone())),
            history,
            watches,
            watch_refresh,
            refresh: config.watches.clone(),
            mailer: mailer(config, adapters),
            cache,
            clock: Arc::new(Utc::now),
            cors_allowed_origins: config.cors_allowed_origins.clone().into(),
            trusted_proxies: config.trusted_proxies.clone().into(),
            metrics,
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
            "fare providers: {}; rates: {}; cache: {}; store: {}; price history: {}; e-mail: {}; metrics: {}",
            self.search.provider_names().join(", "),
            self.search.rates_name(),
            self.search.cache_name(),
            self.store_name,
            self.search.history_name(),
            self.mailer.name(),
            self.metrics.name()
        )
    }
}

/// The search service with price history and insight when configured; the
/// demo model stands in for unobserved history when it is the only provider.
fn with_insights(search: SearchService, config: &Config, adapters: Adapters) -> SearchService {
    let history: Arc<dyn PriceHistory> =
        match (&config.watches.price_history, adapters.price_history) {
            (PriceHistoryBackend::Off, _) => return search,
            (PriceHistoryBackend::Memory, _) => Arc::new(MemoryPriceHistory::default()),
            (PriceHistoryBackend::DynamoDb { table }, Some(dynamo)) => dynamo(table),
            (PriceHistoryBackend::DynamoDb { .. }, None) => {
                tracing::info!("PRICE_HISTORY=dynamodb: not used by this function");
                return search;
            }
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
fn mailer(config: &Config, adapters: Adapters) -> Arc<dyn Mailer> {
    match (&config.watches.email, adapters.mailer) {
        (EmailBackend::Log, _) => Arc::new(LogMailer),
        (EmailBackend::Ses { from }, Some(ses)) => ses(from),
        (EmailBackend::Ses { .. }, None) => {
            tracing::info!("EMAIL=ses: not used by this function");
            Arc::new(LogMailer)
        }
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

/// The configured fare providers, and the calendar that goes with them.
struct Fares {
    search: FareSearch,
    calendar: Arc<dyn FareCalendar>,
}

/// Builds each configured provider once, each with its deadline share, and
/// the rates their prices are converted with; Travelpayouts also serves the
/// calendar (one HTTP client for both).
fn fares(config: &Config) -> anyhow::Result<Fares> {
    let rates: Arc<dyn Rates> = match &config.rates {
        RatesBackend::Fixed => Arc::new(FixedRates::default()),
        // 3 s: the ECB serves a 1.5 KB file; slower means it is down, and the
        // adapter falls back to the last table it read.
        RatesBackend::Ecb { url } => Arc::new(EcbRates::new(url, Duration::from_secs(3))?),
    };
    let mut providers: Vec<Arc<dyn FareProvider>> = Vec::new();
    let mut calendar: Arc<dyn FareCalendar> = Arc::new(DemoCalendar);
    for kind in &config.fare_providers {
        match kind {
            ProviderKind::Demo => providers.push(Arc::new(DemoProvider)),
            ProviderKind::Duffel { base_url, token } => providers.push(Arc::new(
                DuffelProvider::new(base_url, token, config.duffel_deadline)?,
            )),
            ProviderKind::Travelpayouts {
                base_url,
                token,
                marker,
            } => {
                let adapter = Arc::new(Travelpayouts::new(
                    base_url,
                    token,
                    marker.as_deref(),
                    config.search_deadline,
                    rates.clone(),
                )?);
                calendar = adapter.clone();
                providers.push(adapter);
            }
        }
    }
    let search = FareSearch::new(providers, config.search_deadline)
        .with_provider_deadline("duffel", config.duffel_deadline)
        .with_rates(rates);
    Ok(Fares { search, calendar })
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

/// Store ports for a function that keeps nothing (`search`): in memory,
/// never called by its routes; configuration asking for PostgREST is logged.
fn unused_stores(config: &Config) -> Stores {
    if matches!(config.store, StoreBackend::Postgrest { .. }) {
        tracing::info!("STORE=postgrest: not used by this function");
    }
    memory_stores("none")
}

/// Every store port on one in-memory store, reported as `name`.
fn memory_stores(name: &'static str) -> Stores {
    let store = Arc::new(MemoryStore::default());
    let watches = Arc::new(MemoryWatchStore::with_accounts(store.clone()));
    Stores {
        accounts: store.clone(),
        history: store,
        watches: watches.clone(),
        watch_refresh: watches,
        name,
    }
}

fn stores(config: &Config) -> anyhow::Result<Stores> {
    Ok(match &config.store {
        StoreBackend::Memory => memory_stores("memory"),
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

/// The configured model, each call timed when metrics are on.
fn model(config: &Config, metrics: &Metrics) -> anyhow::Result<Option<Arc<dyn AssistantModel>>> {
    let model: Arc<dyn AssistantModel> = match &config.assistant {
        AssistantBackend::Rules => return Ok(None),
        AssistantBackend::OpenAi {
            base_url,
            api_key,
            model,
        } => Arc::new(OpenAiCompatible::new(
            base_url,
            api_key,
            model,
            config.model_timeout,
        )?),
    };
    Ok(Some(if metrics.is_on() {
        Arc::new(TimedModel::new(model, metrics.clone()))
    } else {
        model
    }))
}
