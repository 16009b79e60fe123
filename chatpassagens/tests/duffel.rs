//! The Duffel adapter against the Duffel replay server (started in-process
//! on port 0): every scenario, the mapped offers field by field, and a
//! search over `FARE_PROVIDERS=demo,duffel` through the application.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chatpassagens::replay::duffel::{Scenario, Settings, spawn};
use chrono::{DateTime, TimeZone, Utc};
use shared::domain::{Bags, CarrierCode, Currency, Passengers};
use shared::fares::{DuffelProvider, FareProvider, ProviderError, WarningCode};
use shared::search::{Leg, SearchOptions, SearchQuery, Sort};
use shared::{App, Config};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
}

/// São Paulo (every airport) to Lisbon on 10 March 2027, two adults' worth
/// of seats: one adult, one child and a lap infant.
fn family_to_lisbon() -> SearchQuery {
    let leg = Leg::parse("legs[0]", "SAO", "LIS", "2027-03-10").unwrap();
    let options = SearchOptions {
        passengers: Passengers::new(1, 1, 1).unwrap(),
        ..SearchOptions::default()
    };
    SearchQuery::new(vec![leg], options, now()).unwrap()
}

async fn replay(token: Option<&str>) -> String {
    spawn(Settings {
        token: token.map(str::to_owned),
        scenario: Scenario::Success,
    })
    .await
    .unwrap()
}

fn duffel(base: &str, deadline_ms: u64) -> DuffelProvider {
    DuffelProvider::new(base, "duffel_test_x", Duration::from_millis(deadline_ms)).unwrap()
}

fn at(text: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
}

#[tokio::test]
async fn a_connection_a_nonstop_and_the_familys_prices_are_mapped_field_by_field() {
    let base = replay(None).await;
    let offers = duffel(&base, 5000)
        .search(&family_to_lisbon(), now())
        .await
        .unwrap();
    let by_id: HashMap<&str, _> = offers.iter().map(|o| (o.id.as_str(), o)).collect();

    let connection = by_id["off_zz0001"];
    assert_eq!(connection.provider, "duffel");
    let [slice] = connection.slices.as_slice() else {
        panic!("one slice")
    };
    assert_eq!(
        (slice.origin.as_str(), slice.destination.as_str()),
        ("GRU", "LIS")
    );
    assert_eq!(slice.stops, 1);
    assert_eq!(slice.duration_minutes, 855, "14 h 15 min door to door");
    let [first, second] = slice.segments.as_slice() else {
        panic!("two segments")
    };
    assert_eq!(first.flight_number, "ZZ100");
    assert_eq!(first.carrier, CarrierCode::parse("ZZ").unwrap());
    assert_eq!(first.carrier_name, "Duffel Airways");
    assert_eq!(
        first.operating_carrier,
        Some(CarrierCode::parse("IB").unwrap()),
        "a codeshare"
    );
    assert_eq!(
        (first.origin.as_str(), first.destination.as_str()),
        ("GRU", "MAD")
    );
    assert_eq!(first.departure_local, at("2027-03-10 22:05"));
    assert_eq!(
        first.departure_utc,
        Utc.with_ymd_and_hms(2027, 3, 11, 1, 5, 0).unwrap()
    );
    assert_eq!(
        first.arrival_local,
        at("2027-03-11 12:55"),
        "Madrid is on UTC+1"
    );
    assert_eq!(first.duration_minutes, 650);
    assert_eq!(second.flight_number, "ZZ101");
    assert_eq!(second.operating_carrier, None);
    assert_eq!(
        (second.origin.as_str(), second.destination.as_str()),
        ("MAD", "LIS")
    );
    assert_eq!(second.departure_local, at("2027-03-11 15:10"));
    assert_eq!(
        second.arrival_local,
        at("2027-03-11 15:20"),
        "Lisbon is on UTC"
    );
    let layover = second.departure_utc - first.arrival_utc;
    assert_eq!(layover.num_minutes(), 135, "the layover in Madrid");
    assert_eq!(connection.fare_brand.as_deref(), Some("Basic"));
    assert_eq!(
        connection.bags,
        Some(Bags {
            carry_on: 1,
            checked: 0
        })
    );
    // EUR 489.90 for the adult, 75% for the child (sent as age 8), 10% for
    // the lap infant: 489.90 × 1.85.
    assert_eq!(connection.price.currency, Currency::EUR);
    assert_eq!(connection.price.amount.to_string(), "906.32");
    assert!(connection.expires_at > Utc::now());

    let nonstop = by_id["off_zz0000"];
    assert_eq!(nonstop.max_stops(), 0);
    assert_eq!(
        nonstop.slices[0].segments[0].arrival_local,
        at("2027-03-11 11:25")
    );
    assert_eq!(nonstop.slices[0].duration_minutes, 620);
    assert_eq!(nonstop.fare_brand.as_deref(), Some("Comfort"));
    assert_eq!(
        nonstop.bags,
        Some(Bags {
            carry_on: 1,
            checked: 1
        })
    );
    assert_eq!(nonstop.price.amount.to_string(), "1132.94", "612.40 × 1.85");

    // The demo timetable's flights, repriced in dollars, cheapest first.
    let dollars: Vec<_> = offers
        .iter()
        .filter(|o| o.price.currency == Currency::USD)
        .collect();
    assert!(!dollars.is_empty());
    let amounts: Vec<_> = offers
        .iter()
        .filter(|o| o.price.currency == Currency::EUR)
        .map(|o| o.price.amount)
        .collect();
    assert!(
        amounts.windows(2).all(|w| w[0] <= w[1]),
        "sorted by total_amount: {amounts:?}"
    );
}

