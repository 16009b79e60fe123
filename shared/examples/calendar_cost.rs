//! What the price calendar and the Travelpayouts mapping cost in server
//! time: a 31-day demo calendar (one way and a 7-day round trip, SAO–LIS),
//! and reading plus mapping 200 `prices_for_dates` entries into offers.
//! Medians of `N` runs (default 30).
//! Run: `cargo run -p shared --example calendar_cost`

// An example's output is its result.
#![allow(clippy::print_stdout)]

use std::fmt::Write as _;
use std::time::Instant;

use chrono::{Days, Utc};
use shared::domain::{Cabin, Currency};
use shared::fares::demo::demo_days;
use shared::fares::travelpayouts::{OfferContext, PriceEntry, read_entries, to_offer};
use shared::fares::{CalendarQuery, DemoProvider};
use shared::places::Place;
use shared::search::RawSearch;

fn median_ms(runs: usize, mut f: impl FnMut() -> usize) -> (f64, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut out = 0;
    for _ in 0..runs {
        let started = Instant::now();
        out = f();
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], out)
}

/// A `prices_for_dates` answer of `n` round-trip entries, as documented.
fn answer(n: usize) -> String {
    let mut data = String::new();
    for i in 0..n {
        let _ = write!(
            data,
            r#"{}{{"origin":"SAO","destination":"LIS","origin_airport":"GRU","destination_airport":"LIS","price":{},"airline":"TP","flight_number":"{}","departure_at":"2027-03-10T{:02}:05:00-03:00","return_at":"2027-03-24T11:30:00+00:00","transfers":{},"return_transfers":1,"duration":1500,"duration_to":700,"duration_back":800,"link":"/search/SAO1003LIS24031?t=TP{i}"}}"#,
            if i == 0 { "" } else { "," },
            3000 + i * 7,
            100 + i,
            6 + i % 16,
            i % 2,
        );
    }
    format!(r#"{{"success":true,"currency":"brl","data":[{data}]}}"#)
}

fn main() {
    let runs = std::env::var("N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(30);
    let now = Utc::now();
    let query = CalendarQuery {
        origin: Place::resolve("SAO").expect("SAO"),
        destination: Place::resolve("LIS").expect("LIS"),
        first_day: now.date_naive() + Days::new(60),
        days: 31,
        trip_days: None,
        cabin: Cabin::Economy,
        currency: Currency::BRL,
    };
    let (one_way, n) = median_ms(runs, || demo_days(&query, now).len());
    println!("demo calendar, 31 days one way: {one_way:.2} ms median ({n} days priced)");
    // For scale: the demo provider's offers for one of those days, as an
    // uncached one-way search asks them.
    let day = (query.first_day + Days::new(9)).to_string();
    let search = RawSearch::trip("SAO", "LIS", &day, None)
        .parse(now)
        .expect("a valid search");
    let (one_day, n) = median_ms(runs, || DemoProvider.offers(&search, now).len());
    println!("for scale, one day's demo offers (one way): {one_day:.2} ms median ({n} offers)");
    let round = CalendarQuery {
        trip_days: Some(7),
        ..query
    };
    let (round_ms, n) = median_ms(runs, || demo_days(&round, now).len());
    println!(
        "demo calendar, 31 days round trip (7 days): {round_ms:.2} ms median ({n} days priced)"
    );

    let body = answer(200);
    let ctx = OfferContext {
        seats: 1,
        source: Currency::BRL,
        marker: Some("424242"),
        now,
    };
    let (map_ms, n) = median_ms(runs, || {
        let (entries, _) = read_entries::<PriceEntry>(body.as_bytes()).expect("documented answer");
        entries.iter().filter_map(|e| to_offer(e, &ctx)).count()
    });
    println!(
        "travelpayouts: read and map 200 entries ({} KB): {map_ms:.2} ms median ({n} offers)",
        body.len() / 1024
    );
}
