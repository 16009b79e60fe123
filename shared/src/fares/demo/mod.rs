//! The demo fare provider: offline, synthetic and deterministic, for real
//! airports. Schedules come from the network in [`network`], prices from the
//! model in [`pricing`]. Every offer says `provider: "demo"`.
//!
//! Deterministic means: the same query on the same day gives the same offers.
//! Schedules depend only on the route and date (like a real timetable);
//! prices also on the day the search runs (advance purchase) and on a
//! three-day epoch (noise), so a watched route changes every few days.
//!
//! [`DemoCalendar`] is the same model read as a price calendar.

mod calendar;
mod network;
mod pricing;

use async_trait::async_trait;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};

use super::{FareProvider, ProviderError};
use crate::domain::{Bags, Cabin, Money, Offer, PriceKind, Segment, Slice};
use crate::places::{Airport, Zone, distance_km};
use crate::search::{Leg, SearchQuery};
pub use calendar::{DemoCalendar, demo_days};
use network::Routing;
use pricing::FareInputs;
pub(crate) use pricing::usd_rate;

/// Days in one noise epoch: prices move every three days.
const EPOCH_DAYS: i64 = 3;

/// Beyond this distance an airport pair counts as long-haul: its economy
/// fares include a checked bag.
const LONG_HAUL_KM: f64 = 4000.0;

/// Most slices combined per leg when building round trips and multi-city trips.
const SLICES_PER_LEG: usize = 12;

/// The offline demo provider.
#[derive(Debug, Default, Clone, Copy)]
pub struct DemoProvider;

#[async_trait]
impl FareProvider for DemoProvider {
    fn name(&self) -> &str {
        "demo"
    }

    async fn search(
        &self,
        query: &SearchQuery,
        now: DateTime<Utc>,
    ) -> Result<Vec<Offer>, ProviderError> {
        Ok(self.offers(query, now))
    }
}

/// A priced slice, before legs are combined.
struct Candidate {
    slice: Slice,
    adult_usd: f64,
    low_cost: bool,
    long_haul: bool,
}

impl DemoProvider {
    /// Every offer the demo network has for `query`, priced as of `now`.
    pub fn offers(&self, query: &SearchQuery, now: DateTime<Utc>) -> Vec<Offer> {
        let today = now.date_naive();
        let epoch = i64::from(today.num_days_from_ce()) / EPOCH_DAYS;
        let cabin = query.options().cabin;
        let mut per_leg: Vec<Vec<Candidate>> = Vec::with_capacity(query.legs().len());
        for leg in query.legs() {
            let slices = leg_candidates(leg, cabin, today, epoch);
            if slices.is_empty() {
                return Vec::new();
            }
            per_leg.push(diverse(slices, SLICES_PER_LEG * 2));
        }
        let expires_at = epoch_end(epoch);
        combinations(&per_leg)
            .into_iter()
            .map(|combo| to_offer(&combo, query, expires_at))
            .collect()
    }
}

impl DemoProvider {
    /// The price of the cheapest offer [`Self::offers`] has for a one-way or
    /// round-trip `query`, without building any offer (`None` for a
    /// multi-city trip or a day without flights). A trip's price is the sum
    /// of its slices' and every outbound pairs with every return, so the
    /// cheapest offer pairs each leg's cheapest slice.
    pub fn cheapest_price(&self, query: &SearchQuery, now: DateTime<Utc>) -> Option<Money> {
        if query.legs().len() > 2 {
            return None;
        }
        let today = now.date_naive();
        let epoch = i64::from(today.num_days_from_ce()) / EPOCH_DAYS;
        let options = query.options();
        let mut legs = Vec::with_capacity(2);
        for leg in query.legs() {
            let cheapest = leg_candidates(leg, options.cabin, today, epoch)
                .iter()
                .map(|c| c.adult_usd)
                .min_by(f64::total_cmp)?;
            legs.push(cheapest);
        }
        // Summed as `to_offer` sums, so the rounding is the same.
        let adult_usd: f64 = legs.iter().sum();
        let total = pricing::to_currency(
            adult_usd * pricing::party_factor(&options.passengers),
            options.currency,
        );
        Some(Money::new(total, options.currency))
    }
}

/// Keeps at most `n` slices so that every airport pair and stop count
/// survives: the cheapest of each (origin, destination, stops) group first,
/// then each group's second cheapest, and so on. Keeping only the cheapest
/// slices would let one airport's connections crowd out another's nonstops.
fn diverse(mut slices: Vec<Candidate>, n: usize) -> Vec<Candidate> {
    slices.sort_by(|a, b| a.adult_usd.total_cmp(&b.adult_usd));
    let group = |c: &Candidate| (c.slice.origin, c.slice.destination, c.slice.stops);
    let mut rank_in_group: Vec<(usize, usize)> = Vec::with_capacity(slices.len());
    let mut seen: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
    for (i, c) in slices.iter().enumerate() {
        let count = seen.entry(group(c)).or_default();
        rank_in_group.push((*count, i));
        *count += 1;
    }
    // Stable: within one round, cheaper slices come first.
    rank_in_group.sort_by_key(|&(round, _)| round);
    let mut keep: Vec<Option<Candidate>> = slices.into_iter().map(Some).collect();
    rank_in_group
        .into_iter()
        .take(n)
        .filter_map(|(_, i)| keep[i].take())
        .collect()
}

