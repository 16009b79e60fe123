//! Configuration: read once from environment variables into typed values.

use std::time::Duration;

/// Which cache adapter to build.
#[derive(Clone, PartialEq, Eq)]
pub enum CacheBackend {
    /// In-process (the embedded default).
    Memory,
    /// Upstash Redis over REST (or the local bridge).
    Upstash {
        /// `UPSTASH_REDIS_REST_URL`.
        url: String,
        /// `UPSTASH_REDIS_REST_TOKEN`; never logged.
        token: String,
    },
}

impl std::fmt::Debug for CacheBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Memory => f.write_str("Memory"),
            Self::Upstash { url, .. } => write!(f, "Upstash({url})"),
        }
    }
}

impl std::fmt::Debug for Config {
    // Secrets (JWT secret, tokens, keys) never reach a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("store", &self.store)
            .field("cache", &self.cache)
            .field("fare_providers", &self.fare_providers)
            .field("jwt_secret", &self.jwt_secret.as_ref().map(|_| "********"))
            .field("search_deadline", &self.search_deadline)
            .finish_non_exhaustive()
    }
}

/// Which store adapter to build.
#[derive(Clone, PartialEq, Eq)]
pub enum StoreBackend {
    /// In-process (the embedded default).
    Memory,
    /// Supabase (or the local bridge) over PostgREST.
    Postgrest {
        /// `SUPABASE_URL`, without `/rest/v1`.
        url: String,
        /// `SUPABASE_ANON_KEY`, sent as `apikey`.
        anon_key: String,
        /// `SUPABASE_SERVICE_ROLE_KEY`; never logged. Only the auth function
        /// administers accounts, so only it is given the key.
        service_key: Option<String>,
    },
}

impl std::fmt::Debug for StoreBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Memory => f.write_str("Memory"),
            Self::Postgrest { url, .. } => write!(f, "Postgrest({url})"),
        }
    }
}

/// Which assistant answers chat turns.
#[derive(Clone, PartialEq, Eq)]
pub enum AssistantBackend {
    /// The built-in offline assistant (the default).
    Rules,
    /// An OpenAI-compatible chat completions endpoint, with the offline
    /// assistant as fallback.
    OpenAi {
        /// `OPENAI_BASE_URL` (up to `/v1`).
        base_url: String,
        /// `OPENAI_API_KEY`; never logged.
        api_key: String,
        /// `OPENAI_MODEL`.
        model: String,
    },
}

impl std::fmt::Debug for AssistantBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Rules => f.write_str("Rules"),
            Self::OpenAi {
                base_url, model, ..
            } => write!(f, "OpenAi({base_url}, {model})"),
        }
    }
}

/// A fare provider that can be switched on with `FARE_PROVIDERS`.
#[derive(Clone, PartialEq, Eq)]
pub enum ProviderKind {
    /// The offline demo provider.
    Demo,
    /// Duffel's live offers (`DUFFEL_ACCESS_TOKEN`, `DUFFEL_BASE_URL`).
    Duffel {
        /// API base, `https://api.duffel.com` unless a replay server stands in.
        base_url: String,
        /// Bearer token; never logged.
        token: String,
    },
    /// Travelpayouts' cached prices (`TRAVELPAYOUTS_TOKEN`,
    /// `TRAVELPAYOUTS_BASE_URL`, `TRAVELPAYOUTS_MARKER`).
    Travelpayouts {
        /// API base, `https://api.travelpayouts.com` unless a replay server stands in.
        base_url: String,
        /// `X-Access-Token`; never logged.
        token: String,
        /// Partner marker added to booking links, when set.
        marker: Option<String>,
    },
}

impl ProviderKind {
    /// The name used in `FARE_PROVIDERS` and on offers.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Demo => "demo",
            Self::Duffel { .. } => "duffel",
            Self::Travelpayouts { .. } => "travelpayouts",
        }
    }
}

impl std::fmt::Debug for ProviderKind {
    // Tokens never reach a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Demo => f.write_str("Demo"),
            Self::Duffel { base_url, .. } => write!(f, "Duffel({base_url})"),
            Self::Travelpayouts { base_url, .. } => write!(f, "Travelpayouts({base_url})"),
        }
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One JSON object per line (CloudWatch).
    Json,
    /// Human-readable lines (a terminal).
    Text,
}

