//! The one parser every way into a search goes through: GET and POST
//! `/search`, the model's `search_flights` tool, the offline assistant, the
//! CLI and (next) watches each turn what they received into a [`RawSearch`]
//! and call [`RawSearch::parse`], so the same words mean the same search
//! everywhere and every bound is enforced once.
//!
//! Errors name fields canonically (`legs[1].date`, `passengers.children`,
//! `filters.max_price`); each entry point renames them to what its client
//! sent with [`Surface::name`].

use chrono::{DateTime, NaiveTime, Utc};
use rust_decimal::Decimal;

use super::{Filters, Leg, MAX_LEGS, SearchOptions, SearchQuery, Sort};
use crate::domain::{Cabin, CarrierCode, Currency, FieldError, Passengers};

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
        let legs = self.parse_legs()?;
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
        SearchQuery::new(legs, options, now)
    }

    fn parse_legs(&self) -> Result<Vec<Leg>, FieldError> {
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
        ] {
            for s in [Surface::Get, Surface::Post, Surface::Tool, Surface::Cli] {
                assert_eq!(s.canonical(&s.name(field)), field, "{s:?} {field}");
            }
        }
        assert_eq!(Surface::Tool.name("legs[1].date"), "return_date");
        assert_eq!(Surface::Cli.name("passengers.adults"), "--adults");
        assert_eq!(Surface::Get.name("filters.depart_after"), "depart_after");
    }
}
