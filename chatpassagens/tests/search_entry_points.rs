//! Every way into a search accepts and refuses the same requests with the
//! same field errors: GET and POST `/search`, the model's `search_flights`
//! tool, the CLI's arguments and the offline assistant's slots. Random
//! requests, good and bad, are written in each entry point's own form; the
//! outcomes, with field names mapped back to the canonical ones, must agree.

use std::sync::OnceLock;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use clap::Parser;
use http_body_util::BodyExt;
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};
use shared::assistant::{DateSpec, TripRequest, offline, tools};
use shared::domain::{Cabin, Currency};
use shared::places::Place;
use shared::search::Surface;
use shared::{App, Config, api};
use tower::ServiceExt;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
}

/// A search as a traveller might send it, every value still text.
#[derive(Debug, Clone)]
struct Intent {
    origin: String,
    destination: String,
    departure: String,
    back: Option<String>,
    counts: [Option<String>; 3],
    cabin: Option<String>,
    max_stops: Option<String>,
    currency: Option<String>,
    sort: Option<String>,
    carriers: Vec<String>,
    max_price: Option<String>,
    depart_after: Option<String>,
    depart_before: Option<String>,
    limit: Option<String>,
    /// A flexible search's window, stay and days: `(from, to)`, `trip_days`, `departure_days`.
    window: Option<(String, String)>,
    trip_days: Option<String>,
    departure_days: Option<String>,
}

/// Accepted, with the query as JSON, or refused naming a canonical field.
#[derive(Debug, PartialEq)]
enum Outcome {
    Ok(Value),
    Refused { field: String, reason: String },
}

fn pick(options: &'static [&'static str]) -> impl Strategy<Value = String> {
    proptest::sample::select(options).prop_map(str::to_owned)
}

fn maybe(options: &'static [&'static str]) -> impl Strategy<Value = Option<String>> {
    proptest::option::weighted(0.5, pick(options))
}

const COUNTS: &[&str] = &["0", "1", "2", "9", "10", "-1", "4294967295", "two", "2.5"];

/// Half the requests use only values every entry point accepts, so
/// accepted searches are compared as often as refusals.
fn intent() -> impl Strategy<Value = Intent> {
    prop_oneof![requests(&VALID), requests(&ANY),]
}

/// The values one kind of request draws from, field by field.
struct Values {
    places: &'static [&'static str],
    dates: &'static [&'static str],
    returns: &'static [&'static str],
    counts: &'static [&'static str],
    cabins: &'static [&'static str],
    stops: &'static [&'static str],
    currencies: &'static [&'static str],
    sorts: &'static [&'static str],
    carriers: &'static [&'static str],
    prices: &'static [&'static str],
    afters: &'static [&'static str],
    befores: &'static [&'static str],
    limits: &'static [&'static str],
    windows: &'static [(&'static str, &'static str)],
    stays: &'static [&'static str],
    shapes: &'static [&'static str],
    /// Whether a request with a window leaves the departure and return out
    /// (as valid flexible requests do).
    window_replaces_dates: bool,
}

const VALID: Values = Values {
    places: &["SAO", "LIS", "lisboa", "são paulo"],
    dates: &["2027-03-10", "2027-01-05"],
    returns: &["2027-03-24"],
    counts: &["1", "2"],
    cabins: &["economy", "business", "executiva"],
    stops: &["0", "1", "3"],
    currencies: &["BRL", "eur"],
    sorts: &["best", "cheapest", "price"],
    carriers: &["TP", "LA"],
    prices: &["30000", "3000.50"],
    afters: &["08:00", "00:00"],
    befores: &["23:59", "22:00"],
    limits: &["1", "20", "100"],
    windows: &[("2027-03-01", "2027-03-31"), ("2027-01-05", "2027-02-20")],
    stays: &["7", "3"],
    shapes: &["any", "weekend"],
    window_replaces_dates: true,
};

const ANY: Values = Values {
    places: &[
        "SAO",
        "LIS",
        "são paulo",
        "lisboa",
        "GRU",
        "XXX",
        "Atlantida",
        "",
    ],
    dates: &[
        "2027-03-10",
        "2026-11-01",
        "2028-06-01",
        "2027-02-30",
        "amanhã",
        "",
    ],
    returns: &["2027-03-24", "2027-03-01", "24/03/2027"],
    counts: COUNTS,
    cabins: &["economy", "business", "executiva", "suite"],
    stops: &["0", "1", "3", "4", "-1"],
    currencies: &["BRL", "eur", "XYZ"],
    sorts: &["best", "cheapest", "price", "slowest"],
    carriers: &["TP", "LA", "LATAM", "A"],
    prices: &[
        "3000",
        "0",
        "-5",
        "abc",
        "99999999999999999999999999999",
        "3000.50",
    ],
    afters: &["08:00", "25:00", "14:30"],
    befores: &["09:00", "23:59", "7pm"],
    limits: &["1", "20", "0", "101", "x"],
    windows: &[
        ("2027-03-01", "2027-03-31"),
        ("2027-03-01", "2027-05-15"),
        ("2026-10-01", "2026-10-31"),
        ("2027-03-10", "2027-03-01"),
        ("2027-03-01", "março"),
        ("", "2027-03-31"),
    ],
    stays: &["7", "0", "31", "x"],
    shapes: &["any", "weekend", "midweek"],
    window_replaces_dates: false,
};

