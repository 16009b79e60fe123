//! Server time of mapping one page of 200 Duffel offers (the replay's
//! `many` scenario: São Paulo to Lisbon, one adult, nonstops and codeshare
//! connections) into our offers: JSON decoding, time zones, durations, bags.
//!
//! `cargo run -p chatpassagens --example duffel_mapping`

#![allow(clippy::print_stdout)]

use std::time::Instant;

use chatpassagens::replay::{Asked, OfferSet, SliceAsked, Traveller, duffel_offers};
use chrono::{NaiveDate, TimeZone, Utc};
use shared::domain::Cabin;
use shared::fares::duffel::map_offers_page;

fn main() {
    let asked = Asked {
        slices: vec![SliceAsked {
            origin: "SAO".to_owned(),
            destination: "LIS".to_owned(),
            date: NaiveDate::from_ymd_opt(2027, 3, 10).expect("a date"),
        }],
        travellers: vec![Traveller::Adult],
        cabin: "economy".to_owned(),
    };
    let now = Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap();
    let offers = duffel_offers(&asked, OfferSet::Many, now, 200);
    let body = serde_json::to_vec(&serde_json::json!({ "data": offers })).expect("json");
    let runs = 50;
    let mut times = Vec::with_capacity(runs);
    let mut mapped = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let page = map_offers_page(&body, Cabin::Economy).expect("a page of offers");
        times.push(started.elapsed());
        mapped = page.offers.len();
    }
    times.sort();
    let median = times[runs / 2];
    println!(
        "mapped {mapped} offers ({} KB of JSON): median {:.2} ms, min {:.2} ms over {runs} runs ({:.1} µs per offer)",
        body.len() / 1024,
        median.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e6 / mapped.max(1) as f64
    );
}
