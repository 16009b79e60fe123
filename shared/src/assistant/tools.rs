//! The assistant's tools: what the model is told about `search_flights`,
//! how its arguments become a search (through the one search parser), and
//! the typed records a turn keeps of every tool it ran.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::model::{ToolCall, ToolSpec};
use super::watch_tool::WatchSummary;
use crate::domain::{FieldError, JsonText, Offer};
use crate::fares::{FlexibleSummary, SearchResults, Warning};
use crate::search::{RawSearch, SearchQuery, Surface};

/// The flight-search tool's name.
pub const SEARCH_FLIGHTS: &str = "search_flights";

/// Offers kept with a turn (the tool result) and returned to the client:
/// enough to compare, few enough to keep the model's context small.
pub const OFFERS_PER_SEARCH: usize = 5;

/// A search the assistant ran during a turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchRecord {
    /// The search, as parsed.
    pub query: SearchQuery,
    /// The best offers, in the query's order.
    pub offers: Vec<Offer>,
    /// Providers that failed or were late, and filters that left nothing.
    pub warnings: Vec<Warning>,
    /// How many offers matched in all.
    #[serde(default)]
    pub count: usize,
    /// For a flexible-date or several-origin search: the cheapest days
    /// with their prices and sources, and the origins searched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flexible: Option<Box<FlexibleSummary>>,
}

impl SearchRecord {
    /// The record of `query`'s results, keeping the first [`OFFERS_PER_SEARCH`].
    pub fn new(query: SearchQuery, results: &SearchResults) -> Self {
        Self {
            query,
            offers: results
                .offers
                .iter()
                .take(OFFERS_PER_SEARCH)
                .cloned()
                .collect(),
            warnings: results.warnings.clone(),
            count: results.offers.len(),
            flexible: results.flexible.clone().map(Box::new),
        }
    }
}

/// What one tool call produced, as stored with the turn and shown to the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ToolResult {
    /// A search that ran.
    Search {
        /// The call this answers.
        call_id: String,
        /// The search and its offers.
        #[serde(flatten)]
        record: SearchRecord,
    },
    /// A watch the `watch_route` tool created.
    WatchCreated {
        /// The call this answers.
        call_id: String,
        /// What it watches.
        created: WatchSummary,
    },
    /// The traveller's watches, as `watch_route` listed them.
    Watches {
        /// The call this answers.
        call_id: String,
        /// Newest first.
        watches: Vec<WatchSummary>,
    },
    /// A call that could not run: the model reads why and may correct itself.
    Failed {
        /// The call this answers.
        call_id: String,
        /// The argument at fault, as the tool names it.
        #[serde(skip_serializing_if = "Option::is_none")]
        field: Option<String>,
        /// Why, for the model.
        error: String,
    },
}

impl ToolResult {
    /// The search, when the call ran one.
    pub fn search(&self) -> Option<&SearchRecord> {
        match self {
            Self::Search { record, .. } => Some(record),
            _ => None,
        }
    }

    /// The search, owned, when the call ran one.
    pub fn into_search(self) -> Option<SearchRecord> {
        match self {
            Self::Search { record, .. } => Some(record),
            _ => None,
        }
    }

    /// The JSON kept in the store and sent to the model, serialised once.
    pub fn to_json(&self) -> JsonText {
        // Its maps are structs and string-keyed: serialising cannot fail.
        JsonText::of(self).unwrap_or_else(|_| JsonText::from(&Value::Null))
    }
}

