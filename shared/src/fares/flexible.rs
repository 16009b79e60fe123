//! Flexible-date and several-origin searches: read the price calendar once
//! per origin and trip length, pick the cheapest few days, and search only
//! those live (never every day of the window), from every origin asked.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use futures::future::join_all;
use serde::{Deserialize, Serialize};

use super::calendar::{CalendarQuery, DayPrice, FareCalendar};
use super::{SearchResults, SearchService, Warning, WarningCode, refine};
use crate::domain::{IataCode, Money, Offer};
use crate::places::Place;
use crate::search::{Flexibility, SearchOptions, SearchQuery, Sort};

/// Cheapest calendar days named in an answer: enough to choose from, few
/// enough to read in a chat reply.
pub const DAYS_SHOWN: usize = 5;

/// Days searched live after the calendar: the cheapest three, so a month
/// costs three live searches per answer instead of thirty.
pub const DAYS_SEARCHED: usize = 3;

/// One of the cheapest days the calendar knew, and what the live search of
/// it found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheapestDay {
    /// The airport or city this day leaves from.
    pub origin: IataCode,
    /// The calendar's figure: the day, its return, the price for one adult,
    /// and where it comes from.
    #[serde(flatten)]
    pub calendar: DayPrice,
    /// The cheapest live offer for the whole party that day, when it was
    /// searched live (`None`: not searched, or nothing found).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_price: Option<Money>,
    /// Whether this day was searched live.
    pub searched: bool,
}

/// How a flexible or several-origin search found its offers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlexibleSummary {
    /// The cheapest calendar days, cheapest first (empty without a window).
    pub cheapest_days: Vec<CheapestDay>,
    /// Every origin searched.
    pub origins: Vec<IataCode>,
    /// Calendar requests made: one per origin and trip length.
    pub calendar_requests: usize,
    /// Live searches made: one per (origin, day) searched — the cheapest
    /// days across every origin, never every day.
    pub live_searches: usize,
}

/// Answers a query that is not plain (see [`SearchQuery::is_plain`]).
pub(super) async fn search(
    service: &SearchService,
    calendar: Option<&Arc<dyn FareCalendar>>,
    query: &SearchQuery,
    now: DateTime<Utc>,
) -> SearchResults {
    let origins = query.origins();
    let Some(flex) = query.flexible() else {
        let legs = query.legs();
        let days = [(legs[0].date, legs.get(1).map(|l| l.date))];
        let trips: Vec<_> = origins.iter().map(|o| (*o, days[0])).collect();
        return live(service, query, &trips, Vec::new(), 0, now).await;
    };
    let Some(calendar) = calendar else {
        let warning = Warning::provider(
            "calendar",
            WarningCode::Unavailable,
            "no price calendar is configured for flexible dates".to_owned(),
        );
        return empty(query, vec![warning], now);
    };
    let (days, warnings, requests) = calendar_days(calendar, query, flex, &origins, now).await;
    let chosen: Vec<(Place, (NaiveDate, Option<NaiveDate>))> = days
        .iter()
        .take(DAYS_SEARCHED)
        .map(|(o, d)| (*o, (d.date, d.return_date)))
        .collect();
    let shown: Vec<CheapestDay> = days
        .into_iter()
        .take(DAYS_SHOWN)
        .enumerate()
        .map(|(i, (origin, calendar))| CheapestDay {
            origin: origin.code(),
            calendar,
            live_price: None,
            searched: i < DAYS_SEARCHED,
        })
        .collect();
    let mut results = live(service, query, &chosen, shown, requests, now).await;
    results.warnings.splice(0..0, warnings);
    results
}