/// Priced slices for one leg, across every airport pair of the leg's places
/// (a metropolitan area's secondary airports included), in routings whose
/// every carrier sells the cabin.
fn leg_candidates(leg: &Leg, cabin: Cabin, today: NaiveDate, epoch: i64) -> Vec<Candidate> {
    let mut out = Vec::new();
    for from in leg.origin.airports() {
        for to in leg.destination.airports() {
            let routings = network::routings(from, to);
            let sold = routings
                .iter()
                .filter(|r| r.carriers.iter().all(|c| network::sells(c, cabin)));
            for routing in sold {
                out.extend(routing_candidates(routing, leg.date, cabin, today, epoch));
            }
        }
    }
    out
}

/// A routing's departures on `date`, each priced.
fn routing_candidates(
    routing: &Routing,
    date: NaiveDate,
    cabin: Cabin,
    today: NaiveDate,
    epoch: i64,
) -> Vec<Candidate> {
    let (from, to) = (
        routing.airports[0],
        routing.airports[routing.airports.len() - 1],
    );
    let market_km = distance_km(from, to);
    let departures = daily_departures(market_km, routing.stops());
    let low_cost = routing.carriers.iter().all(|c| c.low_cost);
    (0..departures)
        .filter_map(|slot| build_slice(routing, date, slot, departures))
        .map(|slice| {
            let flights: Vec<&str> = slice
                .segments
                .iter()
                .map(|s| s.flight_number.as_str())
                .collect();
            let adult_usd = pricing::adult_fare_usd(&FareInputs {
                market_km,
                stops: routing.stops(),
                cabin,
                departure: date,
                today,
                low_cost,
                flights: &flights.join(","),
                carrier: routing.carriers[0].code.as_str(),
                epoch,
            });
            Candidate {
                slice,
                adult_usd,
                low_cost,
                long_haul: market_km > LONG_HAUL_KM,
            }
        })
        .collect()
}

/// Departures a day per routing: shuttles fly often, long-haul once.
fn daily_departures(km: f64, stops: usize) -> usize {
    match (km, stops) {
        (k, 0) if k < 1000.0 => 4,
        (k, 0) if k < 2500.0 => 3,
        (k, _) if k < 5000.0 => 2,
        _ => 1,
    }
}

/// Minutes from gate to gate: 30 minutes of taxi and climb plus cruise at
/// about 810 km/h (13.5 km a minute), rounded to 5 minutes as timetables are.
fn block_minutes(km: f64) -> i64 {
    let raw = 30.0 + km / 13.5;
    ((raw / 5.0).round() as i64) * 5
}

/// The slot-th daily departure of a routing on `date`, with local and UTC times.
fn build_slice(r: &Routing, date: NaiveDate, slot: usize, departures: usize) -> Option<Slice> {
    let first = r.airports[0];
    let key = route_key(r, slot);
    let jitter = seed::unit(seed::hash(&["dep", &key]));
    let minute_of_day = if r.stops() == 0 && distance_km(first, r.airports[1]) > 5000.0 {
        // Overnight long-haul bank: 18:00–23:00.
        18 * 60 + (jitter * 300.0) as i64
    } else {
        // Spread the day's departures from 06:00, each within 90 minutes of its slot.
        let spacing = (16 * 60) / departures as i64;
        6 * 60 + slot as i64 * spacing + (jitter * 90.0) as i64
    };
    let minute_of_day = (minute_of_day / 5) * 5;
    let time =
        NaiveTime::from_num_seconds_from_midnight_opt(u32::try_from(minute_of_day * 60).ok()?, 0)?;
    let mut departure = tz(first).to_utc(date.and_time(time))?;

    let mut segments = Vec::with_capacity(r.carriers.len());
    for (i, carrier) in r.carriers.iter().enumerate() {
        let (from, to) = (r.airports[i], r.airports[i + 1]);
        let number = flight_number(carrier.code.as_str(), from, to, slot);
        let minutes = block_minutes(distance_km(from, to));
        let arrival = departure + Duration::minutes(minutes);
        segments.push(Segment {
            carrier: carrier.code,
            carrier_name: carrier.name.to_owned(),
            operating_carrier: None,
            flight_number: number,
            origin: from.code,
            destination: to.code,
            departure_local: tz(from).to_local(departure),
            departure_utc: departure,
            arrival_local: tz(to).to_local(arrival),
            arrival_utc: arrival,
            duration_minutes: u32::try_from(minutes).ok()?,
        });
        // Minimum connection times at hubs run 60–90 minutes; schedules leave 70–200.
        let layover = 70 + (seed::unit(seed::hash(&["cnx", &key, &i.to_string()])) * 130.0) as i64;
        departure = arrival + Duration::minutes((layover / 5) * 5);
    }
    Slice::from_segments(segments)
}

