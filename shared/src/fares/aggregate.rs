use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::future::join_all;
use serde::{Deserialize, Serialize};
use tokio::time::{Instant, timeout_at};

use super::{FareProvider, ProviderError};
use crate::circuit::Circuit;
use crate::domain::{Currency, Offer, Seller};
use crate::metrics::{Metric, Metrics, millis};
use crate::rates::{FixedRates, Rates};
use crate::search::SearchQuery;

/// Why a provider's offers are missing from an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningCode {
    /// It did not answer before the search deadline.
    Timeout,
    /// It failed or could not be reached.
    Unavailable,
    /// It refused the query or our credentials.
    Rejected,
    /// Offers were found, but the traveller's filters removed them all.
    Filtered,
}

/// Why an answer is partial or empty: a provider that did not contribute,
/// or a filter that removed every offer found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// The provider's name, when a provider is the cause.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// The request field at fault, when a filter is the cause.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What went wrong, for clients to act on.
    pub code: WarningCode,
    /// A sentence for people.
    pub message: String,
}

impl Warning {
    /// A provider's failure.
    pub fn provider(name: &str, code: WarningCode, message: String) -> Self {
        Self {
            provider: Some(name.to_owned()),
            field: None,
            code,
            message,
        }
    }

    /// The filter on `field` removed every offer.
    pub fn filtered(field: &str) -> Self {
        Self {
            provider: None,
            field: Some(field.to_owned()),
            code: WarningCode::Filtered,
            message: format!("offers were found, but the {field} filter removed them all"),
        }
    }
}

/// Failures in a row that open a provider's circuit: a provider that is
/// down, not one slow answer.
const BREAKER_THRESHOLD: u32 = 3;

/// How long an open circuit skips its provider: at most one wasted deadline
/// share per provider every 30 s, and a provider that came back is asked
/// again within a minute.
const BREAKER_OPEN_FOR: Duration = Duration::from_secs(30);

/// One provider with its deadline share and its circuit breaker.
struct Source {
    provider: Arc<dyn FareProvider>,
    /// How long this provider may take (at most the search deadline).
    deadline: Duration,
    circuit: Circuit,
}

/// Queries every provider concurrently, each within its share of one
/// deadline, converts their prices into the traveller's currency and merges
/// the same flights sold by several providers into one offer.
pub struct FareSearch {
    sources: Vec<Source>,
    /// One deadline for all providers: a search answers within it whatever
    /// any single provider does.
    deadline: Duration,
    /// Converts offers priced in another currency.
    rates: Arc<dyn Rates>,
    /// Where each provider call's latency and failure are recorded.
    metrics: Metrics,
}

impl FareSearch {
    /// A search over `providers` that waits at most `deadline` for them, each
    /// provider allowed the whole deadline, converting at [`FixedRates`].
    pub fn new(providers: Vec<Arc<dyn FareProvider>>, deadline: Duration) -> Self {
        Self {
            sources: providers
                .into_iter()
                .map(|provider| Source {
                    provider,
                    deadline,
                    circuit: Circuit::new(BREAKER_THRESHOLD, BREAKER_OPEN_FOR),
                })
                .collect(),
            deadline,
            rates: Arc::new(FixedRates::default()),
            metrics: Metrics::off(),
        }
    }

    /// Records each provider call's latency and failure in `metrics`.
    #[must_use]
    pub fn with_metrics(mut self, metrics: Metrics) -> Self {
        self.metrics = metrics;
        self
    }

    /// Gives the provider called `name` a shorter share of the deadline
    /// (a share over the deadline is cut to it).
    #[must_use]
    pub fn with_provider_deadline(mut self, name: &str, share: Duration) -> Self {
        for source in self
            .sources
            .iter_mut()
            .filter(|s| s.provider.name() == name)
        {
            source.deadline = share.min(self.deadline);
        }
        self
    }

    /// Converts prices with `rates` instead of the fixed rates.
    #[must_use]
    pub fn with_rates(mut self, rates: Arc<dyn Rates>) -> Self {
        self.rates = rates;
        self
    }

