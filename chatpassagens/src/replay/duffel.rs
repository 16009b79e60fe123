//! A local stand-in for Duffel's Flights API (v2): `POST /air/offer_requests`
//! and `GET /air/offers` with Duffel's documented request checks, answer
//! shapes and errors, for the adapter's tests and for running the product
//! on a developer's machine (`chatpassagens replay duffel`).
//!
//! Scenarios are chosen by the request's path: `/air/...` serves the
//! server's default scenario (`success` unless `--scenario` says otherwise),
//! `/scenarios/{name}/air/...` serves `name` — point `DUFFEL_BASE_URL` at
//! `http://host:port/scenarios/slow` to try a slow Duffel.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use serde_json::{Value, json};

use super::duffel_offers::{Asked, OfferSet, SliceAsked, Traveller, offers};

/// How long the `slow` scenario takes to answer: longer than any search deadline.
pub const SLOW_FOR: Duration = Duration::from_secs(30);

/// Duffel's most offers per page.
const MAX_LIMIT: usize = 200;

/// What a request path asks the replay to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum Scenario {
    /// Offers: a nonstop, a codeshare connection, the demo's flights in USD.
    Success,
    /// The offer request succeeds, with no offers.
    NoOffers,
    /// Some airlines missed `supplier_timeout`: only the nonstop.
    Partial,
    /// 422: Duffel refuses the departure date.
    Invalid,
    /// 429 with a reset a minute away.
    RateLimited,
    /// 429 with a reset a second away on the first offer request, then success.
    RateLimitedOnce,
    /// 500 Internal Server Error.
    ServerError,
    /// Answers after [`SLOW_FOR`].
    Slow,
    /// 200 offers (for benchmarks).
    Many,
}

impl Scenario {
    fn parse(name: &str) -> Option<Self> {
        <Self as clap::ValueEnum>::from_str(name, true).ok()
    }
}

/// The replay's settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The only bearer token accepted; any non-empty one when `None`.
    pub token: Option<String>,
    /// What `/air/...` serves.
    pub scenario: Scenario,
}

/// `chatpassagens replay duffel` arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:8091")]
    pub listen: SocketAddr,
    /// The only access token accepted (any non-empty one when unset).
    #[arg(long, hide_env_values = true)]
    pub token: Option<String>,
    /// What `/air/...` serves; `/scenarios/{name}/air/...` serves any.
    #[arg(long, value_enum, default_value = "success")]
    pub scenario: Scenario,
}

struct Replay {
    settings: Settings,
    requests: Mutex<HashMap<String, (Scenario, Asked)>>,
    counter: AtomicU64,
    /// Offer requests seen by `rate_limited_once`.
    limited: AtomicU64,
}

impl Replay {
    fn next_id(&self, prefix: &str) -> String {
        format!(
            "{prefix}_0000{:08}",
            self.counter.fetch_add(1, Ordering::SeqCst)
        )
    }
}

/// The replay's routes.
pub fn router(settings: Settings) -> Router {
    let state = Arc::new(Replay {
        settings,
        requests: Mutex::new(HashMap::new()),
        counter: AtomicU64::new(1),
        limited: AtomicU64::new(0),
    });
    Router::new()
        .route("/air/offer_requests", post(create_default))
        .route("/air/offers", get(list_offers))
        .route("/scenarios/{scenario}/air/offer_requests", post(create_in))
        .route("/scenarios/{scenario}/air/offers", get(list_in))
        .layer(tower_http::compression::CompressionLayer::new().gzip(true))
        .with_state(state)
}

/// Serves the replay on `listener` until the process ends.
///
/// # Errors
/// When the listener fails.
pub async fn serve(listener: tokio::net::TcpListener, settings: Settings) -> std::io::Result<()> {
    axum::serve(listener, router(settings)).await
}

/// Starts the replay on `127.0.0.1:0` in this process; returns its base URL.
///
/// # Errors
/// When no port can be bound.
pub async fn spawn(settings: Settings) -> std::io::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(serve(listener, settings));
    Ok(format!("http://{addr}"))
}