fn route_key(r: &Routing, slot: usize) -> String {
    let mut key = String::new();
    for (a, c) in r.airports.iter().zip(&r.carriers) {
        key.push_str(c.code.as_str());
        key.push_str(a.code.as_str());
    }
    key.push_str(r.airports[r.airports.len() - 1].code.as_str());
    key.push_str(&slot.to_string());
    key
}

/// A stable flight number for a carrier's segment and daily slot: three
/// digits or fewer long-haul, four digits domestic, as airlines number them.
fn flight_number(carrier: &str, from: &Airport, to: &Airport, slot: usize) -> String {
    let h = seed::hash(&[
        "fn",
        carrier,
        from.code.as_str(),
        to.code.as_str(),
        &slot.to_string(),
    ]);
    let n = if distance_km(from, to) > LONG_HAUL_KM {
        1 + h % 999
    } else {
        1000 + h % 8999
    };
    format!("{carrier}{n}")
}

/// The airline's name when the demo network knows it.
pub(crate) fn carrier_name(code: &str) -> Option<&'static str> {
    network::CARRIERS
        .iter()
        .find(|c| c.code.as_str() == code)
        .map(|c| c.name)
}

fn tz(a: &Airport) -> Zone {
    Zone::named(a.tz())
}

/// Demo prices hold until the noise epoch turns, at midnight UTC.
fn epoch_end(epoch: i64) -> DateTime<Utc> {
    let day = (epoch + 1) * EPOCH_DAYS;
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(day).unwrap_or(i32::MAX))
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or_else(Utc::now, |d| Utc.from_utc_datetime(&d))
}

/// Which slices travel together: every slice for one-way, outbound × return
/// for round trips, and the i-th cheapest of each leg for multi-city.
fn combinations(per_leg: &[Vec<Candidate>]) -> Vec<Vec<&Candidate>> {
    match per_leg {
        [only] => only.iter().map(|c| vec![c]).collect(),
        [out, back] => {
            let mut all = Vec::new();
            for o in out.iter().take(SLICES_PER_LEG) {
                for b in back.iter().take(SLICES_PER_LEG) {
                    all.push(vec![o, b]);
                }
            }
            all
        }
        legs => {
            let widest = legs
                .iter()
                .map(Vec::len)
                .max()
                .unwrap_or(0)
                .min(SLICES_PER_LEG);
            (0..widest)
                .map(|i| legs.iter().map(|leg| &leg[i.min(leg.len() - 1)]).collect())
                .collect()
        }
    }
}

fn to_offer(combo: &[&Candidate], query: &SearchQuery, expires_at: DateTime<Utc>) -> Offer {
    let options = query.options();
    let adult_usd: f64 = combo.iter().map(|c| c.adult_usd).sum();
    let total = pricing::to_currency(
        adult_usd * pricing::party_factor(&options.passengers),
        options.currency,
    );
    let slices: Vec<Slice> = combo.iter().map(|c| c.slice.clone()).collect();
    let low_cost = combo.iter().all(|c| c.low_cost);
    let long_haul = combo.iter().any(|c| c.long_haul);
    let (brand, bags) = fare_brand(options.cabin, low_cost, long_haul);
    let mut offer = Offer {
        id: String::new(),
        provider: "demo".to_owned(),
        slices,
        cabin: options.cabin,
        fare_brand: Some(brand.to_owned()),
        bags: Some(bags),
        price: Money::new(total, options.currency),
        expires_at,
        price_kind: PriceKind::Live,
        found_at: None,
        booking_url: None,
        converted_from: None,
        other_sellers: Vec::new(),
    };
    offer.id = format!(
        "demo_{:016x}",
        seed::hash(&[&offer.itinerary_key(), &offer.price.to_string()])
    );
    offer
}

/// Brand and included bags: long-haul economy includes a checked bag, as on
/// TAP, LATAM and the European majors; low-cost and short-haul light fares do not.
fn fare_brand(cabin: Cabin, low_cost: bool, long_haul: bool) -> (&'static str, Bags) {
    let bags = |checked| Bags {
        carry_on: 1,
        checked,
    };
    match cabin {
        Cabin::Economy if low_cost => ("Light", bags(0)),
        Cabin::Economy if long_haul => ("Economy Classic", bags(1)),
        Cabin::Economy => ("Economy Light", bags(0)),
        Cabin::PremiumEconomy => ("Premium Economy", bags(2)),
        Cabin::Business => ("Business", bags(2)),
        Cabin::First => ("First", bags(3)),
    }
}

/// Seeded pseudo-randomness: FNV-1a over the parts, finished with SplitMix64
/// so nearby inputs land far apart. Stable across platforms and releases.
pub(super) mod seed {
    /// A 64-bit hash of the parts (separated, so `["ab","c"]` ≠ `["a","bc"]`).
    pub fn hash(parts: &[&str]) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for part in parts {
            for b in part.bytes().chain(std::iter::once(0xff)) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        h ^ (h >> 31)
    }

    /// A number in [0, 1) from a hash.
    pub fn unit(h: u64) -> f64 {
        (h >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests;