    /// The providers' names, for start-up logs and `/health`.
    pub fn provider_names(&self) -> Vec<String> {
        self.sources
            .iter()
            .map(|s| s.provider.name().to_owned())
            .collect()
    }

    /// The exchange-rates adapter's name, for start-up logs.
    pub fn rates_name(&self) -> &'static str {
        self.rates.name()
    }

    /// Every provider's offers in the query's currency, the same flights
    /// merged (the cheapest seller first, the others in `other_sellers`),
    /// with a warning for each provider that failed, was late or was skipped.
    pub async fn collect(
        &self,
        query: &SearchQuery,
        now: DateTime<Utc>,
    ) -> (Vec<Offer>, Vec<Warning>) {
        let started = Instant::now();
        let calls = self
            .sources
            .iter()
            .map(|s| s.call(query, now, started, &self.metrics));
        let mut offers: Vec<Offer> = Vec::new();
        let mut warnings = Vec::new();
        for outcome in join_all(calls).await {
            match outcome {
                Ok(found) => offers.extend(found),
                Err(warning) => warnings.push(warning),
            }
        }
        let offers = self
            .convert(offers, query.options().currency, &mut warnings)
            .await;
        (merge(offers), warnings)
    }

    /// Prices every offer in `to`; offers that cannot be converted are left
    /// out with one warning per provider.
    async fn convert(
        &self,
        offers: Vec<Offer>,
        to: Currency,
        warnings: &mut Vec<Warning>,
    ) -> Vec<Offer> {
        if offers.iter().all(|o| o.price.currency == to) {
            return offers;
        }
        let table = match self.rates.table().await {
            Ok(table) => Some(table),
            Err(err) => {
                tracing::warn!(rates.name = self.rates.name(), error = %err, "exchange rates unavailable");
                None
            }
        };
        let mut out = Vec::with_capacity(offers.len());
        for mut offer in offers {
            if offer.price.currency == to {
                out.push(offer);
                continue;
            }
            match table.as_ref().and_then(|t| t.convert(offer.price, to)) {
                Some(price) => {
                    offer.converted_from = Some(offer.price);
                    offer.price = price;
                    out.push(offer);
                }
                None => unconverted(warnings, &offer, to),
            }
        }
        out
    }
}

/// Notes, once per provider, that its prices in another currency were left out.
fn unconverted(warnings: &mut Vec<Warning>, offer: &Offer, to: Currency) {
    let name = offer.provider.as_str();
    if warnings.iter().any(|w| w.provider.as_deref() == Some(name)) {
        return;
    }
    warnings.push(Warning::provider(
        name,
        WarningCode::Unavailable,
        format!(
            "{name}: prices in {} could not be converted to {to}",
            offer.price.currency
        ),
    ));
}

impl Source {
    /// Asks the provider within its share, unless its circuit is open
    /// (a skipped provider is not called, so no metric is recorded).
    async fn call(
        &self,
        query: &SearchQuery,
        now: DateTime<Utc>,
        started: Instant,
        metrics: &Metrics,
    ) -> Result<Vec<Offer>, Warning> {
        let name = self.provider.name();
        if let Some(left) = self.circuit.refuses(started.into_std()) {
            return Err(skipped(name, left));
        }
        let begun = Instant::now();
        let result = timeout_at(started + self.deadline, self.provider.search(query, now)).await;
        // A refused query is the query's fault, not the provider's: not an
        // error here either, as for the circuit.
        let failed = !matches!(result, Ok(Ok(_) | Err(ProviderError::Rejected(_))));
        metrics.record_for(
            name,
            &[
                (Metric::ProviderLatency, millis(begun.elapsed())),
                (Metric::ProviderErrors, f64::from(u8::from(failed))),
            ],
        );
        let warning = match result {
            Ok(Ok(found)) => {
                self.circuit.succeeded();
                return Ok(found);
            }
            // The query's fault, not the provider's: the circuit stays as it is.
            Ok(Err(err @ ProviderError::Rejected(_))) => {
                tracing::info!(provider.name = name, error = %err, "fare provider refused the query");
                return Err(warning(name, &err));
            }
            Ok(Err(err)) => {
                tracing::warn!(provider.name = name, error = %err, "fare provider failed");
                warning(name, &err)
            }
            Err(_) => {
                let ms = self.deadline.as_millis();
                tracing::warn!(
                    provider.name = name,
                    deadline_ms = ms as u64,
                    "fare provider timed out"
                );
                Warning::provider(
                    name,
                    WarningCode::Timeout,
                    format!("{name} did not answer within {ms} ms"),
                )
            }
        };
        if self.circuit.failed(std::time::Instant::now()) {
            tracing::warn!(
                provider.name = name,
                open_for_s = self.circuit.open_for().as_secs(),
                "fare provider circuit opened"
            );
        }
        Err(warning)
    }
}

