//! A local Travelpayouts Data API: `GET /aviasales/v3/prices_for_dates` and
//! `GET /v2/prices/month-matrix`, answering the documented envelope
//! (`{"success", "data", "error"}`, plus `currency` for prices) with
//! deterministic prices for any pair of known places.
//!
//! It checks what the real API checks: the token (`X-Access-Token` header
//! or `token` parameter; 401 otherwise) and the parameters (400 with
//! `success: false` naming the bad one). A [`Scenario`] makes every
//! authorised request answer one way: `success`, `no-data` (an empty
//! `data`), `rate-limited` (429), `server-error` (500) or `slow` (the
//! success answer after [`SLOW`]).

use std::collections::HashMap;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{
    DateTime, Datelike, Days, FixedOffset, Months, NaiveDate, NaiveTime, SecondsFormat, Utc,
};
use serde_json::{Value, json};
use shared::places::{Place, distance_km};

/// How long the `slow` scenario waits before answering: longer than any
/// search deadline, so callers see a timeout.
pub const SLOW: Duration = Duration::from_secs(5);

/// How every authorised request is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scenario {
    /// Prices for the asked route and days.
    Success,
    /// `success: true` with no entries: nobody searched the route lately.
    NoData,
    /// 429, as when the token's request quota is spent.
    RateLimited,
    /// 500, as on an outage.
    ServerError,
    /// The success answer, after [`SLOW`].
    Slow,
}

#[derive(Clone)]
struct Replay {
    token: String,
    scenario: Scenario,
    /// When the replay's cached prices were "found" relative to.
    now: fn() -> DateTime<Utc>,
}

/// The replay's routes, accepting `token`.
pub fn router(token: &str, scenario: Scenario) -> Router {
    let state = Replay {
        token: token.to_owned(),
        scenario,
        now: Utc::now,
    };
    Router::new()
        .route("/aviasales/v3/prices_for_dates", get(prices_for_dates))
        .route("/v2/prices/month-matrix", get(month_matrix))
        .fallback(|| async { failure(StatusCode::NOT_FOUND, "no such endpoint") })
        .with_state(state)
}

/// Serves the replay on `listener` until the process stops.
///
/// # Errors
/// When the listener fails.
pub async fn serve(
    listener: tokio::net::TcpListener,
    token: &str,
    scenario: Scenario,
) -> anyhow::Result<()> {
    axum::serve(listener, router(token, scenario)).await?;
    Ok(())
}

type Params = Query<HashMap<String, String>>;

/// `GET /aviasales/v3/prices_for_dates`.
async fn prices_for_dates(
    State(r): State<Replay>,
    headers: HeaderMap,
    Query(p): Params,
) -> Response {
    if let Some(refusal) = refuse(&r, &headers, &p).await {
        return refusal;
    }
    let asked = match check_locale(&p).and_then(|()| PriceAsk::read(&p)) {
        Ok(asked) => asked,
        Err(reason) => return failure(StatusCode::BAD_REQUEST, &reason),
    };
    let data = if r.scenario == Scenario::NoData {
        Vec::new()
    } else {
        asked.entries()
    };
    let currency = p
        .get("currency")
        .cloned()
        .unwrap_or_else(|| "rub".to_owned());
    Json(json!({ "success": true, "data": data, "currency": currency })).into_response()
}

/// `GET /v2/prices/month-matrix`.
async fn month_matrix(State(r): State<Replay>, headers: HeaderMap, Query(p): Params) -> Response {
    if let Some(refusal) = refuse(&r, &headers, &p).await {
        return refusal;
    }
    let checked =
        check_locale(&p).and_then(|()| Ok((code(&p, "origin")?, code(&p, "destination")?)));
    let (origin, destination) = match checked {
        Ok(both) => both,
        Err(reason) => return failure(StatusCode::BAD_REQUEST, &reason),
    };
    let month = p.get("month").map(String::as_str).unwrap_or_default();
    let Some(first) = NaiveDate::parse_from_str(month, "%Y-%m-%d")
        .ok()
        .filter(|d| d.day() == 1)
    else {
        let reason = format!("month must be the first day of a month, YYYY-MM-DD, got '{month}'");
        return failure(StatusCode::BAD_REQUEST, &reason);
    };
    let one_way = p.get("one_way").is_none_or(|v| v == "true");
    let data = if r.scenario == Scenario::NoData {
        Vec::new()
    } else {
        matrix_entries(&origin, &destination, first, one_way, (r.now)())
    };
    Json(json!({ "success": true, "data": data, "error": null })).into_response()
}