#[tokio::test]
async fn partial_supplier_timeouts_still_give_the_offers_that_arrived() {
    let base = replay(None).await;
    let offers = duffel(&format!("{base}/scenarios/partial"), 5000)
        .search(&family_to_lisbon(), now())
        .await
        .unwrap();
    let ids: Vec<&str> = offers.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["off_zz0000"]);
}

#[tokio::test]
async fn no_offers_is_an_empty_answer_not_an_error() {
    let base = replay(None).await;
    let offers = duffel(&format!("{base}/scenarios/no_offers"), 5000)
        .search(&family_to_lisbon(), now())
        .await
        .unwrap();
    assert!(offers.is_empty());
}

#[tokio::test]
async fn a_422_becomes_a_refusal_naming_duffels_field() {
    let base = replay(None).await;
    let err = duffel(&format!("{base}/scenarios/invalid"), 5000)
        .search(&family_to_lisbon(), now())
        .await
        .unwrap_err();
    let ProviderError::Rejected(message) = err else {
        panic!("{err:?}")
    };
    assert!(
        message.starts_with("departure_date: The departure date must be in the future"),
        "{message}"
    );
}

#[tokio::test]
async fn a_rate_limit_resetting_after_the_deadline_fails_at_once() {
    let base = replay(None).await;
    let started = Instant::now();
    let err = duffel(&format!("{base}/scenarios/rate_limited"), 3000)
        .search(&family_to_lisbon(), now())
        .await
        .unwrap_err();
    assert!(matches!(err, ProviderError::RateLimited), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "no wait for a reset a minute away"
    );
}

#[tokio::test]
async fn a_rate_limit_resetting_within_the_deadline_is_waited_for() {
    let base = replay(None).await;
    let started = Instant::now();
    let offers = duffel(&format!("{base}/scenarios/rate_limited_once"), 5000)
        .search(&family_to_lisbon(), now())
        .await
        .unwrap();
    assert!(!offers.is_empty());
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(4), "waited {waited:?}");
}

#[tokio::test]
async fn a_server_error_is_unavailable() {
    let base = replay(None).await;
    let err = duffel(&format!("{base}/scenarios/server_error"), 5000)
        .search(&family_to_lisbon(), now())
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "unavailable: HTTP 500");
}

