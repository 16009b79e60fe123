//! Filtering and ranking of merged offers.

use std::cmp::Ordering;

use rust_decimal::prelude::ToPrimitive;

use super::Warning;
use crate::domain::Offer;
use crate::search::{SearchOptions, Sort};

/// Weight of total travel time against price in the `best` score: an hour
/// more on a ten-hour trip weighs like 7% more on the price.
const DURATION_WEIGHT: f64 = 0.7;
/// Extra score per connection: travellers pay to avoid one (about 10% of price).
const STOP_PENALTY: f64 = 0.10;

/// Applies the query's stop limit and filters, orders by its sort, and keeps
/// at most its limit. When offers existed but the filters removed them all,
/// the warning names the filter that removed the last ones.
pub fn refine(offers: Vec<Offer>, options: &SearchOptions) -> (Vec<Offer>, Option<Warning>) {
    let (mut offers, emptied_by) = filter(offers, options);
    match options.sort {
        Sort::Cheapest => {
            offers.sort_by(|a, b| a.price.amount.cmp(&b.price.amount).then(by_duration(a, b)))
        }
        Sort::Fastest => {
            offers.sort_by(|a, b| by_duration(a, b).then(a.price.amount.cmp(&b.price.amount)))
        }
        Sort::Best => sort_best(&mut offers),
    }
    offers.truncate(options.limit);
    (offers, emptied_by.map(Warning::filtered))
}

/// The cheapest offer the query's stop limit and filters keep (the
/// shorter of two at one price), without ordering the rest: what a price
/// observation records.
pub fn cheapest<'a>(offers: &'a [Offer], options: &SearchOptions) -> Option<&'a Offer> {
    offers
        .iter()
        .filter(|o| FILTERS.iter().all(|(_, keep)| keep(o, options)))
        .min_by(|a, b| a.price.amount.cmp(&b.price.amount).then(by_duration(a, b)))
}

type Keep = fn(&Offer, &SearchOptions) -> bool;

/// Each filter by the field a client names it with, in the order applied.
const FILTERS: [(&str, Keep); 5] = [
    ("max_stops", |o, opt| {
        opt.max_stops.is_none_or(|max| o.max_stops() <= max)
    }),
    ("filters.carriers", |o, opt| {
        let wanted = &opt.filters.carriers;
        wanted.is_empty() || o.carriers().iter().any(|c| wanted.contains(c))
    }),
    ("filters.max_price", |o, opt| {
        opt.filters
            .max_price
            .is_none_or(|max| o.price.amount <= max)
    }),
    ("filters.depart_after", |o, opt| {
        opt.filters
            .depart_after
            .is_none_or(|t| o.slices.iter().all(|s| s.departure_local.time() >= t))
    }),
    ("filters.depart_before", |o, opt| {
        opt.filters
            .depart_before
            .is_none_or(|t| o.slices.iter().all(|s| s.departure_local.time() <= t))
    }),
];

/// The offers every filter keeps, and the filter that left none, if one did.
fn filter(mut offers: Vec<Offer>, options: &SearchOptions) -> (Vec<Offer>, Option<&'static str>) {
    for (name, keep) in FILTERS {
        let before = offers.len();
        offers.retain(|o| keep(o, options));
        if before > 0 && offers.is_empty() {
            return (offers, Some(name));
        }
    }
    (offers, None)
}

fn by_duration(a: &Offer, b: &Offer) -> Ordering {
    a.total_minutes().cmp(&b.total_minutes())
}