/// The warning for a provider skipped because its circuit is open for `left`.
fn skipped(name: &str, left: Duration) -> Warning {
    tracing::warn!(
        provider.name = name,
        skipped_for_ms = left.as_millis() as u64,
        "fare provider skipped: circuit open"
    );
    Warning::provider(
        name,
        WarningCode::Unavailable,
        format!(
            "{name} was skipped after repeated failures; it is asked again within {} s",
            left.as_secs().max(1)
        ),
    )
}

/// The warning a provider's failure becomes in an answer.
pub(crate) fn warning(name: &str, err: &ProviderError) -> Warning {
    let code = match err {
        ProviderError::Unavailable(_) | ProviderError::RateLimited => WarningCode::Unavailable,
        ProviderError::Unauthorized | ProviderError::Rejected(_) => WarningCode::Rejected,
    };
    Warning::provider(name, code, format!("{name}: {err}"))
}

/// Merges offers for the same flights, in first-seen order: the cheapest
/// seller's offer stands, every other provider's is kept in
/// `other_sellers` (cheapest first). A provider's own duplicates keep the
/// cheaper one. Cached prices are never merged into live ones.
fn merge(offers: Vec<Offer>) -> Vec<Offer> {
    let mut index: HashMap<(String, bool), usize> = HashMap::with_capacity(offers.len());
    let mut out: Vec<Offer> = Vec::with_capacity(offers.len());
    for offer in offers {
        let key = (offer.itinerary_key(), offer.price_kind.is_live());
        match index.get(&key) {
            Some(&i) => absorb(&mut out[i], offer),
            None => {
                index.insert(key, out.len());
                out.push(offer);
            }
        }
    }
    out
}

