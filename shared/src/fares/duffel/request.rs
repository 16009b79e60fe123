use chrono::NaiveDate;
use serde::Serialize;

use crate::search::SearchQuery;

/// The age sent for every child. Our query counts children (2–11) without
/// their ages, and Duffel wants an age for anyone who is not an adult: 8 sits
/// in the middle of the band, and airlines price the whole band alike.
pub const CHILD_AGE: u8 = 8;

/// Connections asked for when the traveller sets no limit: Duffel's own
/// default. Two-connection itineraries are rarely wanted and slow the
/// airlines' answers.
const DEFAULT_MAX_CONNECTIONS: u8 = 1;

/// Duffel accepts at most two connections per slice.
const MAX_CONNECTIONS: u8 = 2;

/// `POST /air/offer_requests` body.
#[derive(Debug, Serialize)]
pub(super) struct OfferRequestBody {
    data: OfferRequest,
}

#[derive(Debug, Serialize)]
struct OfferRequest {
    slices: Vec<SliceRequest>,
    passengers: Vec<PassengerRequest>,
    cabin_class: &'static str,
    max_connections: u8,
}

#[derive(Debug, Serialize)]
struct SliceRequest {
    /// An airport or, for a metropolitan area (SAO), the IATA city code:
    /// Duffel accepts both and searches every airport of a city.
    origin: String,
    destination: String,
    departure_date: NaiveDate,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
enum PassengerRequest {
    Typed {
        #[serde(rename = "type")]
        kind: &'static str,
    },
    Aged {
        age: u8,
    },
}

impl OfferRequestBody {
    /// The offer request for `query`: one slice per leg, one passenger per
    /// traveller (adults by type, children by [`CHILD_AGE`], lap infants as
    /// `infant_without_seat`), the cabin and the connection limit.
    pub(super) fn for_query(query: &SearchQuery) -> Self {
        let options = query.options();
        let p = &options.passengers;
        let mut passengers =
            Vec::with_capacity(usize::from(p.adults() + p.children() + p.infants()));
        passengers.extend((0..p.adults()).map(|_| PassengerRequest::Typed { kind: "adult" }));
        passengers.extend((0..p.children()).map(|_| PassengerRequest::Aged { age: CHILD_AGE }));
        passengers.extend((0..p.infants()).map(|_| PassengerRequest::Typed {
            kind: "infant_without_seat",
        }));
        Self {
            data: OfferRequest {
                slices: query
                    .legs()
                    .iter()
                    .map(|leg| SliceRequest {
                        origin: leg.origin.code().to_string(),
                        destination: leg.destination.code().to_string(),
                        departure_date: leg.date,
                    })
                    .collect(),
                passengers,
                cabin_class: options.cabin.as_str(),
                max_connections: options
                    .max_stops
                    .unwrap_or(DEFAULT_MAX_CONNECTIONS)
                    .min(MAX_CONNECTIONS),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Cabin, Passengers};
    use crate::search::{Leg, SearchOptions};
    use chrono::{TimeZone, Utc};

    #[test]
    fn the_body_names_every_traveller_the_cabin_and_the_city_codes() {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap();
        let out = Leg::parse("legs[0]", "SAO", "LIS", "2027-03-10").unwrap();
        let back = Leg::parse("legs[1]", "LIS", "SAO", "2027-03-20").unwrap();
        let options = SearchOptions {
            passengers: Passengers::new(2, 1, 1).unwrap(),
            cabin: Cabin::PremiumEconomy,
            max_stops: Some(0),
            ..SearchOptions::default()
        };
        let query = SearchQuery::new(vec![out, back], options, now).unwrap();
        let body = serde_json::to_value(OfferRequestBody::for_query(&query)).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"data": {
                "slices": [
                    {"origin": "SAO", "destination": "LIS", "departure_date": "2027-03-10"},
                    {"origin": "LIS", "destination": "SAO", "departure_date": "2027-03-20"}
                ],
                "passengers": [
                    {"type": "adult"}, {"type": "adult"}, {"age": 8}, {"type": "infant_without_seat"}
                ],
                "cabin_class": "premium_economy",
                "max_connections": 0
            }})
        );
    }
}