/// The answer to a request that is refused or delayed by the token or the scenario.
async fn refuse(r: &Replay, headers: &HeaderMap, p: &HashMap<String, String>) -> Option<Response> {
    let header = headers.get("x-access-token").and_then(|v| v.to_str().ok());
    let given = header.or(p.get("token").map(String::as_str));
    if given != Some(r.token.as_str()) {
        return Some(failure(StatusCode::UNAUTHORIZED, "Unauthorized"));
    }
    match r.scenario {
        Scenario::RateLimited => Some(failure(
            StatusCode::TOO_MANY_REQUESTS,
            "rate limit exceeded",
        )),
        Scenario::ServerError => Some(failure(StatusCode::INTERNAL_SERVER_ERROR, "internal error")),
        Scenario::Slow => {
            tokio::time::sleep(SLOW).await;
            None
        }
        Scenario::Success | Scenario::NoData => None,
    }
}

fn failure(status: StatusCode, error: &str) -> Response {
    (
        status,
        Json(json!({ "success": false, "data": null, "error": error })),
    )
        .into_response()
}

/// `currency` (three letters) and `market` (two), lower case, when given.
fn check_locale(p: &HashMap<String, String>) -> Result<(), String> {
    for (name, len) in [("currency", 3), ("market", 2)] {
        if let Some(v) = p.get(name)
            && (v.len() != len || !v.bytes().all(|b| b.is_ascii_lowercase()))
        {
            return Err(format!(
                "{name} must be {len} lower-case letters, got '{v}'"
            ));
        }
    }
    Ok(())
}

/// An IATA code parameter, upper case, of a place the replay knows.
fn code(p: &HashMap<String, String>, name: &str) -> Result<String, String> {
    let value = p.get(name).map(String::as_str).unwrap_or_default();
    let known = value.len() == 3
        && value.bytes().all(|b| b.is_ascii_uppercase())
        && Place::resolve(value).is_ok();
    if known {
        Ok(value.to_owned())
    } else {
        Err(format!("{name} must be a known IATA code, got '{value}'"))
    }
}

/// What a `prices_for_dates` request asks, checked.
struct PriceAsk {
    origin: String,
    destination: String,
    /// The departure days asked: one, or a month's.
    days: Vec<NaiveDate>,
    /// Days after departure the return leaves, for a round trip.
    back: Option<ReturnAsk>,
    direct: bool,
    limit: usize,
}

enum ReturnAsk {
    On(NaiveDate),
    /// Any day of a month, or unspecified: a week later.
    AWeekLater,
}

impl PriceAsk {
    fn read(p: &HashMap<String, String>) -> Result<Self, String> {
        let flag = |name: &str, default: bool| match p.get(name).map(String::as_str) {
            None => Ok(default),
            Some("true") => Ok(true),
            Some("false") => Ok(false),
            Some(other) => Err(format!("{name} must be true or false, got '{other}'")),
        };
        let number = |name: &str, default: usize, max: usize| match p.get(name) {
            None => Ok(default),
            Some(t) => t
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| format!("{name} must be between 1 and {max}, got '{t}'")),
        };
        let one_way = flag("one_way", true)?;
        let departure = p
            .get("departure_at")
            .map(String::as_str)
            .unwrap_or_default();
        let days = departure_days(departure)?;
        let back = match (one_way, p.get("return_at")) {
            (true, _) => None,
            (false, Some(t)) if t.len() == 10 => Some(ReturnAsk::On(day(t, "return_at")?)),
            (false, _) => Some(ReturnAsk::AWeekLater),
        };
        if let Some(sorting) = p
            .get("sorting")
            .filter(|s| !["price", "route"].contains(&s.as_str()))
        {
            return Err(format!("sorting must be price or route, got '{sorting}'"));
        }
        number("page", 1, 10_000)?;
        Ok(Self {
            origin: code(p, "origin")?,
            destination: code(p, "destination")?,
            days,
            back,
            direct: flag("direct", false)?,
            limit: number("limit", 30, 1000)?,
        })
    }

    fn entries(&self) -> Vec<Value> {
        let mut out: Vec<Value> = self
            .days
            .iter()
            .flat_map(|&d| {
                let back = match self.back {
                    None => None,
                    Some(ReturnAsk::On(b)) => Some(b),
                    Some(ReturnAsk::AWeekLater) => d.checked_add_days(Days::new(7)),
                };
                price_entries(&self.origin, &self.destination, d, back)
            })
            .filter(|e| !self.direct || e["transfers"] == 0)
            .collect();
        out.sort_by(|a, b| a["price"].as_u64().cmp(&b["price"].as_u64()));
        out.truncate(self.limit);
        out
    }
}

fn day(text: &str, name: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("{name} must be YYYY-MM or YYYY-MM-DD, got '{text}'"))
}

/// `YYYY-MM-DD` is that day; `YYYY-MM` every day of the month.
fn departure_days(text: &str) -> Result<Vec<NaiveDate>, String> {
    if text.len() == 7 {
        let first = day(&format!("{text}-01"), "departure_at")?;
        let next = first
            .checked_add_months(Months::new(1))
            .ok_or("departure_at is too far")?;
        return Ok(first.iter_days().take_while(|d| *d < next).collect());
    }
    Ok(vec![day(text, "departure_at")?])
}