/// What the model is told about `search_flights`: every search option the
/// HTTP API has, named as [`Surface::Tool`] names them.
pub fn search_tool() -> ToolSpec {
    let text = |description: &str| json!({ "type": "string", "description": description });
    ToolSpec {
        name: SEARCH_FLIGHTS,
        description: "Search flight offers. Places are IATA airport or city codes or city names; dates are YYYY-MM-DD, local to the origin. For flexible dates (cheapest day of a month, any weekend, a range of days) give departure_from and departure_to instead of departure_date, and trip_days (or trip_days_min/max) for a round trip: the answer lists the cheapest days with their prices.",
        parameters: json!({
            "type": "object",
            "properties": {
                "origin": text("IATA code or city name"),
                "destination": text("IATA code or city name"),
                "departure_date": text("YYYY-MM-DD"),
                "return_date": text("YYYY-MM-DD, for a round trip"),
                "adults": { "type": "integer", "minimum": 1, "maximum": 9 },
                "children": { "type": "integer", "minimum": 0, "maximum": 8 },
                "infants": { "type": "integer", "minimum": 0, "maximum": 9 },
                "cabin": { "type": "string", "enum": ["economy", "premium_economy", "business", "first"] },
                "max_stops": { "type": "integer", "minimum": 0, "maximum": 3 },
                "currency": text("ISO 4217, default BRL"),
                "sort": { "type": "string", "enum": ["best", "cheapest", "fastest"] },
                "carriers": { "type": "array", "items": { "type": "string" }, "description": "two-letter airline codes; an offer with any of them passes" },
                "max_price": { "type": "number", "description": "highest total for the whole party" },
                "depart_after": text("HH:MM, local"),
                "depart_before": text("HH:MM, local"),
                "limit": { "type": "integer", "minimum": 1, "maximum": 100 },
                "departure_from": text("YYYY-MM-DD, first day of a flexible departure window"),
                "departure_to": text("YYYY-MM-DD, last day of the window (at most 62 days)"),
                "departure_days": { "type": "string", "enum": ["any", "weekend"], "description": "weekend: leave Friday or Saturday, back Sunday or Monday" },
                "trip_days": { "type": "integer", "minimum": 1, "maximum": 30, "description": "stay in days, for a flexible round trip" },
                "trip_days_min": { "type": "integer", "minimum": 1, "maximum": 30 },
                "trip_days_max": { "type": "integer", "minimum": 1, "maximum": 30 },
                "other_origins": { "type": "array", "items": { "type": "string" }, "description": "more places to leave from, searched too" },
                "origin_radius_km": { "type": "integer", "minimum": 1, "maximum": 300, "description": "also leave from airports this close to the origin" }
            },
            "required": ["origin", "destination"],
            "additionalProperties": false
        }),
    }
}

/// The search a model's `search_flights` arguments ask for, parsed with the
/// same rules as the HTTP API; errors name the tool's own argument.
///
/// # Errors
/// Malformed JSON (`arguments`), an unknown argument, or any bound the
/// search parser enforces.
pub fn search_query(arguments: &str, now: DateTime<Utc>) -> Result<SearchQuery, FieldError> {
    let raw = raw_search(arguments)?;
    raw.parse(now).map_err(|e| Surface::Tool.rename(e))
}

const ARGUMENTS: &[&str] = &[
    "origin",
    "destination",
    "departure_date",
    "return_date",
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
    "departure_from",
    "departure_to",
    "departure_days",
    "trip_days",
    "trip_days_min",
    "trip_days_max",
    "other_origins",
    "origin_radius_km",
];

fn raw_search(arguments: &str) -> Result<RawSearch, FieldError> {
    let args: Map<String, Value> = serde_json::from_str(arguments)
        .map_err(|e| FieldError::new("arguments", format!("expected a JSON object: {e}")))?;
    if let Some(unknown) = args.keys().find(|k| !ARGUMENTS.contains(&k.as_str())) {
        return Err(FieldError::new(
            unknown.clone(),
            format!("unknown argument '{unknown}'"),
        ));
    }
    let text = |k: &str| scalar(&args, k);
    let mut raw = RawSearch::trip(
        &text("origin")?.unwrap_or_default(),
        &text("destination")?.unwrap_or_default(),
        &text("departure_date")?.unwrap_or_default(),
        text("return_date")?.as_deref(),
    );
    raw.adults = text("adults")?;
    raw.children = text("children")?;
    raw.infants = text("infants")?;
    raw.cabin = text("cabin")?;
    raw.max_stops = text("max_stops")?;
    raw.currency = text("currency")?;
    raw.sort = text("sort")?;
    raw.carriers = codes(&args, "carriers")?;
    raw.max_price = text("max_price")?;
    raw.depart_after = text("depart_after")?;
    raw.depart_before = text("depart_before")?;
    raw.limit = text("limit")?;
    raw.departure_from = text("departure_from")?;
    raw.departure_to = text("departure_to")?;
    raw.departure_days = text("departure_days")?;
    raw.trip_days = text("trip_days")?;
    raw.trip_days_min = text("trip_days_min")?;
    raw.trip_days_max = text("trip_days_max")?;
    raw.other_origins = codes(&args, "other_origins")?;
    raw.origin_radius_km = text("origin_radius_km")?;
    Ok(raw)
}

