//! Price history and insight over HTTP on the embedded adapters: every
//! answer says how today's price compares and what that rests on.

mod support;

use axum::http::StatusCode;
use chrono::{Days, Utc};
use support::{Client, app_with};

fn day(ahead: u64) -> String {
    (Utc::now().date_naive() + Days::new(ahead)).to_string()
}

#[tokio::test]
async fn a_search_on_a_fresh_machine_compares_with_modelled_demo_prices() {
    let c = Client::new(app_with(&[]));
    let a = c
        .send(
            "GET",
            &format!("/search?origin=GRU&destination=LIS&departure={}", day(45)),
            None,
            None,
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let insight = &a.body["insight"];
    assert_eq!(insight["basis"], "modelled", "{insight}");
    assert!(["low", "typical", "high"].contains(&insight["verdict"].as_str().unwrap()));
    assert!(
        insight["based_on"]
            .as_str()
            .unwrap()
            .contains("modelled demo prices"),
        "{insight}"
    );
    assert!(insight["typical_low"]["amount"].is_string());
}

#[tokio::test]
async fn searches_are_recorded_and_served_as_a_series() {
    let c = Client::new(app_with(&[]));
    let route = format!("origin=GRU&destination=LIS&departure={}", day(45));
    c.send("GET", &format!("/search?{route}"), None, None).await;
    // The observation is written in the background; give it a moment.
    let mut observations = Vec::new();
    for _ in 0..50 {
        let s = c
            .send("GET", &format!("/prices/series?{route}"), None, None)
            .await;
        assert_eq!(s.status, StatusCode::OK, "{}", s.body);
        observations = s.body["observations"].as_array().unwrap().clone();
        if !observations.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(observations.len(), 1);
    assert_eq!(observations[0]["provider"], "demo");
    assert_eq!(observations[0]["route"]["origin"], "GRU");
    let insight = c
        .send(
            "GET",
            &format!("/prices/insight?{route}&cabin=economy"),
            None,
            None,
        )
        .await;
    assert_eq!(insight.status, StatusCode::OK);
    assert!(insight.body["insight"]["verdict"].is_string());
}

#[tokio::test]
async fn with_price_history_off_answers_carry_no_insight() {
    let c = Client::new(app_with(&[("PRICE_HISTORY", "off")]));
    let a = c
        .send(
            "GET",
            &format!("/search?origin=GRU&destination=LIS&departure={}", day(45)),
            None,
            None,
        )
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.body.get("insight").is_none(), "{}", a.body);
    let bad = c
        .send(
            "GET",
            "/prices/insight?origin=GRU&destination=LIS&departure=2020-01-01",
            None,
            None,
        )
        .await;
    assert_eq!(bad.body["error"]["field"], "departure");
}
