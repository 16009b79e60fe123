//! The one parser every way into a search goes through: GET and POST
//! `/search`, the model's `search_flights` tool, the offline assistant, the
//! CLI and (next) watches each turn what they received into a [`RawSearch`]
//! and call [`RawSearch::parse`], so the same words mean the same search
//! everywhere and every bound is enforced once.
//!
//! Errors name fields canonically (`legs[1].date`, `passengers.children`,
//! `filters.max_price`); each entry point renames them to what its client
//! sent with [`Surface::name`].

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use rust_decimal::Decimal;

use super::flex::{DayShape, DepartureWindow, Flexibility, MAX_ORIGINS, TripDays, airports_near};
use super::{Filters, Leg, MAX_LEGS, SearchOptions, SearchQuery, Sort, parse_date};
use crate::domain::{Cabin, CarrierCode, Currency, FieldError, Passengers};
use crate::places::Place;

/// Most carriers one filter may list: more than any alliance has members
/// in one market, few enough to keep a query key short.
pub const MAX_CARRIERS: usize = 20;

/// Most stops a traveller may ask to allow per slice; providers sell
/// nothing with more.
pub const MAX_STOPS: u32 = 3;

/// Highest `max_price` accepted: ten million of any currency is more than
/// any fare, and bounds the arithmetic done with it.
const MAX_PRICE: Decimal = Decimal::from_parts(10_000_000, 0, 0, false, 0);

/// One leg as sent: every part still text, any part possibly missing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawLeg {
    /// Origin: an IATA code or a place name.
    pub origin: Option<String>,
    /// Destination: an IATA code or a place name.
    pub destination: Option<String>,
    /// Local departure date, `YYYY-MM-DD`.
    pub date: Option<String>,
}

/// A search as a client sent it, before any check: numbers stay text so
/// that `4294967295`, `-1` and `two` are refused by the same rule whether
/// they came in a query string, a JSON body, a tool call or a flag.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawSearch {
    /// The legs in travel order.
    pub legs: Vec<RawLeg>,
    /// Adults (default 1).
    pub adults: Option<String>,
    /// Children (default 0).
    pub children: Option<String>,
    /// Lap infants (default 0).
    pub infants: Option<String>,
    /// Cabin name.
    pub cabin: Option<String>,
    /// Most stops per slice.
    pub max_stops: Option<String>,
    /// ISO 4217 currency.
    pub currency: Option<String>,
    /// `best`, `cheapest` or `fastest`.
    pub sort: Option<String>,
    /// Airline designators; an offer passes when any of its carriers is listed.
    pub carriers: Vec<String>,
    /// Highest total price, a positive decimal.
    pub max_price: Option<String>,
    /// Earliest local departure time of every slice, `HH:MM`.
    pub depart_after: Option<String>,
    /// Latest local departure time of every slice, `HH:MM`.
    pub depart_before: Option<String>,
    /// Most offers to return.
    pub limit: Option<String>,
    /// First day of a departure window, `YYYY-MM-DD` (a flexible search:
    /// the first leg then has no date).
    pub departure_from: Option<String>,
    /// Last day of the departure window, `YYYY-MM-DD`.
    pub departure_to: Option<String>,
    /// Which days of the window: `any` or `weekend`.
    pub departure_days: Option<String>,
    /// Stay in days, for a flexible round trip.
    pub trip_days: Option<String>,
    /// Shortest stay, with [`Self::trip_days_max`], instead of `trip_days`.
    pub trip_days_min: Option<String>,
    /// Longest stay.
    pub trip_days_max: Option<String>,
    /// More places to leave from, each an IATA code or a place name.
    pub other_origins: Vec<String>,
    /// Also leave from every airport within this many km of the origin.
    pub origin_radius_km: Option<String>,
}

impl RawSearch {
    /// A one-way search, or a round trip when `back` is given: the return
    /// leg flies the same places the other way.
    pub fn trip(origin: &str, destination: &str, departure: &str, back: Option<&str>) -> Self {
        let leg = |o: &str, d: &str, date: &str| RawLeg {
            origin: Some(o.to_owned()),
            destination: Some(d.to_owned()),
            date: Some(date.to_owned()),
        };
        let mut legs = vec![leg(origin, destination, departure)];
        legs.extend(back.map(|b| leg(destination, origin, b)));
        Self {
            legs,
            ..Self::default()
        }
    }