/// A string or number argument as text; `null` counts as absent.
pub(super) fn scalar(args: &Map<String, Value>, key: &str) -> Result<Option<String>, FieldError> {
    match args.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(FieldError::new(
            key,
            format!("expected a string or a number, got {other}"),
        )),
    }
}

/// A list argument (`carriers`, `other_origins`): an array of strings or
/// one comma-separated string.
fn codes(args: &Map<String, Value>, key: &str) -> Result<Vec<String>, FieldError> {
    match args.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(s.split(',').map(str::to_owned).collect()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| FieldError::new(key, format!("expected codes, got {v}")))
            })
            .collect(),
        Some(other) => Err(FieldError::new(
            key,
            format!("expected a list of codes, got {other}"),
        )),
    }
}

/// The record of a call that could not run.
pub fn failed(call: &ToolCall, error: FieldError) -> ToolResult {
    ToolResult::Failed {
        call_id: call.id.clone(),
        field: Some(error.field.clone()),
        error: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
    }

    #[test]
    fn a_bad_argument_is_named_as_the_tool_names_it() {
        let err = search_query(
            r#"{"origin":"SAO","destination":"LIS","departure_date":"2027-03-10","return_date":"2027-03-01"}"#,
            now(),
        )
        .unwrap_err();
        assert_eq!(err.field, "return_date");
        let err = search_query(
            r#"{"origin":"SAO","destination":"LIS","departure_date":"2027-03-10","children":4294967295}"#,
            now(),
        )
        .unwrap_err();
        assert_eq!(err.field, "children");
        let err = search_query(
            r#"{"origin":"SAO","destination":"LIS","departure_date":"2027-03-10","max_stops":7}"#,
            now(),
        )
        .unwrap_err();
        assert_eq!(err.field, "max_stops", "never clamped");
        let err = search_query(
            r#"{"origin":"SAO","destination":"LIS","departure_date":"2027-03-10","max_price":-3}"#,
            now(),
        )
        .unwrap_err();
        assert_eq!(err.field, "max_price", "never dropped");
    }

    #[test]
    fn a_missing_or_unknown_argument_is_refused() {
        let err = search_query(r#"{"origin":"SAO","destination":"LIS"}"#, now()).unwrap_err();
        assert_eq!(err.field, "departure_date");
        let err = search_query(
            r#"{"origin":"SAO","destination":"LIS","departure_date":"2027-03-10","seats":2}"#,
            now(),
        )
        .unwrap_err();
        assert_eq!(err.field, "seats");
    }

    #[test]
    fn a_stored_search_result_reads_back_typed() {
        let query = search_query(
            r#"{"origin":"SAO","destination":"LIS","departure_date":"2027-03-10"}"#,
            now(),
        )
        .unwrap();
        let result = ToolResult::Search {
            call_id: "call_1".to_owned(),
            record: SearchRecord {
                query,
                offers: Vec::new(),
                warnings: Vec::new(),
                count: 0,
                flexible: None,
            },
        };
        let back: ToolResult = result.to_json().read().unwrap();
        assert_eq!(back, result);
        let failed: ToolResult =
            serde_json::from_value(json!({"call_id": "c", "error": "x"})).unwrap();
        assert!(failed.search().is_none());
    }
}
