use std::collections::HashMap;

use crate::domain::{Bags, Cabin, CarrierCode, Currency, IataCode, Money, Offer, PriceKind};
use crate::domain::{Segment, Slice};
use crate::places::{Zone, airport};

use super::DuffelError;
use super::wire;

/// The name on every Duffel offer.
pub(super) const PROVIDER: &str = "duffel";

/// One page of Duffel offers in our shape.
#[derive(Debug)]
pub struct MappedOffers {
    /// The offers we could read, in Duffel's order (cheapest first).
    pub offers: Vec<Offer>,
    /// Offers left out: an unknown currency or airport, a broken time.
    pub skipped: usize,
}

/// Reads a `GET /air/offers` answer and maps each offer to ours, priced in
/// Duffel's currency (conversion happens once, across providers).
///
/// # Errors
/// [`DuffelError::Malformed`] when the body is not a page of offers; a single
/// unreadable offer is skipped and counted instead.
pub fn map_offers_page(body: &[u8], cabin: Cabin) -> Result<MappedOffers, DuffelError> {
    let page: wire::Envelope<Vec<wire::Offer>> = serde_json::from_slice(body)
        .map_err(|e| DuffelError::Malformed(format!("offers page: {e}")))?;
    let mut zones = Zones::default();
    let mut offers = Vec::with_capacity(page.data.len());
    let mut skipped = 0;
    for offer in page.data {
        match map_offer(offer, cabin, &mut zones) {
            Ok(mapped) => offers.push(mapped),
            Err(reason) => {
                tracing::debug!(provider.name = PROVIDER, reason = %reason, "offer skipped");
                skipped += 1;
            }
        }
    }
    Ok(MappedOffers { offers, skipped })
}

fn map_offer(offer: wire::Offer, cabin: Cabin, zones: &mut Zones) -> Result<Offer, String> {
    let currency = Currency::parse(&offer.total_currency).map_err(|e| e.reason)?;
    let mut slices = Vec::with_capacity(offer.slices.len());
    for slice in &offer.slices {
        let segments = slice
            .segments
            .iter()
            .map(|s| map_segment(s, zones))
            .collect::<Result<Vec<_>, _>>()?;
        slices.push(Slice::from_segments(segments).ok_or("a slice without segments")?);
    }
    let fare_brand = offer.slices.iter().find_map(|s| s.fare_brand_name.clone());
    Ok(Offer {
        bags: included_bags(&offer.slices),
        id: offer.id,
        provider: PROVIDER.to_owned(),
        slices,
        cabin,
        fare_brand,
        price: Money::new(offer.total_amount, currency),
        expires_at: offer.expires_at,
        price_kind: PriceKind::Live,
        found_at: None,
        booking_url: None,
        converted_from: None,
        other_sellers: Vec::new(),
    })
}

fn map_segment(s: &wire::Segment, zones: &mut Zones) -> Result<Segment, String> {
    let origin = IataCode::parse(&s.origin.iata_code).map_err(|e| e.reason)?;
    let destination = IataCode::parse(&s.destination.iata_code).map_err(|e| e.reason)?;
    let departure_utc = zones
        .of(origin, s.origin.time_zone.as_deref())
        .to_utc(s.departing_at)
        .ok_or("departure time out of range")?;
    let arrival_utc = zones
        .of(destination, s.destination.time_zone.as_deref())
        .to_utc(s.arriving_at)
        .ok_or("arrival time out of range")?;
    let code = s
        .marketing_carrier
        .iata_code
        .as_deref()
        .ok_or("a marketing carrier without an IATA code")?;
    let carrier = CarrierCode::parse(code).map_err(|e| e.reason)?;
    let operating_carrier = s
        .operating_carrier
        .as_ref()
        .and_then(|c| c.iata_code.as_deref())
        .and_then(|c| CarrierCode::parse(c).ok())
        .filter(|c| *c != carrier);
    let minutes = s
        .duration
        .as_deref()
        .and_then(iso_minutes)
        .unwrap_or_else(|| u32::try_from((arrival_utc - departure_utc).num_minutes()).unwrap_or(0));
    Ok(Segment {
        carrier,
        carrier_name: s.marketing_carrier.name.clone(),
        operating_carrier,
        flight_number: format!("{code}{}", s.marketing_carrier_flight_number),
        origin,
        destination,
        departure_local: s.departing_at,
        departure_utc,
        arrival_local: s.arriving_at,
        arrival_utc,
        duration_minutes: minutes,
    })
}

/// What every segment includes for the first passenger (an adult: Duffel
/// lists adults first), the least of each kind across the trip; `None` when
/// Duffel says nothing about bags.
fn included_bags(slices: &[wire::Slice]) -> Option<Bags> {
    let mut bags: Option<Bags> = None;
    for passenger in slices
        .iter()
        .flat_map(|s| &s.segments)
        .filter_map(|s| s.passengers.first())
    {
        let count = |kind: &str| -> u8 {
            passenger
                .baggages
                .iter()
                .filter(|b| b.kind == kind)
                .map(|b| b.quantity)
                .sum()
        };
        let here = Bags {
            carry_on: count("carry_on"),
            checked: count("checked"),
        };
        bags = Some(match bags {
            None => here,
            Some(b) => Bags {
                carry_on: b.carry_on.min(here.carry_on),
                checked: b.checked.min(here.checked),
            },
        });
    }
    bags
}

/// Minutes in an ISO 8601 duration of days, hours and minutes (`PT11H35M`,
/// `P1DT2H`); `None` for anything else.
pub(super) fn iso_minutes(text: &str) -> Option<u32> {
    let rest = text.strip_prefix('P')?;
    let (days, time) = match rest.split_once('T') {
        Some((days, time)) => (days, time),
        None => (rest, ""),
    };
    let mut minutes = 0u32;
    if !days.is_empty() {
        minutes += days.strip_suffix('D')?.parse::<u32>().ok()? * 24 * 60;
    }
    let mut number = String::new();
    for c in time.chars() {
        match c {
            '0'..='9' => number.push(c),
            'H' | 'M' | 'S' => {
                let n: u32 = number.parse().ok()?;
                number.clear();
                minutes += match c {
                    'H' => n * 60,
                    'M' => n,
                    _ => 0,
                };
            }
            _ => return None,
        }
    }
    number.is_empty().then_some(minutes)
}

/// Time zones by airport, looked up once per page: our airport table first,
/// then the zone Duffel names, else UTC.
#[derive(Default)]
struct Zones(HashMap<IataCode, Zone>);

impl Zones {
    fn of(&mut self, code: IataCode, theirs: Option<&str>) -> &Zone {
        self.0.entry(code).or_insert_with(|| {
            let name = airport(code).map(|a| a.tz()).or(theirs).unwrap_or("UTC");
            Zone::named(name)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_durations_read_days_hours_and_minutes() {
        assert_eq!(iso_minutes("PT11H35M"), Some(695));
        assert_eq!(iso_minutes("PT02H26M"), Some(146));
        assert_eq!(iso_minutes("P1DT2H"), Some(1560));
        assert_eq!(iso_minutes("PT45M"), Some(45));
        assert_eq!(iso_minutes("11:35"), None);
        assert_eq!(iso_minutes("PT11"), None);
    }
}