    /// Checks everything and builds the query, as of `now`.
    ///
    /// # Errors
    /// The first bad field, named canonically (`legs[0].origin`,
    /// `passengers.children`, `filters.depart_before`, `limit`, ...).
    pub fn parse(&self, now: DateTime<Utc>) -> Result<SearchQuery, FieldError> {
        let window = self.parse_window_days()?;
        let legs = self.parse_legs(window)?;
        let options = SearchOptions {
            passengers: self.parse_passengers()?,
            cabin: optional(self.cabin.as_deref(), "cabin", Cabin::parse)?.unwrap_or_default(),
            max_stops: optional(self.max_stops.as_deref(), "max_stops", |t| {
                count(t, 0, MAX_STOPS).map(|n| n as u8)
            })?,
            currency: optional(self.currency.as_deref(), "currency", Currency::parse)?
                .unwrap_or(Currency::BRL),
            sort: optional(self.sort.as_deref(), "sort", Sort::parse)?.unwrap_or_default(),
            filters: self.parse_filters()?,
            limit: optional(self.limit.as_deref(), "limit", |t| {
                count(t, 1, SearchOptions::MAX_LIMIT as u32).map(|n| n as usize)
            })?
            .unwrap_or(SearchOptions::DEFAULT_LIMIT),
        };
        let origin = legs[0].origin;
        let flexible = self.parse_flexibility(window, &origin, now)?;
        let others = self.parse_other_origins(&origin)?;
        let legs = match flexible.and_then(|f| f.trip_days) {
            // The return leg of a flexible round trip, at its first candidate.
            Some(stay) => vec![legs[0], return_leg(&legs[0], stay.min)],
            None => legs,
        };
        SearchQuery::new(legs, options, now)?.widened(flexible, others)
    }

    /// The window's first and last days, when a flexible search was asked.
    fn parse_window_days(&self) -> Result<Option<(NaiveDate, NaiveDate)>, FieldError> {
        fn given(t: Option<&str>) -> Option<&str> {
            t.filter(|t| !t.trim().is_empty())
        }
        let (from, to) = (
            given(self.departure_from.as_deref()),
            given(self.departure_to.as_deref()),
        );
        let date = |text: &str, end: &str| {
            parse_date(text).map_err(|e| e.renamed(format!("departure_window.{end}")))
        };
        match (from, to) {
            (Some(f), Some(t)) => Ok(Some((date(f, "from")?, date(t, "to")?))),
            (None, None) => self.refuse_flexible_without_window().map(|()| None),
            (None, Some(_)) => Err(FieldError::new("departure_window.from", "is required")),
            (Some(_), None) => Err(FieldError::new("departure_window.to", "is required")),
        }
    }

    /// Trip lengths and shapes only make sense with a window.
    fn refuse_flexible_without_window(&self) -> Result<(), FieldError> {
        let fields = [
            ("departure_window.shape", &self.departure_days),
            ("trip_days", &self.trip_days),
            ("trip_days_min", &self.trip_days_min),
            ("trip_days_max", &self.trip_days_max),
        ];
        match fields.iter().find(|(_, v)| v.is_some()) {
            Some((field, _)) => Err(FieldError::new(
                *field,
                "needs a departure window (departure_window.from and .to)",
            )),
            None => Ok(()),
        }
    }

    /// The window, its shape and the stay, checked against the origin's today.
    fn parse_flexibility(
        &self,
        window: Option<(NaiveDate, NaiveDate)>,
        origin: &Place,
        now: DateTime<Utc>,
    ) -> Result<Option<Flexibility>, FieldError> {
        let Some((from, to)) = window else {
            return Ok(None);
        };
        let shape = optional(
            self.departure_days.as_deref(),
            "departure_window.shape",
            DayShape::parse,
        )?
        .unwrap_or_default();
        let departure_window = DepartureWindow::new(from, to, shape, origin, now)?;
        let trip_days = self.parse_trip_days(shape)?;
        let flexible = Flexibility {
            departure_window,
            trip_days,
        };
        if flexible.candidates().is_empty() {
            let reason = format!("no weekend trip fits between {from} and {to}");
            return Err(FieldError::new("departure_window.shape", reason));
        }
        Ok(Some(flexible))
    }