/// Every setting the functions read, parsed once at start-up.
#[derive(Clone)]
pub struct Config {
    /// `STORE` (+ `SUPABASE_URL`, `SUPABASE_ANON_KEY`, `SUPABASE_SERVICE_ROLE_KEY`).
    pub store: StoreBackend,
    /// `JWT_SECRET`: signs access tokens (the Supabase project's JWT secret,
    /// so PostgREST accepts them). Random per process when unset with the memory store.
    pub jwt_secret: Option<String>,
    /// `ACCESS_TOKEN_TTL_SECONDS`.
    pub access_ttl: Duration,
    /// `REFRESH_TOKEN_TTL_DAYS`.
    pub refresh_ttl: Duration,
    /// `AUTH_RATE_LIMIT_PER_IP`: sign-up and login attempts per address per minute.
    pub auth_limit_per_ip: u32,
    /// `AUTH_RATE_LIMIT_PER_EMAIL`: login attempts per e-mail per minute.
    pub auth_limit_per_email: u32,
    /// `STORE_TIMEOUT_MS`: one call to the store.
    pub store_timeout: Duration,
    /// `CHAT_RATE_LIMIT_PER_MINUTE`: chat turns per user per minute.
    pub chat_limit_per_user: u32,
    /// `ASSISTANT` (+ `OPENAI_BASE_URL`, `OPENAI_API_KEY`, `OPENAI_MODEL`).
    pub assistant: AssistantBackend,
    /// `MODEL_TIMEOUT_MS`: one model call.
    pub model_timeout: Duration,
    /// `CACHE` (+ `UPSTASH_REDIS_REST_URL`, `UPSTASH_REDIS_REST_TOKEN`).
    pub cache: CacheBackend,
    /// `FARE_PROVIDERS`, comma-separated.
    pub fare_providers: Vec<ProviderKind>,
    /// `SEARCH_DEADLINE_MS`: how long a search waits for providers.
    pub search_deadline: Duration,
    /// `DUFFEL_DEADLINE_MS`: Duffel's share of the search deadline (at most
    /// `SEARCH_DEADLINE_MS`).
    pub duffel_deadline: Duration,
    /// `RATES` (+ `RATES_URL`): where exchange rates come from.
    pub rates: RatesBackend,
    /// `SEARCH_CACHE_TTL_SECONDS`: how long merged offers are reused.
    pub search_cache_ttl: Duration,
    /// `CACHE_TIMEOUT_MS`: how long one call to a remote cache may take.
    pub cache_timeout: Duration,
    /// `CORS_ALLOWED_ORIGINS`, comma-separated (empty: no CORS headers).
    pub cors_allowed_origins: Vec<String>,
    /// `CHAT_MODEL_DEADLINE_MS`: all model attempts and tool rounds of one turn.
    pub chat_model_deadline: Duration,
    /// Price history and the scheduled refresh of watches.
    pub watches: WatchConfig,
    /// `TRUSTED_PROXIES`: addresses of reverse proxies in front of `serve`
    /// whose `X-Forwarded-For` is believed; empty, the socket's address is
    /// the client's (a client cannot pick its own rate-limit bucket).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// `LOG_FORMAT` (`json` or `text`); JSON by default inside Lambda.
    pub log_format: LogFormat,
    /// `METRICS` and `STAGE`: whether EMF metric lines are written.
    pub metrics: MetricsConfig,
}

/// Whether metrics are written as CloudWatch EMF lines, and for which stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricsConfig {
    /// `METRICS=emf`, or inside Lambda (`AWS_LAMBDA_FUNCTION_NAME` set)
    /// unless `METRICS=off`: `serve` and the CLI stay quiet unless asked.
    pub emf: bool,
    /// `STAGE` (`dev`, `staging`, `prod`; `local` when unset): the `Stage`
    /// dimension of every metric.
    pub stage: String,
}

/// A variable that is missing or malformed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{var}: {reason}")]
pub struct ConfigError {
    /// The environment variable.
    pub var: &'static str,
    /// Lowercase reason, quoting the bad value (never a secret's).
    pub reason: String,
}

impl ConfigError {
    fn new(var: &'static str, reason: impl Into<String>) -> Self {
        Self {
            var,
            reason: reason.into(),
        }
    }
}

