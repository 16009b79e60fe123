//! The search function's handlers, fed real API Gateway HTTP API (payload
//! 2.0) events, exactly as Lambda hands them to the binary.

use axum::Router;
use axum::http::StatusCode;
use chrono::{DateTime, TimeZone, Utc};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use shared::{App, Config, api};
use tower::ServiceExt;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
}

fn router() -> Router {
    let config = Config::from_lookup(|_| None).unwrap();
    api::search_router(App::from_config(&config).unwrap().with_clock(now()))
}

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

struct Answer {
    status: StatusCode,
    request_id: Option<String>,
    body: Value,
}

/// Invokes the router with an API Gateway event, as `lambda_http` does.
async fn invoke(router: &Router, event: &Value) -> Answer {
    let request =
        lambda_http::request::from_str(&event.to_string()).expect("a valid HTTP API event");
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let request_id = response
        .headers()
        .get("x-request-id")
        .map(|v| v.to_str().unwrap().to_owned());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| panic!("JSON body, got {:?}", String::from_utf8_lossy(&bytes)));
    Answer {
        status,
        request_id,
        body,
    }
}

/// The GET fixture, pointed at another path and query string.
fn get_event(path: &str, raw_query: &str) -> Value {
    let mut event = fixture("apigw-v2-get-search.json");
    let params: Vec<(String, String)> = serde_urlencoded::from_str(raw_query).unwrap();
    let mut map = serde_json::Map::new();
    for (k, v) in params {
        // API Gateway joins repeated parameters with commas in this map.
        let joined = match map.get(&k).and_then(Value::as_str) {
            Some(prev) => format!("{prev},{v}"),
            None => v,
        };
        map.insert(k, json!(joined));
    }
    event["rawPath"] = json!(path);
    event["rawQueryString"] = json!(raw_query);
    event["queryStringParameters"] = Value::Object(map);
    event["routeKey"] = json!(format!("GET {path}"));
    event["requestContext"]["routeKey"] = json!(format!("GET {path}"));
    event["requestContext"]["http"]["path"] = json!(path);
    event
}

/// The POST fixture with another body.
fn post_event(body: &str) -> Value {
    let mut event = fixture("apigw-v2-post-search.json");
    event["body"] = json!(body);
    event["headers"]["content-length"] = json!(body.len().to_string());
    event
}

