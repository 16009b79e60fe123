use chrono::{Datelike, Days, NaiveDate, TimeZone, Utc, Weekday};
use rust_decimal::prelude::ToPrimitive;

use super::*;
use crate::search::{SearchOptions, SearchQuery};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
}

fn query(from: &str, to: &str, date: NaiveDate) -> SearchQuery {
    let leg = Leg::parse("legs[0]", from, to, &date.to_string()).unwrap();
    SearchQuery::new(vec![leg], SearchOptions::default(), now()).unwrap()
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

fn prices(offers: &[Offer], keep: impl Fn(&Offer) -> bool) -> Vec<f64> {
    offers
        .iter()
        .filter(|o| keep(o))
        .map(|o| o.price.amount.to_f64().unwrap())
        .collect()
}

#[test]
fn same_query_same_day_gives_the_same_offers() {
    let q = query("SAO", "LIS", NaiveDate::from_ymd_opt(2027, 3, 10).unwrap());
    let a = DemoProvider.offers(&q, now());
    let later_same_day = Utc.with_ymd_and_hms(2026, 11, 22, 23, 0, 0).unwrap();
    let b = DemoProvider.offers(&q, later_same_day);
    assert!(!a.is_empty());
    assert_eq!(a, b);
    assert!(
        a.iter()
            .all(|o| o.provider == "demo" && o.id.starts_with("demo_"))
    );
}

#[test]
fn prices_move_every_few_days() {
    let q = query("SAO", "LIS", NaiveDate::from_ymd_opt(2027, 3, 10).unwrap());
    let a = DemoProvider.offers(&q, now());
    let b = DemoProvider.offers(&q, now() + Duration::days(EPOCH_DAYS + 1));
    assert_ne!(prices(&a, |_| true), prices(&b, |_| true));
}

#[test]
fn nonstop_is_dearer_than_connecting_on_the_same_route_and_day() {
    let mut nonstop = Vec::new();
    let mut connecting = Vec::new();
    for day in 0..14 {
        let date = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap() + Days::new(day);
        let offers = DemoProvider.offers(&query("GRU", "LIS", date), now());
        let n = prices(&offers, |o| o.max_stops() == 0);
        let c = prices(&offers, |o| o.max_stops() == 1);
        assert!(!n.is_empty() && !c.is_empty(), "{date}: both kinds exist");
        nonstop.push(mean(&n));
        connecting.push(mean(&c));
        // Within a day, the median nonstop costs more than the median connection.
    }
    assert!(
        nonstop.iter().zip(&connecting).all(|(n, c)| n > c),
        "{nonstop:?} vs {connecting:?}"
    );
}

#[test]
fn prices_rise_inside_fourteen_days_of_departure() {
    // The same flights, searched 45, 21, 10 and 3 days before they leave.
    let departure = NaiveDate::from_ymd_opt(2027, 3, 17).unwrap();
    let mean_days_out = |days: i64| {
        let searched = Utc.from_utc_datetime(
            &(departure - Days::new(days as u64))
                .and_hms_opt(12, 0, 0)
                .unwrap(),
        );
        let leg = Leg::parse("legs[0]", "GRU", "GIG", &departure.to_string()).unwrap();
        let q = SearchQuery::new(vec![leg], SearchOptions::default(), searched).unwrap();
        mean(&prices(&DemoProvider.offers(&q, searched), |_| true))
    };
    let (d45, d21, d10, d3) = (
        mean_days_out(45),
        mean_days_out(21),
        mean_days_out(10),
        mean_days_out(3),
    );
    assert!(
        (d21 / d45 - 1.0).abs() < 0.15,
        "flat a few weeks out: {d45:.0} → {d21:.0}"
    );
    assert!(
        d10 > d21 * 1.10,
        "10 days out {d10:.0} vs 21 days out {d21:.0}"
    );
    assert!(
        d3 > d10 * 1.10,
        "3 days out {d3:.0} vs 10 days out {d10:.0}"
    );
}

#[test]
fn midweek_departures_are_cheaper_than_weekend_ones_on_average() {
    let (mut midweek, mut weekend) = (Vec::new(), Vec::new());
    for day in 0..56 {
        let date = NaiveDate::from_ymd_opt(2027, 4, 5).unwrap() + Days::new(day);
        let m = mean(&prices(
            &DemoProvider.offers(&query("SAO", "RIO", date), now()),
            |_| true,
        ));
        match date.weekday() {
            Weekday::Tue | Weekday::Wed => midweek.push(m),
            Weekday::Fri | Weekday::Sat | Weekday::Sun => weekend.push(m),
            _ => {}
        }
    }
    assert!(
        mean(&midweek) < mean(&weekend) * 0.95,
        "{} vs {}",
        mean(&midweek),
        mean(&weekend)
    );
}

#[test]
fn times_are_local_to_each_airport_and_consistent_in_utc() {
    let q = query("GRU", "LIS", NaiveDate::from_ymd_opt(2027, 3, 10).unwrap());
    let offers = DemoProvider.offers(&q, now());
    let nonstop = offers.iter().find(|o| o.max_stops() == 0).unwrap();
    let seg = &nonstop.slices[0].segments[0];
    // São Paulo is UTC−3 and Lisbon UTC+0 in March.
    assert_eq!(
        seg.departure_local,
        (seg.departure_utc - Duration::hours(3)).naive_utc()
    );
    assert_eq!(seg.arrival_local, seg.arrival_utc.naive_utc());
    assert_eq!(
        seg.departure_local.date(),
        NaiveDate::from_ymd_opt(2027, 3, 10).unwrap()
    );
    // Great-circle 7,950 km: about ten hours gate to gate.
    assert!(
        (570..=660).contains(&seg.duration_minutes),
        "{}",
        seg.duration_minutes
    );
    for o in &offers {
        for s in &o.slices {
            for w in s.segments.windows(2) {
                assert_eq!(w[0].destination, w[1].origin);
                assert!(w[1].departure_utc - w[0].arrival_utc >= Duration::minutes(70));
            }
        }
    }
}

#[test]
fn carriers_are_plausible_for_the_market() {
    let q = query("SAO", "RIO", NaiveDate::from_ymd_opt(2027, 3, 10).unwrap());
    let offers = DemoProvider.offers(&q, now());
    let carriers: std::collections::BTreeSet<String> = offers
        .iter()
        .flat_map(|o| o.carriers())
        .map(|c| c.to_string())
        .collect();
    assert!(
        carriers
            .iter()
            .all(|c| ["LA", "G3", "AD"].contains(&c.as_str())),
        "{carriers:?}"
    );
    // The Congonhas–Santos Dumont shuttle flies nonstop.
    assert!(offers.iter().any(|o| o.slices[0].origin.as_str() == "CGH"
        && o.slices[0].destination.as_str() == "SDU"
        && o.max_stops() == 0));
}

#[test]
fn round_trip_offers_have_both_slices_and_party_pricing() {
    let out = Leg::parse("legs[0]", "SAO", "LIS", "2027-03-10").unwrap();
    let back = Leg::parse("legs[1]", "LIS", "SAO", "2027-03-24").unwrap();
    let one = SearchQuery::new(vec![out, back], SearchOptions::default(), now()).unwrap();
    let family_opts = SearchOptions {
        passengers: crate::domain::Passengers::new(2, 1, 0).unwrap(),
        ..SearchOptions::default()
    };
    let family = SearchQuery::new(vec![out, back], family_opts, now()).unwrap();
    let a = DemoProvider.offers(&one, now());
    let b = DemoProvider.offers(&family, now());
    assert!(
        a.iter()
            .all(|o| o.slices.len() == 2 && o.slices[1].origin.as_str() == "LIS")
    );
    // Two adults and a child pay 2.75 adult fares.
    let ratio = b[0].price.amount.to_f64().unwrap() / a[0].price.amount.to_f64().unwrap();
    assert!((ratio - 2.75).abs() < 0.01, "{ratio}");
}