/// Default provider deadline: API Gateway gives a request 30 s, and live
/// providers such as Duffel answer most searches within 5–8 s.
const DEFAULT_DEADLINE_MS: u64 = 8000;
/// Default share of the deadline for a live provider: the whole default
/// deadline less half a second for conversion, merging, ranking and the cache
/// write, so the answer still leaves within `SEARCH_DEADLINE_MS`.
const DEFAULT_SHARE_MS: u64 = 7500;
/// Default cache TTL: five minutes keeps repeated searches instant while
/// prices stay fresh enough to book.
const DEFAULT_TTL_SECONDS: u64 = 300;
/// Default remote-cache timeout: Upstash answers in single-digit ms from the
/// same region; a second means it is down.
const DEFAULT_CACHE_TIMEOUT_MS: u64 = 1000;

impl Config {
    /// Reads the process environment.
    ///
    /// # Errors
    /// The first variable that is missing or malformed.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `get` (the environment, or a map in tests).
    ///
    /// # Errors
    /// The first variable that is missing or malformed.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let vars = Vars(&get);
        let store = store(&vars)?;
        let jwt_secret = jwt_secret(&vars, &store)?;
        let search_deadline =
            vars.millis("SEARCH_DEADLINE_MS", DEFAULT_DEADLINE_MS, 100, 29_000)?;
        Ok(Self {
            assistant: assistant(&vars)?,
            // 20 s: a model answer with a tool round fits, and API Gateway's 30 s limit still holds.
            model_timeout: vars.millis("MODEL_TIMEOUT_MS", 20_000, 500, 28_000)?,
            // 15 s for every model attempt and tool round together, leaving the
            // offline answer, its search and the write well inside API Gateway's 29 s.
            chat_model_deadline: vars.millis("CHAT_MODEL_DEADLINE_MS", 15_000, 500, 25_000)?,
            store,
            jwt_secret,
            // 15 minutes: Supabase's default is an hour; shorter limits what a
            // leaked token can do, and refresh is one cheap call.
            access_ttl: vars.seconds("ACCESS_TOKEN_TTL_SECONDS", 900, 60, 86_400)?,
            refresh_ttl: Duration::from_secs(
                86_400 * vars.number("REFRESH_TOKEN_TTL_DAYS", 30, 1, 365)?,
            ),
            // 20 a minute per address lets a household behind one NAT sign in;
            // 5 a minute per e-mail makes guessing one password hopeless.
            auth_limit_per_ip: vars.count("AUTH_RATE_LIMIT_PER_IP", 20)?,
            auth_limit_per_email: vars.count("AUTH_RATE_LIMIT_PER_EMAIL", 5)?,
            store_timeout: vars.millis("STORE_TIMEOUT_MS", 5000, 100, 29_000)?,
            // A person types a few messages a minute; 20 leaves room, stops scripts.
            chat_limit_per_user: vars.count("CHAT_RATE_LIMIT_PER_MINUTE", 20)?,
            cache: cache(&vars)?,
            fare_providers: fare_providers(&vars)?,
            search_deadline,
            duffel_deadline: share(&vars, "DUFFEL_DEADLINE_MS", search_deadline)?,
            rates: rates(&vars)?,
            search_cache_ttl: vars.seconds(
                "SEARCH_CACHE_TTL_SECONDS",
                DEFAULT_TTL_SECONDS,
                1,
                86_400,
            )?,
            cache_timeout: vars.millis("CACHE_TIMEOUT_MS", DEFAULT_CACHE_TIMEOUT_MS, 10, 10_000)?,
            cors_allowed_origins: vars.list("CORS_ALLOWED_ORIGINS"),
            trusted_proxies: trusted_proxies(&vars)?,
            watches: WatchConfig::from_lookup(&get)?,
            log_format: log_format(&vars)?,
            metrics: metrics(&vars)?,
        })
    }
}

/// The environment (or a test's map), read with the rules every variable
/// shares: blank means unset, numbers are bounded, URLs are http(s).
struct Vars<'a>(&'a dyn Fn(&str) -> Option<String>);

