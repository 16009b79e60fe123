//! The offers the Duffel replay serves, in Duffel's documented shape
//! (`GET /air/offers`): Duffel Airways (`ZZ`, the airline of Duffel's test
//! mode) with a nonstop and a codeshare connection per slice, plus the demo
//! timetable's flights repriced in US dollars, so that merging the same
//! flights from two providers can be seen on a developer's machine.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use shared::domain::{Currency, Passengers};
use shared::fares::DemoProvider;
use shared::places::{Airport, Place, Zone, distance_km};
use shared::search::{Leg, SearchOptions, SearchQuery};

/// A passenger of the offer request, as Duffel prices them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Traveller {
    /// `{"type": "adult"}`.
    Adult,
    /// `{"age": n}` with n from 2 to 17.
    Child(u8),
    /// `{"type": "infant_without_seat"}` (or an age under 2).
    LapInfant,
}

impl Traveller {
    /// The share of an adult fare: 75% for a child, 10% for a lap infant
    /// (the rules most airlines publish).
    fn share(self) -> Decimal {
        match self {
            Self::Adult => Decimal::ONE,
            Self::Child(_) => Decimal::new(75, 2),
            Self::LapInfant => Decimal::new(10, 2),
        }
    }

    fn json(self, id: &str) -> Value {
        match self {
            Self::Adult => json!({"id": id, "type": "adult", "age": null}),
            Self::Child(age) => json!({"id": id, "type": null, "age": age}),
            Self::LapInfant => json!({"id": id, "type": "infant_without_seat", "age": null}),
        }
    }
}

/// One slice of an offer request.
#[derive(Debug, Clone)]
pub struct SliceAsked {
    /// Airport or city code.
    pub origin: String,
    /// Airport or city code.
    pub destination: String,
    /// Local departure date.
    pub date: NaiveDate,
}

/// What an offer request asked, kept to answer `GET /air/offers`.
#[derive(Debug, Clone)]
pub struct Asked {
    /// The slices, in order.
    pub slices: Vec<SliceAsked>,
    /// Every passenger.
    pub travellers: Vec<Traveller>,
    /// Duffel's cabin name (`economy`, ...).
    pub cabin: String,
}

/// Which offers a scenario serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferSet {
    /// Duffel Airways' two itineraries and the repriced demo flights.
    Full,
    /// Only the nonstop: the other airlines missed `supplier_timeout`.
    Partial,
    /// None.
    Empty,
    /// 200 offers (the nonstop at every five minutes of the day), for benchmarks.
    Many,
}

/// Adult fares of Duffel Airways in euros: the nonstop and the connection.
const NONSTOP_EUR: i64 = 61_240;
const CONNECTION_EUR: i64 = 48_990;

/// The offers for `asked`, cheapest first, at most `limit`.
pub fn offers(asked: &Asked, set: OfferSet, now: DateTime<Utc>, limit: usize) -> Vec<Value> {
    let ctx = Context::new(asked, now);
    let mut all = match set {
        OfferSet::Empty => Vec::new(),
        OfferSet::Partial => vec![ctx.zz_offer(0, false, 0)],
        OfferSet::Full => {
            let mut v = vec![ctx.zz_offer(0, false, 0), ctx.zz_offer(1, true, 0)];
            v.extend(ctx.demo_offers());
            v
        }
        OfferSet::Many => (0..200)
            .map(|i| ctx.zz_offer(i, i % 2 == 1, (i as i64) * 5))
            .collect(),
    };
    all.sort_by_key(amount);
    all.truncate(limit);
    all
}

fn amount(offer: &Value) -> Decimal {
    offer["total_amount"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_default()
}

/// One flight of a slice.
struct Flight<'a> {
    from: &'a Airport,
    to: &'a Airport,
    departure: DateTime<Utc>,
    arrival: DateTime<Utc>,
    /// Marketing carrier's code and name, and the flight number.
    marketing: (&'a str, &'a str, &'a str),
    /// Operating carrier's code (a codeshare when not the marketing one).
    operator: &'a str,
    checked_bag: bool,
}

struct Context<'a> {
    asked: &'a Asked,
    now: DateTime<Utc>,
    passenger_ids: Vec<String>,
}