/// The calendar's days for every origin and trip length, cheapest first,
/// keeping only the trips the window's shape allows; calendar failures
/// become warnings.
async fn calendar_days(
    calendar: &Arc<dyn FareCalendar>,
    query: &SearchQuery,
    flex: &Flexibility,
    origins: &[Place],
    now: DateTime<Utc>,
) -> (Vec<(Place, DayPrice)>, Vec<Warning>, usize) {
    let window = flex.departure_window;
    let stays: Vec<Option<u16>> = match flex.trip_days {
        Some(t) => t.lengths().map(Some).collect(),
        None => vec![None],
    };
    let asks: Vec<(Place, CalendarQuery)> = origins
        .iter()
        .flat_map(|o| stays.iter().map(move |stay| (*o, *stay)))
        .map(|(origin, trip_days)| {
            let ask = CalendarQuery {
                origin,
                destination: query.legs()[0].destination,
                first_day: window.from,
                days: window.days(),
                trip_days,
                cabin: query.options().cabin,
                currency: query.options().currency,
            };
            (origin, ask)
        })
        .collect();
    let answers = join_all(asks.iter().map(|(_, ask)| calendar.days(ask, now))).await;
    let (mut days, mut warnings) = (Vec::new(), Vec::new());
    for ((origin, _), answer) in asks.iter().zip(answers) {
        match answer {
            Ok(found) => days.extend(
                found
                    .into_iter()
                    .filter(|d| window.shape.allows(d.date, d.return_date))
                    .filter(|d| (window.from..=window.to).contains(&d.date))
                    .map(|d| (*origin, d)),
            ),
            Err(e) => warnings.push(Warning::provider(
                calendar.name(),
                WarningCode::Unavailable,
                format!("the price calendar from {} failed: {e}", origin.code()),
            )),
        }
    }
    days.sort_by(|a, b| {
        let key = |(_, d): &(Place, DayPrice)| (d.price.amount, d.date, d.return_date);
        key(a).cmp(&key(b))
    });
    (days, warnings, asks.len())
}

/// Searches every `(origin, day)` live at once and merges the offers under
/// the query's sort, filters and limit.
async fn live(
    service: &SearchService,
    query: &SearchQuery,
    trips: &[(Place, (NaiveDate, Option<NaiveDate>))],
    mut shown: Vec<CheapestDay>,
    calendar_requests: usize,
    now: DateTime<Utc>,
) -> SearchResults {
    // Each day's offers cheapest first and as many as allowed, so the day's
    // live price is its cheapest; the query's own sort and limit apply to
    // the merged offers.
    let each_day = SearchOptions {
        sort: Sort::Cheapest,
        limit: SearchOptions::MAX_LIMIT,
        ..query.options().clone()
    };
    let plain: Vec<SearchQuery> = trips
        .iter()
        .filter_map(|(origin, (out, back))| {
            query
                .on_day(*origin, *out, *back, each_day.clone(), now)
                .ok()
        })
        .collect();
    // Each day's search is recorded in the price history, but its insight
    // (a comparison with the modelled history) is for one day nobody reads.
    let answers = join_all(plain.iter().map(|q| service.search_and_record(q, now))).await;
    let mut offers: Vec<Offer> = Vec::new();
    let mut warnings: Vec<Warning> = Vec::new();
    for (q, answer) in plain.iter().zip(&answers) {
        note_live_price(&mut shown, q, &answer.offers);
        offers.extend(answer.offers.iter().cloned());
        warnings.extend(
            answer
                .warnings
                .iter()
                .filter(|w| !warnings.contains(w))
                .cloned()
                .collect::<Vec<_>>(),
        );
    }
    let (offers, filtered) = refine(offers, query.options());
    warnings.extend(filtered.filter(|w| !warnings.contains(w)));
    SearchResults {
        offers,
        warnings,
        cached: !answers.is_empty() && answers.iter().all(|a| a.cached),
        cache_age_seconds: answers
            .iter()
            .map(|a| a.cache_age_seconds)
            .max()
            .unwrap_or(0),
        searched_at: now,
        insight: None,
        flexible: Some(FlexibleSummary {
            cheapest_days: shown,
            origins: query.origins().iter().map(Place::code).collect(),
            calendar_requests,
            live_searches: plain.len(),
        }),
    }
}