impl Vars<'_> {
    /// The trimmed value, `None` when unset or blank.
    fn text(&self, name: &str) -> Option<String> {
        (self.0)(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    /// A required value, for a backend that needs it.
    fn required(&self, name: &'static str, when: &str) -> Result<String, ConfigError> {
        self.text(name)
            .ok_or_else(|| ConfigError::new(name, format!("required when {when}")))
    }

    /// A whole number in `min..=max`, `default` when unset.
    fn number(
        &self,
        var: &'static str,
        default: u64,
        min: u64,
        max: u64,
    ) -> Result<u64, ConfigError> {
        let Some(text) = self.text(var) else {
            return Ok(default);
        };
        let n: u64 = text
            .parse()
            .map_err(|_| ConfigError::new(var, format!("expected a whole number, got '{text}'")))?;
        if !(min..=max).contains(&n) {
            return Err(ConfigError::new(
                var,
                format!("must be between {min} and {max}, got {n}"),
            ));
        }
        Ok(n)
    }

    fn millis(
        &self,
        var: &'static str,
        default: u64,
        min: u64,
        max: u64,
    ) -> Result<Duration, ConfigError> {
        self.number(var, default, min, max)
            .map(Duration::from_millis)
    }

    fn seconds(
        &self,
        var: &'static str,
        default: u64,
        min: u64,
        max: u64,
    ) -> Result<Duration, ConfigError> {
        self.number(var, default, min, max).map(Duration::from_secs)
    }

    /// A limit per minute, 1 to 10,000.
    fn count(&self, var: &'static str, default: u32) -> Result<u32, ConfigError> {
        let n = self.number(var, u64::from(default), 1, 10_000)?;
        Ok(u32::try_from(n).unwrap_or(default))
    }

    /// An http(s) URL.
    /// An http(s) URL without its trailing slash, `default` when unset.
    fn url_or(&self, var: &'static str, default: &str) -> Result<String, ConfigError> {
        match self.text(var) {
            None => Ok(default.to_owned()),
            Some(_) => Ok(self.url(var, "set")?.trim_end_matches('/').to_owned()),
        }
    }

    fn url(&self, var: &'static str, when: &str) -> Result<String, ConfigError> {
        let url = self.required(var, when)?;
        if url.starts_with("https://") || url.starts_with("http://") {
            Ok(url)
        } else {
            Err(ConfigError::new(
                var,
                format!("expected an http(s) URL, got '{url}'"),
            ))
        }
    }

    /// A comma-separated list, blanks dropped.
    fn list(&self, var: &str) -> Vec<String> {
        self.text(var)
            .map(|v| {
                v.split(',')
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn trusted_proxies(vars: &Vars<'_>) -> Result<Vec<std::net::IpAddr>, ConfigError> {
    vars.list("TRUSTED_PROXIES")
        .iter()
        .map(|ip| {
            ip.parse().map_err(|_| {
                ConfigError::new(
                    "TRUSTED_PROXIES",
                    format!("expected IP addresses, got '{ip}'"),
                )
            })
        })
        .collect()
}

fn cache(vars: &Vars<'_>) -> Result<CacheBackend, ConfigError> {
    match vars.text("CACHE").as_deref().unwrap_or("memory") {
        "memory" => Ok(CacheBackend::Memory),
        "upstash" => Ok(CacheBackend::Upstash {
            url: vars.url("UPSTASH_REDIS_REST_URL", "CACHE=upstash")?,
            token: vars.required("UPSTASH_REDIS_REST_TOKEN", "CACHE=upstash")?,
        }),
        other => Err(ConfigError::new(
            "CACHE",
            format!("unknown cache '{other}' (expected memory or upstash)"),
        )),
    }
}

fn fare_providers(vars: &Vars<'_>) -> Result<Vec<ProviderKind>, ConfigError> {
    const VAR: &str = "FARE_PROVIDERS";
    let when = "FARE_PROVIDERS names it";
    let mut providers: Vec<ProviderKind> = Vec::new();
    let names = vars.text(VAR).unwrap_or_else(|| "demo".to_owned());
    for name in names.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let kind = match name.to_ascii_lowercase().as_str() {
            "demo" => ProviderKind::Demo,
            "duffel" => ProviderKind::Duffel {
                base_url: vars.url_or("DUFFEL_BASE_URL", "https://api.duffel.com")?,
                token: vars.required("DUFFEL_ACCESS_TOKEN", when)?,
            },
            "travelpayouts" => ProviderKind::Travelpayouts {
                base_url: vars.url_or("TRAVELPAYOUTS_BASE_URL", "https://api.travelpayouts.com")?,
                token: vars.required("TRAVELPAYOUTS_TOKEN", when)?,
                marker: vars.text("TRAVELPAYOUTS_MARKER"),
            },
            other => {
                return Err(ConfigError::new(
                    VAR,
                    format!("unknown provider '{other}' (available: demo, duffel, travelpayouts)"),
                ));
            }
        };
        if providers.iter().any(|p| p.name() == kind.name()) {
            return Err(ConfigError::new(VAR, format!("'{name}' is named twice")));
        }
        providers.push(kind);
    }
    if providers.is_empty() {
        return Err(ConfigError::new(VAR, "name at least one provider"));
    }
    Ok(providers)
}

/// A provider's share of the search deadline: `var` in ms, at most the
/// deadline; by default [`DEFAULT_SHARE_MS`] or the deadline if shorter.
fn share(vars: &Vars<'_>, var: &'static str, deadline: Duration) -> Result<Duration, ConfigError> {
    let max = u64::try_from(deadline.as_millis()).unwrap_or(u64::MAX);
    if let Some(text) = vars.text(var)
        && text.parse::<u64>().is_ok_and(|n| n > max)
    {
        return Err(ConfigError::new(
            var,
            format!("must not exceed SEARCH_DEADLINE_MS ({max}), got {text}"),
        ));
    }
    vars.millis(var, DEFAULT_SHARE_MS.min(max), 100, max)
}

/// Where exchange rates come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RatesBackend {
    /// Fixed, documented rates (offline; the default).
    Fixed,
    /// The ECB's daily euro reference rates.
    Ecb {
        /// The daily XML (`RATES_URL`, the ECB's own by default).
        url: String,
    },
}

fn rates(vars: &Vars<'_>) -> Result<RatesBackend, ConfigError> {
    match vars.text("RATES").as_deref().unwrap_or("fixed") {
        "fixed" => Ok(RatesBackend::Fixed),
        "ecb" => Ok(RatesBackend::Ecb {
            url: vars.url_or("RATES_URL", crate::rates::ECB_DAILY_URL)?,
        }),
        other => Err(ConfigError::new(
            "RATES",
            format!("unknown rates source '{other}' (expected fixed or ecb)"),
        )),
    }
}

fn log_format(vars: &Vars<'_>) -> Result<LogFormat, ConfigError> {
    match vars.text("LOG_FORMAT").as_deref() {
        Some("json") => Ok(LogFormat::Json),
        Some("text") => Ok(LogFormat::Text),
        None if vars.text("AWS_LAMBDA_FUNCTION_NAME").is_some() => Ok(LogFormat::Json),
        None => Ok(LogFormat::Text),
        Some(other) => Err(ConfigError::new(
            "LOG_FORMAT",
            format!("expected json or text, got '{other}'"),
        )),
    }
}

fn metrics(vars: &Vars<'_>) -> Result<MetricsConfig, ConfigError> {
    let emf = match vars.text("METRICS").as_deref() {
        Some("emf") => true,
        Some("off") => false,
        None => vars.text("AWS_LAMBDA_FUNCTION_NAME").is_some(),
        Some(other) => {
            return Err(ConfigError::new(
                "METRICS",
                format!("expected emf or off, got '{other}'"),
            ));
        }
    };
    Ok(MetricsConfig {
        emf,
        stage: vars.text("STAGE").unwrap_or_else(|| "local".to_owned()),
    })
}

fn store(vars: &Vars<'_>) -> Result<StoreBackend, ConfigError> {
    match vars.text("STORE").as_deref().unwrap_or("memory") {
        "memory" => Ok(StoreBackend::Memory),
        "postgrest" => Ok(StoreBackend::Postgrest {
            url: vars.url("SUPABASE_URL", "STORE=postgrest")?,
            anon_key: vars.required("SUPABASE_ANON_KEY", "STORE=postgrest")?,
            service_key: vars.text("SUPABASE_SERVICE_ROLE_KEY"),
        }),
        other => Err(ConfigError::new(
            "STORE",
            format!("unknown store '{other}' (expected memory or postgrest)"),
        )),
    }
}

fn jwt_secret(vars: &Vars<'_>, store: &StoreBackend) -> Result<Option<String>, ConfigError> {
    let secret = vars.text("JWT_SECRET");
    match (&secret, store) {
        (Some(s), _) if s.len() < 32 => Err(ConfigError::new(
            "JWT_SECRET",
            "must be at least 32 characters",
        )),
        (None, StoreBackend::Postgrest { .. }) => Err(ConfigError::new(
            "JWT_SECRET",
            "required when STORE=postgrest (the project's JWT secret)",
        )),
        _ => Ok(secret),
    }
}

fn assistant(vars: &Vars<'_>) -> Result<AssistantBackend, ConfigError> {
    match vars.text("ASSISTANT").as_deref().unwrap_or("rules") {
        "rules" => Ok(AssistantBackend::Rules),
        "openai" => Ok(AssistantBackend::OpenAi {
            base_url: vars
                .text("OPENAI_BASE_URL")
                .unwrap_or_else(|| "https://api.openai.com/v1".to_owned()),
            api_key: vars.required("OPENAI_API_KEY", "ASSISTANT=openai")?,
            model: vars
                .text("OPENAI_MODEL")
                .unwrap_or_else(|| "gpt-4o-mini".to_owned()),
        }),
        other => Err(ConfigError::new(
            "ASSISTANT",
            format!("unknown assistant '{other}' (expected rules or openai)"),
        )),
    }
}

/// Where fare observations are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PriceHistoryBackend {
    /// Not recorded; answers carry no insight.
    Off,
    /// In-process (the embedded default).
    Memory,
    /// Amazon DynamoDB (`AWS_ENDPOINT_URL` for a local server such as moto).
    DynamoDb {
        /// `DYNAMODB_TABLE`.
        table: String,
    },
}

/// Price history and the scheduled refresh of watches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchConfig {
    /// `PRICE_HISTORY`: `memory` (default), `dynamodb` (+ `DYNAMODB_TABLE`) or `off`.
    pub price_history: PriceHistoryBackend,
    /// `REFRESH_INTERVAL_SECONDS`: how often `serve` runs the refresh tick
    /// (0: never; production uses the schedule in `template.yaml`).
    pub refresh_interval: Duration,
    /// `REFRESH_CHECK_EVERY_SECONDS`: how long after a refresh a watch is due again.
    pub check_every: Duration,
    /// `REFRESH_BATCH`: watches claimed per claim call.
    pub batch: u32,
    /// `REFRESH_LEASE_SECONDS`: how long a claimed watch is kept from other runs.
    pub lease: Duration,
    /// `REFRESH_QUEUE_URL`: the SQS queue `fare-refresh` sends to (its
    /// endpoint from `AWS_ENDPOINT_URL` when set); `None` locally, where
    /// the queue is in memory.
    pub queue_url: Option<String>,
    /// `EMAIL`: how notifications are e-mailed.
    pub email: EmailBackend,
    /// `REFRESH_MAX_RECEIVE_COUNT`: deliveries of a refresh message before
    /// the queue moves it to its dead-letter queue (the redrive policy's
    /// `maxReceiveCount` in `template.yaml`), so the worker can count the
    /// messages it dead-letters.
    pub max_receive_count: u32,
}

/// How notifications reach a traveller's inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmailBackend {
    /// Logged, never sent (the embedded default).
    Log,
    /// Amazon SES v2 (`AWS_ENDPOINT_URL` for a local server such as moto).
    Ses {
        /// `EMAIL_FROM`: the verified sender address.
        from: String,
    },
}