fn requests(v: &'static Values) -> impl Strategy<Value = Intent> {
    let route = (
        pick(v.places),
        pick(v.places),
        pick(v.dates),
        maybe(v.returns),
    );
    let party = (maybe(v.counts), maybe(v.counts), maybe(v.counts));
    let options = (
        maybe(v.cabins),
        maybe(v.stops),
        maybe(v.currencies),
        maybe(v.sorts),
        proptest::collection::vec(pick(v.carriers), 0..3),
    );
    let filters = (
        maybe(v.prices),
        maybe(v.afters),
        maybe(v.befores),
        maybe(v.limits),
    );
    let window = (
        proptest::option::weighted(0.3, proptest::sample::select(v.windows)),
        maybe(v.stays),
        maybe(v.shapes),
    );
    let clear = v.window_replaces_dates;
    (route, party, options, filters, window).prop_map(move |(r, p, o, f, w)| Intent {
        origin: r.0,
        destination: r.1,
        departure: if clear && w.0.is_some() {
            String::new()
        } else {
            r.2
        },
        back: r.3.filter(|_| !(clear && w.0.is_some())),
        counts: [p.0, p.1, p.2],
        cabin: o.0,
        max_stops: o.1,
        currency: o.2,
        sort: o.3,
        carriers: o.4,
        max_price: f.0,
        depart_after: f.1,
        depart_before: f.2,
        limit: f.3,
        window: w.0.map(|(a, b)| (a.to_owned(), b.to_owned())),
        trip_days: w.1,
        departure_days: w.2,
    })
}

const COUNT_NAMES: [&str; 3] = ["adults", "children", "infants"];

impl Intent {
    /// `(name, value)` for every option given, named as GET and the tool name them.
    fn options(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        for (name, value) in COUNT_NAMES.iter().zip(&self.counts) {
            out.extend(value.clone().map(|v| (*name, v)));
        }
        for (name, value) in [
            ("cabin", &self.cabin),
            ("max_stops", &self.max_stops),
            ("currency", &self.currency),
            ("sort", &self.sort),
            ("max_price", &self.max_price),
            ("depart_after", &self.depart_after),
            ("depart_before", &self.depart_before),
            ("limit", &self.limit),
            ("trip_days", &self.trip_days),
            ("departure_days", &self.departure_days),
        ] {
            out.extend(value.clone().map(|v| (name, v)));
        }
        if let Some((from, to)) = &self.window {
            out.push(("departure_from", from.clone()));
            out.push(("departure_to", to.clone()));
        }
        out
    }

    fn query_string(&self) -> String {
        let mut pairs = vec![
            ("origin", self.origin.clone()),
            ("destination", self.destination.clone()),
            ("departure", self.departure.clone()),
        ];
        pairs.extend(self.back.clone().map(|b| ("return", b)));
        pairs.extend(self.options());
        if !self.carriers.is_empty() {
            pairs.push(("carriers", self.carriers.join(",")));
        }
        serde_urlencoded::to_string(pairs).unwrap()
    }

    fn post_body(&self) -> Value {
        let leg =
            |o: &str, d: &str, date: &str| json!({ "origin": o, "destination": d, "date": date });
        let mut legs = vec![leg(&self.origin, &self.destination, &self.departure)];
        legs.extend(
            self.back
                .as_deref()
                .map(|b| leg(&self.destination, &self.origin, b)),
        );
        let mut body =
            json!({ "legs": legs, "passengers": {}, "filters": { "carriers": self.carriers } });
        for (name, value) in self.options() {
            let slot = match name {
                "adults" | "children" | "infants" => &mut body["passengers"][name],
                "max_price" | "depart_after" | "depart_before" => &mut body["filters"][name],
                "departure_from" => &mut body["departure_window"]["from"],
                "departure_to" => &mut body["departure_window"]["to"],
                "departure_days" => &mut body["departure_window"]["shape"],
                _ => &mut body[name],
            };
            *slot = number_or_text(&value);
        }
        body
    }

