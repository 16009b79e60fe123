//! The one search request every entry point builds: legs, passengers,
//! cabin, stops, currency, sort, filters and limit, checked as a whole.

use std::fmt::Write as _;

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::flex::{Flexibility, MAX_ORIGINS, distinct_origins};
use crate::domain::{Cabin, CarrierCode, Currency, FieldError, IataCode, Passengers};
use crate::places::Place;

/// Most legs a multi-city search may have (what Duffel and most OTAs accept).
pub const MAX_LEGS: usize = 6;

/// How far ahead a departure may be: airlines open sales about 330–360 days
/// before departure, so later dates have no fares to find.
pub const MAX_DAYS_AHEAD: u64 = 360;

/// One leg of a trip: where from, where to, and on which local date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Leg {
    /// Departure airport or metropolitan area.
    pub origin: Place,
    /// Arrival airport or metropolitan area.
    pub destination: Place,
    /// Departure date, local to the origin.
    pub date: NaiveDate,
}

impl Leg {
    /// Parses a leg from its three raw fields; errors are named
    /// `{prefix}.origin`, `{prefix}.destination` and `{prefix}.date`.
    ///
    /// # Errors
    /// An unknown place or a malformed date. Whether the ends differ and the
    /// date is bookable is checked with the whole query ([`SearchQuery::new`]).
    pub fn parse(
        prefix: &str,
        origin: &str,
        destination: &str,
        date: &str,
    ) -> Result<Self, FieldError> {
        let field = |name: &str| format!("{prefix}.{name}");
        let place = |name: &str, text: &str| {
            Place::resolve(text).map_err(|reason| FieldError::new(field(name), reason))
        };
        Ok(Self {
            origin: place("origin", origin)?,
            destination: place("destination", destination)?,
            date: parse_date(date).map_err(|e| e.renamed(field("date")))?,
        })
    }
}

impl Leg {
    /// Checks the leg as the `i`-th of a trip: distinct ends, and a date
    /// that is bookable at the origin and not before the previous leg's.
    fn check(
        &self,
        i: usize,
        previous: Option<NaiveDate>,
        now: DateTime<Utc>,
    ) -> Result<(), FieldError> {
        if self.origin.overlaps(&self.destination) {
            return Err(FieldError::new(
                format!("legs[{i}].destination"),
                format!("must differ from the origin '{}'", self.origin.code()),
            ));
        }
        let field = format!("legs[{i}].date");
        let date = self.date;
        let today = self.origin.time_zone().today(now);
        if date < today {
            let at = self.origin.code();
            let reason = format!("{date} is in the past (today is {today} in {at})");
            return Err(FieldError::new(field, reason));
        }
        let last = today
            .checked_add_days(Days::new(MAX_DAYS_AHEAD))
            .unwrap_or(NaiveDate::MAX);
        if date > last {
            let reason = format!(
                "{date} is more than {MAX_DAYS_AHEAD} days ahead (last bookable day is {last})"
            );
            return Err(FieldError::new(field, reason));
        }
        match previous {
            Some(p) if date < p => Err(FieldError::new(
                field,
                format!("{date} is before the previous leg's date {p}"),
            )),
            _ => Ok(()),
        }
    }
}

/// Parses an ISO 8601 calendar date (`2027-03-10`).
///
/// # Errors
/// A [`FieldError`] on `date`, quoting the input, when it is not a real
/// `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        FieldError::new(
            "date",
            format!("expected a date as YYYY-MM-DD, got '{text}'"),
        )
    })
}

/// The shape of a trip, derived from its legs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TripKind {
    /// One leg.
    OneWay,
    /// Two legs, the second the reverse of the first.
    RoundTrip,
    /// Anything else, up to [`MAX_LEGS`] legs.
    MultiCity,
}

/// How offers are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// A trade-off of price, total duration and stops (see `fares::rank`).
    #[default]
    Best,
    /// Lowest total price first.
    Cheapest,
    /// Shortest total travel time first.
    Fastest,
}

