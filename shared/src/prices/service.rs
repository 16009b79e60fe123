use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{
    Basis, FareObservation, Insight, PriceHistory, Recorder, RouteKey, demo_history, insight,
};
use crate::fares::SearchResults;
use crate::search::{Filters, SearchQuery};

/// Longest a search waits for comparable history before answering without
/// an insight: a history lookup must cost less than a cached search's
/// answer is worth (DynamoDB queries take ~10 ms in-region).
const LOOKUP_TIMEOUT: Duration = Duration::from_millis(300);

/// How far back comparable observations go: about four months, the span in
/// which a route's fares are still the same market.
const LOOKBACK_DAYS: i64 = 120;

/// Departures this many days either side of the searched one count as
/// comparable (the same week).
const NEARBY_DAYS: i64 = 3;

/// Most modelled histories kept in process: one per query and day, a few
/// hundred KB at most; the whole map is dropped when full.
const MODELLED_KEPT: usize = 2000;

/// Records what searches find and compares today's price with history.
pub struct Insights {
    recorder: Recorder,
    /// Whether the demo provider is the only provider, so its model can
    /// stand in for history that has not been observed yet.
    modelled: bool,
    /// Modelled histories by query and day: the model is deterministic per
    /// day, and computing one costs 14 demo searches, so a repeated search
    /// (a cached one above all) must not pay it again.
    modelled_cache: Mutex<HashMap<String, Arc<Vec<FareObservation>>>>,
}

impl Insights {
    /// Insights over `history`; `modelled` when every offer comes from the demo provider.
    pub fn new(history: Arc<dyn PriceHistory>, modelled: bool) -> Self {
        Self {
            recorder: Recorder::new(history),
            modelled,
            modelled_cache: Mutex::new(HashMap::new()),
        }
    }

    /// The history it records to.
    pub fn history(&self) -> &Arc<dyn PriceHistory> {
        self.recorder.history()
    }

    /// The history adapter's name.
    pub fn history_name(&self) -> &'static str {
        self.recorder.history().name()
    }

    /// Records the cheapest fare of a fresh, unfiltered answer in the
    /// background (a cached answer is no new observation; a filtered one
    /// is not the market's price).
    pub fn observe(&self, query: &SearchQuery, results: &SearchResults) {
        let unfiltered = query.options().filters == Filters::default();
        if results.cached || !unfiltered {
            return;
        }
        if let Some(observation) = FareObservation::of(query, results) {
            self.recorder.spawn(observation);
        }
    }

    /// Today's cheapest price against comparable observations, or against
    /// the demo model's past quotes when too few were observed.
    pub async fn insight(
        &self,
        query: &SearchQuery,
        results: &SearchResults,
        now: DateTime<Utc>,
    ) -> Option<Insight> {
        let today = FareObservation::of(query, results)?;
        let lead = (today.route.departure - now.date_naive()).num_days();
        let observed = self.comparable(&today.route, now).await;
        let enough = insight(
            today.price_per_traveller,
            now,
            lead,
            &observed,
            Basis::Observed,
        );
        if enough.verdict.is_some() || !self.modelled {
            return Some(enough);
        }
        let modelled = self.modelled_history(query, now);
        Some(insight(
            today.price_per_traveller,
            now,
            lead,
            &modelled,
            Basis::Modelled,
        ))
    }

    fn modelled_history(
        &self,
        query: &SearchQuery,
        now: DateTime<Utc>,
    ) -> Arc<Vec<FareObservation>> {
        let key = format!(
            "{}/{:?}/{:?}/{}",
            query.provider_key(),
            query.options().max_stops,
            query.options().filters,
            now.date_naive()
        );
        let lock = || {
            self.modelled_cache
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some(found) = lock().get(&key) {
            return found.clone();
        }
        let computed = Arc::new(demo_history(query, now));
        let mut map = lock();
        if map.len() >= MODELLED_KEPT {
            map.clear();
        }
        map.insert(key, computed.clone());
        computed
    }

    async fn comparable(&self, route: &RouteKey, now: DateTime<Utc>) -> Vec<FareObservation> {
        let since = now - chrono::Duration::days(LOOKBACK_DAYS);
        let history = self.recorder.history();
        match tokio::time::timeout(
            LOOKUP_TIMEOUT,
            history.comparable(route, NEARBY_DAYS, since),
        )
        .await
        {
            // Today's own observation (if already written) is not its own history.
            Ok(Ok(list)) => list.into_iter().filter(|o| o.observed_at < now).collect(),
            Ok(Err(err)) => {
                tracing::warn!(history.name = history.name(), error = %err, "price history unavailable; answering without it");
                Vec::new()
            }
            Err(_) => {
                tracing::warn!(
                    history.name = history.name(),
                    "price history timed out; answering without it"
                );
                Vec::new()
            }
        }
    }
}