    /// `trip_days`, or `trip_days_min` with `trip_days_max`; a weekend
    /// with neither lasts one to three days (Fri/Sat to Sun/Mon).
    fn parse_trip_days(&self, shape: DayShape) -> Result<Option<TripDays>, FieldError> {
        let days = |text: Option<&str>, field: &str| {
            optional(text, field, |t| {
                count(t, 0, u32::from(u16::MAX)).map(|n| n as u16)
            })
        };
        let exact = days(self.trip_days.as_deref(), "trip_days")?;
        let min = days(self.trip_days_min.as_deref(), "trip_days_min")?;
        let max = days(self.trip_days_max.as_deref(), "trip_days_max")?;
        let stay = match (exact, min, max) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                let reason = "give trip_days or trip_days_min and trip_days_max, not both";
                return Err(FieldError::new("trip_days", reason));
            }
            (Some(n), None, None) => TripDays::new(n, n).map_err(|e| e.renamed("trip_days"))?,
            (None, Some(a), Some(b)) => TripDays::new(a, b)?,
            (None, Some(_), None) => return Err(FieldError::new("trip_days_max", "is required")),
            (None, None, Some(_)) => return Err(FieldError::new("trip_days_min", "is required")),
            (None, None, None) if shape == DayShape::Weekend => TripDays::new(1, 3)?,
            (None, None, None) => return Ok(None),
        };
        Ok(Some(stay))
    }

    /// The other origins named, then the airports within the radius (as
    /// many as fit under [`MAX_ORIGINS`], nearest first).
    fn parse_other_origins(&self, origin: &Place) -> Result<Vec<Place>, FieldError> {
        let mut out = self
            .other_origins
            .iter()
            .filter(|t| !t.trim().is_empty())
            .map(|t| Place::resolve(t).map_err(|r| FieldError::new("other_origins", r)))
            .collect::<Result<Vec<_>, _>>()?;
        let radius = optional(self.origin_radius_km.as_deref(), "origin_radius_km", |t| {
            count(t, 0, u32::MAX)
        })?;
        if let Some(km) = radius {
            let room = MAX_ORIGINS.saturating_sub(out.len() + 1);
            let near = airports_near(origin, km)?;
            let near: Vec<Place> = near
                .into_iter()
                .filter(|p| !out.contains(p))
                .take(room)
                .collect();
            out.extend(near);
        }
        Ok(out)
    }

    fn parse_legs(&self, window: Option<(NaiveDate, NaiveDate)>) -> Result<Vec<Leg>, FieldError> {
        if let Some((from, _)) = window {
            return self.parse_flexible_leg(from);
        }
        if self.legs.is_empty() {
            return Err(FieldError::new("legs", "at least one leg is needed"));
        }
        if self.legs.len() > MAX_LEGS {
            return Err(FieldError::new(
                "legs",
                format!("at most {MAX_LEGS} legs, got {}", self.legs.len()),
            ));
        }
        self.legs
            .iter()
            .enumerate()
            .map(|(i, leg)| {
                let prefix = format!("legs[{i}]");
                let (origin, destination, date) = (
                    required(leg.origin.as_deref(), &prefix, "origin")?,
                    required(leg.destination.as_deref(), &prefix, "destination")?,
                    required(leg.date.as_deref(), &prefix, "date")?,
                );
                Leg::parse(&prefix, origin, destination, date)
            })
            .collect()
    }

    /// The one leg of a flexible search, dated at the window's first day.
    fn parse_flexible_leg(&self, from: NaiveDate) -> Result<Vec<Leg>, FieldError> {
        let dated = |i: usize| {
            self.legs
                .get(i)
                .and_then(|l| l.date.as_deref())
                .is_some_and(|d| !d.trim().is_empty())
        };
        if dated(0) {
            let reason = "give a departure date or a departure window, not both";
            return Err(FieldError::new("legs[0].date", reason));
        }
        if self.legs.len() > 1 {
            let field = if dated(1) { "legs[1].date" } else { "legs" };
            let reason = "a flexible search has one leg; trip_days sets the return";
            return Err(FieldError::new(field, reason));
        }
        let leg = self.legs.first().cloned().unwrap_or_default();
        Leg::parse(
            "legs[0]",
            required(leg.origin.as_deref(), "legs[0]", "origin")?,
            required(leg.destination.as_deref(), "legs[0]", "destination")?,
            &from.to_string(),
        )
        .map(|l| vec![l])
    }

    fn parse_passengers(&self) -> Result<Passengers, FieldError> {
        let max = u32::from(Passengers::MAX_SEATS);
        let seats = |text: &Option<String>, name: &str, default: u32| {
            optional(text.as_deref(), name, |t| count(t, 0, max)).map(|n| n.unwrap_or(default))
        };
        let adults = seats(&self.adults, "passengers.adults", 1)?;
        let children = seats(&self.children, "passengers.children", 0)?;
        let infants = seats(&self.infants, "passengers.infants", 0)?;
        Passengers::new(adults, children, infants).map_err(|e| {
            let field = format!("passengers.{}", e.field);
            e.renamed(field)
        })
    }

    fn parse_filters(&self) -> Result<Filters, FieldError> {
        if self.carriers.len() > MAX_CARRIERS {
            return Err(FieldError::new(
                "filters.carriers",
                format!(
                    "at most {MAX_CARRIERS} carriers, got {}",
                    self.carriers.len()
                ),
            ));
        }
        let carriers = self
            .carriers
            .iter()
            .filter(|c| !c.trim().is_empty())
            .map(|c| CarrierCode::parse(c).map_err(|e| e.renamed("filters.carriers")))
            .collect::<Result<Vec<_>, _>>()?;
        let max_price = optional(self.max_price.as_deref(), "filters.max_price", price)?;
        let after = optional(self.depart_after.as_deref(), "filters.depart_after", time)?;
        let before = optional(self.depart_before.as_deref(), "filters.depart_before", time)?;
        if let (Some(a), Some(b)) = (after, before)
            && a > b
        {
            return Err(FieldError::new(
                "filters.depart_before",
                format!("{b} is earlier than depart_after {a}"),
            ));
        }
        Ok(Filters {
            carriers,
            max_price,
            depart_after: after,
            depart_before: before,
        })
    }
}

