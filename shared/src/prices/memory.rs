use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{FareObservation, HistoryError, PriceHistory, RouteKey};

/// Observations in process memory (the embedded default), one series per
/// route key as the DynamoDB adapter keeps one partition per key.
#[derive(Default)]
pub struct MemoryPriceHistory {
    series: Mutex<HashMap<RouteKey, Vec<FareObservation>>>,
}

impl MemoryPriceHistory {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<RouteKey, Vec<FareObservation>>> {
        self.series
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[async_trait]
impl PriceHistory for MemoryPriceHistory {
    fn name(&self) -> &'static str {
        "memory"
    }

    async fn record(&self, observation: &FareObservation) -> Result<(), HistoryError> {
        let mut map = self.lock();
        let list = map.entry(observation.route).or_default();
        let at = list.partition_point(|o| o.observed_at <= observation.observed_at);
        list.insert(at, observation.clone());
        Ok(())
    }

    async fn series(
        &self,
        route: &RouteKey,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<FareObservation>, HistoryError> {
        Ok(self
            .lock()
            .get(route)
            .into_iter()
            .flatten()
            .filter(|o| o.observed_at >= from && o.observed_at <= to)
            .cloned()
            .collect())
    }

    async fn comparable(
        &self,
        route: &RouteKey,
        days: i64,
        since: DateTime<Utc>,
    ) -> Result<Vec<FareObservation>, HistoryError> {
        let map = self.lock();
        let mut out: Vec<FareObservation> = (-days..=days)
            .filter_map(|d| map.get(&route.on(route.departure + chrono::Duration::days(d))))
            .flatten()
            .filter(|o| o.observed_at >= since)
            .cloned()
            .collect();
        out.sort_by_key(|o| o.observed_at);
        Ok(out)
    }
}