impl Sort {
    /// Parses `best`, `cheapest` or `fastest`.
    ///
    /// # Errors
    /// A [`FieldError`] on `sort`, quoting the input, for anything else.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "best" => Ok(Self::Best),
            "cheapest" | "price" => Ok(Self::Cheapest),
            "fastest" | "duration" => Ok(Self::Fastest),
            _ => Err(FieldError::new(
                "sort",
                format!("unknown sort '{text}' (expected best, cheapest or fastest)"),
            )),
        }
    }
}

/// Filters applied to the merged offers of every provider.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Filters {
    /// Only offers with at least one segment flown by one of these (empty:
    /// any): a traveller who asks for Air France accepts its KLM connections.
    pub carriers: Vec<CarrierCode>,
    /// Only offers at or under this total, in the query's currency.
    pub max_price: Option<Decimal>,
    /// Only offers whose every slice leaves at or after this local time.
    pub depart_after: Option<NaiveTime>,
    /// Only offers whose every slice leaves at or before this local time.
    pub depart_before: Option<NaiveTime>,
}

/// Everything about a search except its legs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchOptions {
    /// Who flies.
    pub passengers: Passengers,
    /// Cabin for every leg.
    pub cabin: Cabin,
    /// Most stops per slice (`None`: any).
    pub max_stops: Option<u8>,
    /// Currency of every price in the answer.
    pub currency: Currency,
    /// Order of the offers.
    pub sort: Sort,
    /// Filters on the merged offers.
    pub filters: Filters,
    /// Most offers returned.
    pub limit: usize,
}

impl SearchOptions {
    /// Default number of offers in an answer: a screenful.
    pub const DEFAULT_LIMIT: usize = 20;
    /// Most offers one answer may carry.
    pub const MAX_LIMIT: usize = 100;
}

impl Default for SearchOptions {
    fn default() -> Self {
        Self {
            passengers: Passengers::default(),
            cabin: Cabin::Economy,
            max_stops: None,
            currency: Currency::BRL,
            sort: Sort::Best,
            filters: Filters::default(),
            limit: Self::DEFAULT_LIMIT,
        }
    }
}

/// A flight search, checked as a whole: 1 to [`MAX_LEGS`] legs in date order,
/// none in the past (at the origin) nor more than [`MAX_DAYS_AHEAD`] days ahead.
///
/// Built by [`super::RawSearch::parse`] from what a client sent, or read
/// back from a stored turn (where it was checked when it ran: reading it
/// back checks the places and the date order, not the calendar).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "StoredQuery")]
pub struct SearchQuery {
    trip: TripKind,
    legs: Vec<Leg>,
    #[serde(flatten)]
    options: SearchOptions,
    /// A departure window instead of the legs' dates (which then hold the
    /// window's first day, and that day plus the shortest stay).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    flexible: Option<Flexibility>,
    /// More places to leave from (and, on a round trip, come back to),
    /// each searched like the first leg's origin.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    other_origins: Vec<Place>,
}

impl SearchQuery {
    /// Checks the legs against each other and against `now`.
    ///
    /// # Errors
    /// Names the offending field: `legs` for a bad count, `legs[i].date` for a
    /// past, too distant or out-of-order date.
    pub fn new(
        legs: Vec<Leg>,
        options: SearchOptions,
        now: DateTime<Utc>,
    ) -> Result<Self, FieldError> {
        if legs.is_empty() {
            return Err(FieldError::new("legs", "at least one leg is needed"));
        }
        if legs.len() > MAX_LEGS {
            return Err(FieldError::new(
                "legs",
                format!("at most {MAX_LEGS} legs, got {}", legs.len()),
            ));
        }
        for (i, leg) in legs.iter().enumerate() {
            let previous = i.checked_sub(1).map(|p| legs[p].date);
            leg.check(i, previous, now)?;
        }
        Ok(Self {
            trip: trip_kind(&legs),
            legs,
            options,
            flexible: None,
            other_origins: Vec::new(),
        })
    }

