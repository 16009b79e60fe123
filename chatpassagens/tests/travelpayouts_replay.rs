//! The Travelpayouts adapter against the local replay server (in process,
//! on port 0): cached prices mapped field by field, every refusal
//! classified, the calendar from the month matrix, and the product wired
//! to it by configuration.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chatpassagens::replay::travelpayouts::{self as replay, Scenario};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use http_body_util::BodyExt;
use rust_decimal::Decimal;
use serde_json::Value;
use shared::domain::{Cabin, Currency, Money, PriceKind};
use shared::fares::{
    CalendarQuery, DaySource, FareCalendar, FareProvider, ProviderError, Travelpayouts,
};
use shared::places::Place;
use shared::search::{RawSearch, SearchQuery};
use tower::ServiceExt;

const TOKEN: &str = "replay-token";

/// Starts a replay answering `scenario` and returns its base URL.
async fn start(scenario: Scenario) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(replay::serve(listener, TOKEN, scenario));
    url
}

fn adapter(url: &str, token: &str, timeout: Duration) -> Travelpayouts {
    let rates = std::sync::Arc::new(shared::rates::FixedRates::default());
    Travelpayouts::new(url, token, Some("424242"), timeout, rates).unwrap()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
}

fn round_trip(currency: &str) -> SearchQuery {
    let mut raw = RawSearch::trip("SAO", "LIS", "2027-03-10", Some("2027-03-24"));
    raw.currency = Some(currency.to_owned());
    raw.adults = Some("2".to_owned());
    raw.parse(now()).unwrap()
}

#[tokio::test]
async fn cached_prices_become_labelled_offers_field_by_field() {
    let url = start(Scenario::Success).await;
    let tp = adapter(&url, TOKEN, Duration::from_secs(5));
    let offers = tp.search(&round_trip("BRL"), now()).await.unwrap();
    let day = |t: &str| NaiveDate::parse_from_str(t, "%Y-%m-%d").unwrap();
    let served = replay::price_entries("SAO", "LIS", day("2027-03-10"), Some(day("2027-03-24")));
    assert_eq!(offers.len(), served.len());
    for entry in &served {
        let link = entry["link"].as_str().unwrap();
        let offer = offers
            .iter()
            .find(|o| o.booking_url.as_deref().is_some_and(|u| u.contains(link)))
            .unwrap_or_else(|| panic!("no offer for {link}"));
        assert_eq!(offer.provider, "travelpayouts");
        assert_eq!(offer.price_kind, PriceKind::Cached, "never shown as live");
        assert_eq!(
            offer.found_at, None,
            "prices_for_dates documents no found_at"
        );
        assert_eq!(
            offer.booking_url.as_deref(),
            Some(format!("https://www.aviasales.com{link}&marker=424242").as_str())
        );
        let per_adult = Decimal::from(entry["price"].as_u64().unwrap());
        assert_eq!(
            offer.price,
            Money::new(per_adult * Decimal::from(2), Currency::BRL)
        );
        assert_eq!(offer.converted_from, None);
        let (out, back) = (&offer.slices[0], &offer.slices[1]);
        let first = &out.segments[0];
        assert_eq!(first.carrier.as_str(), entry["airline"].as_str().unwrap());
        assert_eq!(
            first.flight_number,
            format!(
                "{}{}",
                entry["airline"].as_str().unwrap(),
                entry["flight_number"].as_str().unwrap()
            )
        );
        let departs =
            DateTime::parse_from_rfc3339(entry["departure_at"].as_str().unwrap()).unwrap();
        assert_eq!(first.departure_utc, departs.with_timezone(&Utc));
        assert_eq!(out.departure_local, departs.naive_local());
        assert_eq!(
            (out.origin.as_str(), out.destination.as_str()),
            ("GRU", "LIS")
        );
        assert_eq!(u64::from(out.stops), entry["transfers"].as_u64().unwrap());
        assert_eq!(
            u64::from(out.duration_minutes),
            entry["duration_to"].as_u64().unwrap()
        );
        assert_eq!(
            u64::from(back.stops),
            entry["return_transfers"].as_u64().unwrap()
        );
        assert_eq!(back.departure_local.date(), day("2027-03-24"));
        assert_eq!(offer.cabin, Cabin::Economy);
    }
}

#[tokio::test]
async fn another_currency_is_converted_from_brl_and_says_so() {
    let url = start(Scenario::Success).await;
    let tp = std::sync::Arc::new(adapter(&url, TOKEN, Duration::from_secs(5)));
    let in_brl = tp.search(&round_trip("EUR"), now()).await.unwrap();
    assert!(in_brl.iter().all(|o| o.price.currency == Currency::BRL));
    // The search converts every provider's prices with the configured rates.
    let search = shared::fares::FareSearch::new(vec![tp], Duration::from_secs(5));
    let (offers, warnings) = search.collect(&round_trip("EUR"), now()).await;
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(offers.len(), in_brl.len());
    for offer in &offers {
        assert_eq!(offer.price.currency, Currency::EUR);
        let from = offer.converted_from.expect("converted from BRL");
        assert_eq!(from.currency, Currency::BRL);
        assert!(offer.price.amount < from.amount);
    }
}