/// `chatpassagens replay duffel`: serves until interrupted.
///
/// # Errors
/// When the address cannot be bound.
pub async fn run(args: Args) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    let addr = listener.local_addr()?;
    println!(
        "duffel replay listening on http://{addr} (scenario {}; others under /scenarios/{{name}})",
        clap::ValueEnum::to_possible_value(&args.scenario)
            .map_or_else(String::new, |v| v.get_name().to_owned())
    );
    println!(
        "  run the product against it: FARE_PROVIDERS=demo,duffel DUFFEL_BASE_URL=http://{addr} DUFFEL_ACCESS_TOKEN=x chatpassagens serve"
    );
    serve(
        listener,
        Settings {
            token: args.token,
            scenario: args.scenario,
        },
    )
    .await?;
    Ok(())
}

type Shared = State<Arc<Replay>>;

async fn create_default(
    s: Shared,
    h: HeaderMap,
    q: Query<HashMap<String, String>>,
    body: String,
) -> Response {
    let scenario = s.settings.scenario;
    create(s, scenario, h, q, body).await
}

async fn create_in(
    s: Shared,
    Path(name): Path<String>,
    h: HeaderMap,
    q: Query<HashMap<String, String>>,
    body: String,
) -> Response {
    match Scenario::parse(&name) {
        Some(scenario) => create(s, scenario, h, q, body).await,
        None => error(
            &s,
            StatusCode::NOT_FOUND,
            "invalid_request_error",
            "not_found",
            &format!("unknown replay scenario '{name}'"),
            None,
        ),
    }
}

async fn list_in(
    s: Shared,
    Path(name): Path<String>,
    h: HeaderMap,
    q: Query<HashMap<String, String>>,
) -> Response {
    if Scenario::parse(&name).is_none() {
        return error(
            &s,
            StatusCode::NOT_FOUND,
            "invalid_request_error",
            "not_found",
            &format!("unknown replay scenario '{name}'"),
            None,
        );
    }
    list_offers(s, h, q).await
}

/// `POST /air/offer_requests`: checks the call like Duffel, then plays the scenario.
async fn create(
    State(replay): Shared,
    scenario: Scenario,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    body: String,
) -> Response {
    if let Some(refusal) = refuse_headers(&replay, &headers) {
        return refusal;
    }
    let asked = match check_query(&query).and_then(|()| read_body(&body)) {
        Ok(asked) => asked,
        Err((field, message)) => return validation(&replay, &field, &message),
    };
    if let Some(early) = play(&replay, scenario).await {
        return early;
    }
    let id = replay.next_id("orq");
    replay
        .requests
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(id.clone(), (scenario, asked.clone()));
    let inline = if query.get("return_offers").map(String::as_str) == Some("false") {
        Vec::new()
    } else {
        offers(&asked, offer_set(scenario), Utc::now(), 50)
    };
    let passengers: Vec<Value> = asked
        .travellers
        .iter()
        .enumerate()
        .map(|(i, _)| json!({"id": format!("pas_000{i:02}")}))
        .collect();
    let data = json!({
        "id": id,
        "live_mode": false,
        "created_at": Utc::now().to_rfc3339(),
        "cabin_class": asked.cabin,
        "slices": asked.slices.iter().map(|s| json!({"origin": {"iata_code": s.origin}, "destination": {"iata_code": s.destination}, "departure_date": s.date})).collect::<Vec<_>>(),
        "passengers": passengers,
        "offers": inline,
    });
    answer(&replay, StatusCode::CREATED, json!({ "data": data }))
}

/// The scenario's answer when it is not an offer request: an error or a delay.
async fn play(replay: &Replay, scenario: Scenario) -> Option<Response> {
    match scenario {
        Scenario::Invalid => Some(validation(
            replay,
            "departure_date",
            "The departure date must be in the future and within 361 days",
        )),
        Scenario::RateLimited => Some(rate_limited(replay, 60)),
        Scenario::RateLimitedOnce if replay.limited.fetch_add(1, Ordering::SeqCst) == 0 => {
            Some(rate_limited(replay, 1))
        }
        Scenario::ServerError => Some(error(
            replay,
            StatusCode::INTERNAL_SERVER_ERROR,
            "api_error",
            "internal_server_error",
            "An internal server error occurred. Please try again later.",
            None,
        )),
        Scenario::Slow => {
            tokio::time::sleep(SLOW_FOR).await;
            None
        }
        _ => None,
    }
}

