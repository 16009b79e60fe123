//! The search request as `GET /search` reads a query string (an input
//! starting with `?`) and as `POST /search` reads a body (any other input).
//! Properties: a refusal is a 4xx with a reason; an accepted search, sent
//! back as a `POST` body built from what it understood (places by code,
//! times as `HH:MM`), parses to the very same search.
#![no_main]

use chatpassagens_fuzz::{assert_client_error, now};
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};
use shared::fuzzing::{search_from_body, search_from_query};
use shared::search::SearchQuery;

fuzz_target!(|data: &[u8]| {
    let parsed = match data.split_first() {
        Some((b'?', query)) => {
            // A URI's query is text: hyper refuses other bytes before routing.
            let Ok(query) = std::str::from_utf8(query) else {
                return;
            };
            search_from_query(Some(query), now())
        }
        _ => search_from_body(data, now()),
    };
    match parsed {
        Ok(query) => {
            let body = as_post_body(&query).to_string();
            match search_from_body(body.as_bytes(), now()) {
                Ok(again) => assert_eq!(again, query, "re-sent as {body}"),
                Err(e) => panic!("{query:?} re-sent as {body} was refused: {e:?}"),
            }
        }
        Err(e) => assert_client_error(e, data),
    }
});

/// The query as a client would send it back: canonical codes and names.
fn as_post_body(query: &SearchQuery) -> Value {
    let flexible = query.flexible();
    // A flexible search sends one undated leg and its window instead.
    let legs: Vec<Value> = query
        .legs()
        .iter()
        .take(if flexible.is_some() { 1 } else { usize::MAX })
        .map(|l| {
            let mut leg = json!({
                "origin": l.origin.code().as_str(),
                "destination": l.destination.code().as_str(),
            });
            if flexible.is_none() {
                leg["date"] = json!(l.date.to_string());
            }
            leg
        })
        .collect();
    let o = query.options();
    let time = |t: Option<chrono::NaiveTime>| t.map(|t| t.format("%H:%M").to_string());
    json!({
        "legs": legs,
        "passengers": {
            "adults": o.passengers.adults(),
            "children": o.passengers.children(),
            "infants": o.passengers.infants(),
        },
        "cabin": o.cabin.as_str(),
        "max_stops": o.max_stops,
        "currency": o.currency.code(),
        "sort": o.sort,
        "filters": {
            "carriers": o.filters.carriers.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "max_price": o.filters.max_price.map(|p| p.to_string()),
            "depart_after": time(o.filters.depart_after),
            "depart_before": time(o.filters.depart_before),
        },
        "limit": o.limit,
        "departure_window": flexible.map(|f| json!({
            "from": f.departure_window.from.to_string(),
            "to": f.departure_window.to.to_string(),
            "shape": f.departure_window.shape,
        })),
        "trip_days_min": flexible.and_then(|f| f.trip_days).map(|t| t.min),
        "trip_days_max": flexible.and_then(|f| f.trip_days).map(|t| t.max),
        "other_origins": query.origins()[1..].iter().map(|p| p.code().to_string()).collect::<Vec<_>>(),
    })
}