/// The way back from `out`'s destination, `stay` days later.
fn return_leg(out: &Leg, stay: u16) -> Leg {
    Leg {
        origin: out.destination,
        destination: out.origin,
        date: out.date + Days::new(u64::from(stay)),
    }
}

/// A leg's part, present and not blank.
fn required<'a>(part: Option<&'a str>, prefix: &str, name: &str) -> Result<&'a str, FieldError> {
    part.filter(|t| !t.trim().is_empty())
        .ok_or_else(|| FieldError::new(format!("{prefix}.{name}"), "is required"))
}

/// Parses an optional value, naming `field` in the error.
fn optional<T>(
    text: Option<&str>,
    field: &str,
    parse: impl FnOnce(&str) -> Result<T, FieldError>,
) -> Result<Option<T>, FieldError> {
    text.map(|t| parse(t).map_err(|e| e.renamed(field)))
        .transpose()
}

/// A whole number in `min..=max`; never wraps, whatever its size.
fn count(text: &str, min: u32, max: u32) -> Result<u32, FieldError> {
    let n: u64 = text
        .trim()
        .parse()
        .map_err(|_| FieldError::new("count", format!("expected a whole number, got '{text}'")))?;
    match u32::try_from(n) {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(FieldError::new(
            "count",
            format!("must be between {min} and {max}, got {n}"),
        )),
    }
}

fn price(text: &str) -> Result<Decimal, FieldError> {
    match text.trim().parse::<Decimal>() {
        Ok(d) if d > Decimal::ZERO && d <= MAX_PRICE => Ok(d.normalize()),
        Ok(d) if d > MAX_PRICE => Err(FieldError::new(
            "price",
            format!("must be at most {MAX_PRICE}, got '{text}'"),
        )),
        _ => Err(FieldError::new(
            "price",
            format!("expected a positive amount, got '{text}'"),
        )),
    }
}

fn time(text: &str) -> Result<NaiveTime, FieldError> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M")
        .map_err(|_| FieldError::new("time", format!("expected a time as HH:MM, got '{text}'")))
}