fn offer_set(scenario: Scenario) -> OfferSet {
    match scenario {
        Scenario::NoOffers => OfferSet::Empty,
        Scenario::Partial => OfferSet::Partial,
        Scenario::Many => OfferSet::Many,
        _ => OfferSet::Full,
    }
}

/// `GET /air/offers?offer_request_id=…&sort=total_amount&limit=…`.
async fn list_offers(
    State(replay): Shared,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Some(refusal) = refuse_headers(&replay, &headers) {
        return refusal;
    }
    let Some(id) = query.get("offer_request_id") else {
        return validation(&replay, "offer_request_id", "can't be blank");
    };
    let limit = match query.get("limit").map(|l| l.parse::<usize>()) {
        None => 50,
        Some(Ok(n)) if (1..=MAX_LIMIT).contains(&n) => n,
        Some(_) => return validation(&replay, "limit", "must be a number between 1 and 200"),
    };
    if let Some(sort) = query
        .get("sort")
        .filter(|s| *s != "total_amount" && *s != "total_duration")
    {
        return validation(
            &replay,
            "sort",
            &format!("'{sort}' is not a valid sort (total_amount or total_duration)"),
        );
    }
    let stored = replay
        .requests
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(id)
        .cloned();
    let Some((scenario, asked)) = stored else {
        return error(
            &replay,
            StatusCode::NOT_FOUND,
            "invalid_request_error",
            "not_found",
            "The resource you are trying to access does not exist.",
            None,
        );
    };
    let data = offers(&asked, offer_set(scenario), Utc::now(), limit);
    answer(
        &replay,
        StatusCode::OK,
        json!({"data": data, "meta": {"limit": limit, "after": null, "before": null}}),
    )
}

/// Duffel's header checks: a bearer token and `Duffel-Version: v2`; the
/// refusal when one fails.
fn refuse_headers(replay: &Replay, headers: &HeaderMap) -> Option<Response> {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let Some(token) = token else {
        return Some(error(
            replay,
            StatusCode::UNAUTHORIZED,
            "authentication_error",
            "missing_authorization_header",
            "The Authorization header must be set to 'Bearer <access token>'",
            None,
        ));
    };
    if replay
        .settings
        .token
        .as_deref()
        .is_some_and(|want| want != token)
    {
        return Some(error(
            replay,
            StatusCode::UNAUTHORIZED,
            "authentication_error",
            "invalid_authentication",
            "The access token used is not recognised by our system",
            None,
        ));
    }
    match headers.get("duffel-version").and_then(|v| v.to_str().ok()) {
        None => Some(error(
            replay,
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "missing_version_header",
            "The Duffel-Version header is required",
            None,
        )),
        Some("v2") => None,
        Some(other) => Some(error(
            replay,
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "unsupported_version",
            &format!("Duffel-Version '{other}' is not supported"),
            None,
        )),
    }
}

/// The query string's checks: `supplier_timeout` within 2–60 s.
fn check_query(query: &HashMap<String, String>) -> Result<(), (String, String)> {
    if let Some(text) = query.get("supplier_timeout")
        && !text
            .parse::<u64>()
            .is_ok_and(|ms| (2_000..=60_000).contains(&ms))
    {
        return Err((
            "supplier_timeout".to_owned(),
            "must be between 2000 and 60000 milliseconds".to_owned(),
        ));
    }
    Ok(())
}

/// Reads the offer request body, naming the first field Duffel would refuse.
fn read_body(body: &str) -> Result<Asked, (String, String)> {
    let bad = |field: &str, message: &str| (field.to_owned(), message.to_owned());
    let value: Value =
        serde_json::from_str(body).map_err(|_| bad("data", "the body must be JSON"))?;
    let data = value
        .get("data")
        .filter(|d| d.is_object())
        .ok_or_else(|| bad("data", "can't be blank"))?;
    let slices = data["slices"]
        .as_array()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| bad("slices", "must have at least one slice"))?;
    let slices = slices
        .iter()
        .map(read_slice)
        .collect::<Result<Vec<_>, _>>()?;
    let passengers = data["passengers"]
        .as_array()
        .filter(|p| !p.is_empty())
        .ok_or_else(|| bad("passengers", "must have at least one passenger"))?;
    let travellers = passengers
        .iter()
        .map(read_passenger)
        .collect::<Result<Vec<_>, _>>()?;
    let cabin = match &data["cabin_class"] {
        Value::Null => "economy".to_owned(),
        Value::String(c)
            if ["economy", "premium_economy", "business", "first"].contains(&c.as_str()) =>
        {
            c.clone()
        }
        _ => {
            return Err(bad(
                "cabin_class",
                "must be one of economy, premium_economy, business, first",
            ));
        }
    };
    match &data["max_connections"] {
        Value::Null => {}
        Value::Number(n) if n.as_u64().is_some_and(|n| n <= 2) => {}
        _ => return Err(bad("max_connections", "must be 0, 1 or 2")),
    }
    Ok(Asked {
        slices,
        travellers,
        cabin,
    })
}