#[tokio::test]
async fn a_slow_duffel_times_out_within_its_deadline() {
    let base = replay(None).await;
    let started = Instant::now();
    let err = duffel(&format!("{base}/scenarios/slow"), 1000)
        .search(&family_to_lisbon(), now())
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "unavailable: timed out");
    assert!(
        started.elapsed() < Duration::from_millis(1800),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_refused_token_is_a_configuration_error() {
    let base = replay(Some("duffel_test_right")).await;
    let err = duffel(&base, 5000)
        .search(&family_to_lisbon(), now())
        .await
        .unwrap_err();
    assert!(matches!(err, ProviderError::Unauthorized), "{err:?}");
}

#[tokio::test]
async fn the_replay_refuses_calls_duffel_would_refuse() {
    let base = replay(None).await;
    let http = reqwest::Client::builder().gzip(false).build().unwrap();
    let body = serde_json::json!({"data": {"slices": [{"origin": "GRU", "destination": "LIS", "departure_date": "2027-03-10"}], "passengers": [{"type": "adult"}]}});
    let post = || {
        http.post(format!("{base}/air/offer_requests"))
            .bearer_auth("x")
            .json(&body)
    };

    let no_version = post().send().await.unwrap();
    assert_eq!(no_version.status(), 400);
    let errors: serde_json::Value = no_version.json().await.unwrap();
    assert_eq!(errors["errors"][0]["code"], "missing_version_header");

    let no_slices = http
        .post(format!("{base}/air/offer_requests"))
        .bearer_auth("x")
        .header("Duffel-Version", "v2")
        .json(&serde_json::json!({"data": {"passengers": [{"type": "adult"}]}}))
        .send()
        .await
        .unwrap();
    assert_eq!(no_slices.status(), 422);
    let errors: serde_json::Value = no_slices.json().await.unwrap();
    assert_eq!(errors["errors"][0]["source"]["field"], "slices");

    let nowhere = http
        .post(format!("{base}/air/offer_requests"))
        .bearer_auth("x")
        .header("Duffel-Version", "v2")
        .json(&serde_json::json!({"data": {"slices": [{"origin": "GRU", "destination": "QQQ", "departure_date": "2027-03-10"}], "passengers": [{"type": "adult"}]}}))
        .send()
        .await
        .unwrap();
    assert_eq!(nowhere.status(), 422);
    let errors: serde_json::Value = nowhere.json().await.unwrap();
    assert_eq!(errors["errors"][0]["source"]["field"], "destination");

    let unknown = http
        .get(format!("{base}/air/offers?offer_request_id=orq_nope"))
        .bearer_auth("x")
        .header("Duffel-Version", "v2")
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);

    let created = post()
        .header("Duffel-Version", "v2")
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    assert_eq!(
        created.headers()["content-encoding"],
        "gzip",
        "answers are gzipped when asked"
    );
    assert!(created.headers().contains_key("x-request-id"));
}

fn app(base: &str, extra: &[(&str, &str)]) -> App {
    let mut vars: HashMap<String, String> = HashMap::from([
        ("FARE_PROVIDERS".to_owned(), "demo,duffel".to_owned()),
        ("DUFFEL_BASE_URL".to_owned(), base.to_owned()),
        ("DUFFEL_ACCESS_TOKEN".to_owned(), "duffel_test_x".to_owned()),
    ]);
    vars.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    let config = Config::from_lookup(|k| vars.get(k).cloned()).unwrap();
    App::from_config(&config).unwrap().with_clock(now())
}

fn one_way_cheapest() -> SearchQuery {
    let out = Leg::parse("legs[0]", "SAO", "LIS", "2027-03-10").unwrap();
    let options = SearchOptions {
        sort: Sort::Cheapest,
        limit: 100,
        ..SearchOptions::default()
    };
    SearchQuery::new(vec![out], options, now()).unwrap()
}

#[tokio::test]
async fn demo_and_duffel_are_merged_deduplicated_converted_and_ranked_together() {
    let base = replay(None).await;
    let app = app(&base, &[]);
    let results = app.search.search(&one_way_cheapest(), now()).await;
    assert!(results.warnings.is_empty(), "{:?}", results.warnings);
    let offers = &results.offers;
    assert!(
        offers.iter().all(|o| o.price.currency == Currency::BRL),
        "every price in reais"
    );
    let providers: std::collections::HashSet<&str> =
        offers.iter().map(|o| o.provider.as_str()).collect();
    assert_eq!(providers, ["demo", "duffel"].into_iter().collect());
    let keys: std::collections::HashSet<String> =
        offers.iter().map(|o| o.itinerary_key()).collect();
    assert_eq!(keys.len(), offers.len(), "no flights twice");
    let merged: Vec<_> = offers
        .iter()
        .filter(|o| !o.other_sellers.is_empty())
        .collect();
    assert!(
        merged.len() >= 2,
        "the demo flights Duffel also sells: {}",
        merged.len()
    );
    for offer in &merged {
        let seller = &offer.other_sellers[0];
        assert_ne!(seller.provider, offer.provider);
        assert!(
            seller.price.amount >= offer.price.amount,
            "the cheaper seller stands"
        );
    }
    assert!(
        merged.iter().any(|o| o.provider == "duffel")
            && merged.iter().any(|o| o.provider == "demo"),
        "each wins some"
    );
    let duffel = offers.iter().find(|o| o.id == "off_zz0001").unwrap();
    let from = duffel.converted_from.unwrap();
    assert_eq!(
        (from.currency, from.amount.to_string()),
        (Currency::EUR, "489.90".to_owned())
    );
    // EUR 489.90 at the fixed rates: ÷ 0.92 × 5.30.
    assert_eq!(duffel.price.amount.to_string(), "2822.25");
    let prices: Vec<_> = offers.iter().map(|o| o.price.amount).collect();
    assert!(
        prices.windows(2).all(|w| w[0] <= w[1]),
        "ranked cheapest first"
    );
}