fn codes(values: &Value) -> Vec<String> {
    values
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn get_search_event_answers_a_round_trip_then_serves_it_from_cache() {
    let router = router();
    let event = fixture("apigw-v2-get-search.json");
    let first = invoke(&router, &event).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(first.request_id.as_deref(), Some("CBlFwgkTGjQEJzA="));
    let q = &first.body["query"];
    assert_eq!(q["trip"], "round_trip");
    assert_eq!(q["legs"][0]["origin"], "SAO");
    assert_eq!(q["legs"][0]["destination"], "LIS");
    assert_eq!(q["legs"][1]["date"], "2027-03-24");
    assert_eq!(q["passengers"]["adults"], 2);
    let offers = first.body["offers"].as_array().unwrap();
    assert_eq!(offers.len(), 20);
    for offer in offers {
        assert_eq!(offer["provider"], "demo");
        assert_eq!(offer["slices"].as_array().unwrap().len(), 2);
        assert_eq!(offer["price"]["currency"], "BRL");
        // Money is a decimal string, never a float.
        let amount = offer["price"]["amount"].as_str().unwrap();
        assert!(amount.parse::<rust_decimal::Decimal>().is_ok(), "{amount}");
    }
    assert_eq!(first.body["cached"], false);
    assert_eq!(first.body["warnings"], json!([]));

    let second = invoke(&router, &event).await;
    assert_eq!(second.body["cached"], true);
    assert_eq!(second.body["cache_age_seconds"], 0);
    assert_eq!(second.body["offers"], first.body["offers"]);
}

#[tokio::test]
async fn post_search_event_answers_a_multi_city_trip() {
    let answer = invoke(&router(), &fixture("apigw-v2-post-search.json")).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body["query"]["trip"], "multi_city");
    let offers = answer.body["offers"].as_array().unwrap();
    assert!(!offers.is_empty() && offers.len() <= 5);
    for offer in offers {
        let slices = offer["slices"].as_array().unwrap();
        let ends: Vec<(&str, &str)> = slices
            .iter()
            .map(|s| {
                (
                    s["origin"].as_str().unwrap(),
                    s["destination"].as_str().unwrap(),
                )
            })
            .collect();
        // São Paulo is a city code: any of its airports may start or end the trip.
        let sao = ["GRU", "CGH", "VCP"];
        assert!(sao.contains(&ends[0].0) && ends[0].1 == "LIS", "{ends:?}");
        assert_eq!(ends[1], ("LIS", "MAD"));
        assert!(ends[2].0 == "MAD" && sao.contains(&ends[2].1), "{ends:?}");
    }
    let prices: Vec<f64> = offers
        .iter()
        .map(|o| o["price"]["amount"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(
        prices.windows(2).all(|w| w[0] <= w[1]),
        "sorted cheapest first: {prices:?}"
    );
}

#[tokio::test]
async fn base64_encoded_post_bodies_are_decoded() {
    use base64::Engine as _;
    let mut event = fixture("apigw-v2-post-search.json");
    let body = event["body"].as_str().unwrap().to_owned();
    event["body"] = json!(base64::engine::general_purpose::STANDARD.encode(body));
    event["isBase64Encoded"] = json!(true);
    let answer = invoke(&router(), &event).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
}

#[tokio::test]
async fn airports_event_autocompletes_sao_paulo_with_its_airports() {
    let answer = invoke(&router(), &fixture("apigw-v2-get-airports.json")).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let places = answer.body["places"].as_array().unwrap();
    assert_eq!(places[0]["code"], "SAO");
    assert_eq!(places[0]["kind"], "city");
    assert_eq!(codes(&places[0]["airports"]), ["GRU", "CGH", "VCP"]);
    assert_eq!(places[0]["time_zone"], "America/Sao_Paulo");
    let listed: Vec<&str> = places.iter().map(|p| p["code"].as_str().unwrap()).collect();
    assert_eq!(&listed[..4], ["SAO", "GRU", "CGH", "VCP"]);

    for (q, code) in [
        ("lisboa", "LIS"),
        ("Lisbon", "LIS"),
        ("LIS", "LIS"),
        ("nova%20york", "NYC"),
        ("sampa", "SAO"),
    ] {
        let answer = invoke(&router(), &get_event("/airports", &format!("q={q}"))).await;
        assert_eq!(answer.body["places"][0]["code"], code, "{q}");
    }
}

#[tokio::test]
async fn health_names_the_active_adapters() {
    let answer = invoke(&router(), &get_event("/health", "")).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body["status"], "ok");
    assert_eq!(answer.body["fare_providers"], json!(["demo"]));
    assert_eq!(answer.body["cache"], "memory");
}

const OK: &str = "origin=SAO&destination=LIS&departure=2027-03-10";

#[tokio::test]
async fn bad_query_strings_answer_400_naming_the_field() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "destination=LIS&departure=2027-03-10",
            "origin",
            "is required",
        ),
        (
            "origin=SAO&departure=2027-03-10",
            "destination",
            "is required",
        ),
        ("origin=SAO&destination=LIS", "departure", "is required"),
        (
            "origin=XXX&destination=LIS&departure=2027-03-10",
            "origin",
            "unknown airport or city 'XXX'",
        ),
        (
            "origin=SAO&destination=Atlantida&departure=2027-03-10",
            "destination",
            "'Atlantida'",
        ),
        (
            "origin=SAO&destination=GRU&departure=2027-03-10",
            "destination",
            "must differ",
        ),
        (
            "origin=SAO&destination=LIS&departure=10/03/2027",
            "departure",
            "YYYY-MM-DD, got '10/03/2027'",
        ),
        (
            "origin=SAO&destination=LIS&departure=2027-02-30",
            "departure",
            "YYYY-MM-DD",
        ),
        (
            "origin=SAO&destination=LIS&departure=2026-11-01",
            "departure",
            "in the past",
        ),
        (
            "origin=SAO&destination=LIS&departure=2027-12-01",
            "departure",
            "360 days",
        ),
        (
            &format!("{OK}&return=2027-03-01"),
            "return",
            "before the previous leg",
        ),
        (&format!("{OK}&return=2027-3-1x"), "return", "YYYY-MM-DD"),
        (&format!("{OK}&adults=0"), "adults", "at least one adult"),
        (
            &format!("{OK}&adults=two"),
            "adults",
            "whole number, got 'two'",
        ),
        (&format!("{OK}&adults=-1"), "adults", "whole number"),
        (
            &format!("{OK}&adults=2&infants=3"),
            "infants",
            "needs an adult",
        ),
        (
            &format!("{OK}&adults=5&children=5"),
            "children",
            "at most 9 seats",
        ),
        (
            &format!("{OK}&cabin=luxury"),
            "cabin",
            "unknown cabin 'luxury'",
        ),
        (
            &format!("{OK}&currency=XYZ"),
            "currency",
            "unsupported currency 'XYZ'",
        ),
        (
            &format!("{OK}&sort=random"),
            "sort",
            "unknown sort 'random'",
        ),
        (&format!("{OK}&max_stops=7"), "max_stops", "between 0 and 3"),
        (
            &format!("{OK}&carriers=TAP"),
            "carriers",
            "two-character airline code, got 'TAP'",
        ),
        (
            &format!("{OK}&max_price=-5"),
            "max_price",
            "positive amount",
        ),
        (
            &format!("{OK}&max_price=cheap"),
            "max_price",
            "positive amount",
        ),
        (&format!("{OK}&depart_after=25:00"), "depart_after", "HH:MM"),
        (
            &format!("{OK}&depart_after=18:00&depart_before=08:00"),
            "depart_before",
            "earlier than",
        ),
        (&format!("{OK}&limit=0"), "limit", "between 1 and 100"),
        (&format!("{OK}&limit=1000"), "limit", "between 1 and 100"),
        (
            &format!("{OK}&adult=2"),
            "adult",
            "unknown parameter 'adult'",
        ),
        (&format!("{OK}&origin=RIO"), "origin", "more than once"),
        // Found by Schemathesis: a nameless parameter answered `"field": ""`.
        (
            &format!("{OK}&=x%C3%92"),
            "query",
            "a parameter without a name: '=xÒ'",
        ),
    ];
    let router = router();
    for (query, field, reason) in cases {
        let answer = invoke(&router, &get_event("/search", query)).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{query}: {}",
            answer.body
        );
        let error = &answer.body["error"];
        assert_eq!(error["code"], "invalid_field", "{query}");
        assert_eq!(error["field"], *field, "{query}: {error}");
        let message = error["message"].as_str().unwrap();
        assert!(
            message.contains(reason),
            "{query}: '{message}' lacks '{reason}'"
        );
    }
}

