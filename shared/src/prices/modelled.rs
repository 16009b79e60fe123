//! Modelled history: the demo provider is a deterministic model of time,
//! so it can say what it would have quoted on any past day. On a fresh
//! machine with no observations, insights compare against that.

use chrono::{DateTime, Duration, Utc};

use super::FareObservation;
use crate::fares::{DemoProvider, SearchResults, cheapest};
use crate::search::{Leg, SearchQuery};

/// One sample every `STEP_DAYS` days over `WEEKS` weeks: 14 samples, 8
/// weeks, enough for quartiles and a trend; the demo noise moves every
/// three days, so sampling more often would repeat prices.
const STEP_DAYS: i64 = 4;
const WEEKS: i64 = 8;

/// What the demo provider would have quoted for `query`'s trip at the same
/// lead time on past days: departures shifted back with the search day.
pub fn demo_history(query: &SearchQuery, now: DateTime<Utc>) -> Vec<FareObservation> {
    (1..=WEEKS * 7 / STEP_DAYS)
        .filter_map(|i| sample(query, now - Duration::days(i * STEP_DAYS), i * STEP_DAYS))
        .collect()
}

fn sample(query: &SearchQuery, then: DateTime<Utc>, days: i64) -> Option<FareObservation> {
    let legs: Vec<Leg> = query
        .legs()
        .iter()
        .map(|l| Leg {
            date: l.date - Duration::days(days),
            ..*l
        })
        .collect();
    let past = SearchQuery::new(legs, query.options().clone(), then).ok()?;
    let offers = DemoProvider.offers(&past, then);
    // The observation records the cheapest offer; no need to rank the rest.
    let cheapest = cheapest(&offers, past.options())?.clone();
    let results = SearchResults {
        offers: vec![cheapest],
        warnings: Vec::new(),
        cached: false,
        cache_age_seconds: 0,
        searched_at: then,
        insight: None,
        flexible: None,
    };
    FareObservation::of(&past, &results)
}