/// Orders by price relative to the cheapest, plus weighted duration relative
/// to the fastest, plus a penalty per stop; ties go to the cheaper offer.
fn sort_best(offers: &mut [Offer]) {
    let price = |o: &Offer| o.price.amount.to_f64().unwrap_or(f64::MAX);
    let min_price = offers.iter().map(price).fold(f64::MAX, f64::min).max(1.0);
    let min_minutes = offers
        .iter()
        .map(|o| o.total_minutes())
        .min()
        .unwrap_or(1)
        .max(1) as f64;
    let score = |o: &Offer| {
        let stops: u32 = o.slices.iter().map(|s| u32::from(s.stops)).sum();
        price(o) / min_price
            + DURATION_WEIGHT * f64::from(o.total_minutes()) / min_minutes
            + STOP_PENALTY * f64::from(stops)
    };
    offers.sort_by(|a, b| {
        score(a)
            .total_cmp(&score(b))
            .then(a.price.amount.cmp(&b.price.amount))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CarrierCode;
    use crate::fares::DemoProvider;
    use crate::search::{Leg, SearchQuery};
    use chrono::{NaiveTime, TimeZone, Utc};

    fn offers() -> Vec<Offer> {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap();
        let leg = Leg::parse("legs[0]", "SAO", "LIS", "2027-03-10").unwrap();
        let q = SearchQuery::new(vec![leg], SearchOptions::default(), now).unwrap();
        DemoProvider.offers(&q, now)
    }

    fn opts(sort: Sort) -> SearchOptions {
        SearchOptions {
            sort,
            limit: 100,
            ..SearchOptions::default()
        }
    }

    #[test]
    fn cheapest_and_fastest_order_as_named() {
        let cheap = refine(offers(), &opts(Sort::Cheapest)).0;
        assert!(
            cheap
                .windows(2)
                .all(|w| w[0].price.amount <= w[1].price.amount)
        );
        let fast = refine(offers(), &opts(Sort::Fastest)).0;
        assert!(
            fast.windows(2)
                .all(|w| w[0].total_minutes() <= w[1].total_minutes())
        );
        assert_eq!(fast[0].max_stops(), 0);
    }

    #[test]
    fn best_is_neither_the_slowest_nor_the_dearest() {
        let all = offers();
        let best = refine(all.clone(), &opts(Sort::Best)).0;
        let max_price = all.iter().map(|o| o.price.amount).max().unwrap();
        let max_minutes = all.iter().map(Offer::total_minutes).max().unwrap();
        assert!(best[0].price.amount < max_price && best[0].total_minutes() < max_minutes);
    }

    #[test]
    fn filters_drop_what_the_traveller_excluded() {
        let mut o = opts(Sort::Cheapest);
        o.max_stops = Some(0);
        o.filters.carriers = vec![CarrierCode::parse("TP").unwrap()];
        o.filters.depart_after = NaiveTime::from_hms_opt(12, 0, 0);
        let kept = refine(offers(), &o).0;
        assert!(!kept.is_empty());
        assert!(kept.iter().all(
            |x| x.max_stops() == 0 && x.carriers().contains(&CarrierCode::parse("TP").unwrap())
        ));
        assert!(kept.iter().all(|x| {
            x.slices
                .iter()
                .all(|s| s.departure_local.time() >= NaiveTime::from_hms_opt(12, 0, 0).unwrap())
        }));

        let cheapest = refine(offers(), &opts(Sort::Cheapest)).0[0].price.amount;
        let mut capped = opts(Sort::Cheapest);
        capped.filters.max_price = Some(cheapest);
        assert!(
            refine(offers(), &capped)
                .0
                .iter()
                .all(|x| x.price.amount == cheapest)
        );
        capped.limit = 1;
        assert_eq!(refine(offers(), &capped).0.len(), 1);
    }

    fn segment(carrier: &str, flight: &str, hour: u32) -> crate::domain::Segment {
        let day = chrono::NaiveDate::from_ymd_opt(2027, 3, 10).unwrap();
        let at = day.and_hms_opt(hour, 0, 0).unwrap();
        crate::domain::Segment {
            carrier: CarrierCode::parse(carrier).unwrap(),
            carrier_name: carrier.to_owned(),
            operating_carrier: None,
            flight_number: flight.to_owned(),
            origin: crate::domain::IataCode::parse("CDG").unwrap(),
            destination: crate::domain::IataCode::parse("AMS").unwrap(),
            departure_local: at,
            departure_utc: at.and_utc(),
            arrival_local: at,
            arrival_utc: at.and_utc(),
            duration_minutes: 60,
        }
    }

    fn offer(slices: Vec<Vec<crate::domain::Segment>>) -> Offer {
        let mut o = offers().remove(0);
        o.slices = slices
            .into_iter()
            .map(|segs| crate::domain::Slice::from_segments(segs).unwrap())
            .collect();
        o
    }

    #[test]
    fn an_offer_passes_the_carriers_filter_when_any_of_its_carriers_is_listed() {
        let af_kl = offer(vec![vec![
            segment("AF", "AF1", 9),
            segment("KL", "KL2", 12),
        ]]);
        let mut o = opts(Sort::Cheapest);
        o.filters.carriers = vec![CarrierCode::parse("AF").unwrap()];
        assert_eq!(refine(vec![af_kl.clone()], &o).0.len(), 1);
        o.filters.carriers = vec![CarrierCode::parse("LH").unwrap()];
        let (kept, warning) = refine(vec![af_kl], &o);
        assert!(kept.is_empty());
        assert_eq!(warning.unwrap().field.as_deref(), Some("filters.carriers"));
    }

    #[test]
    fn depart_after_applies_to_the_return_slice_too() {
        let late_out_early_back = offer(vec![
            vec![segment("TP", "TP1", 15)],
            vec![segment("TP", "TP2", 7)],
        ]);
        let mut o = opts(Sort::Cheapest);
        o.filters.depart_after = NaiveTime::from_hms_opt(12, 0, 0);
        let (kept, warning) = refine(vec![late_out_early_back.clone()], &o);
        assert!(kept.is_empty(), "the 07:00 return leaves before 12:00");
        assert_eq!(
            warning.unwrap().field.as_deref(),
            Some("filters.depart_after")
        );
        o.filters.depart_after = NaiveTime::from_hms_opt(6, 0, 0);
        assert_eq!(refine(vec![late_out_early_back], &o).0.len(), 1);
    }
}