    /// This query searched over a departure window and from several origins
    /// (the first leg's and `other_origins`; one a listed metro covers goes).
    ///
    /// # Errors
    /// Names `departure_window.from` for a window on a multi-city trip, and
    /// `other_origins` for more than [`MAX_ORIGINS`] origins, one at the
    /// destination, or several origins on a multi-city trip.
    pub fn widened(
        mut self,
        flexible: Option<Flexibility>,
        other_origins: Vec<Place>,
    ) -> Result<Self, FieldError> {
        if flexible.is_some() && self.trip == TripKind::MultiCity {
            let reason = "a flexible search is one way or a round trip";
            return Err(FieldError::new("departure_window.from", reason));
        }
        let first = self.legs[0].origin;
        let origins = distinct_origins(std::iter::once(first).chain(other_origins).collect());
        let field = "other_origins";
        if origins.len() > MAX_ORIGINS {
            let reason = format!("at most {MAX_ORIGINS} origins, got {}", origins.len());
            return Err(FieldError::new(field, reason));
        }
        if origins.len() > 1 && self.trip == TripKind::MultiCity {
            let reason = "several origins are for one-way and round trips";
            return Err(FieldError::new(field, reason));
        }
        let to = self.legs[0].destination;
        if let Some(p) = origins.iter().find(|p| p.overlaps(&to)) {
            let reason = format!(
                "'{}' must differ from the destination '{}'",
                p.code(),
                to.code()
            );
            return Err(FieldError::new(field, reason));
        }
        self = self.leaving_from(origins[0]);
        self.flexible = flexible;
        self.other_origins = origins[1..].to_vec();
        Ok(self)
    }

    /// The same trip leaving from `origin` (and back to it on a round trip).
    fn leaving_from(mut self, origin: Place) -> Self {
        let old = self.legs[0].origin;
        self.legs[0].origin = origin;
        if self.trip == TripKind::RoundTrip && self.legs[1].destination == old {
            self.legs[1].destination = origin;
        }
        self
    }

    /// A plain query for one origin and one departure (and return) day,
    /// with `options`: what a flexible or several-origin search runs live.
    ///
    /// # Errors
    /// A [`FieldError`] when that day cannot be searched (in the past,
    /// beyond [`MAX_DAYS_AHEAD`]).
    pub fn on_day(
        &self,
        origin: Place,
        out: NaiveDate,
        back: Option<NaiveDate>,
        options: SearchOptions,
        now: DateTime<Utc>,
    ) -> Result<Self, FieldError> {
        let to = self.legs[0].destination;
        let mut legs = vec![Leg {
            origin,
            destination: to,
            date: out,
        }];
        legs.extend(back.map(|date| Leg {
            origin: to,
            destination: origin,
            date,
        }));
        Self::new(legs, options, now)
    }

    /// The departure window and stay, for a flexible search.
    pub fn flexible(&self) -> Option<&Flexibility> {
        self.flexible.as_ref()
    }

    /// Every origin searched: the first leg's, then the others.
    pub fn origins(&self) -> Vec<Place> {
        std::iter::once(self.legs[0].origin)
            .chain(self.other_origins.iter().copied())
            .collect()
    }

    /// Whether the providers can be asked this query as it is: fixed dates
    /// and one origin.
    pub fn is_plain(&self) -> bool {
        self.flexible.is_none() && self.other_origins.is_empty()
    }

    /// The shape of the trip.
    pub fn trip(&self) -> TripKind {
        self.trip
    }
    /// The legs, in travel order.
    pub fn legs(&self) -> &[Leg] {
        &self.legs
    }
    /// Passengers, cabin, currency, sort, filters and limit.
    pub fn options(&self) -> &SearchOptions {
        &self.options
    }

    /// A canonical key for what providers are asked: legs, passengers, cabin
    /// and currency. Sort, filters and limit are applied after the providers
    /// answer, so queries that differ only there share cached results.
    pub fn provider_key(&self) -> String {
        let mut key = String::with_capacity(64);
        for leg in &self.legs {
            let _ = write!(
                key,
                "{}-{}-{}/",
                leg.origin.code(),
                leg.destination.code(),
                leg.date
            );
        }
        let p = &self.options.passengers;
        let _ = write!(
            key,
            "{}a{}c{}i/{}/{}",
            p.adults(),
            p.children(),
            p.infants(),
            self.options.cabin.as_str(),
            self.options.currency
        );
        key
    }
}

fn trip_kind(legs: &[Leg]) -> TripKind {
    match legs {
        [_] => TripKind::OneWay,
        [out, back] if out.origin == back.destination && out.destination == back.origin => {
            TripKind::RoundTrip
        }
        _ => TripKind::MultiCity,
    }
}

