//! The Data API's documented answers, as read: the `{success, data, error,
//! currency}` envelope, an entry of `/aviasales/v3/prices_for_dates` and an
//! entry of `/v2/prices/month-matrix`.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize};

/// A successful answer: `data` holds the entries.
#[derive(Debug, Deserialize)]
pub(super) struct Envelope<T> {
    /// `false` on a refused request (then `data` is `null` or `{}`).
    pub success: bool,
    /// The entries.
    pub data: Vec<T>,
    /// Currency of every price (`brl`); `prices_for_dates` says it here, the
    /// month matrix does not (it answers in the currency asked).
    #[serde(default)]
    pub currency: Option<String>,
}

/// A refused answer, read when [`Envelope`] does not fit.
#[derive(Debug, Deserialize)]
pub(super) struct Failure {
    /// Why, in the provider's words.
    #[serde(default)]
    pub error: Option<String>,
}

/// One cached price from `prices_for_dates`: the cheapest itinerary some
/// traveller found for these dates, with the first outbound flight only.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PriceEntry {
    /// City (or airport) code asked for.
    pub origin: String,
    /// City (or airport) code asked for.
    pub destination: String,
    /// Departure airport of the outbound slice.
    #[serde(default)]
    pub origin_airport: Option<String>,
    /// Arrival airport of the outbound slice.
    #[serde(default)]
    pub destination_airport: Option<String>,
    /// Price for one adult, in the envelope's currency.
    pub price: f64,
    /// Validating airline (IATA designator).
    pub airline: String,
    /// Number of the first outbound flight (a string or a number on the wire).
    #[serde(deserialize_with = "text_or_number")]
    pub flight_number: String,
    /// Outbound departure, local time with its offset.
    pub departure_at: DateTime<FixedOffset>,
    /// Return departure, local time with its offset; empty for one way.
    #[serde(default, deserialize_with = "optional_time")]
    pub return_at: Option<DateTime<FixedOffset>>,
    /// Connections on the way out.
    #[serde(default)]
    pub transfers: u8,
    /// Connections on the way back.
    #[serde(default)]
    pub return_transfers: u8,
    /// Whole trip, in minutes.
    #[serde(default)]
    pub duration: u32,
    /// Outbound slice, in minutes.
    #[serde(default)]
    pub duration_to: u32,
    /// Return slice, in minutes.
    #[serde(default)]
    pub duration_back: u32,
    /// Path of the itinerary on the Aviasales site (`/search/...`).
    pub link: String,
    /// When the price was found. Not among the fields documented for
    /// `prices_for_dates`; read when an answer carries it.
    #[serde(default, deserialize_with = "optional_time")]
    pub found_at: Option<DateTime<FixedOffset>>,
}

/// One day of `/v2/prices/month-matrix`: the cheapest price found for
/// departing that day with `number_of_changes` connections.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MatrixEntry {
    /// City code asked for.
    pub origin: String,
    /// City code asked for.
    pub destination: String,
    /// Departure day.
    pub depart_date: NaiveDate,
    /// Return day; empty for one way.
    #[serde(default, deserialize_with = "optional_date")]
    pub return_date: Option<NaiveDate>,
    /// Connections.
    #[serde(default)]
    pub number_of_changes: u8,
    /// Price for one adult, in the currency asked.
    pub value: f64,
    /// When the price was found.
    #[serde(default, deserialize_with = "optional_time")]
    pub found_at: Option<DateTime<FixedOffset>>,
    /// Whether the provider still considers the price current.
    #[serde(default)]
    pub actual: Option<bool>,
}

fn text_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Text(String),
        Number(u64),
    }
    Ok(match Either::deserialize(d)? {
        Either::Text(t) => t,
        Either::Number(n) => n.to_string(),
    })
}

fn optional_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.filter(|t| !t.trim().is_empty()))
}

fn optional_time<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
    optional_text(d)?
        .map(|t| DateTime::parse_from_rfc3339(&t).map_err(serde::de::Error::custom))
        .transpose()
}

fn optional_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    optional_text(d)?
        .map(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").map_err(serde::de::Error::custom))
        .transpose()
}