#[tokio::test]
async fn an_empty_cache_is_no_offers_and_refusals_are_classified() {
    let q = round_trip("BRL");
    let empty = start(Scenario::NoData).await;
    let offers = adapter(&empty, TOKEN, Duration::from_secs(5))
        .search(&q, now())
        .await;
    assert!(offers.unwrap().is_empty());

    let ok = start(Scenario::Success).await;
    let refused = adapter(&ok, "wrong-token", Duration::from_secs(5))
        .search(&q, now())
        .await;
    assert!(
        matches!(refused, Err(ProviderError::Unauthorized)),
        "{refused:?}"
    );

    let limited = start(Scenario::RateLimited).await;
    let answer = adapter(&limited, TOKEN, Duration::from_secs(5))
        .search(&q, now())
        .await;
    assert!(
        matches!(answer, Err(ProviderError::RateLimited)),
        "{answer:?}"
    );

    let down = start(Scenario::ServerError).await;
    let answer = adapter(&down, TOKEN, Duration::from_secs(5))
        .search(&q, now())
        .await;
    assert!(
        matches!(answer, Err(ProviderError::Unavailable(ref m)) if m == "HTTP 500"),
        "{answer:?}"
    );

    let slow = start(Scenario::Slow).await;
    let started = std::time::Instant::now();
    let answer = adapter(&slow, TOKEN, Duration::from_millis(300))
        .search(&q, now())
        .await;
    assert!(
        matches!(answer, Err(ProviderError::Unavailable(ref m)) if m == "timed out"),
        "{answer:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn the_calendar_reads_the_month_matrix_with_when_each_price_was_found() {
    let url = start(Scenario::Success).await;
    let tp = adapter(&url, TOKEN, Duration::from_secs(5));
    let query = CalendarQuery {
        origin: Place::resolve("SAO").unwrap(),
        destination: Place::resolve("LIS").unwrap(),
        first_day: NaiveDate::from_ymd_opt(2027, 3, 20).unwrap(),
        days: 20,
        trip_days: None,
        cabin: Cabin::Economy,
        currency: Currency::BRL,
    };
    let days = tp.days(&query, now()).await.unwrap();
    let dates: Vec<String> = days
        .iter()
        .map(|d| d.date.format("%d").to_string())
        .collect();
    // March 20 to April 8, without the days nobody searched (every fifth).
    assert_eq!(
        dates,
        [
            "21", "22", "23", "24", "26", "27", "28", "29", "31", "01", "02", "03", "04", "06",
            "07", "08"
        ]
    );
    assert!(
        days.iter()
            .all(|d| d.provider == "travelpayouts" && d.source == DaySource::Cached)
    );
    assert!(
        days.iter()
            .all(|d| d.found_at.is_some_and(|f| f < Utc::now()))
    );
    let round = CalendarQuery {
        trip_days: Some(14),
        ..query
    };
    let days = tp.days(&round, now()).await.unwrap();
    assert_eq!(days[0].return_date, NaiveDate::from_ymd_opt(2027, 4, 4));
    let refused = adapter(&url, "wrong", Duration::from_secs(5))
        .days(&round, now())
        .await;
    assert!(matches!(refused, Err(ProviderError::Unauthorized)));
}

async fn get(router: &axum::Router, uri: &str) -> (StatusCode, Value) {
    let request = Request::get(uri).body(Body::empty()).unwrap();
    let answer = router.clone().oneshot(request).await.unwrap();
    let status = answer.status();
    let bytes = answer.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap())
}

fn app(url: &str, token: &str) -> axum::Router {
    let vars = [
        ("FARE_PROVIDERS", "demo,travelpayouts"),
        ("TRAVELPAYOUTS_BASE_URL", url),
        ("TRAVELPAYOUTS_TOKEN", token),
        ("TRAVELPAYOUTS_MARKER", "424242"),
    ];
    let config = shared::Config::from_lookup(|k| {
        vars.iter()
            .find(|(name, _)| *name == k)
            .map(|(_, v)| (*v).to_owned())
    })
    .unwrap();
    shared::api::search_router(shared::App::from_config(&config).unwrap())
}