/// A query as stored with a turn: places by code.
#[derive(Deserialize)]
struct StoredQuery {
    legs: Vec<StoredLeg>,
    #[serde(flatten)]
    options: SearchOptions,
    #[serde(default)]
    flexible: Option<Flexibility>,
    #[serde(default)]
    other_origins: Vec<IataCode>,
}

#[derive(Deserialize)]
struct StoredLeg {
    origin: IataCode,
    destination: IataCode,
    date: NaiveDate,
}

impl TryFrom<StoredQuery> for SearchQuery {
    type Error = String;

    fn try_from(stored: StoredQuery) -> Result<Self, Self::Error> {
        let place = |code: IataCode| {
            Place::by_code(code).ok_or_else(|| format!("unknown airport or city '{code}'"))
        };
        let legs = stored
            .legs
            .into_iter()
            .map(|l| {
                Ok(Leg {
                    origin: place(l.origin)?,
                    destination: place(l.destination)?,
                    date: l.date,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        if legs.is_empty() || legs.len() > MAX_LEGS {
            return Err(format!("a stored query has {} legs", legs.len()));
        }
        let other_origins = stored
            .other_origins
            .into_iter()
            .map(place)
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Self {
            trip: trip_kind(&legs),
            legs,
            options: stored.options,
            flexible: stored.flexible,
            other_origins,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
    }

    fn leg(o: &str, d: &str, date: &str) -> Leg {
        Leg::parse("legs[0]", o, d, date).unwrap()
    }

    #[test]
    fn round_trip_is_recognised_and_keyed_canonically() {
        let q = SearchQuery::new(
            vec![
                leg("sao", "LIS", "2027-03-10"),
                leg("LIS", "SAO", "2027-03-24"),
            ],
            SearchOptions::default(),
            now(),
        )
        .unwrap();
        assert_eq!(q.trip(), TripKind::RoundTrip);
        assert_eq!(
            q.provider_key(),
            "SAO-LIS-2027-03-10/LIS-SAO-2027-03-24/1a0c0i/economy/BRL"
        );
    }

    #[test]
    fn dates_are_checked_against_the_origin_calendar() {
        // 01:00 UTC on 23 Nov is still 22 Nov in São Paulo: a search for the
        // 22nd from SAO is today, not the past.
        let late = Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap();
        assert!(
            SearchQuery::new(
                vec![leg("SAO", "LIS", "2026-11-22")],
                SearchOptions::default(),
                late
            )
            .is_ok()
        );
        let err = SearchQuery::new(
            vec![leg("LIS", "SAO", "2026-11-22")],
            SearchOptions::default(),
            late,
        )
        .unwrap_err();
        assert_eq!(err.field, "legs[0].date");
        assert!(err.reason.contains("in the past"), "{err}");
    }

    #[test]
    fn return_before_departure_and_far_dates_are_refused() {
        let err = SearchQuery::new(
            vec![
                leg("SAO", "LIS", "2027-03-10"),
                leg("LIS", "SAO", "2027-03-01"),
            ],
            SearchOptions::default(),
            now(),
        )
        .unwrap_err();
        assert_eq!(err.field, "legs[1].date");
        let err = SearchQuery::new(
            vec![leg("SAO", "LIS", "2027-12-01")],
            SearchOptions::default(),
            now(),
        )
        .unwrap_err();
        assert!(err.reason.contains("360 days"), "{err}");
    }

    #[test]
    fn same_place_at_both_ends_is_refused() {
        let err = SearchQuery::new(
            vec![leg("SAO", "GRU", "2027-03-10")],
            SearchOptions::default(),
            now(),
        )
        .unwrap_err();
        assert_eq!(err.field, "legs[0].destination");
    }

    #[test]
    fn a_stored_query_reads_back_as_it_was_written() {
        let q = SearchQuery::new(
            vec![
                leg("SAO", "LIS", "2027-03-10"),
                leg("LIS", "SAO", "2027-03-24"),
            ],
            SearchOptions::default(),
            now(),
        )
        .unwrap();
        let json = serde_json::to_string(&q).unwrap();
        let back: SearchQuery = serde_json::from_str(&json).unwrap();
        assert_eq!(back, q);
    }
}