    fn tool_arguments(&self) -> String {
        let mut args = Map::new();
        args.insert("origin".into(), json!(self.origin));
        args.insert("destination".into(), json!(self.destination));
        args.insert("departure_date".into(), json!(self.departure));
        if let Some(b) = &self.back {
            args.insert("return_date".into(), json!(b));
        }
        for (name, value) in self.options() {
            args.insert(name.into(), number_or_text(&value));
        }
        if !self.carriers.is_empty() {
            args.insert("carriers".into(), json!(self.carriers));
        }
        Value::Object(args).to_string()
    }

    fn cli_arguments(&self) -> Vec<String> {
        let mut args = vec![
            "search".to_owned(),
            self.origin.clone(),
            self.destination.clone(),
            self.departure.clone(),
        ];
        args.extend(self.back.as_ref().map(|b| format!("--return={b}")));
        for (name, value) in self.options() {
            args.push(format!("--{}={value}", name.replace('_', "-")));
        }
        if !self.carriers.is_empty() {
            args.push(format!("--carriers={}", self.carriers.join(",")));
        }
        args
    }
}

/// JSON clients send whole numbers as numbers.
fn number_or_text(value: &str) -> Value {
    value
        .parse::<i64>()
        .map_or_else(|_| json!(value), |n| json!(n))
}

fn router() -> &'static Router {
    static ROUTER: OnceLock<Router> = OnceLock::new();
    ROUTER.get_or_init(|| {
        let config = Config::from_lookup(|_| None).unwrap();
        api::search_router(App::from_config(&config).unwrap().with_clock(now()))
    })
}

async fn over_http(request: Request<Body>, surface: Surface) -> Outcome {
    let response = router().clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let body: Value = serde_json::from_slice(&bytes).unwrap();
    if status.is_success() {
        return Outcome::Ok(body["query"].clone());
    }
    assert_eq!(status, 400, "{body}");
    Outcome::Refused {
        field: surface.canonical(body["error"]["field"].as_str().unwrap()),
        reason: body["error"]["message"].as_str().unwrap().to_owned(),
    }
}

async fn via_get(intent: &Intent) -> Outcome {
    let uri = format!("/search?{}", intent.query_string());
    over_http(Request::get(uri).body(Body::empty()).unwrap(), Surface::Get).await
}

async fn via_post(intent: &Intent) -> Outcome {
    let request = Request::post("/search")
        .header("content-type", "application/json")
        .body(Body::from(intent.post_body().to_string()))
        .unwrap();
    over_http(request, Surface::Post).await
}

fn outcome(
    parsed: Result<shared::search::SearchQuery, shared::domain::FieldError>,
    surface: Surface,
) -> Outcome {
    match parsed {
        Ok(q) => Outcome::Ok(serde_json::to_value(q).unwrap()),
        Err(e) => Outcome::Refused {
            field: surface.canonical(&e.field),
            reason: e.reason,
        },
    }
}

fn via_tool(intent: &Intent) -> Outcome {
    outcome(
        tools::search_query(&intent.tool_arguments(), now()),
        Surface::Tool,
    )
}

#[derive(Parser)]
enum Cli {
    Search(chatpassagens::search::Args),
}