impl<'a> Context<'a> {
    fn new(asked: &'a Asked, now: DateTime<Utc>) -> Self {
        let passenger_ids = (0..asked.travellers.len())
            .map(|i| format!("pas_000{i:02}"))
            .collect();
        Self {
            asked,
            now,
            passenger_ids,
        }
    }

    /// A Duffel Airways offer: nonstop or via a hub on every slice, leaving
    /// `shift` minutes after 22:05 local.
    fn zz_offer(&self, n: usize, connection: bool, shift: i64) -> Value {
        let fare = Decimal::new(
            if connection {
                CONNECTION_EUR
            } else {
                NONSTOP_EUR
            },
            2,
        ) + Decimal::from(n as i64 / 2);
        let brand = if connection { "Basic" } else { "Comfort" };
        let slices: Vec<Value> = self
            .asked
            .slices
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let (from, to) = (main_airport(&s.origin), main_airport(&s.destination));
                let start = s
                    .date
                    .and_time(NaiveTime::from_hms_opt(22, 5, 0).unwrap_or_default())
                    + Duration::minutes(shift);
                let legs = match (connection, hub(from, to)) {
                    (true, Some(via)) => vec![(from, via, "IB"), (via, to, "ZZ")],
                    _ => vec![(from, to, "ZZ")],
                };
                self.slice(&legs, start, i, brand)
            })
            .collect();
        self.offer(&format!("off_zz{n:04}"), slices, fare, "EUR")
    }

    /// One slice flying `legs` (from, to, operating carrier), the first
    /// leaving at `start` local time, 135 minutes between flights.
    fn slice(
        &self,
        legs: &[(&Airport, &Airport, &str)],
        start: NaiveDateTime,
        index: usize,
        brand: &str,
    ) -> Value {
        let mut departure = zone(legs[0].0).to_utc(start).unwrap_or(self.now);
        let mut segments = Vec::new();
        for (k, (from, to, operator)) in legs.iter().enumerate() {
            let minutes = block_minutes(distance_km(from, to));
            let arrival = departure + Duration::minutes(minutes);
            let number = (100 + index * 10 + k).to_string();
            segments.push(self.segment(&Flight {
                from,
                to,
                departure,
                arrival,
                marketing: ("ZZ", "Duffel Airways", &number),
                operator,
                checked_bag: brand == "Comfort",
            }));
            departure = arrival + Duration::minutes(135);
        }
        self.slice_json(legs[0].0, legs[legs.len() - 1].1, segments, Some(brand))
    }

    fn slice_json(
        &self,
        from: &Airport,
        to: &Airport,
        segments: Vec<Value>,
        brand: Option<&str>,
    ) -> Value {
        let first = segments
            .first()
            .and_then(|s| s["departing_at"].as_str())
            .unwrap_or_default()
            .to_owned();
        let last = segments
            .last()
            .and_then(|s| s["arriving_at"].as_str())
            .unwrap_or_default()
            .to_owned();
        let minutes = match (local(&first), local(&last)) {
            (Some(a), Some(b)) => {
                let (a, b) = (zone(from).to_utc(a), zone(to).to_utc(b));
                a.zip(b).map_or(0, |(a, b)| (b - a).num_minutes())
            }
            _ => 0,
        };
        json!({
            "id": format!("sli_{}{}", from.code, to.code),
            "origin": place(from),
            "destination": place(to),
            "origin_type": "airport",
            "destination_type": "airport",
            "duration": iso(minutes),
            "fare_brand_name": brand,
            "segments": segments,
        })
    }

    fn segment(&self, f: &Flight<'_>) -> Value {
        let (code, name, number) = f.marketing;
        let operating = if f.operator == code {
            json!({"iata_code": code, "name": name})
        } else {
            carrier(f.operator)
        };
        let passengers: Vec<Value> = self
            .asked
            .travellers
            .iter()
            .zip(&self.passenger_ids)
            .map(|(t, id)| {
                let checked = u8::from(f.checked_bag);
                let bags = match t {
                    Traveller::LapInfant => json!([]),
                    _ => json!([{"type": "carry_on", "quantity": 1}, {"type": "checked", "quantity": checked}]),
                };
                json!({"passenger_id": id, "cabin_class": self.asked.cabin, "cabin_class_marketing_name": "Economy", "fare_basis_code": "OXZ0RO", "baggages": bags})
            })
            .collect();
        json!({
            "id": format!("seg_{code}{number}{}", f.departure.timestamp()),
            "origin": place(f.from),
            "destination": place(f.to),
            "departing_at": zone(f.from).to_local(f.departure).format("%Y-%m-%dT%H:%M:%S").to_string(),
            "arriving_at": zone(f.to).to_local(f.arrival).format("%Y-%m-%dT%H:%M:%S").to_string(),
            "duration": iso((f.arrival - f.departure).num_minutes()),
            "marketing_carrier": {"iata_code": code, "name": name},
            "marketing_carrier_flight_number": number,
            "operating_carrier": operating,
            "operating_carrier_flight_number": number,
            "aircraft": {"iata_code": "789", "name": "Boeing 787-9"},
            "stops": [],
            "passengers": passengers,
        })
    }

    /// Duffel's offer around `slices`, priced per traveller from one adult fare.
    fn offer(&self, id: &str, slices: Vec<Value>, adult_fare: Decimal, currency: &str) -> Value {
        let total: Decimal = self
            .asked
            .travellers
            .iter()
            .map(|t| adult_fare * t.share())
            .sum::<Decimal>()
            .round_dp(2);
        let tax = (total * Decimal::new(12, 2)).round_dp(2);
        let passengers: Vec<Value> = self
            .asked
            .travellers
            .iter()
            .zip(&self.passenger_ids)
            .map(|(t, id)| t.json(id))
            .collect();
        json!({
            "id": id,
            "live_mode": false,
            "created_at": self.now.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            "expires_at": (self.now + Duration::minutes(30)).to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            "total_amount": format!("{total:.2}"),
            "total_currency": currency,
            "base_amount": format!("{:.2}", total - tax),
            "base_currency": currency,
            "tax_amount": format!("{tax:.2}"),
            "tax_currency": currency,
            "owner": {"iata_code": "ZZ", "name": "Duffel Airways"},
            "passengers": passengers,
            "slices": slices,
            "conditions": {"refund_before_departure": null, "change_before_departure": null},
            "payment_requirements": {"requires_instant_payment": false},
        })
    }
}

