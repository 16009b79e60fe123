//! Duffel's answers, as far as we read them. Unknown fields are ignored:
//! Duffel adds fields without a new API version.

use chrono::{DateTime, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;

/// Every Duffel answer wraps its payload in `data`.
#[derive(Debug, Deserialize)]
pub(super) struct Envelope<T> {
    pub data: T,
}

/// The created offer request: only its id is needed.
#[derive(Debug, Deserialize)]
pub(super) struct CreatedOfferRequest {
    pub id: String,
}

/// One offer from `GET /air/offers`.
#[derive(Debug, Deserialize)]
pub(super) struct Offer {
    pub id: String,
    /// Total for every passenger, taxes included, as a decimal string.
    pub total_amount: Decimal,
    pub total_currency: String,
    pub expires_at: DateTime<Utc>,
    pub slices: Vec<Slice>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Slice {
    #[serde(default)]
    pub fare_brand_name: Option<String>,
    pub segments: Vec<Segment>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Segment {
    pub origin: Place,
    pub destination: Place,
    /// Local time at the origin, without an offset.
    pub departing_at: NaiveDateTime,
    /// Local time at the destination, without an offset.
    pub arriving_at: NaiveDateTime,
    /// ISO 8601 (`PT11H35M`); sometimes null.
    #[serde(default)]
    pub duration: Option<String>,
    pub marketing_carrier: Carrier,
    pub marketing_carrier_flight_number: String,
    #[serde(default)]
    pub operating_carrier: Option<Carrier>,
    #[serde(default)]
    pub passengers: Vec<SegmentPassenger>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Place {
    pub iata_code: String,
    /// IANA zone, used when our airport table lacks the airport.
    #[serde(default)]
    pub time_zone: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Carrier {
    /// Null for the few carriers without an IATA code.
    #[serde(default)]
    pub iata_code: Option<String>,
    pub name: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct SegmentPassenger {
    #[serde(default)]
    pub baggages: Vec<Baggage>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Baggage {
    /// `checked` or `carry_on`.
    #[serde(rename = "type")]
    pub kind: String,
    pub quantity: u8,
}

/// Duffel's error body: `{"errors": [...], "meta": {...}}`.
#[derive(Debug, Default, Deserialize)]
pub(super) struct ErrorBody {
    #[serde(default)]
    pub errors: Vec<Error>,
}

#[derive(Debug, Deserialize)]
pub(super) struct Error {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub source: Option<ErrorSource>,
}

#[derive(Debug, Deserialize)]
pub(super) struct ErrorSource {
    #[serde(default)]
    pub field: Option<String>,
    #[serde(default)]
    pub pointer: Option<String>,
}