fn via_cli(intent: &Intent) -> Outcome {
    let mut argv = vec!["chatpassagens".to_owned()];
    argv.extend(intent.cli_arguments());
    let Cli::Search(args) = Cli::try_parse_from(argv).expect("clap takes every value as text");
    outcome(args.query(now()), Surface::Cli)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 200,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_entry_point_accepts_and_refuses_the_same_requests(intent in intent()) {
        let rt = runtime();
        let get = rt.block_on(via_get(&intent));
        let post = rt.block_on(via_post(&intent));
        prop_assert_eq!(&get, &post, "GET vs POST for {:?}", intent);
        prop_assert_eq!(&get, &via_tool(&intent), "GET vs tool for {:?}", intent);
        prop_assert_eq!(&get, &via_cli(&intent), "GET vs CLI for {:?}", intent);
    }

    #[test]
    fn the_offline_assistant_searches_what_the_api_would(
        from in proptest::sample::select(&["SAO", "LIS", "RIO", "GRU"][..]),
        to in proptest::sample::select(&["LIS", "MAD", "GRU", "NYC"][..]),
        offset in -5i64..400,
        stay in proptest::option::of(-3i64..30),
        adults in 0u8..11,
        children in 0u8..10,
        infants in 0u8..4,
        cabin in proptest::option::of(proptest::sample::select(&[Cabin::Economy, Cabin::Business][..])),
        max_stops in proptest::option::of(0u8..5),
        budget in proptest::option::of(0i64..20_000),
        either_side in proptest::option::weighted(0.3, 1u16..5),
    ) {
        let today = now().date_naive();
        let day = |n: i64| today + chrono::Duration::days(n);
        let departure: NaiveDate = day(offset);
        let slots = TripRequest {
            origin: Place::resolve(from).ok(),
            destination: Place::resolve(to).ok(),
            departure: Some(DateSpec::Day(departure)),
            return_date: stay.map(|s| DateSpec::Day(day(offset + s))),
            adults: Some(adults),
            children: Some(children),
            infants: Some(infants),
            cabin,
            max_stops,
            budget: budget.map(|b| (Decimal::from(b), Currency::BRL)),
            days_either_side: either_side,
            ..TripRequest::default()
        };
        let (raw, _) = offline::search_request(&slots, today).unwrap();
        let assistant = outcome(raw.parse(now()), Surface::Post);
        let intent = Intent {
            origin: from.to_owned(),
            destination: to.to_owned(),
            departure: departure.to_string(),
            back: stay.map(|s| day(offset + s).to_string()),
            counts: [Some(adults.to_string()), Some(children.to_string()), Some(infants.to_string())],
            cabin: cabin.map(|c| c.as_str().to_owned()),
            max_stops: max_stops.map(|n| n.to_string()),
            currency: budget.map(|_| "BRL".to_owned()),
            sort: None,
            carriers: Vec::new(),
            max_price: budget.map(|b| b.to_string()),
            depart_after: None,
            depart_before: None,
            limit: None,
            window: None,
            trip_days: None,
            departure_days: None,
        };
        // "±N dias": the days either side (none before today) as a window,
        // the stay as trip_days.
        let intent = match either_side {
            None => intent,
            Some(n) => Intent {
                departure: String::new(),
                back: None,
                window: Some((
                    day(offset - i64::from(n)).max(today).to_string(),
                    day(offset + i64::from(n)).to_string(),
                )),
                trip_days: stay.filter(|s| *s > 0).map(|s| s.to_string()),
                ..intent
            },
        };
        let get = runtime().block_on(via_get(&intent));
        prop_assert_eq!(assistant, get, "{:?}", slots);
    }
}

#[test]
fn a_full_request_is_accepted_identically_everywhere() {
    let intent = Intent {
        origin: "são paulo".to_owned(),
        destination: "LIS".to_owned(),
        departure: "2027-03-10".to_owned(),
        back: Some("2027-03-24".to_owned()),
        counts: [
            Some("2".to_owned()),
            Some("1".to_owned()),
            Some("1".to_owned()),
        ],
        cabin: Some("executiva".to_owned()),
        max_stops: Some("1".to_owned()),
        currency: Some("eur".to_owned()),
        sort: Some("cheapest".to_owned()),
        carriers: vec!["TP".to_owned(), "LA".to_owned()],
        max_price: Some("30000".to_owned()),
        depart_after: Some("08:00".to_owned()),
        depart_before: Some("23:00".to_owned()),
        limit: Some("5".to_owned()),
        window: None,
        trip_days: None,
        departure_days: None,
    };
    let get = runtime().block_on(via_get(&intent));
    let Outcome::Ok(query) = &get else {
        panic!("refused: {get:?}")
    };
    assert_eq!(query["cabin"], "business");
    assert_eq!(query["passengers"]["children"], 1);
    assert_eq!(get, runtime().block_on(via_post(&intent)));
    assert_eq!(get, via_tool(&intent));
    assert_eq!(get, via_cli(&intent));
}

#[test]
fn a_flexible_weekend_request_is_accepted_identically_everywhere() {
    let intent = Intent {
        origin: "são paulo".to_owned(),
        destination: "RIO".to_owned(),
        departure: String::new(),
        back: None,
        counts: [None, None, None],
        cabin: None,
        max_stops: None,
        currency: None,
        sort: None,
        carriers: Vec::new(),
        max_price: None,
        depart_after: None,
        depart_before: None,
        limit: None,
        window: Some(("2027-04-01".to_owned(), "2027-04-30".to_owned())),
        trip_days: None,
        departure_days: Some("weekend".to_owned()),
    };
    let get = runtime().block_on(via_get(&intent));
    let Outcome::Ok(query) = &get else {
        panic!("refused: {get:?}")
    };
    assert_eq!(query["flexible"]["departure_window"]["shape"], "weekend");
    assert_eq!(query["flexible"]["trip_days"]["max"], 3);
    assert_eq!(get, runtime().block_on(via_post(&intent)));
    assert_eq!(get, via_tool(&intent));
    assert_eq!(get, via_cli(&intent));
}