fn read_slice(slice: &Value) -> Result<SliceAsked, (String, String)> {
    let code = |field: &str| {
        slice[field]
            .as_str()
            // Duffel knows every airport and city code; the replay knows ours.
            .filter(|c| {
                shared::domain::IataCode::parse(c)
                    .ok()
                    .and_then(shared::places::Place::by_code)
                    .is_some()
            })
            .map(str::to_ascii_uppercase)
            .ok_or_else(|| {
                (
                    field.to_owned(),
                    "must be a known IATA airport or city code".to_owned(),
                )
            })
    };
    let date = slice["departure_date"]
        .as_str()
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .ok_or_else(|| {
            (
                "departure_date".to_owned(),
                "must be a date (YYYY-MM-DD)".to_owned(),
            )
        })?;
    Ok(SliceAsked {
        origin: code("origin")?,
        destination: code("destination")?,
        date,
    })
}

fn read_passenger(p: &Value) -> Result<Traveller, (String, String)> {
    match (p["type"].as_str(), p["age"].as_u64()) {
        (Some("adult"), _) => Ok(Traveller::Adult),
        (Some("infant_without_seat"), _) | (None, Some(0 | 1)) => Ok(Traveller::LapInfant),
        (None, Some(age @ 2..=17)) => Ok(Traveller::Child(age as u8)),
        (None, Some(_)) => Ok(Traveller::Adult),
        _ => Err((
            "passengers".to_owned(),
            "each passenger needs a type (adult, infant_without_seat) or an age".to_owned(),
        )),
    }
}

fn validation(replay: &Replay, field: &str, message: &str) -> Response {
    error(
        replay,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_error",
        "invalid_field",
        message,
        Some(field),
    )
}

fn rate_limited(replay: &Replay, reset_in_s: i64) -> Response {
    let reset = (Utc::now() + chrono::Duration::seconds(reset_in_s))
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    let mut response = error(
        replay,
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limit_error",
        "rate_limit_exceeded",
        "Too many requests hit the API too quickly. Please retry after the time in the ratelimit-reset header.",
        None,
    );
    let headers = response.headers_mut();
    headers.insert("ratelimit-limit", HeaderValue::from_static("60"));
    headers.insert("ratelimit-remaining", HeaderValue::from_static("0"));
    if let Ok(value) = HeaderValue::from_str(&reset) {
        headers.insert("ratelimit-reset", value);
    }
    response
}

/// Duffel's error body: `errors[]` with type, code, title, message, source.
fn error(
    replay: &Replay,
    status: StatusCode,
    kind: &str,
    code: &str,
    message: &str,
    field: Option<&str>,
) -> Response {
    let source = field.map(|f| json!({"field": f, "pointer": format!("/{f}")}));
    let request_id = replay.next_id("req");
    let body = json!({
        "errors": [{
            "type": kind,
            "code": code,
            "title": status.canonical_reason().unwrap_or("Error"),
            "message": message,
            "documentation_url": format!("https://duffel.com/docs/api/overview/errors#{code}"),
            "source": source,
        }],
        "meta": {"status": status.as_u16(), "request_id": request_id},
    });
    answer_with_id(status, body, &request_id)
}

fn answer(replay: &Replay, status: StatusCode, body: Value) -> Response {
    answer_with_id(status, body, &replay.next_id("req"))
}

fn answer_with_id(status: StatusCode, body: Value, request_id: &str) -> Response {
    let mut response = (status, axum::Json(body)).into_response();
    if let Ok(id) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert("x-request-id", id);
    }
    response
}
