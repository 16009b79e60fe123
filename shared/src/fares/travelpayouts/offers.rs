//! Cached prices as indicative offers. An entry of `prices_for_dates` says
//! the price, the validating airline, the first outbound flight, when each
//! slice leaves, how long it takes and how many connections it makes; it
//! does not list the connecting flights, the return flight's number, the
//! fare brand or the bags. So each slice is one segment from its first
//! departure to its last arrival, `stops` comes from `transfers`, and
//! whatever is unknown stays unknown:
//! - the return flight's number is empty;
//! - the return slice flies between the outbound's airports the other way
//!   (the entry names no return airports);
//! - `fare_brand` and `bags` are `None`;
//! - `price_kind` is `cached`, `found_at` is when it was seen (when the
//!   answer says), and `expires_at` is the moment of the search: nobody
//!   holds a cached price, so nothing may treat it as bookable as shown.

use chrono::{DateTime, Duration, FixedOffset, Utc};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use super::wire::PriceEntry;
use crate::domain::{Cabin, CarrierCode, Currency, IataCode, Money, Offer, PriceKind};
use crate::domain::{Segment, Slice};
use crate::fares::demo::carrier_name;
use crate::places::Place;

/// Where booking links point: the Aviasales site, where `link` is a path.
pub const BOOKING_SITE: &str = "https://www.aviasales.com";

/// What every offer of one answer shares.
#[derive(Debug, Clone)]
pub struct OfferContext<'a> {
    /// Travellers with a seat; the cached price is for one adult, and
    /// children are priced at the adult fare (an upper bound).
    pub seats: u8,
    /// Currency the prices came in (the search converts them into the
    /// traveller's with the configured rates).
    pub source: Currency,
    /// Partner marker appended to booking links.
    pub marker: Option<&'a str>,
    /// When the search ran.
    pub now: DateTime<Utc>,
}

/// The offer an entry stands for, or `None` when the entry lacks what an
/// offer needs (a known airline and airports, a slice duration).
pub fn to_offer(entry: &PriceEntry, ctx: &OfferContext<'_>) -> Option<Offer> {
    let carrier = CarrierCode::parse(&entry.airline).ok()?;
    let from = IataCode::parse(entry.origin_airport.as_deref().unwrap_or(&entry.origin)).ok()?;
    let to = IataCode::parse(
        entry
            .destination_airport
            .as_deref()
            .unwrap_or(&entry.destination),
    )
    .ok()?;
    let out = SliceFacts {
        carrier,
        flight_number: format!("{}{}", entry.airline, entry.flight_number),
        from,
        to,
        departure: entry.departure_at,
        minutes: positive(entry.duration_to).or(positive(entry.duration))?,
        stops: entry.transfers,
    };
    let mut slices = vec![out.slice()?];
    if let Some(back) = entry.return_at {
        let facts = SliceFacts {
            flight_number: String::new(),
            from: to,
            to: from,
            departure: back,
            minutes: positive(entry.duration_back)?,
            stops: entry.return_transfers,
            ..out
        };
        slices.push(facts.slice()?);
    }
    let per_adult = Decimal::try_from(entry.price).ok()?;
    let price = Money::new(per_adult * Decimal::from(ctx.seats), ctx.source);
    Some(Offer {
        id: offer_id(&entry.link),
        provider: super::NAME.to_owned(),
        slices,
        cabin: Cabin::Economy,
        fare_brand: None,
        bags: None,
        price,
        expires_at: ctx.now,
        price_kind: PriceKind::Cached,
        found_at: entry.found_at.map(|t| t.with_timezone(&Utc)),
        booking_url: Some(booking_url(&entry.link, ctx.marker)),
        converted_from: None,
        other_sellers: Vec::new(),
    })
}

/// `https://www.aviasales.com{link}`, with `marker={marker}` when configured.
pub fn booking_url(link: &str, marker: Option<&str>) -> String {
    let mut url = format!("{BOOKING_SITE}{link}");
    if let Some(marker) = marker {
        url.push(if link.contains('?') { '&' } else { '?' });
        url.push_str("marker=");
        url.push_str(marker);
    }
    url
}

fn positive(minutes: u32) -> Option<u32> {
    (minutes > 0).then_some(minutes)
}

/// A stable id from the link, which names the itinerary and its price.
fn offer_id(link: &str) -> String {
    let digest = Sha256::digest(link.as_bytes());
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("{}_{hex}", super::NAME)
}

/// What an entry says about one slice.
struct SliceFacts {
    carrier: CarrierCode,
    flight_number: String,
    from: IataCode,
    to: IataCode,
    departure: DateTime<FixedOffset>,
    minutes: u32,
    stops: u8,
}

impl SliceFacts {
    /// One segment from first departure to last arrival, the arrival's
    /// local time at the destination airport.
    fn slice(&self) -> Option<Slice> {
        let departure_utc = self.departure.with_timezone(&Utc);
        let arrival_utc = departure_utc + Duration::minutes(i64::from(self.minutes));
        let arrival_local = Place::by_code(self.to)?.time_zone().to_local(arrival_utc);
        let segment = Segment {
            carrier: self.carrier,
            // The Data API names one airline per entry: the seller.
            operating_carrier: None,
            carrier_name: carrier_name(self.carrier.as_str())
                .unwrap_or(self.carrier.as_str())
                .to_owned(),
            flight_number: self.flight_number.clone(),
            origin: self.from,
            destination: self.to,
            departure_local: self.departure.naive_local(),
            departure_utc,
            arrival_local,
            arrival_utc,
            duration_minutes: self.minutes,
        };
        Some(Slice {
            origin: self.from,
            destination: self.to,
            departure_local: segment.departure_local,
            arrival_local,
            duration_minutes: self.minutes,
            stops: self.stops,
            segments: vec![segment],
        })
    }
}