/// Folds `other` into `kept`, the cheaper of the two standing.
fn absorb(kept: &mut Offer, mut other: Offer) {
    if other.price.amount < kept.price.amount {
        std::mem::swap(kept, &mut other);
    }
    let mut sellers = std::mem::take(&mut other.other_sellers);
    if other.provider != kept.provider {
        sellers.push(Seller {
            provider: other.provider,
            id: other.id,
            price: other.price,
        });
    }
    for seller in sellers {
        if seller.provider == kept.provider {
            continue;
        }
        match kept
            .other_sellers
            .iter_mut()
            .find(|s| s.provider == seller.provider)
        {
            Some(known) if known.price.amount <= seller.price.amount => {}
            Some(known) => *known = seller,
            None => kept.other_sellers.push(seller),
        }
    }
    kept.other_sellers.sort_by_key(|s| s.price.amount);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fares::DemoProvider;
    use crate::search::{Leg, SearchOptions};
    use async_trait::async_trait;
    use chrono::TimeZone;

    struct Slow;
    #[async_trait]
    impl FareProvider for Slow {
        fn name(&self) -> &str {
            "slow"
        }
        async fn search(
            &self,
            _: &SearchQuery,
            _: DateTime<Utc>,
        ) -> Result<Vec<Offer>, ProviderError> {
            tokio::time::sleep(Duration::from_secs(30)).await;
            Ok(Vec::new())
        }
    }

    struct Failing;
    #[async_trait]
    impl FareProvider for Failing {
        fn name(&self) -> &str {
            "failing"
        }
        async fn search(
            &self,
            _: &SearchQuery,
            _: DateTime<Utc>,
        ) -> Result<Vec<Offer>, ProviderError> {
            Err(ProviderError::Unavailable("HTTP 503".to_owned()))
        }
    }

    /// Sells the demo offers again, dearer, under another name.
    struct Reseller;
    #[async_trait]
    impl FareProvider for Reseller {
        fn name(&self) -> &str {
            "reseller"
        }
        async fn search(
            &self,
            q: &SearchQuery,
            now: DateTime<Utc>,
        ) -> Result<Vec<Offer>, ProviderError> {
            let mut offers = DemoProvider.offers(q, now);
            for o in &mut offers {
                o.provider = "reseller".to_owned();
                o.price.amount += rust_decimal::Decimal::ONE;
            }
            Ok(offers)
        }
    }

    fn query() -> (SearchQuery, DateTime<Utc>) {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap();
        let leg = Leg::parse("legs[0]", "SAO", "LIS", "2027-03-10").unwrap();
        (
            SearchQuery::new(vec![leg], SearchOptions::default(), now).unwrap(),
            now,
        )
    }

    #[tokio::test]
    async fn slow_and_failing_providers_become_warnings_within_the_deadline() {
        let (q, now) = query();
        let search = FareSearch::new(
            vec![Arc::new(DemoProvider), Arc::new(Slow), Arc::new(Failing)],
            Duration::from_millis(200),
        );
        let started = std::time::Instant::now();
        let (offers, warnings) = search.collect(&q, now).await;
        let took = started.elapsed();
        assert!(took < Duration::from_secs(2), "answered after {took:?}");
        assert_eq!(offers.len(), DemoProvider.offers(&q, now).len());
        let mut codes: Vec<(String, WarningCode)> = warnings
            .iter()
            .map(|w| (w.provider.clone().unwrap_or_default(), w.code))
            .collect();
        codes.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            codes,
            [
                ("failing".to_owned(), WarningCode::Unavailable),
                ("slow".to_owned(), WarningCode::Timeout)
            ]
        );
        assert!(warnings.iter().any(|w| w.message.contains("200 ms")));
    }

    #[tokio::test]
    async fn identical_itineraries_keep_the_cheapest_seller() {
        let (q, now) = query();
        let search = FareSearch::new(
            vec![Arc::new(Reseller), Arc::new(DemoProvider)],
            Duration::from_secs(1),
        );
        let (offers, warnings) = search.collect(&q, now).await;
        assert!(warnings.is_empty());
        assert_eq!(offers.len(), DemoProvider.offers(&q, now).len());
        assert!(offers.iter().all(|o| o.provider == "demo"));
        for offer in &offers {
            let [seller] = offer.other_sellers.as_slice() else {
                panic!("one other seller expected: {:?}", offer.other_sellers);
            };
            assert_eq!(seller.provider, "reseller");
            assert_eq!(
                seller.price.amount,
                offer.price.amount + rust_decimal::Decimal::ONE
            );
        }
    }

    /// Sells the demo offers as cached prices, cheaper, in euros.
    struct Cached;
    #[async_trait]
    impl FareProvider for Cached {
        fn name(&self) -> &str {
            "cached"
        }
        async fn search(
            &self,
            q: &SearchQuery,
            now: DateTime<Utc>,
        ) -> Result<Vec<Offer>, ProviderError> {
            let mut offers = DemoProvider.offers(q, now);
            for o in &mut offers {
                o.provider = "cached".to_owned();
                o.price_kind = crate::domain::PriceKind::Cached;
                o.price = crate::domain::Money::new(rust_decimal::Decimal::from(10), Currency::EUR);
            }
            Ok(offers)
        }
    }

    #[tokio::test]
    async fn cached_prices_are_converted_but_never_merged_into_live_offers() {
        let (q, now) = query();
        let search = FareSearch::new(
            vec![Arc::new(DemoProvider), Arc::new(Cached)],
            Duration::from_secs(1),
        );
        let (offers, warnings) = search.collect(&q, now).await;
        assert!(warnings.is_empty(), "{warnings:?}");
        let demo = DemoProvider.offers(&q, now).len();
        assert_eq!(offers.len(), 2 * demo, "same flights, kept apart");
        let cached: Vec<&Offer> = offers.iter().filter(|o| o.provider == "cached").collect();
        assert_eq!(cached.len(), demo);
        let first = cached[0];
        assert!(first.other_sellers.is_empty());
        // EUR 10 at the fixed rates (0.92 EUR and 5.30 BRL per USD).
        assert_eq!(first.price.currency, Currency::BRL);
        assert_eq!(first.price.amount.to_string(), "57.61");
        assert_eq!(
            first.converted_from.map(|m| m.to_string()).as_deref(),
            Some("EUR 10")
        );
    }

    /// Rates that cannot be had.
    struct NoRates;
    #[async_trait]
    impl Rates for NoRates {
        fn name(&self) -> &'static str {
            "none"
        }
        async fn table(&self) -> Result<Arc<crate::rates::RateTable>, crate::rates::RatesError> {
            Err(crate::rates::RatesError::Unavailable("HTTP 503".to_owned()))
        }
    }

    #[tokio::test]
    async fn offers_that_cannot_be_converted_are_left_out_with_a_warning() {
        let (q, now) = query();
        let search = FareSearch::new(
            vec![Arc::new(DemoProvider), Arc::new(Cached)],
            Duration::from_secs(1),
        )
        .with_rates(Arc::new(NoRates));
        let (offers, warnings) = search.collect(&q, now).await;
        assert!(offers.iter().all(|o| o.provider == "demo"));
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].provider.as_deref(), Some("cached"));
        assert!(
            warnings[0]
                .message
                .contains("EUR could not be converted to BRL"),
            "{}",
            warnings[0].message
        );
    }

    #[tokio::test]
    async fn a_provider_late_for_its_share_is_a_warning_long_before_the_deadline() {
        let (q, now) = query();
        let search = FareSearch::new(
            vec![Arc::new(DemoProvider), Arc::new(Slow)],
            Duration::from_secs(10),
        )
        .with_provider_deadline("slow", Duration::from_millis(150));
        let started = std::time::Instant::now();
        let (offers, warnings) = search.collect(&q, now).await;
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        assert!(!offers.is_empty());
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].code, WarningCode::Timeout);
        assert!(
            warnings[0].message.contains("150 ms"),
            "{}",
            warnings[0].message
        );
    }

    /// Fails every time, counting the calls.
    #[derive(Default)]
    struct Down(std::sync::atomic::AtomicUsize);
    #[async_trait]
    impl FareProvider for Down {
        fn name(&self) -> &str {
            "down"
        }
        async fn search(
            &self,
            _: &SearchQuery,
            _: DateTime<Utc>,
        ) -> Result<Vec<Offer>, ProviderError> {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Err(ProviderError::Unavailable("HTTP 503".to_owned()))
        }
    }

    #[tokio::test]
    async fn a_provider_failing_repeatedly_is_skipped_for_a_while() {
        let (q, now) = query();
        let down = Arc::new(Down::default());
        let search = FareSearch::new(
            vec![Arc::new(DemoProvider), down.clone()],
            Duration::from_secs(1),
        );
        for _ in 0..5 {
            let (offers, warnings) = search.collect(&q, now).await;
            assert!(!offers.is_empty(), "demo answers every time");
            assert_eq!(warnings.len(), 1);
        }
        assert_eq!(
            down.0.load(std::sync::atomic::Ordering::SeqCst),
            BREAKER_THRESHOLD as usize
        );
        let (_, warnings) = search.collect(&q, now).await;
        assert!(
            warnings[0]
                .message
                .contains("skipped after repeated failures"),
            "{}",
            warnings[0].message
        );
    }
}