/// An entry point into search, for naming fields as its clients know them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// `GET /search`: `origin`, `departure`, `return`, `adults`, `max_price`, ...
    Get,
    /// `POST /search`: the canonical names.
    Post,
    /// The model's `search_flights` tool: `departure_date`, `return_date`, `adults`, ...
    Tool,
    /// `chatpassagens search`: positionals and `--flags`.
    Cli,
}

impl Surface {
    /// What this entry point calls the canonical `field`.
    pub fn name(self, field: &str) -> String {
        if self == Self::Post {
            return field.to_owned();
        }
        let flat = match field {
            "legs[0].origin" | "legs[1].destination" => "origin",
            "legs[0].destination" | "legs[1].origin" => "destination",
            "legs[0].date" if self == Self::Tool => "departure_date",
            "legs[0].date" => "departure",
            "legs[1].date" if self == Self::Tool => "return_date",
            "legs[1].date" => "return",
            "departure_window.from" => "departure_from",
            "departure_window.to" => "departure_to",
            "departure_window.shape" => "departure_days",
            other => other
                .strip_prefix("passengers.")
                .or_else(|| other.strip_prefix("filters."))
                .unwrap_or(other),
        };
        let positional = matches!(flat, "origin" | "destination" | "departure" | "legs");
        if self == Self::Cli && !positional {
            format!("--{}", flat.replace('_', "-"))
        } else {
            flat.to_owned()
        }
    }

    /// The canonical field this entry point's `name` stands for.
    pub fn canonical(self, name: &str) -> String {
        let flat = name.trim_start_matches("--").replace('-', "_");
        match (self, flat.as_str()) {
            (Self::Post, _) => name.to_owned(),
            (_, "origin") => "legs[0].origin".to_owned(),
            (_, "destination") => "legs[0].destination".to_owned(),
            (_, "departure" | "departure_date") => "legs[0].date".to_owned(),
            (_, "return" | "return_date") => "legs[1].date".to_owned(),
            (_, "departure_from") => "departure_window.from".to_owned(),
            (_, "departure_to") => "departure_window.to".to_owned(),
            (_, "departure_days") => "departure_window.shape".to_owned(),
            (_, "adults" | "children" | "infants") => format!("passengers.{flat}"),
            (_, "carriers" | "max_price" | "depart_after" | "depart_before") => {
                format!("filters.{flat}")
            }
            _ => flat,
        }
    }

