//! `GET /calendar` on the demo model: the cheapest price per day of a month
//! or a window, where each figure comes from, and 400s naming the field.

mod support;

use axum::http::StatusCode;
use chrono::{Datelike, Days, Months, TimeZone, Utc};
use serde_json::Value;
use support::{Client, app_with};

fn client() -> Client {
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap();
    Client::new(app_with(&[]).with_clock(now))
}

async fn get(c: &Client, query: &str) -> (StatusCode, Value) {
    let a = c
        .send("GET", &format!("/calendar?{query}"), None, None)
        .await;
    (a.status, a.body)
}

#[tokio::test]
async fn a_month_gives_every_day_its_cheapest_demo_price_and_the_cheapest_day() {
    let (status, body) = get(&client(), "origin=SAO&destination=Lisboa&month=2027-03").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let days = body["days"].as_array().unwrap();
    assert_eq!(days.len(), 31);
    assert_eq!(days[0]["date"], "2027-03-01");
    assert!(
        days.iter()
            .all(|d| d["provider"] == "demo" && d["source"] == "demo_model")
    );
    assert!(days.iter().all(|d| d["price"]["currency"] == "BRL"));
    let amount = |d: &Value| {
        d["price"]["amount"]
            .as_str()
            .unwrap()
            .parse::<f64>()
            .unwrap()
    };
    let lowest = days.iter().map(amount).fold(f64::MAX, f64::min);
    assert_eq!(amount(&body["cheapest"]), lowest);
    assert_eq!(body["sources"][0]["provider"], "demo");
    assert_eq!(body["sources"][0]["days"], 31);
    assert_eq!(body["warnings"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn this_month_starts_today_and_a_round_trip_says_its_return_day() {
    let (status, body) = get(
        &client(),
        "origin=GRU&destination=LIS&month=2026-11&trip_days=7&currency=eur",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let days = body["days"].as_array().unwrap();
    assert_eq!(days.len(), 9, "22 to 30 November");
    assert_eq!(days[0]["date"], "2026-11-22");
    assert_eq!(days[0]["return_date"], "2026-11-29");
    assert_eq!(days[0]["price"]["currency"], "EUR");
}

#[tokio::test]
async fn bad_windows_and_places_are_refused_naming_the_field() {
    let c = client();
    let cases = [
        (
            "origin=SAO&destination=LIS&from=2027-03-01&days=63",
            "days",
            "between 1 and 62",
        ),
        (
            "origin=SAO&destination=LIS&month=2026-10",
            "month",
            "in the past",
        ),
        (
            "origin=SAO&destination=LIS&month=2027-13",
            "month",
            "YYYY-MM",
        ),
        ("origin=SAO&destination=LIS&month=march", "month", "'march'"),
        (
            "origin=SAO&destination=LIS&from=2026-11-01",
            "from",
            "in the past",
        ),
        (
            "origin=SAO&destination=LIS&month=2027-03&from=2027-03-01",
            "from",
            "not both",
        ),
        ("origin=SAO&destination=LIS", "month", "month=YYYY-MM"),
        (
            "origin=Atlantis&destination=LIS&month=2027-03",
            "origin",
            "'Atlantis'",
        ),
        (
            "origin=SAO&destination=GRU&month=2027-03",
            "destination",
            "must differ",
        ),
        (
            "origin=SAO&destination=LIS&month=2027-03&trip_days=0",
            "trip_days",
            "between",
        ),
        (
            "origin=SAO&destination=LIS&month=2028-03",
            "month",
            "360 days",
        ),
    ];
    for (query, field, reason) in cases {
        let (status, body) = get(&c, query).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert_eq!(body["error"]["field"], field, "{query}: {body}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains(reason), "{query}: {message}");
    }
}

#[tokio::test]
async fn a_window_of_62_days_crosses_months() {
    let today = Utc::now().date_naive();
    let from = today
        .checked_add_months(Months::new(2))
        .unwrap()
        .with_day(1)
        .unwrap();
    let c = Client::new(app_with(&[]));
    let (status, body) = get(
        &c,
        &format!("origin=SAO&destination=LIS&from={from}&days=62"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let days = body["days"].as_array().unwrap();
    assert_eq!(days.len(), 62);
    assert_eq!(days[61]["date"], (from + Days::new(61)).to_string());
}
