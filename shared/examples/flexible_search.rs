//! What a flexible month search costs end to end on the demo provider
//! (figures in the README): the calendar read, the live searches of the
//! cheapest days, merging and ranking, with a fresh cache each run, and how
//! many calendar and provider calls it makes.
//! Run: `cargo run -p shared --example flexible_search` (add `--release`
//! for release-build figures).

#![allow(clippy::print_stdout)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::{DateTime, TimeZone, Utc};
use shared::cache::MemoryCache;
use shared::domain::Offer;
use shared::fares::{
    CalendarQuery, DayPrice, DemoCalendar, DemoProvider, FareCalendar, FareProvider, FareSearch,
    ProviderError, SearchService,
};
use shared::search::{RawSearch, SearchQuery};

/// The demo provider, counting its searches.
#[derive(Default)]
struct Counted(AtomicUsize);

#[async_trait]
impl FareProvider for Counted {
    fn name(&self) -> &str {
        "demo"
    }
    async fn search(
        &self,
        q: &SearchQuery,
        now: DateTime<Utc>,
    ) -> Result<Vec<Offer>, ProviderError> {
        self.0.fetch_add(1, Ordering::Relaxed);
        DemoProvider.search(q, now).await
    }
}

/// The demo calendar, counting its requests.
#[derive(Default)]
struct CountedCalendar(AtomicUsize);

#[async_trait]
impl FareCalendar for CountedCalendar {
    fn name(&self) -> &str {
        "demo"
    }
    async fn days(
        &self,
        q: &CalendarQuery,
        now: DateTime<Utc>,
    ) -> Result<Vec<DayPrice>, ProviderError> {
        self.0.fetch_add(1, Ordering::Relaxed);
        DemoCalendar.days(q, now).await
    }
}

/// The search timed: March, round trip of 7 days, or any weekend of April.
fn query(weekend: bool, now: DateTime<Utc>) -> SearchQuery {
    let mut raw = RawSearch::trip("SAO", "LIS", "", None);
    if weekend {
        raw.departure_from = Some("2027-04-01".to_owned());
        raw.departure_to = Some("2027-04-30".to_owned());
        raw.departure_days = Some("weekend".to_owned());
    } else {
        raw.departure_from = Some("2027-03-01".to_owned());
        raw.departure_to = Some("2027-03-31".to_owned());
        raw.trip_days = Some("7".to_owned());
    }
    raw.adults = Some("2".to_owned());
    raw.parse(now).expect("a valid flexible search")
}

async fn measure(name: &str, query: &SearchQuery, now: DateTime<Utc>) {
    const RUNS: usize = 20;
    let (provider, calendar) = (
        Arc::new(Counted::default()),
        Arc::new(CountedCalendar::default()),
    );
    let mut times = Vec::with_capacity(RUNS);
    let mut offers = 0;
    for _ in 0..RUNS {
        // A fresh cache each run: every figure is an uncached search.
        let service = SearchService::new(
            FareSearch::new(vec![provider.clone()], Duration::from_secs(8)),
            Arc::new(MemoryCache::default()),
            Duration::from_secs(300),
        )
        .with_calendar(calendar.clone());
        let start = Instant::now();
        let results = service.search(query, now).await;
        times.push(start.elapsed());
        offers = results.offers.len();
    }
    times.sort();
    println!(
        "{name}: median {:.2} ms, min {:.2} ms over {RUNS} runs; {} offers; per search {} calendar request(s) and {} provider search(es)",
        times[RUNS / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        offers,
        calendar.0.load(Ordering::Relaxed) / RUNS,
        provider.0.load(Ordering::Relaxed) / RUNS,
    );
}

/// The calendar read alone, for where the time goes.
async fn calendar_only(query: &SearchQuery, now: DateTime<Utc>) {
    const RUNS: usize = 20;
    let flex = query.flexible().expect("a flexible search");
    let ask = CalendarQuery {
        origin: query.legs()[0].origin,
        destination: query.legs()[0].destination,
        first_day: flex.departure_window.from,
        days: flex.departure_window.days(),
        trip_days: flex.trip_days.map(|t| t.min),
        cabin: query.options().cabin,
        currency: query.options().currency,
    };
    let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = Instant::now();
        let days = DemoCalendar.days(&ask, now).await.unwrap_or_default();
        times.push(start.elapsed());
        assert!(!days.is_empty());
    }
    times.sort();
    println!(
        "  of which one {}-day demo calendar read: median {:.2} ms",
        ask.days,
        times[RUNS / 2].as_secs_f64() * 1e3
    );
}

#[tokio::main]
async fn main() {
    let now = Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap();
    measure(
        "March, 7-day round trip, SAO-LIS, 2 adults",
        &query(false, now),
        now,
    )
    .await;
    calendar_only(&query(false, now), now).await;
    measure(
        "any weekend of April, SAO-LIS, 2 adults",
        &query(true, now),
        now,
    )
    .await;
}
