//! The model's `watch_route` tool: follow the price of the route under
//! discussion (`action: create`), or list the traveller's watches
//! (`action: list`). Arguments go through the parser `POST /watches` uses,
//! so a bad one comes back to the model as a field error it can correct.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::Lang;
use super::model::ToolSpec;
use super::tools::scalar;
use crate::domain::{Currency, FieldError, WatchId};
use crate::search::{RawSearch, Surface};
use crate::watches::{NewWatch, RawWatch, Watch, WatchStatus, watch_language_code};

/// The watch tool's name.
pub const WATCH_ROUTE: &str = "watch_route";

/// What a `watch_route` call asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchCall {
    /// Follow this route.
    Create(Box<NewWatch>),
    /// The traveller's watches.
    List,
}

/// A watch as the model and the stored turn see it: what is watched, in
/// words, and its numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchSummary {
    /// Id.
    pub id: WatchId,
    /// Route and dates (`SAO → LIS, 2027-03-10`; `⇄` and the stay for a round trip).
    pub watching: String,
    /// Active, paused or closed.
    pub status: WatchStatus,
    /// Currency of the prices.
    pub currency: Currency,
    /// Notify under this.
    pub target_price: Option<Decimal>,
    /// Lowest price seen so far.
    pub lowest_price: Option<Decimal>,
}

impl From<&Watch> for WatchSummary {
    fn from(w: &Watch) -> Self {
        Self {
            id: w.id,
            watching: w.describe(),
            status: w.status,
            currency: w.query.options().currency,
            target_price: w.target_price,
            lowest_price: w.lowest_price,
        }
    }
}

/// What the model is told about `watch_route`.
pub fn watch_tool() -> ToolSpec {
    let text = |description: &str| json!({ "type": "string", "description": description });
    ToolSpec {
        name: WATCH_ROUTE,
        description: "Watch a flight's price and notify the traveller when it drops 10% under the lowest seen or under a target (action create), or list the traveller's watches (action list). For create, pass the route, dates, passengers and cabin of the search under discussion.",
        parameters: json!({
            "type": "object",
            "properties": {
                "action": { "type": "string", "enum": ["create", "list"] },
                "origin": text("IATA code or city name"),
                "destination": text("IATA code or city name"),
                "departure_date": text("YYYY-MM-DD, local to the origin"),
                "departure_to": text("YYYY-MM-DD: watch every departure up to this date (at most 30 days after departure_date)"),
                "return_date": text("YYYY-MM-DD, for a round trip; the stay is kept across a departure window"),
                "adults": { "type": "integer", "minimum": 1, "maximum": 9 },
                "children": { "type": "integer", "minimum": 0, "maximum": 8 },
                "infants": { "type": "integer", "minimum": 0, "maximum": 9 },
                "cabin": { "type": "string", "enum": ["economy", "premium_economy", "business", "first"] },
                "max_stops": { "type": "integer", "minimum": 0, "maximum": 3 },
                "currency": text("ISO 4217, default BRL"),
                "target_price": { "type": "number", "description": "notify when the total for the whole party falls under this" }
            },
            "required": ["action"],
            "additionalProperties": false
        }),
    }
}

const ARGUMENTS: &[&str] = &[
    "action",
    "origin",
    "destination",
    "departure_date",
    "departure_to",
    "return_date",
    "adults",
    "children",
    "infants",
    "cabin",
    "max_stops",
    "currency",
    "target_price",
];