    /// `error` with its field renamed for this entry point.
    pub fn rename(self, error: FieldError) -> FieldError {
        let field = self.name(&error.field);
        error.renamed(field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
    }

    fn base() -> RawSearch {
        RawSearch::trip("SAO", "LIS", "2027-03-10", Some("2027-03-24"))
    }

    #[test]
    fn a_seat_count_that_would_wrap_is_refused_naming_the_field() {
        let raw = RawSearch {
            children: Some("4294967295".to_owned()),
            ..base()
        };
        let err = raw.parse(now()).unwrap_err();
        assert_eq!(err.field, "passengers.children");
        assert!(err.reason.contains("between 0 and 9"), "{err}");
        let raw = RawSearch {
            children: Some("18446744073709551616".to_owned()),
            ..base()
        };
        assert_eq!(raw.parse(now()).unwrap_err().field, "passengers.children");
    }

    #[test]
    fn a_round_trip_parses_with_defaults() {
        let q = base().parse(now()).unwrap();
        assert_eq!(q.legs().len(), 2);
        assert_eq!(q.options().passengers.adults(), 1);
        assert_eq!(q.options().limit, SearchOptions::DEFAULT_LIMIT);
    }

    #[test]
    fn prices_out_of_bounds_are_refused() {
        for bad in [
            "0",
            "-5",
            "abc",
            "99999999999999999999999999999",
            "10000001",
        ] {
            let raw = RawSearch {
                max_price: Some(bad.to_owned()),
                ..base()
            };
            let err = raw.parse(now()).unwrap_err();
            assert_eq!(err.field, "filters.max_price", "{bad}");
        }
    }

    #[test]
    fn every_surface_names_fields_its_own_way_and_back() {
        for field in [
            "legs[0].origin",
            "legs[0].date",
            "legs[1].date",
            "passengers.children",
            "filters.max_price",
            "max_stops",
            "limit",
            "departure_window.from",
            "departure_window.to",
            "departure_window.shape",
            "trip_days_min",
            "other_origins",
        ] {
            for s in [Surface::Get, Surface::Post, Surface::Tool, Surface::Cli] {
                assert_eq!(s.canonical(&s.name(field)), field, "{s:?} {field}");
            }
        }
        assert_eq!(Surface::Tool.name("legs[1].date"), "return_date");
        assert_eq!(Surface::Cli.name("passengers.adults"), "--adults");
        assert_eq!(Surface::Get.name("filters.depart_after"), "depart_after");
        assert_eq!(
            Surface::Cli.name("departure_window.from"),
            "--departure-from"
        );
    }

    fn window(from: &str, to: &str) -> RawSearch {
        let mut raw = RawSearch::trip("SAO", "LIS", "", None);
        raw.departure_from = Some(from.to_owned());
        raw.departure_to = Some(to.to_owned());
        raw
    }

    #[test]
    fn a_month_window_with_a_week_stay_is_a_flexible_round_trip() {
        let raw = RawSearch {
            trip_days: Some("7".to_owned()),
            ..window("2027-03-01", "2027-03-31")
        };
        let q = raw.parse(now()).unwrap();
        let flex = q.flexible().unwrap();
        assert_eq!(flex.departure_window.days(), 31);
        assert_eq!(flex.trip_days, Some(TripDays::new(7, 7).unwrap()));
        assert_eq!(q.legs()[1].date.to_string(), "2027-03-08");
        assert!(!q.is_plain());
    }

    #[test]
    fn bad_windows_are_refused_naming_the_field() {
        let cases = [
            (window("2027-03-01", "2027-05-15"), "departure_window.to"),
            (window("2026-10-01", "2026-10-31"), "departure_window.from"),
            (window("2027-03-01", "March"), "departure_window.to"),
            (
                RawSearch {
                    departure_to: None,
                    ..window("2027-03-01", "x")
                },
                "departure_window.to",
            ),
            (
                RawSearch {
                    trip_days: Some("7".to_owned()),
                    ..base()
                },
                "trip_days",
            ),
            (
                RawSearch {
                    trip_days_min: Some("3".to_owned()),
                    ..window("2027-03-01", "2027-03-31")
                },
                "trip_days_max",
            ),
            (
                RawSearch {
                    departure_days: Some("midweek".to_owned()),
                    ..window("2027-03-01", "2027-03-31")
                },
                "departure_window.shape",
            ),
            (
                RawSearch {
                    departure_days: Some("weekend".to_owned()),
                    ..window("2027-03-02", "2027-03-04")
                },
                "departure_window.shape",
            ),
            (
                RawSearch {
                    departure_from: Some("2027-03-01".to_owned()),
                    departure_to: Some("2027-03-31".to_owned()),
                    ..base()
                },
                "legs[0].date",
            ),
        ];
        for (raw, field) in cases {
            let err = raw.parse(now()).unwrap_err();
            assert_eq!(err.field, field, "{err}");
        }
    }

    #[test]
    fn other_origins_and_a_radius_add_airports_without_repeats() {
        let mut raw = RawSearch::trip("VCP", "LIS", "2027-03-10", Some("2027-03-24"));
        raw.other_origins = vec!["são paulo".to_owned()];
        let q = raw.parse(now()).unwrap();
        // SAO covers Campinas: one origin, and the return comes back to it.
        assert_eq!(q.origins().len(), 1);
        assert_eq!(q.legs()[1].destination.code().as_str(), "SAO");
        let mut raw = RawSearch::trip("GIG", "LIS", "2027-03-10", None);
        raw.origin_radius_km = Some("40".to_owned());
        let codes: Vec<String> = raw
            .parse(now())
            .unwrap()
            .origins()
            .iter()
            .map(|p| p.code().to_string())
            .collect();
        assert_eq!(codes[..2], ["GIG", "SDU"]);
        raw.other_origins = vec!["LIS".to_owned()];
        assert_eq!(raw.parse(now()).unwrap_err().field, "other_origins");
    }
}