#[tokio::test]
async fn cache_busting_parameters_are_ignored() {
    let answer = invoke(
        &router(),
        &get_event("/search", &format!("{OK}&_=1732276800")),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
}

const LEG: &str = r#"{"origin":"SAO","destination":"LIS","date":"2027-03-10"}"#;

#[tokio::test]
async fn bad_json_bodies_answer_400_naming_the_field() {
    let seven = [LEG; 7].join(",");
    let cases: Vec<(String, &str, Option<&str>, &str)> = vec![
        (String::new(), "malformed_json", None, "body is empty"),
        (
            "{not json".to_owned(),
            "malformed_json",
            None,
            "invalid JSON",
        ),
        (
            r#"{"legs": [ "#.to_owned(),
            "malformed_json",
            None,
            "invalid JSON",
        ),
        (
            r#"{"legs": "SAO-LIS"}"#.to_owned(),
            "malformed_json",
            Some("legs"),
            "invalid type",
        ),
        (
            r#"{"legs": [{"origin":"SAO","destination":"LIS"}]}"#.to_owned(),
            "invalid_field",
            Some("legs[0].date"),
            "is required",
        ),
        (
            format!(r#"{{"legs":[{LEG}],"passengers":{{"adults":"two"}}}}"#),
            "invalid_field",
            Some("passengers.adults"),
            "expected a whole number, got 'two'",
        ),
        (
            format!(r#"{{"legs":[{LEG}],"adult":2}}"#),
            "malformed_json",
            Some("adult"),
            "unknown field `adult`",
        ),
        (
            // Found by Schemathesis: an empty key answered `"field": ""`.
            format!(r#"{{"legs":[{LEG}],"":1}}"#),
            "malformed_json",
            None,
            "unknown field ``",
        ),
        (
            r#"{"legs": []}"#.to_owned(),
            "invalid_field",
            Some("legs"),
            "at least one leg",
        ),
        (
            format!(r#"{{"legs":[{seven}]}}"#),
            "invalid_field",
            Some("legs"),
            "at most 6 legs",
        ),
        (
            format!(
                r#"{{"legs":[{LEG},{{"origin":"LIS","destination":"SAO","date":"2027-03-01"}}]}}"#
            ),
            "invalid_field",
            Some("legs[1].date"),
            "before the previous leg",
        ),
        (
            r#"{"legs":[{"origin":"SAO","destination":"ZZZ","date":"2027-03-10"}]}"#.to_owned(),
            "invalid_field",
            Some("legs[0].destination"),
            "'ZZZ'",
        ),
        (
            format!(r#"{{"legs":[{LEG}],"passengers":{{"adults":1,"infants":2}}}}"#),
            "invalid_field",
            Some("passengers.infants"),
            "needs an adult",
        ),
        (
            format!(r#"{{"legs":[{LEG}],"filters":{{"max_price":"abc"}}}}"#),
            "invalid_field",
            Some("filters.max_price"),
            "positive amount",
        ),
        (
            format!(r#"{{"legs":[{LEG}],"filters":{{"carriers":["LATAM"]}}}}"#),
            "invalid_field",
            Some("filters.carriers"),
            "'LATAM'",
        ),
        (
            format!(r#"{{"legs":[{LEG}],"cabin":"suite"}}"#),
            "invalid_field",
            Some("cabin"),
            "unknown cabin",
        ),
        (
            format!(r#"{{"legs":[{LEG}],"max_stops":9}}"#),
            "invalid_field",
            Some("max_stops"),
            "between 0 and 3",
        ),
        (
            format!(r#"{{"legs":[{LEG}],"passengers":{{"children":4294967295}}}}"#),
            "invalid_field",
            Some("passengers.children"),
            "between 0 and 9",
        ),
        (
            format!(r#"{{"legs":[{LEG}],"passengers":{{"adults":-1}}}}"#),
            "invalid_field",
            Some("passengers.adults"),
            "expected a whole number, got '-1'",
        ),
    ];
    let router = router();
    for (body, code, field, reason) in cases {
        let answer = invoke(&router, &post_event(&body)).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{body}: {}",
            answer.body
        );
        let error = &answer.body["error"];
        assert_eq!(error["code"], code, "{body}: {error}");
        assert_eq!(error["field"].as_str(), field, "{body}: {error}");
        let message = error["message"].as_str().unwrap();
        assert!(
            message.contains(reason),
            "{body}: '{message}' lacks '{reason}'"
        );
    }
}

#[tokio::test]
async fn json_prices_may_be_numbers_or_strings() {
    let router = router();
    for price in ["3000", "\"3000.50\""] {
        let body =
            format!(r#"{{"legs":[{LEG}],"filters":{{"max_price":{price}}},"sort":"cheapest"}}"#);
        let answer = invoke(&router, &post_event(&body)).await;
        assert_eq!(answer.status, StatusCode::OK, "{body}: {}", answer.body);
        for offer in answer.body["offers"].as_array().unwrap() {
            let amount: f64 = offer["price"]["amount"].as_str().unwrap().parse().unwrap();
            assert!(amount <= 3000.5);
        }
    }
}

#[tokio::test]
async fn oversize_body_answers_413() {
    let body = format!(r#"{{"legs":[{LEG}],"cabin":"{}"}}"#, "x".repeat(20_000));
    let answer = invoke(&router(), &post_event(&body)).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.body["error"]["code"], "payload_too_large");
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_json_errors() {
    let router = router();
    let answer = invoke(&router, &get_event("/flights", "")).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.body["error"]["code"], "not_found");
    let mut event = get_event("/search", OK);
    event["requestContext"]["http"]["method"] = json!("DELETE");
    let answer = invoke(&router, &event).await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(answer.body["error"]["code"], "method_not_allowed");
}

#[tokio::test]
async fn airports_without_a_query_answer_400() {
    let router = router();
    for (query, reason) in [
        ("", "is required"),
        ("q=%20%20", "must not be empty"),
        ("q=lis&limit=500", "between 1 and 50"),
    ] {
        let answer = invoke(&router, &get_event("/airports", query)).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(
            answer.body["error"]["message"]
                .as_str()
                .unwrap()
                .contains(reason),
            "{query}: {}",
            answer.body
        );
    }
}

/// The first airport of every slice's origin among the offers.
fn nonstop_origins(body: &Value) -> Vec<String> {
    let mut out: Vec<String> = body["offers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["slices"][0]["stops"] == 0)
        .map(|o| o["slices"][0]["origin"].as_str().unwrap().to_owned())
        .collect();
    out.sort();
    out.dedup();
    out
}

#[tokio::test]
async fn a_city_code_finds_the_nonstops_of_every_airport_that_has_them() {
    let router = router();
    for (from, to, airports) in [
        ("LON", "LIS", &["LGW", "LHR", "LTN", "STN"][..]),
        ("SAO", "LIS", &["GRU", "VCP"][..]),
    ] {
        for max_stops in ["", "&max_stops=0"] {
            let q =
                format!("origin={from}&destination={to}&departure=2027-03-10&limit=100{max_stops}");
            let answer = invoke(&router, &get_event("/search", &q)).await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
            assert_eq!(nonstop_origins(&answer.body), airports, "{q}");
        }
    }
}

#[tokio::test]
async fn the_readme_multi_city_trip_finds_offers_with_any_listed_carrier() {
    let body = r#"{
      "legs": [
        {"origin": "RIO", "destination": "LON", "date": "2027-05-02"},
        {"origin": "LON", "destination": "PAR", "date": "2027-05-09"},
        {"origin": "PAR", "destination": "RIO", "date": "2027-05-16"}
      ],
      "passengers": {"adults": 2, "children": 1, "infants": 0},
      "cabin": "business", "currency": "EUR", "sort": "best",
      "filters": {"carriers": ["AF", "LA"], "max_price": "30000", "depart_after": "08:00"},
      "limit": 10
    }"#;
    let answer = invoke(&router(), &post_event(body)).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let offers = answer.body["offers"].as_array().unwrap();
    assert!(!offers.is_empty(), "{}", answer.body);
    for o in offers {
        let carriers: Vec<&str> = o["slices"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["segments"].as_array().unwrap())
            .map(|seg| seg["carrier"].as_str().unwrap())
            .collect();
        assert!(
            carriers.iter().any(|c| ["AF", "LA"].contains(c)),
            "{carriers:?}"
        );
    }
}

#[tokio::test]
async fn an_empty_answer_names_the_filter_that_removed_the_offers() {
    let q = "origin=SAO&destination=LIS&departure=2027-03-10&carriers=QF";
    let answer = invoke(&router(), &get_event("/search", q)).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body["offers"], json!([]));
    let warning = &answer.body["warnings"][0];
    assert_eq!(warning["code"], "filtered");
    assert_eq!(warning["field"], "filters.carriers");
}

#[tokio::test]
async fn low_cost_carriers_are_not_sold_in_business() {
    let q = "origin=LON&destination=LIS&departure=2027-03-10&cabin=business&limit=100";
    let answer = invoke(&router(), &get_event("/search", q)).await;
    assert_eq!(answer.status, StatusCode::OK);
    let carriers: Vec<&str> = answer.body["offers"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| o["slices"].as_array().unwrap())
        .flat_map(|s| s["segments"].as_array().unwrap())
        .map(|seg| seg["carrier"].as_str().unwrap())
        .collect();
    assert!(!carriers.is_empty());
    assert!(
        !carriers.iter().any(|c| ["FR", "U2"].contains(c)),
        "{carriers:?}"
    );
}

#[tokio::test]
async fn a_seat_count_that_would_wrap_answers_400_on_every_entry() {
    let router = router();
    let get = invoke(
        &router,
        &get_event(
            "/search",
            "origin=SAO&destination=LIS&departure=2027-03-10&children=4294967295",
        ),
    )
    .await;
    assert_eq!(get.status, StatusCode::BAD_REQUEST);
    assert_eq!(get.body["error"]["field"], "children");
    let post = invoke(
        &router,
        &post_event(
            r#"{"legs":[{"origin":"SAO","destination":"LIS","date":"2027-03-10"}],"passengers":{"children":4294967295}}"#,
        ),
    )
    .await;
    assert_eq!(post.status, StatusCode::BAD_REQUEST);
    assert_eq!(post.body["error"]["field"], "passengers.children");
}