impl Context<'_> {
    /// The demo timetable's cheapest flights for the same request, repriced
    /// in US dollars: 20% under the demo on even ranks, 25% over on odd ones
    /// (wide enough that the demo's ±8% noise never flips who is cheaper).
    fn demo_offers(&self) -> Vec<Value> {
        let Some(query) = self.demo_query() else {
            return Vec::new();
        };
        let mut demo = DemoProvider.offers(&query, self.pricing_day(&query));
        demo.sort_by_key(|o| o.price.amount);
        demo.iter()
            .take(6)
            .enumerate()
            .map(|(rank, offer)| {
                let factor = if rank % 2 == 0 {
                    Decimal::new(80, 2)
                } else {
                    Decimal::new(125, 2)
                };
                let party = self
                    .asked
                    .travellers
                    .iter()
                    .map(|t| t.share())
                    .sum::<Decimal>();
                let adult = offer.price.amount * factor / party.max(Decimal::ONE);
                let slices = offer.slices.iter().map(|s| self.demo_slice(s)).collect();
                self.offer(&format!("off_demo{rank:02}"), slices, adult, "USD")
            })
            .collect()
    }

    fn demo_slice(&self, slice: &shared::domain::Slice) -> Value {
        let segments: Vec<Value> = slice
            .segments
            .iter()
            .map(|s| {
                let (from, to) = (airport(s.origin.as_str()), airport(s.destination.as_str()));
                let number = s
                    .flight_number
                    .trim_start_matches(s.carrier.as_str())
                    .to_owned();
                self.segment(&Flight {
                    from,
                    to,
                    departure: s.departure_utc,
                    arrival: s.arrival_utc,
                    marketing: (s.carrier.as_str(), &s.carrier_name, &number),
                    operator: s.carrier.as_str(),
                    checked_bag: false,
                })
            })
            .collect();
        self.slice_json(
            airport(slice.origin.as_str()),
            airport(slice.destination.as_str()),
            segments,
            None,
        )
    }

    /// The request as a demo query in US dollars, when its places are known.
    fn demo_query(&self) -> Option<SearchQuery> {
        let legs = self
            .asked
            .slices
            .iter()
            .enumerate()
            .map(|(i, s)| {
                Leg::parse(
                    &format!("legs[{i}]"),
                    &s.origin,
                    &s.destination,
                    &s.date.to_string(),
                )
                .ok()
            })
            .collect::<Option<Vec<_>>>()?;
        let count = |f: fn(&Traveller) -> bool| {
            self.asked.travellers.iter().filter(|t| f(t)).count() as u32
        };
        let passengers = Passengers::new(
            count(|t| *t == Traveller::Adult),
            count(|t| matches!(t, Traveller::Child(_))),
            count(|t| *t == Traveller::LapInfant),
        )
        .ok()?;
        let options = SearchOptions {
            passengers,
            currency: Currency::USD,
            ..SearchOptions::default()
        };
        let day = legs.first()?.date.and_hms_opt(12, 0, 0)?.and_utc() - Duration::days(30);
        SearchQuery::new(legs, options, day).ok()
    }

    /// Prices as of a month before departure: the replay's prices do not move
    /// with the clock.
    fn pricing_day(&self, query: &SearchQuery) -> DateTime<Utc> {
        query.legs()[0]
            .date
            .and_hms_opt(12, 0, 0)
            .map_or(self.now, |d| d.and_utc())
            - Duration::days(30)
    }
}

