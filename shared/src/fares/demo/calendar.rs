//! The demo model's price calendar: for each departure day, the cheapest
//! fare the demo provider quotes for one adult, the same price a search for
//! that day ranks cheapest (so a flexible search's live check of the day
//! shows it), computed without building the day's offers.

use async_trait::async_trait;
use chrono::{DateTime, Days, NaiveDate, Utc};

use super::DemoProvider;
use crate::fares::ProviderError;
use crate::fares::calendar::{CalendarQuery, DayPrice, DaySource, FareCalendar};
#[cfg(doc)]
use crate::fares::cheapest;
use crate::search::{Leg, SearchOptions, SearchQuery};

/// The demo provider's fare model as a calendar (offline, synthetic).
#[derive(Debug, Default, Clone, Copy)]
pub struct DemoCalendar;

#[async_trait]
impl FareCalendar for DemoCalendar {
    fn name(&self) -> &str {
        "demo"
    }

    async fn days(
        &self,
        query: &CalendarQuery,
        now: DateTime<Utc>,
    ) -> Result<Vec<DayPrice>, ProviderError> {
        Ok(demo_days(query, now))
    }
}

/// The cheapest demo fare for each day of `query`'s span, priced as of
/// `now`. Days a search would refuse (in the past at the origin, beyond the
/// booking horizon) and days with no flight are absent.
pub fn demo_days(query: &CalendarQuery, now: DateTime<Utc>) -> Vec<DayPrice> {
    (0..u64::from(query.days))
        .filter_map(|i| query.first_day.checked_add_days(Days::new(i)))
        .filter_map(|date| demo_day(query, date, now))
        .collect()
}

/// One day's cheapest fare: the same query a one-way or round-trip search
/// for that day builds, for one adult, priced by
/// [`DemoProvider::cheapest_price`] (what [`cheapest`] ranks first among
/// the day's offers, which a test checks).
fn demo_day(query: &CalendarQuery, date: NaiveDate, now: DateTime<Utc>) -> Option<DayPrice> {
    let return_date = match query.trip_days {
        Some(n) => Some(date.checked_add_days(Days::new(u64::from(n)))?),
        None => None,
    };
    let mut legs = vec![Leg {
        origin: query.origin,
        destination: query.destination,
        date,
    }];
    legs.extend(return_date.map(|back| Leg {
        origin: query.destination,
        destination: query.origin,
        date: back,
    }));
    let options = SearchOptions {
        cabin: query.cabin,
        currency: query.currency,
        ..SearchOptions::default()
    };
    let search = SearchQuery::new(legs, options, now).ok()?;
    let price = DemoProvider.cheapest_price(&search, now)?;
    Some(DayPrice {
        date,
        return_date,
        price,
        provider: "demo".to_owned(),
        source: DaySource::DemoModel,
        found_at: None,
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::domain::{Cabin, Currency};
    use crate::fares::cheapest;
    use crate::places::Place;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
    }

    fn query(first_day: NaiveDate, days: u16, trip_days: Option<u16>) -> CalendarQuery {
        CalendarQuery {
            origin: Place::resolve("SAO").unwrap(),
            destination: Place::resolve("LIS").unwrap(),
            first_day,
            days,
            trip_days,
            cabin: Cabin::Economy,
            currency: Currency::BRL,
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn each_day_shows_the_cheapest_fare_a_search_for_that_day_finds() {
        let q = query(day(2027, 3, 1), 31, None);
        let days = demo_days(&q, now());
        assert_eq!(days.len(), 31);
        assert_eq!(days[0].date, day(2027, 3, 1));
        assert_eq!(days[30].date, day(2027, 3, 31));
        let tenth = &days[9];
        let leg = Leg::parse("legs[0]", "SAO", "LIS", "2027-03-10").unwrap();
        let search = SearchQuery::new(vec![leg], SearchOptions::default(), now()).unwrap();
        let offers = DemoProvider.offers(&search, now());
        assert_eq!(
            tenth.price,
            cheapest(&offers, search.options()).unwrap().price
        );
        assert!(days.iter().all(|d| d.provider == "demo"
            && d.source == DaySource::DemoModel
            && d.found_at.is_none()
            && d.return_date.is_none()));
        let distinct: std::collections::BTreeSet<_> = days.iter().map(|d| d.price.amount).collect();
        assert!(distinct.len() > 5, "prices vary by day: {distinct:?}");
    }

    #[test]
    fn every_day_matches_the_cheapest_offer_a_search_ranks_first() {
        for trip_days in [None, Some(7)] {
            for d in demo_days(&query(day(2027, 3, 1), 31, trip_days), now()) {
                let mut legs =
                    vec![Leg::parse("legs[0]", "SAO", "LIS", &d.date.to_string()).unwrap()];
                if let Some(back) = d.return_date {
                    legs.push(Leg::parse("legs[1]", "LIS", "SAO", &back.to_string()).unwrap());
                }
                let search = SearchQuery::new(legs, SearchOptions::default(), now()).unwrap();
                let offers = DemoProvider.offers(&search, now());
                let best = cheapest(&offers, search.options()).unwrap();
                assert_eq!(d.price, best.price, "{d:?}");
            }
        }
    }

    #[test]
    fn a_round_trip_calendar_prices_both_ways_with_the_return_day() {
        let one_way = demo_days(&query(day(2027, 3, 1), 7, None), now());
        let round = demo_days(&query(day(2027, 3, 1), 7, Some(7)), now());
        assert_eq!(round.len(), 7);
        assert_eq!(round[0].return_date, Some(day(2027, 3, 8)));
        for (r, o) in round.iter().zip(&one_way) {
            assert!(r.price.amount > o.price.amount, "{r:?} vs {o:?}");
        }
    }

    #[test]
    fn past_days_are_left_out_and_the_currency_is_the_asked_one() {
        let mut q = query(day(2026, 11, 20), 5, None);
        q.currency = Currency::EUR;
        let days = demo_days(&q, now());
        let dates: Vec<NaiveDate> = days.iter().map(|d| d.date).collect();
        assert_eq!(
            dates,
            vec![day(2026, 11, 22), day(2026, 11, 23), day(2026, 11, 24)]
        );
        assert!(days.iter().all(|d| d.price.currency == Currency::EUR));
    }
}