/// Records the cheapest live offer of `q`'s day on the day shown for it.
fn note_live_price(shown: &mut [CheapestDay], q: &SearchQuery, offers: &[Offer]) {
    let legs = q.legs();
    let (origin, out, back) = (
        legs[0].origin.code(),
        legs[0].date,
        legs.get(1).map(|l| l.date),
    );
    let cheapest = offers.first().map(|o| o.price);
    if let Some(day) = shown
        .iter_mut()
        .find(|d| d.origin == origin && d.calendar.date == out && d.calendar.return_date == back)
    {
        day.live_price = cheapest;
    }
}

/// An answer with no offers, only `warnings`.
fn empty(query: &SearchQuery, warnings: Vec<Warning>, now: DateTime<Utc>) -> SearchResults {
    SearchResults {
        offers: Vec::new(),
        warnings,
        cached: false,
        cache_age_seconds: 0,
        searched_at: now,
        insight: None,
        flexible: Some(FlexibleSummary {
            origins: query.origins().iter().map(Place::code).collect(),
            ..FlexibleSummary::default()
        }),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use async_trait::async_trait;
    use chrono::TimeZone;

    use super::*;
    use crate::cache::MemoryCache;
    use crate::fares::demo::demo_days;
    use crate::fares::{DemoProvider, FareProvider, FareSearch, ProviderError};
    use crate::search::{DayShape, RawSearch};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
    }

    /// The demo provider, counting the searches it is asked.
    #[derive(Default)]
    struct CountingProvider(AtomicUsize);

    #[async_trait]
    impl FareProvider for CountingProvider {
        fn name(&self) -> &str {
            "demo"
        }
        async fn search(
            &self,
            query: &SearchQuery,
            now: DateTime<Utc>,
        ) -> Result<Vec<Offer>, ProviderError> {
            self.0.fetch_add(1, Ordering::SeqCst);
            DemoProvider.search(query, now).await
        }
    }

    /// The demo calendar, counting its requests; `fail` makes it unavailable.
    #[derive(Default)]
    struct CountingCalendar {
        calls: AtomicUsize,
        fail: bool,
    }

    #[async_trait]
    impl FareCalendar for CountingCalendar {
        fn name(&self) -> &str {
            "demo"
        }
        async fn days(
            &self,
            query: &CalendarQuery,
            now: DateTime<Utc>,
        ) -> Result<Vec<DayPrice>, ProviderError> {
            self.calls.fetch_add(1, Ordering::SeqCst);
            if self.fail {
                return Err(ProviderError::Unavailable("down".to_owned()));
            }
            Ok(demo_days(query, now))
        }
    }

    fn service(
        provider: &Arc<CountingProvider>,
        calendar: &Arc<CountingCalendar>,
    ) -> SearchService {
        let fares = FareSearch::new(vec![provider.clone()], Duration::from_secs(5));
        SearchService::new(
            fares,
            Arc::new(MemoryCache::new(100)),
            Duration::from_secs(60),
        )
        .with_calendar(calendar.clone())
    }

    fn month_of_march(trip_days: Option<&str>) -> SearchQuery {
        let mut raw = RawSearch::trip("SAO", "LIS", "", None);
        raw.departure_from = Some("2027-03-01".to_owned());
        raw.departure_to = Some("2027-03-31".to_owned());
        raw.trip_days = trip_days.map(str::to_owned);
        raw.parse(now()).unwrap()
    }

    #[tokio::test]
    async fn a_month_search_reads_the_calendar_once_and_searches_three_days_live() {
        let (provider, calendar) = (Arc::default(), Arc::default());
        let service = service(&provider, &calendar);
        let results = service.search(&month_of_march(Some("7")), now()).await;
        assert_eq!(calendar.calls.load(Ordering::SeqCst), 1);
        assert_eq!(
            provider.0.load(Ordering::SeqCst),
            DAYS_SEARCHED,
            "never every day"
        );
        let summary = results.flexible.unwrap();
        assert_eq!((summary.calendar_requests, summary.live_searches), (1, 3));
        let days = &summary.cheapest_days;
        assert_eq!(days.len(), DAYS_SHOWN);
        assert!(
            days.windows(2)
                .all(|w| w[0].calendar.price.amount <= w[1].calendar.price.amount)
        );
        // The live search of each chosen day finds the calendar's price,
        // and the offers come from those days only.
        for day in days.iter().filter(|d| d.searched) {
            assert_eq!(day.live_price, Some(day.calendar.price), "{day:?}");
            assert_eq!(
                (day.calendar.return_date.unwrap() - day.calendar.date).num_days(),
                7
            );
        }
        let searched: Vec<NaiveDate> = days
            .iter()
            .filter(|d| d.searched)
            .map(|d| d.calendar.date)
            .collect();
        assert!(!results.offers.is_empty());
        assert!(
            results
                .offers
                .iter()
                .all(|o| searched.contains(&o.slices[0].departure_local.date()))
        );
    }

    #[tokio::test]
    async fn a_weekend_search_asks_one_calendar_per_stay_and_keeps_only_weekends() {
        let (provider, calendar) = (Arc::default(), Arc::default());
        let mut raw = RawSearch::trip("SAO", "RIO", "", None);
        raw.departure_from = Some("2027-04-01".to_owned());
        raw.departure_to = Some("2027-04-30".to_owned());
        raw.departure_days = Some("weekend".to_owned());
        let query = raw.parse(now()).unwrap();
        let results = service(&provider, &calendar).search(&query, now()).await;
        // Stays of 1, 2 and 3 days: three calendar reads, three live searches.
        assert_eq!(calendar.calls.load(Ordering::SeqCst), 3);
        assert_eq!(provider.0.load(Ordering::SeqCst), 3);
        for day in results.flexible.unwrap().cheapest_days {
            let (out, back) = (day.calendar.date, day.calendar.return_date.unwrap());
            assert!(DayShape::Weekend.allows(out, Some(back)), "{out} {back}");
        }
    }

    #[tokio::test]
    async fn several_origins_are_each_searched_and_offers_say_their_airport() {
        let (provider, calendar) = (Arc::default(), Arc::default());
        let mut raw = RawSearch::trip("GIG", "LIS", "2027-03-10", None);
        raw.other_origins = vec!["VCP".to_owned()];
        let query = raw.parse(now()).unwrap();
        let results = service(&provider, &calendar).search(&query, now()).await;
        assert_eq!(provider.0.load(Ordering::SeqCst), 2);
        assert_eq!(
            calendar.calls.load(Ordering::SeqCst),
            0,
            "fixed dates need no calendar"
        );
        let from: std::collections::BTreeSet<String> = results
            .offers
            .iter()
            .map(|o| o.slices[0].origin.to_string())
            .collect();
        assert!(from.contains("GIG") && from.contains("VCP"), "{from:?}");
        assert_eq!(results.flexible.unwrap().origins.len(), 2);
    }

    #[tokio::test]
    async fn a_failing_calendar_is_a_warning_not_a_failed_search() {
        let provider = Arc::default();
        let calendar = Arc::new(CountingCalendar {
            fail: true,
            ..CountingCalendar::default()
        });
        let results = service(&provider, &calendar)
            .search(&month_of_march(None), now())
            .await;
        assert!(results.offers.is_empty());
        assert_eq!(results.warnings.len(), 1);
        assert!(
            results.warnings[0].message.contains("price calendar"),
            "{:?}",
            results.warnings
        );
        assert_eq!(provider.0.load(Ordering::SeqCst), 0);
    }
}