/// Default tick: five minutes locally, so a watch created in the UI is
/// priced soon after; production's schedule is in `template.yaml`.
const DEFAULT_REFRESH_INTERVAL_SECONDS: u64 = 300;
/// Default re-check: every six hours, four fares a day per watched query,
/// about as often as fares are repriced by the airlines' revenue systems.
const DEFAULT_CHECK_EVERY_SECONDS: u64 = 6 * 3600;

impl WatchConfig {
    /// Reads the watch settings through `get`.
    ///
    /// # Errors
    /// The first variable that is malformed.
    pub fn from_lookup(get: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let vars = Vars(get);
        Ok(Self {
            price_history: price_history(&vars)?,
            refresh_interval: vars.seconds(
                "REFRESH_INTERVAL_SECONDS",
                DEFAULT_REFRESH_INTERVAL_SECONDS,
                0,
                86_400,
            )?,
            check_every: vars.seconds(
                "REFRESH_CHECK_EVERY_SECONDS",
                DEFAULT_CHECK_EVERY_SECONDS,
                60,
                7 * 86_400,
            )?,
            // 200 per claim: one RPC of a few milliseconds, and a Lambda run
            // of a few claims stays far inside its timeout.
            batch: u32::try_from(vars.number("REFRESH_BATCH", 200, 1, 1000)?).unwrap_or(200),
            // 5 minutes: longer than a worker takes on a message (searches
            // have an 8 s deadline), short enough that a crashed run's
            // watches are retried in the next tick.
            lease: vars.seconds("REFRESH_LEASE_SECONDS", 300, 10, 3600)?,
            queue_url: match vars.text("REFRESH_QUEUE_URL") {
                Some(_) => Some(vars.url("REFRESH_QUEUE_URL", "it is set")?),
                None => None,
            },
            email: email(&vars)?,
            max_receive_count: u32::try_from(vars.number(
                "REFRESH_MAX_RECEIVE_COUNT",
                5,
                1,
                1000,
            )?)
            .unwrap_or(5),
        })
    }
}

