//! `GET /search` (query string: one-way and round trip) and `POST /search`
//! (JSON: multi-city too). Both parse into a [`SearchQuery`] or answer 400
//! naming the field.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use chrono::NaiveTime;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{ApiError, MAX_BODY_BYTES};
use crate::app::App;
use crate::domain::{
    Cabin, CarrierCode, Currency, FieldError, Filters, Leg, MAX_LEGS, Passengers, SearchOptions,
    SearchQuery, Sort,
};
use crate::fares::SearchResults;

/// The answer: the query as understood, then the results.
#[derive(Serialize)]
pub(super) struct SearchResponse {
    query: SearchQuery,
    #[serde(flatten)]
    results: SearchResults,
}

/// `GET /search?origin=SAO&destination=LIS&departure=2027-03-10&return=2027-03-24&adults=2`
pub(super) async fn get(
    State(app): State<App>,
    RawQuery(raw): RawQuery,
) -> Result<Json<SearchResponse>, ApiError> {
    let query = parse_query_string(raw.as_deref(), &app)?;
    Ok(Json(run(&app, query).await))
}

/// `POST /search` with a JSON body (see [`SearchBody`]).
pub(super) async fn post(
    State(app): State<App>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<SearchResponse>, ApiError> {
    let body = body.map_err(|_| ApiError::PayloadTooLarge(MAX_BODY_BYTES))?;
    let parsed: SearchBody = parse_json(&body)?;
    let query = parsed.into_query(&app)?;
    Ok(Json(run(&app, query).await))
}

async fn run(app: &App, query: SearchQuery) -> SearchResponse {
    let leg = &query.legs()[0];
    tracing::info!(
        fare.origin = %leg.origin.code(),
        fare.destination = %leg.destination.code(),
        fare.legs = query.legs().len(),
        "search"
    );
    let results = app.search.search(&query, (app.clock)()).await;
    SearchResponse { query, results }
}

/// Query-string parameters, each given at most once.
pub(super) struct QueryParams(HashMap<String, String>);

impl QueryParams {
    /// Splits a query string, refusing repeated and unknown parameters
    /// (a typo such as `adult=2` must not silently search for one adult).
    /// Parameters starting with `_` (cache busters) are ignored.
    pub(super) fn parse(raw: Option<&str>, known: &[&str]) -> Result<Self, ApiError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
            .map_err(|e| FieldError::new("query", format!("malformed query string: {e}")))?;
        let mut map = HashMap::new();
        for (key, value) in pairs {
            if key.starts_with('_') {
                continue;
            }
            if !known.contains(&key.as_str()) {
                return Err(FieldError::new(
                    key.clone(),
                    format!("unknown parameter '{key}' (known: {})", known.join(", ")),
                )
                .into());
            }
            if map.insert(key.clone(), value).is_some() {
                return Err(FieldError::new(key, "given more than once").into());
            }
        }
        Ok(Self(map))
    }

    /// Removes and returns a parameter.
    pub(super) fn take(&mut self, key: &str) -> Option<String> {
        self.0.remove(key)
    }
}

const GET_PARAMS: &[&str] = &[
    "origin",
    "destination",
    "departure",
    "return",
    "adults",
    "children",
    "infants",
    "cabin",
    "max_stops",
    "currency",
    "sort",
    "carriers",
    "max_price",
    "depart_after",
    "depart_before",
    "limit",
];

