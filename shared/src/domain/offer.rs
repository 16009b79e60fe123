use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Cabin, CarrierCode, IataCode, Money};

/// One flight: a single take-off and landing under one flight number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    /// Marketing airline: the one whose flight number is sold.
    pub carrier: CarrierCode,
    /// Airline name, for display.
    pub carrier_name: String,
    /// The airline flying the aircraft, when it is not the marketing one
    /// (a codeshare).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operating_carrier: Option<CarrierCode>,
    /// Flight number with the designator (`TP86`).
    pub flight_number: String,
    /// Departure airport.
    pub origin: IataCode,
    /// Arrival airport.
    pub destination: IataCode,
    /// Departure, wall-clock time at the origin.
    pub departure_local: NaiveDateTime,
    /// Departure instant.
    pub departure_utc: DateTime<Utc>,
    /// Arrival, wall-clock time at the destination.
    pub arrival_local: NaiveDateTime,
    /// Arrival instant.
    pub arrival_utc: DateTime<Utc>,
    /// Time in the air and taxiing.
    pub duration_minutes: u32,
}

/// One direction of a trip: the segments from a leg's origin to its destination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slice {
    /// First departure airport.
    pub origin: IataCode,
    /// Last arrival airport.
    pub destination: IataCode,
    /// Departure of the first segment, local time.
    pub departure_local: NaiveDateTime,
    /// Arrival of the last segment, local time.
    pub arrival_local: NaiveDateTime,
    /// From first departure to last arrival, connections included.
    pub duration_minutes: u32,
    /// Connections (segments minus one).
    pub stops: u8,
    /// The flights, in order.
    pub segments: Vec<Segment>,
}

impl Slice {
    /// Builds a slice from its segments, deriving the ends, duration and stops.
    ///
    /// Returns `None` for an empty list.
    pub fn from_segments(segments: Vec<Segment>) -> Option<Self> {
        let first = segments.first()?;
        let last = segments.last()?;
        let minutes = (last.arrival_utc - first.departure_utc)
            .num_minutes()
            .max(0);
        Some(Self {
            origin: first.origin,
            destination: last.destination,
            departure_local: first.departure_local,
            arrival_local: last.arrival_local,
            duration_minutes: u32::try_from(minutes).unwrap_or(u32::MAX),
            stops: u8::try_from(segments.len() - 1).unwrap_or(u8::MAX),
            segments,
        })
    }
}

/// Baggage included in the fare, when the provider says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bags {
    /// Cabin bags per passenger.
    pub carry_on: u8,
    /// Checked bags per passenger.
    pub checked: u8,
}

/// A priced itinerary a traveller can book: every slice of the trip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    /// Provider-scoped identifier.
    pub id: String,
    /// Which provider sold it (`demo`, `duffel`, ...).
    pub provider: String,
    /// One slice per leg of the query, in order.
    pub slices: Vec<Slice>,
    /// Cabin of the fare.
    pub cabin: Cabin,
    /// The airline's name for the fare (`Economy Light`), when known.
    pub fare_brand: Option<String>,
    /// Included baggage, when known.
    pub bags: Option<Bags>,
    /// Total for every passenger, taxes included.
    pub price: Money,
    /// When the provider stops honouring the price.
    pub expires_at: DateTime<Utc>,
    /// Whether `price` is live (bookable now) or a cached price seen earlier.
    #[serde(default, skip_serializing_if = "PriceKind::is_live")]
    pub price_kind: PriceKind,
    /// For a cached price: when it was last seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found_at: Option<DateTime<Utc>>,
    /// Where the traveller books it, when the provider sells through a link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking_url: Option<String>,
    /// The provider's own price, when `price` was converted from another currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub converted_from: Option<Money>,
    /// Other providers selling the same flights (dearer or equal), after merging.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_sellers: Vec<Seller>,
}

/// Whether a price can be booked as shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceKind {
    /// Quoted by the provider for this search; bookable until `expires_at`.
    #[default]
    Live,
    /// A price another traveller found earlier (`found_at`); indicative only.
    Cached,
}

impl PriceKind {
    /// True for a live price.
    pub fn is_live(&self) -> bool {
        *self == Self::Live
    }
}

/// Another provider's offer for the same flights, kept when offers are merged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seller {
    /// The provider's name.
    pub provider: String,
    /// Its offer id, for booking.
    pub id: String,
    /// Its price, in the traveller's currency.
    pub price: Money,
}

impl Offer {
    /// Sum of the slices' durations.
    pub fn total_minutes(&self) -> u32 {
        self.slices.iter().map(|s| s.duration_minutes).sum()
    }

    /// Most stops in any slice.
    pub fn max_stops(&self) -> u8 {
        self.slices.iter().map(|s| s.stops).max().unwrap_or(0)
    }

    /// The carriers that fly any segment, in order of appearance.
    pub fn carriers(&self) -> Vec<CarrierCode> {
        let mut out: Vec<CarrierCode> = Vec::new();
        for seg in self.slices.iter().flat_map(|s| &s.segments) {
            if !out.contains(&seg.carrier) {
                out.push(seg.carrier);
            }
        }
        out
    }

    /// What makes two offers the same trip: the flights and their departures.
    /// Two providers selling the same flights share this key.
    pub fn itinerary_key(&self) -> String {
        let mut key = String::new();
        for seg in self.slices.iter().flat_map(|s| &s.segments) {
            key.push_str(&seg.flight_number);
            key.push('@');
            key.push_str(&seg.departure_utc.timestamp().to_string());
            key.push(';');
        }
        key.push_str(self.cabin.as_str());
        key
    }
}