#[tokio::test]
async fn configured_travelpayouts_serves_the_calendar_and_cached_offers_beside_live_ones() {
    let url = start(Scenario::Success).await;
    let router = app(&url, TOKEN);
    let month = (Utc::now().date_naive() + chrono::Days::new(60)).format("%Y-%m");
    let (status, body) = get(
        &router,
        &format!("/calendar?origin=SAO&destination=LIS&month={month}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["sources"][0]["provider"], "travelpayouts");
    let days = body["days"].as_array().unwrap();
    assert!(!days.is_empty());
    assert!(
        days.iter()
            .all(|d| d["source"] == "cached" && d["found_at"].is_string())
    );

    let departure = (Utc::now().date_naive() + chrono::Days::new(60)).to_string();
    let (status, body) = get(
        &router,
        &format!("/search?origin=SAO&destination=LIS&departure={departure}&limit=100"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let offers = body["offers"].as_array().unwrap();
    let cached: Vec<&Value> = offers
        .iter()
        .filter(|o| o["provider"] == "travelpayouts")
        .collect();
    assert!(!cached.is_empty(), "{body}");
    assert!(
        cached
            .iter()
            .all(|o| o["price_kind"] == "cached" && o["booking_url"].is_string())
    );
    assert!(
        offers
            .iter()
            .filter(|o| o["provider"] == "demo")
            .all(|o| o.get("price_kind").is_none())
    );
}

#[tokio::test]
async fn a_refused_token_is_a_warning_not_a_failed_calendar() {
    let url = start(Scenario::Success).await;
    let router = app(&url, "wrong-token");
    let month = (Utc::now().date_naive() + chrono::Days::new(60)).format("%Y-%m");
    let (status, body) = get(
        &router,
        &format!("/calendar?origin=SAO&destination=LIS&month={month}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["days"].as_array().map(Vec::len), Some(0));
    assert_eq!(body["warnings"][0]["provider"], "travelpayouts");
    assert_eq!(body["warnings"][0]["code"], "rejected");
}

#[tokio::test]
async fn the_replay_checks_the_token_and_the_parameters_as_documented() {
    let url = start(Scenario::Success).await;
    let http = reqwest::Client::new();
    let ask = |query: &str, token: Option<&str>| {
        let mut request = http.get(format!("{url}/aviasales/v3/prices_for_dates?{query}"));
        if let Some(t) = token {
            request = request.header("X-Access-Token", t);
        }
        request.send()
    };
    let good = "origin=SAO&destination=LIS&departure_at=2027-03-10&currency=brl&market=br";
    let answer = ask(good, None).await.unwrap();
    assert_eq!(answer.status(), 401);
    let answer = ask(&format!("{good}&token={TOKEN}"), None).await.unwrap();
    assert_eq!(
        answer.status(),
        200,
        "the token may also come as a parameter"
    );
    for (query, names) in [
        (
            "origin=SAO&destination=LIS&departure_at=2027-3",
            "departure_at",
        ),
        (
            "origin=sao&destination=LIS&departure_at=2027-03-10",
            "origin",
        ),
        (
            "origin=SAO&destination=LIS&departure_at=2027-03-10&currency=BRL",
            "currency",
        ),
        (
            "origin=SAO&destination=LIS&departure_at=2027-03-10&limit=1001",
            "limit",
        ),
        (
            "origin=SAO&destination=LIS&departure_at=2027-03-10&one_way=yes",
            "one_way",
        ),
    ] {
        let answer = ask(query, Some(TOKEN)).await.unwrap();
        assert_eq!(answer.status(), 400, "{query}");
        let body: Value = answer.json().await.unwrap();
        assert_eq!(body["success"], false);
        assert!(body["error"].as_str().unwrap().starts_with(names), "{body}");
    }
    let month = "origin=SAO&destination=LIS&departure_at=2027-03&one_way=true&limit=1000";
    let body: Value = ask(month, Some(TOKEN)).await.unwrap().json().await.unwrap();
    assert_eq!(
        body["data"].as_array().map(Vec::len),
        Some(93),
        "three a day in March"
    );
}

#[tokio::test]
async fn a_flexible_search_picks_its_days_from_the_travelpayouts_calendar() {
    let url = start(Scenario::Success).await;
    let router = app(&url, TOKEN);
    let from = Utc::now().date_naive() + chrono::Days::new(60);
    let to = from + chrono::Days::new(20);
    let (status, body) = get(
        &router,
        &format!("/search?origin=SAO&destination=LIS&departure_from={from}&departure_to={to}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let flexible = &body["flexible"];
    let days = flexible["cheapest_days"].as_array().expect("cheapest days");
    assert!(!days.is_empty(), "{body}");
    // The days and their prices come from the replayed month matrix, with
    // when each was found; only the cheapest few are searched live.
    for day in days {
        assert_eq!(day["provider"], "travelpayouts", "{day}");
        assert_eq!(day["source"], "cached", "{day}");
        let date = day["date"].as_str().unwrap();
        assert!(date >= from.to_string().as_str() && date <= to.to_string().as_str());
    }
    let prices: Vec<f64> = days
        .iter()
        .map(|d| d["price"]["amount"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(
        prices.windows(2).all(|w| w[0] <= w[1]),
        "cheapest first: {prices:?}"
    );
    let live = flexible["live_searches"].as_u64().unwrap();
    assert!((1..=3).contains(&live), "{flexible}");
    assert!(!body["offers"].as_array().unwrap().is_empty());
}
