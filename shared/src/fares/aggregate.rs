use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::future::join_all;
use serde::{Deserialize, Serialize};
use tokio::time::{Instant, timeout_at};

use super::{FareProvider, ProviderError};
use crate::domain::Offer;
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

/// Queries every provider concurrently under one deadline and merges the answers.
pub struct FareSearch {
    providers: Vec<Arc<dyn FareProvider>>,
    /// One deadline for all providers: a search answers within it whatever
    /// any single provider does.
    deadline: Duration,
}

impl FareSearch {
    /// A search over `providers` that waits at most `deadline` for them.
    pub fn new(providers: Vec<Arc<dyn FareProvider>>, deadline: Duration) -> Self {
        Self {
            providers,
            deadline,
        }
    }

    /// The providers' names, for start-up logs and `/health`.
    pub fn provider_names(&self) -> Vec<String> {
        self.providers.iter().map(|p| p.name().to_owned()).collect()
    }

    /// Every provider's offers, deduplicated (the cheapest of identical
    /// itineraries wins), with a warning for each provider that failed or was late.
    pub async fn collect(
        &self,
        query: &SearchQuery,
        now: DateTime<Utc>,
    ) -> (Vec<Offer>, Vec<Warning>) {
        let deadline = Instant::now() + self.deadline;
        let calls = self.providers.iter().map(|provider| async move {
            let result = timeout_at(deadline, provider.search(query, now)).await;
            (provider.name(), result)
        });
        let mut offers: Vec<Offer> = Vec::new();
        let mut warnings = Vec::new();
        for (name, result) in join_all(calls).await {
            match result {
                Ok(Ok(found)) => offers.extend(found),
                Ok(Err(err)) => {
                    tracing::warn!(provider.name = name, error = %err, "fare provider failed");
                    warnings.push(warning(name, &err));
                }
                Err(_) => {
                    tracing::warn!(
                        provider.name = name,
                        deadline_ms = self.deadline.as_millis() as u64,
                        "fare provider timed out"
                    );
                    warnings.push(Warning::provider(
                        name,
                        WarningCode::Timeout,
                        format!(
                            "{name} did not answer within {} ms",
                            self.deadline.as_millis()
                        ),
                    ));
                }
            }
        }
        (dedupe(offers), warnings)
    }
}

/// The warning a provider's failure becomes in an answer.
pub(crate) fn warning(name: &str, err: &ProviderError) -> Warning {
    let code = match err {
        ProviderError::Unavailable(_) | ProviderError::RateLimited => WarningCode::Unavailable,
        ProviderError::Unauthorized | ProviderError::Rejected(_) => WarningCode::Rejected,
    };
    Warning::provider(name, code, format!("{name}: {err}"))
}

/// Keeps the cheapest offer of each itinerary, in first-seen order.
fn dedupe(offers: Vec<Offer>) -> Vec<Offer> {
    let mut index: HashMap<String, usize> = HashMap::with_capacity(offers.len());
    let mut out: Vec<Offer> = Vec::with_capacity(offers.len());
    for offer in offers {
        let key = offer.itinerary_key();
        match index.get(&key) {
            Some(&i) if out[i].price.amount <= offer.price.amount => {}
            Some(&i) => out[i] = offer,
            None => {
                index.insert(key, out.len());
                out.push(offer);
            }
        }
    }
    out
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
    }
}