/// A stable pseudo-random number from the parts (FNV-1a).
fn hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in parts.iter().flat_map(|p| p.bytes().chain([0xff])) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Three cached itineraries for a route and day, as `prices_for_dates`
/// documents them: a nonstop and two with one connection each way, priced
/// in BRL from the distance (about R$ 0.35 a km one way, more for a round
/// trip), the first flight's number, and the Aviasales link. The entries
/// name no `found_at`: the endpoint's documentation lists none.
pub fn price_entries(
    origin: &str,
    destination: &str,
    departure: NaiveDate,
    back: Option<NaiveDate>,
) -> Vec<Value> {
    let (Ok(from), Ok(to)) = (Place::resolve(origin), Place::resolve(destination)) else {
        return Vec::new();
    };
    let (a, b) = (from.main_airport(), to.main_airport());
    let km = distance_km(a, b);
    let nonstop = (30.0 + km / 13.5).round() as u32;
    let day = departure.to_string();
    let carriers = [("LA", 0u8), ("TP", 1), ("G3", 1)];
    carriers
        .iter()
        .enumerate()
        .filter_map(|(i, &(airline, transfers))| {
            let h = hash(&[origin, destination, &day, airline]);
            let minutes = nonstop + u32::from(transfers) * (90 + (h % 120) as u32);
            let trip = if back.is_some() { 1.8 } else { 1.0 };
            let price =
                ((150.0 + km * 0.35) * trip * (1.0 - 0.08 * f64::from(transfers))) as u64 + h % 300;
            let leaves = NaiveTime::from_hms_opt(7 + 5 * i as u32, 5 * (h % 12) as u32, 0)?;
            let out = local(&from, departure.and_time(leaves))?;
            let back_at = match back {
                Some(d) => {
                    local(&to, d.and_time(NaiveTime::from_hms_opt(11, 30, 0)?))?.to_rfc3339()
                }
                None => String::new(),
            };
            let ddmm = |d: NaiveDate| format!("{:02}{:02}", d.day(), d.month());
            let link = format!(
                "/search/{origin}{}{destination}{}1?t={airline}{h:x}",
                ddmm(departure),
                back.map(ddmm).unwrap_or_default()
            );
            Some(json!({
                "origin": origin, "destination": destination,
                "origin_airport": a.code.as_str(), "destination_airport": b.code.as_str(),
                "price": price, "airline": airline, "flight_number": (100 + h % 900).to_string(),
                "departure_at": out.to_rfc3339(), "return_at": back_at,
                "transfers": transfers, "return_transfers": transfers,
                "duration": minutes * if back.is_some() { 2 } else { 1 },
                "duration_to": minutes, "duration_back": if back.is_some() { minutes } else { 0 },
                "link": link,
            }))
        })
        .collect()
}

/// A local time at a place, with its UTC offset.
fn local(place: &Place, at: chrono::NaiveDateTime) -> Option<DateTime<FixedOffset>> {
    let utc = place.time_zone().to_utc(at)?;
    let offset = (at - utc.naive_utc()).num_seconds();
    let offset = FixedOffset::east_opt(i32::try_from(offset).ok()?)?;
    Some(utc.with_timezone(&offset))
}

/// The month matrix of a route: for each day of `month` but every fifth
/// (nobody searched those), the cheapest nonstop and one-connection price,
/// each found up to two days before `now`; round trips return a week or
/// two weeks later.
pub fn matrix_entries(
    origin: &str,
    destination: &str,
    month: NaiveDate,
    one_way: bool,
    now: DateTime<Utc>,
) -> Vec<Value> {
    let Some(next) = month.checked_add_months(Months::new(1)) else {
        return Vec::new();
    };
    let stays: &[u64] = if one_way { &[0] } else { &[7, 14] };
    let mut out = Vec::new();
    for d in month
        .iter_days()
        .take_while(|d| *d < next)
        .filter(|d| d.day() % 5 != 0)
    {
        for &stay in stays {
            let back = (stay > 0).then(|| d + Days::new(stay));
            for p in price_entries(origin, destination, d, back).iter().take(2) {
                let h = hash(&[origin, destination, &d.to_string(), &stay.to_string()]);
                let found = now - chrono::Duration::hours(1 + (h % 47) as i64);
                out.push(json!({
                    "show_to_affiliates": true, "trip_class": 0,
                    "origin": origin, "destination": destination,
                    "depart_date": d.to_string(),
                    "return_date": back.map(|b| b.to_string()).unwrap_or_default(),
                    "number_of_changes": p["transfers"], "value": p["price"],
                    "found_at": found.to_rfc3339_opts(SecondsFormat::Secs, true), "actual": true,
                }));
            }
        }
    }
    out
}