fn parse_query_string(raw: Option<&str>, app: &App) -> Result<SearchQuery, ApiError> {
    let mut p = QueryParams::parse(raw, GET_PARAMS)?;
    let mut required = |name: &str| {
        p.take(name)
            .ok_or_else(|| FieldError::new(name, "is required"))
    };
    let origin = required("origin")?;
    let destination = required("destination")?;
    let departure = required("departure")?;
    // Leg errors come back as `legs[i].x`; name them as this client sent them.
    let rename = |e: FieldError| {
        let field = match e.field.as_str() {
            "legs[0].origin" | "legs[1].destination" => "origin",
            "legs[0].destination" | "legs[1].origin" => "destination",
            "legs[0].date" => "departure",
            "legs[1].date" => "return",
            _ => return e,
        };
        e.renamed(field)
    };
    let mut legs = vec![Leg::parse("legs[0]", &origin, &destination, &departure).map_err(rename)?];
    if let Some(back) = p.take("return") {
        legs.push(Leg::parse("legs[1]", &destination, &origin, &back).map_err(rename)?);
    }
    let count = |p: &mut QueryParams, name: &str, default: u32| {
        p.take(name)
            .map_or(Ok(default), |t| parse_count(name, &t, 0, 99))
    };
    let passengers = Passengers::new(
        count(&mut p, "adults", 1)?,
        count(&mut p, "children", 0)?,
        count(&mut p, "infants", 0)?,
    )?;
    let raw = RawOptions {
        cabin: p.take("cabin"),
        max_stops: p
            .take("max_stops")
            .map(|t| parse_count("max_stops", &t, 0, 3))
            .transpose()?,
        currency: p.take("currency"),
        sort: p.take("sort"),
        carriers: p
            .take("carriers")
            .map(|t| t.split(',').map(str::to_owned).collect()),
        max_price: p.take("max_price"),
        depart_after: p.take("depart_after"),
        depart_before: p.take("depart_before"),
        limit: p
            .take("limit")
            .map(|t| parse_count("limit", &t, 1, SearchOptions::MAX_LIMIT as u32))
            .transpose()?,
    };
    let options = raw.into_options(passengers, "")?;
    SearchQuery::new(legs, options, (app.clock)()).map_err(|e| rename(e).into())
}

/// Parses a whole number in `min..=max`.
pub(super) fn parse_count(field: &str, text: &str, min: u32, max: u32) -> Result<u32, FieldError> {
    let n: u32 = text
        .trim()
        .parse()
        .map_err(|_| FieldError::new(field, format!("expected a whole number, got '{text}'")))?;
    if (min..=max).contains(&n) {
        Ok(n)
    } else {
        Err(FieldError::new(
            field,
            format!("must be between {min} and {max}, got {n}"),
        ))
    }
}

/// The options both request shapes share, still as sent.
struct RawOptions {
    cabin: Option<String>,
    max_stops: Option<u32>,
    currency: Option<String>,
    sort: Option<String>,
    carriers: Option<Vec<String>>,
    max_price: Option<String>,
    depart_after: Option<String>,
    depart_before: Option<String>,
    limit: Option<u32>,
}

impl RawOptions {
    /// `filters` is the prefix of filter fields (`""` for GET, `"filters."` for POST).
    fn into_options(
        self,
        passengers: Passengers,
        filters: &str,
    ) -> Result<SearchOptions, FieldError> {
        let f = |name: &str| format!("{filters}{name}");
        let time = |name: &str, text: Option<String>| {
            text.map(|t| {
                NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| {
                    FieldError::new(f(name), format!("expected a time as HH:MM, got '{t}'"))
                })
            })
            .transpose()
        };
        let carriers = self
            .carriers
            .unwrap_or_default()
            .iter()
            .filter(|c| !c.trim().is_empty())
            .map(|c| CarrierCode::parse(c).map_err(|reason| FieldError::new(f("carriers"), reason)))
            .collect::<Result<Vec<_>, _>>()?;
        let max_price = self
            .max_price
            .map(|t| match t.trim().parse::<Decimal>() {
                Ok(d) if d > Decimal::ZERO => Ok(d),
                _ => Err(FieldError::new(
                    f("max_price"),
                    format!("expected a positive amount, got '{t}'"),
                )),
            })
            .transpose()?;
        let depart_after = time("depart_after", self.depart_after)?;
        let depart_before = time("depart_before", self.depart_before)?;
        if let (Some(a), Some(b)) = (depart_after, depart_before)
            && a > b
        {
            return Err(FieldError::new(
                f("depart_before"),
                format!("{b} is earlier than depart_after {a}"),
            ));
        }
        let cabin = self
            .cabin
            .as_deref()
            .map(Cabin::parse)
            .transpose()
            .map_err(|r| FieldError::new("cabin", r))?;
        let currency = self
            .currency
            .as_deref()
            .map(Currency::parse)
            .transpose()
            .map_err(|r| FieldError::new("currency", r))?;
        let sort = self
            .sort
            .as_deref()
            .map(Sort::parse)
            .transpose()
            .map_err(|r| FieldError::new("sort", r))?;
        let defaults = SearchOptions::default();
        Ok(SearchOptions {
            passengers,
            cabin: cabin.unwrap_or(defaults.cabin),
            max_stops: self.max_stops.map(|n| n as u8),
            currency: currency.unwrap_or(defaults.currency),
            sort: sort.unwrap_or(defaults.sort),
            filters: Filters {
                carriers,
                max_price,
                depart_after,
                depart_before,
            },
            limit: self.limit.map_or(defaults.limit, |n| n as usize),
        })
    }
}