#[tokio::test]
async fn a_duffel_that_times_out_is_a_warning_and_demo_answers_within_the_deadline() {
    let base = replay(None).await;
    let app = app(
        &format!("{base}/scenarios/slow"),
        &[
            ("SEARCH_DEADLINE_MS", "2000"),
            ("DUFFEL_DEADLINE_MS", "1200"),
        ],
    );
    let started = Instant::now();
    let results = app.search.search(&one_way_cheapest(), now()).await;
    let took = started.elapsed();
    assert!(
        took < Duration::from_millis(2000),
        "answered after {took:?}"
    );
    assert!(!results.offers.is_empty());
    assert!(results.offers.iter().all(|o| o.provider == "demo"));
    let [warning] = results.warnings.as_slice() else {
        panic!("{:?}", results.warnings)
    };
    assert_eq!(warning.provider.as_deref(), Some("duffel"));
    assert!(
        matches!(
            warning.code,
            WarningCode::Timeout | WarningCode::Unavailable
        ),
        "{warning:?}"
    );
}

#[test]
fn an_unknown_provider_name_is_refused_naming_fare_providers() {
    let err = Config::from_lookup(|k| (k == "FARE_PROVIDERS").then(|| "demo,amadeus".to_owned()))
        .unwrap_err();
    assert_eq!(err.var, "FARE_PROVIDERS");
    assert!(err.reason.contains("'amadeus'"), "{}", err.reason);
}

/// A local stand-in for the ECB's daily file (trimmed to a few currencies).
async fn ecb_file() -> String {
    const DAILY: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gesmes:Envelope xmlns:gesmes=\"http://www.gesmes.org/xml/2002-08-01\" xmlns=\"http://www.ecb.int/vocabulary/2002-08-01/eurofxref\">\n\t<gesmes:subject>Reference rates</gesmes:subject>\n\t<Cube>\n\t\t<Cube time='2026-11-27'>\n\t\t\t<Cube currency='USD' rate='1.0565'/>\n\t\t\t<Cube currency='BRL' rate='6.1398'/>\n\t\t</Cube>\n\t</Cube>\n</gesmes:Envelope>";
    let app = axum::Router::new().route(
        "/eurofxref-daily.xml",
        axum::routing::get(|| async { DAILY }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/eurofxref-daily.xml")
}

#[tokio::test]
async fn with_rates_from_the_ecb_duffels_euros_are_converted_at_the_days_reference_rate() {
    let base = replay(None).await;
    let rates = ecb_file().await;
    let app = app(&base, &[("RATES", "ecb"), ("RATES_URL", &rates)]);
    let results = app.search.search(&one_way_cheapest(), now()).await;
    assert!(results.warnings.is_empty(), "{:?}", results.warnings);
    let duffel = results
        .offers
        .iter()
        .find(|o| o.id == "off_zz0001")
        .unwrap();
    // EUR 489.90 × 6.1398 BRL per euro.
    assert_eq!(duffel.price.amount.to_string(), "3007.89");
    assert_eq!(duffel.converted_from.unwrap().currency, Currency::EUR);
    let dollars = results
        .offers
        .iter()
        .filter(|o| {
            o.converted_from
                .is_some_and(|m| m.currency == Currency::USD)
        })
        .count();
    assert!(dollars > 0, "the dollar offers too, through the euro");
}