/// What a model's `watch_route` arguments ask for, as of `now`; a created
/// watch notifies in `lang`, the conversation's language.
///
/// # Errors
/// Malformed JSON (`arguments`), an unknown argument or action, or any
/// check `POST /watches` makes, named as the tool names its arguments.
pub fn watch_call(
    arguments: &str,
    now: DateTime<Utc>,
    lang: Lang,
) -> Result<WatchCall, FieldError> {
    let args: Map<String, Value> = serde_json::from_str(arguments)
        .map_err(|e| FieldError::new("arguments", format!("expected a JSON object: {e}")))?;
    if let Some(unknown) = args.keys().find(|k| !ARGUMENTS.contains(&k.as_str())) {
        return Err(FieldError::new(
            unknown.clone(),
            format!("unknown argument '{unknown}'"),
        ));
    }
    let text = |k: &str| scalar(&args, k);
    match text("action")?.as_deref() {
        Some("list") => return Ok(WatchCall::List),
        Some("create") => {}
        Some(other) => {
            return Err(FieldError::new(
                "action",
                format!("expected create or list, got '{other}'"),
            ));
        }
        None => return Err(FieldError::new("action", "is required (create or list)")),
    }
    let mut search = RawSearch::trip(
        &text("origin")?.unwrap_or_default(),
        &text("destination")?.unwrap_or_default(),
        &text("departure_date")?.unwrap_or_default(),
        text("return_date")?.as_deref(),
    );
    search.adults = text("adults")?;
    search.children = text("children")?;
    search.infants = text("infants")?;
    search.cabin = text("cabin")?;
    search.max_stops = text("max_stops")?;
    search.currency = text("currency")?;
    let raw = RawWatch {
        search,
        departure_to: text("departure_to")?,
        target_price: text("target_price")?,
        language: Some(watch_language_code(lang).to_owned()),
    };
    // The watch parser names fields as `POST /watches` does; the model reads its own names.
    let new = raw.parse(now).map_err(|e| {
        let field = Surface::Tool.name(&Surface::Get.canonical(&e.field));
        e.renamed(field)
    })?;
    Ok(WatchCall::Create(Box::new(new)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
    }

    fn field(arguments: &str) -> String {
        watch_call(arguments, now(), Lang::Pt).unwrap_err().field
    }

    #[test]
    fn a_watch_call_creates_through_the_watch_parser_or_lists() {
        let call = watch_call(
            r#"{"action":"create","origin":"SAO","destination":"LIS","departure_date":"2027-03-10","return_date":"2027-03-17","adults":2,"target_price":3000}"#,
            now(),
            Lang::En,
        )
        .unwrap();
        let WatchCall::Create(new) = call else {
            panic!("{call:?}")
        };
        assert_eq!(new.query.legs().len(), 2, "a round trip");
        assert_eq!(new.query.options().passengers.adults(), 2);
        assert_eq!(new.target_price, Some(Decimal::from(3000)));
        assert_eq!(new.language, Lang::En);
        assert_eq!(
            watch_call(r#"{"action":"list"}"#, now(), Lang::Pt).unwrap(),
            WatchCall::List
        );
    }

    #[test]
    fn bad_watch_arguments_are_named_as_the_tool_names_them() {
        let trip = r#""origin":"SAO","destination":"LIS","departure_date":"2027-03-10""#;
        assert_eq!(
            field(&format!(
                r#"{{"action":"create",{trip},"target_price":-5}}"#
            )),
            "target_price"
        );
        assert_eq!(
            field(&format!(
                r#"{{"action":"create",{trip},"departure_to":"2027-05-01"}}"#
            )),
            "departure_to"
        );
        assert_eq!(
            field(&format!(
                r#"{{"action":"create",{trip},"return_date":"2027-03-01"}}"#
            )),
            "return_date"
        );
        assert_eq!(
            field(
                r#"{"action":"create","origin":"SAO","destination":"LIS","departure_date":"2026-11-01"}"#
            ),
            "departure_date"
        );
        assert_eq!(
            field(&format!(r#"{{"action":"create",{trip},"seats":2}}"#)),
            "seats"
        );
        assert_eq!(field(&format!(r#"{{"action":"pause",{trip}}}"#)), "action");
        assert_eq!(
            field(&format!(r#"{{"action":"create",{trip},"adults":0}}"#)),
            "adults"
        );
    }
}