/// Parses a JSON body, naming the path of a bad value.
pub(super) fn parse_json<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::MalformedJson {
            field: None,
            message: "request body is empty; expected a JSON object".to_owned(),
        });
    }
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let field = (path != "." && !inner.is_syntax() && !inner.is_eof()).then_some(path);
        ApiError::MalformedJson {
            field,
            message: format!("invalid JSON: {inner}"),
        }
    })
}

/// `POST /search` body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SearchBody {
    legs: Vec<LegBody>,
    #[serde(default)]
    passengers: PassengersBody,
    cabin: Option<String>,
    max_stops: Option<u32>,
    currency: Option<String>,
    sort: Option<String>,
    #[serde(default)]
    filters: FiltersBody,
    limit: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LegBody {
    origin: String,
    destination: String,
    date: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PassengersBody {
    #[serde(default = "one")]
    adults: u32,
    #[serde(default)]
    children: u32,
    #[serde(default)]
    infants: u32,
}

fn one() -> u32 {
    1
}

impl Default for PassengersBody {
    fn default() -> Self {
        Self {
            adults: 1,
            children: 0,
            infants: 0,
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FiltersBody {
    #[serde(default)]
    carriers: Vec<String>,
    max_price: Option<Amount>,
    depart_after: Option<String>,
    depart_before: Option<String>,
}

/// An amount sent as a JSON number or a string; kept as its decimal text.
#[derive(Deserialize)]
#[serde(untagged)]
enum Amount {
    Number(serde_json::Number),
    Text(String),
}

impl SearchBody {
    fn into_query(self, app: &App) -> Result<SearchQuery, FieldError> {
        if self.legs.len() > MAX_LEGS {
            return Err(FieldError::new(
                "legs",
                format!("at most {MAX_LEGS} legs, got {}", self.legs.len()),
            ));
        }
        let legs = self
            .legs
            .iter()
            .enumerate()
            .map(|(i, l)| Leg::parse(&format!("legs[{i}]"), &l.origin, &l.destination, &l.date))
            .collect::<Result<Vec<_>, _>>()?;
        let pax = &self.passengers;
        let passengers = Passengers::new(pax.adults, pax.children, pax.infants).map_err(|e| {
            let field = format!("passengers.{}", e.field);
            e.renamed(field)
        })?;
        if let Some(n) = self.max_stops.filter(|n| *n > 3) {
            return Err(FieldError::new(
                "max_stops",
                format!("must be between 0 and 3, got {n}"),
            ));
        }
        if let Some(n) = self
            .limit
            .filter(|n| *n == 0 || *n as usize > SearchOptions::MAX_LIMIT)
        {
            return Err(FieldError::new(
                "limit",
                format!(
                    "must be between 1 and {}, got {n}",
                    SearchOptions::MAX_LIMIT
                ),
            ));
        }
        let raw = RawOptions {
            cabin: self.cabin,
            max_stops: self.max_stops,
            currency: self.currency,
            sort: self.sort,
            carriers: Some(self.filters.carriers),
            max_price: self.filters.max_price.map(|a| match a {
                Amount::Number(n) => n.to_string(),
                Amount::Text(t) => t,
            }),
            depart_after: self.filters.depart_after,
            depart_before: self.filters.depart_before,
            limit: self.limit,
        };
        let options = raw.into_options(passengers, "filters.")?;
        SearchQuery::new(legs, options, (app.clock)())
    }
}