fn main_airport(code: &str) -> &'static Airport {
    Place::resolve(code).map_or_else(|_| airport("GRU"), |p| p.main_airport())
}

fn airport(code: &str) -> &'static Airport {
    shared::domain::IataCode::parse(code)
        .ok()
        .and_then(shared::places::airport)
        .unwrap_or_else(|| &shared::places::all_airports()[0])
}

/// A connecting hub that is neither end: Madrid, else Lisbon.
fn hub(from: &Airport, to: &Airport) -> Option<&'static Airport> {
    ["MAD", "LIS", "PTY"]
        .iter()
        .map(|c| airport(c))
        .find(|h| h.code != from.code && h.code != to.code)
}

fn zone(a: &Airport) -> Zone {
    Zone::named(a.tz())
}

fn local(text: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").ok()
}

/// Gate to gate: 30 minutes plus about 810 km/h, rounded to 5 minutes.
fn block_minutes(km: f64) -> i64 {
    ((30.0 + km / 13.5) / 5.0).round() as i64 * 5
}

fn iso(minutes: i64) -> String {
    format!("PT{}H{:02}M", minutes / 60, minutes % 60)
}

fn place(a: &Airport) -> Value {
    json!({
        "type": "airport",
        "iata_code": a.code.as_str(),
        "name": a.name(),
        "city_name": a.city(),
        "iata_country_code": a.country(),
        "time_zone": a.tz(),
        "latitude": a.lat(),
        "longitude": a.lon(),
    })
}

fn carrier(code: &str) -> Value {
    let name = match code {
        "IB" => "Iberia",
        "TP" => "TAP Air Portugal",
        "LA" => "LATAM Airlines",
        _ => code,
    };
    json!({"iata_code": code, "name": name})
}