fn email(vars: &Vars<'_>) -> Result<EmailBackend, ConfigError> {
    match vars.text("EMAIL").as_deref() {
        None | Some("log") => Ok(EmailBackend::Log),
        Some("ses") => {
            let from = vars.required("EMAIL_FROM", "EMAIL=ses")?;
            let address = crate::domain::Email::parse(&from).map_err(|e| {
                ConfigError::new(
                    "EMAIL_FROM",
                    format!("'{from}' is not an address: {}", e.reason),
                )
            })?;
            Ok(EmailBackend::Ses {
                from: address.into(),
            })
        }
        Some(other) => Err(ConfigError::new(
            "EMAIL",
            format!("unknown e-mail adapter '{other}' (expected log or ses)"),
        )),
    }
}

fn price_history(vars: &Vars<'_>) -> Result<PriceHistoryBackend, ConfigError> {
    match vars.text("PRICE_HISTORY").as_deref() {
        None | Some("memory") => Ok(PriceHistoryBackend::Memory),
        Some("off") => Ok(PriceHistoryBackend::Off),
        Some("dynamodb") => Ok(PriceHistoryBackend::DynamoDb {
            table: vars.required("DYNAMODB_TABLE", "PRICE_HISTORY=dynamodb")?,
        }),
        Some(other) => Err(ConfigError::new(
            "PRICE_HISTORY",
            format!("unknown price history '{other}' (expected memory, dynamodb or off)"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn empty_environment_gives_the_embedded_defaults() {
        let c = config(&[]).unwrap();
        assert_eq!(c.cache, CacheBackend::Memory);
        assert_eq!(c.fare_providers, [ProviderKind::Demo]);
        assert_eq!(c.log_format, LogFormat::Text);
        assert_eq!(c.rates, RatesBackend::Fixed);
        assert_eq!(c.duffel_deadline, Duration::from_millis(7500));
        let short = config(&[("SEARCH_DEADLINE_MS", "3000")]).unwrap();
        assert_eq!(
            short.duffel_deadline,
            Duration::from_millis(3000),
            "cut to the deadline"
        );
        assert_eq!(
            config(&[("AWS_LAMBDA_FUNCTION_NAME", "search")])
                .unwrap()
                .log_format,
            LogFormat::Json
        );
    }

    #[test]
    fn metrics_are_off_locally_on_in_lambda_and_follow_metrics_when_set() {
        let local = config(&[]).unwrap().metrics;
        assert_eq!(
            local,
            MetricsConfig {
                emf: false,
                stage: "local".to_owned()
            }
        );
        let lambda = [("AWS_LAMBDA_FUNCTION_NAME", "chat"), ("STAGE", "prod")];
        let on = config(&lambda).unwrap().metrics;
        assert!(on.emf);
        assert_eq!(on.stage, "prod");
        let off = [lambda.as_slice(), &[("METRICS", "off")]].concat();
        assert!(!config(&off).unwrap().metrics.emf);
        assert!(config(&[("METRICS", "emf")]).unwrap().metrics.emf);
        assert_eq!(
            config(&[("METRICS", "statsd")]).unwrap_err().to_string(),
            "METRICS: expected emf or off, got 'statsd'"
        );
    }

    #[test]
    fn errors_name_the_variable() {
        assert_eq!(
            config(&[("CACHE", "upstash")]).unwrap_err().var,
            "UPSTASH_REDIS_REST_URL"
        );
        let err = config(&[
            ("CACHE", "upstash"),
            ("UPSTASH_REDIS_REST_URL", "redis://x"),
        ])
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "UPSTASH_REDIS_REST_URL: expected an http(s) URL, got 'redis://x'"
        );
        assert_eq!(
            config(&[("FARE_PROVIDERS", "demo,kayak")])
                .unwrap_err()
                .reason,
            "unknown provider 'kayak' (available: demo, duffel, travelpayouts)"
        );
        assert_eq!(
            config(&[("FARE_PROVIDERS", "demo,duffel")])
                .unwrap_err()
                .var,
            "DUFFEL_ACCESS_TOKEN"
        );
        assert_eq!(
            config(&[("FARE_PROVIDERS", "demo,Demo")])
                .unwrap_err()
                .reason,
            "'Demo' is named twice"
        );
        assert_eq!(
            config(&[("SEARCH_DEADLINE_MS", "soon")]).unwrap_err().var,
            "SEARCH_DEADLINE_MS"
        );
        assert_eq!(
            config(&[
                ("SEARCH_DEADLINE_MS", "3000"),
                ("DUFFEL_DEADLINE_MS", "5000")
            ])
            .unwrap_err()
            .to_string(),
            "DUFFEL_DEADLINE_MS: must not exceed SEARCH_DEADLINE_MS (3000), got 5000"
        );
        assert_eq!(
            config(&[("RATES", "bcb")]).unwrap_err().to_string(),
            "RATES: unknown rates source 'bcb' (expected fixed or ecb)"
        );
        assert_eq!(
            config(&[("SEARCH_CACHE_TTL_SECONDS", "0")])
                .unwrap_err()
                .var,
            "SEARCH_CACHE_TTL_SECONDS"
        );
        assert_eq!(config(&[("CACHE", "memcached")]).unwrap_err().var, "CACHE");
    }

    #[test]
    fn postgrest_store_needs_its_url_keys_and_jwt_secret() {
        assert_eq!(
            config(&[("STORE", "postgrest")]).unwrap_err().var,
            "SUPABASE_URL"
        );
        let base = [
            ("STORE", "postgrest"),
            ("SUPABASE_URL", "https://x.supabase.co"),
            ("SUPABASE_ANON_KEY", "anon"),
        ];
        assert_eq!(config(&base).unwrap_err().var, "JWT_SECRET");
        let short = [base.as_slice(), &[("JWT_SECRET", "short")]].concat();
        assert_eq!(
            config(&short).unwrap_err().reason,
            "must be at least 32 characters"
        );
        let ok = [
            base.as_slice(),
            &[("JWT_SECRET", "0123456789abcdef0123456789abcdef")],
        ]
        .concat();
        let c = config(&ok).unwrap();
        assert!(matches!(
            c.store,
            StoreBackend::Postgrest {
                service_key: None,
                ..
            }
        ));
        assert!(
            !format!("{c:?}").contains("0123456789abcdef"),
            "secrets stay out of Debug"
        );
        assert_eq!(config(&[("STORE", "sqlite")]).unwrap_err().var, "STORE");
    }

    #[test]
    fn watch_settings_default_and_name_the_bad_variable() {
        let c = config(&[]).unwrap();
        assert_eq!(c.watches.price_history, PriceHistoryBackend::Memory);
        assert_eq!(c.watches.refresh_interval, Duration::from_secs(300));
        assert_eq!(
            config(&[("PRICE_HISTORY", "mysql")]).unwrap_err().var,
            "PRICE_HISTORY"
        );
        assert_eq!(
            config(&[("REFRESH_BATCH", "0")]).unwrap_err().var,
            "REFRESH_BATCH"
        );
        assert_eq!(
            config(&[("PRICE_HISTORY", "dynamodb")]).unwrap_err().var,
            "DYNAMODB_TABLE"
        );
        assert_eq!(c.watches.email, EmailBackend::Log);
        assert_eq!(
            config(&[("EMAIL", "ses")]).unwrap_err().var,
            "EMAIL_FROM",
            "SES needs a sender"
        );
        assert_eq!(
            config(&[("EMAIL", "ses"), ("EMAIL_FROM", "alertas")])
                .unwrap_err()
                .var,
            "EMAIL_FROM"
        );
        assert_eq!(config(&[("EMAIL", "smtp")]).unwrap_err().var, "EMAIL");
        assert_eq!(
            config(&[
                ("EMAIL", "ses"),
                ("EMAIL_FROM", "Alertas@ChatPassagens.com.br")
            ])
            .unwrap()
            .watches
            .email,
            EmailBackend::Ses {
                from: "alertas@chatpassagens.com.br".to_owned()
            }
        );
        assert_eq!(c.watches.max_receive_count, 5);
        assert_eq!(
            config(&[("REFRESH_MAX_RECEIVE_COUNT", "0")])
                .unwrap_err()
                .var,
            "REFRESH_MAX_RECEIVE_COUNT"
        );
        let off = config(&[("REFRESH_INTERVAL_SECONDS", "0")]).unwrap();
        assert_eq!(off.watches.refresh_interval, Duration::ZERO);
    }
}
