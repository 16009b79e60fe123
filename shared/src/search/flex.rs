//! Flexible dates and nearby airports: a departure window (with a trip
//! length for round trips and an optional weekend shape) instead of one
//! day, and more than one origin. A search with either is answered by
//! `fares::flexible`, which reads the price calendar once per route and
//! trip length and searches only the cheapest few days live.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};

use super::MAX_DAYS_AHEAD;
use crate::domain::FieldError;
use crate::places::{Place, all_airports, distance_km};

/// Most days a departure window may span: what one calendar request covers
/// (`fares::MAX_CALENDAR_DAYS`, two months).
pub const MAX_WINDOW_DAYS: u16 = 62;

/// Longest trip length a flexible round trip may ask for: a month away is
/// the longest stay travellers ask calendars for, and it bounds the
/// return dates to check.
pub const MAX_TRIP_DAYS: u16 = 30;

/// Most trip lengths one flexible search may try (`trip_days_min` to
/// `trip_days_max`): each costs one calendar request, so a week of lengths
/// keeps a search at a few calendar reads.
pub const MAX_TRIP_LENGTHS: u16 = 7;

/// Most origins one search may cover: each origin is a calendar read and a
/// live search per chosen day.
pub const MAX_ORIGINS: usize = 4;

/// Widest radius `origin_radius_km` accepts: 300 km is a long drive to an
/// airport, and wider circles pull in other metropolitan areas' airports.
pub const MAX_RADIUS_KM: u32 = 300;

/// Which departure days a window allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DayShape {
    /// Any day of the window.
    #[default]
    Any,
    /// Leave on a Friday or Saturday, come back on the Sunday or Monday after.
    Weekend,
}

impl DayShape {
    /// Parses `any` or `weekend` (`fim de semana` too).
    ///
    /// # Errors
    /// A [`FieldError`] on `shape`, quoting the input, for anything else.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        match crate::places::fold(text).as_str() {
            "any" | "" => Ok(Self::Any),
            "weekend" | "weekends" | "fim de semana" => Ok(Self::Weekend),
            _ => Err(FieldError::new(
                "shape",
                format!("unknown shape '{text}' (expected any or weekend)"),
            )),
        }
    }

    /// Whether a trip leaving on `out` and (for a round trip) back on `back` fits.
    pub fn allows(self, out: NaiveDate, back: Option<NaiveDate>) -> bool {
        match self {
            Self::Any => true,
            Self::Weekend => {
                matches!(out.weekday(), Weekday::Fri | Weekday::Sat)
                    && back.is_none_or(|b| {
                        matches!(b.weekday(), Weekday::Sun | Weekday::Mon)
                            && (b - out).num_days() <= 3
                    })
            }
        }
    }
}

/// The departure days a flexible search may pick from, first to last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartureWindow {
    /// First departure day, local to the origin.
    pub from: NaiveDate,
    /// Last departure day, local to the origin.
    pub to: NaiveDate,
    /// Which days of the window count.
    #[serde(default)]
    pub shape: DayShape,
}

impl DepartureWindow {
    /// Checks a window against the origin's `today` (as of `now`).
    ///
    /// # Errors
    /// Names `departure_window.from` for a day in the past or too far
    /// ahead, `departure_window.to` for an end before the start, over
    /// [`MAX_WINDOW_DAYS`] days, or too far ahead.
    pub fn new(
        from: NaiveDate,
        to: NaiveDate,
        shape: DayShape,
        origin: &Place,
        now: DateTime<Utc>,
    ) -> Result<Self, FieldError> {
        let today = origin.time_zone().today(now);
        let last = today
            .checked_add_days(Days::new(MAX_DAYS_AHEAD))
            .unwrap_or(NaiveDate::MAX);
        let refuse = |field: &str, reason: String| {
            Err(FieldError::new(format!("departure_window.{field}"), reason))
        };
        if from < today {
            let at = origin.code();
            return refuse(
                "from",
                format!("{from} is in the past (today is {today} in {at})"),
            );
        }
        if to < from {
            return refuse("to", format!("{to} is before the window's start {from}"));
        }
        let days = (to - from).num_days() + 1;
        if days > i64::from(MAX_WINDOW_DAYS) {
            return refuse(
                "to",
                format!("the window spans {days} days; at most {MAX_WINDOW_DAYS}"),
            );
        }
        if to > last {
            return refuse(
                "to",
                format!(
                    "{to} is more than {MAX_DAYS_AHEAD} days ahead (last bookable day is {last})"
                ),
            );
        }
        Ok(Self { from, to, shape })
    }

    /// Days in the window, first and last included.
    pub fn days(&self) -> u16 {
        u16::try_from((self.to - self.from).num_days() + 1).unwrap_or(MAX_WINDOW_DAYS)
    }
}

/// How long a flexible round trip lasts, in days (`min..=max`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TripDays {
    /// Shortest stay.
    pub min: u16,
    /// Longest stay.
    pub max: u16,
}

impl TripDays {
    /// Checks a range of trip lengths.
    ///
    /// # Errors
    /// Names `trip_days_min` or `trip_days_max`: a length outside
    /// 1..=[`MAX_TRIP_DAYS`], a max under the min, or more than
    /// [`MAX_TRIP_LENGTHS`] lengths.
    pub fn new(min: u16, max: u16) -> Result<Self, FieldError> {
        for (field, n) in [("trip_days_min", min), ("trip_days_max", max)] {
            if !(1..=MAX_TRIP_DAYS).contains(&n) {
                return Err(FieldError::new(
                    field,
                    format!("must be between 1 and {MAX_TRIP_DAYS}, got {n}"),
                ));
            }
        }
        if max < min {
            return Err(FieldError::new(
                "trip_days_max",
                format!("{max} is shorter than trip_days_min {min}"),
            ));
        }
        if max - min + 1 > MAX_TRIP_LENGTHS {
            return Err(FieldError::new(
                "trip_days_max",
                format!("at most {MAX_TRIP_LENGTHS} trip lengths per search, got {min} to {max}"),
            ));
        }
        Ok(Self { min, max })
    }

    /// Every length tried, shortest first.
    pub fn lengths(&self) -> impl Iterator<Item = u16> {
        self.min..=self.max
    }
}

/// A flexible-date search: the window, and the stay for a round trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flexibility {
    /// The departure days to pick from.
    pub departure_window: DepartureWindow,
    /// How long the trip lasts; `None` for one way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trip_days: Option<TripDays>,
}

impl Flexibility {
    /// Every `(departure, return)` the flexible search may pick, in date order.
    pub fn candidates(&self) -> Vec<(NaiveDate, Option<NaiveDate>)> {
        let window = &self.departure_window;
        let days = window.from.iter_days().take(usize::from(window.days()));
        let mut out = Vec::new();
        for day in days {
            match self.trip_days {
                None => out.push((day, None)),
                Some(t) => out.extend(t.lengths().map(|n| (day, Some(day + Days::new(n.into()))))),
            }
        }
        out.retain(|(out, back)| window.shape.allows(*out, *back));
        out
    }
}

/// The airports with scheduled service within `radius_km` of `origin`'s
/// main airport, nearest first, leaving out those `origin` already covers.
///
/// # Errors
/// Names `origin_radius_km` when the radius is 0 or over [`MAX_RADIUS_KM`].
pub fn airports_near(origin: &Place, radius_km: u32) -> Result<Vec<Place>, FieldError> {
    if !(1..=MAX_RADIUS_KM).contains(&radius_km) {
        return Err(FieldError::new(
            "origin_radius_km",
            format!("must be between 1 and {MAX_RADIUS_KM} km, got {radius_km}"),
        ));
    }
    let centre = origin.main_airport();
    let mut near: Vec<(f64, Place)> = all_airports()
        .iter()
        .filter(|a| a.service() >= 2)
        .map(|a| (distance_km(centre, a), Place::Airport(a)))
        .filter(|(d, p)| *d <= f64::from(radius_km) && !origin.overlaps(p))
        .collect();
    near.sort_by(|a, b| a.0.total_cmp(&b.0));
    Ok(near.into_iter().map(|(_, p)| p).collect())
}

/// `origins` without any place another listed place already covers (VCP
/// goes when SAO is listed) and without repeats, in their order.
pub fn distinct_origins(origins: Vec<Place>) -> Vec<Place> {
    let covered = |p: &Place, by: &Place| {
        p != by
            && p.airports()
                .iter()
                .all(|a| by.airports().iter().any(|b| b.code == a.code))
    };
    let mut out: Vec<Place> = Vec::new();
    for p in &origins {
        if !out.contains(p) && !origins.iter().any(|other| covered(p, other)) {
            out.push(*p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn sao() -> Place {
        Place::resolve("SAO").unwrap()
    }

    #[test]
    fn a_window_over_62_days_or_in_the_past_is_refused_naming_its_end() {
        let err = DepartureWindow::new(
            day("2027-03-01"),
            day("2027-05-02"),
            DayShape::Any,
            &sao(),
            now(),
        )
        .unwrap_err();
        assert_eq!(err.field, "departure_window.to");
        assert!(err.reason.contains("63 days"), "{err}");
        let err = DepartureWindow::new(
            day("2026-11-01"),
            day("2026-11-30"),
            DayShape::Any,
            &sao(),
            now(),
        )
        .unwrap_err();
        assert_eq!(err.field, "departure_window.from");
        assert!(err.reason.contains("in the past"), "{err}");
        assert!(
            DepartureWindow::new(
                day("2027-03-01"),
                day("2027-05-01"),
                DayShape::Any,
                &sao(),
                now()
            )
            .is_ok()
        );
    }

    #[test]
    fn weekends_leave_friday_or_saturday_and_come_back_sunday_or_monday() {
        let window = DepartureWindow::new(
            day("2027-04-01"),
            day("2027-04-30"),
            DayShape::Weekend,
            &sao(),
            now(),
        )
        .unwrap();
        let flex = Flexibility {
            departure_window: window,
            trip_days: Some(TripDays::new(1, 3).unwrap()),
        };
        let trips = flex.candidates();
        // April 2027 has five Fridays (2, 9, 16, 23, 30) and four Saturdays;
        // each has two returns (Sun and Mon).
        assert_eq!(trips.len(), 18, "{trips:?}");
        assert!(trips.contains(&(day("2027-04-02"), Some(day("2027-04-04")))));
        assert!(trips.contains(&(day("2027-04-03"), Some(day("2027-04-05")))));
        assert!(!trips.iter().any(|(o, _)| o.weekday() == Weekday::Wed));
    }

    #[test]
    fn trip_lengths_are_bounded_and_ordered() {
        assert_eq!(TripDays::new(0, 3).unwrap_err().field, "trip_days_min");
        assert_eq!(TripDays::new(5, 4).unwrap_err().field, "trip_days_max");
        assert_eq!(TripDays::new(1, 20).unwrap_err().field, "trip_days_max");
        assert_eq!(TripDays::new(7, 7).unwrap().lengths().count(), 1);
    }

    #[test]
    fn campinas_is_near_sao_paulo_and_a_metro_covers_its_airports() {
        let gig = Place::resolve("GIG").unwrap();
        let near: Vec<String> = airports_near(&gig, 50)
            .unwrap()
            .iter()
            .map(|p| p.code().to_string())
            .collect();
        assert!(near.contains(&"SDU".to_owned()), "{near:?}");
        assert!(!near.contains(&"GRU".to_owned()), "{near:?}");
        assert_eq!(
            airports_near(&gig, 0).unwrap_err().field,
            "origin_radius_km"
        );
        let vcp = Place::resolve("VCP").unwrap();
        assert_eq!(distinct_origins(vec![vcp, sao(), sao()]), vec![sao()]);
    }
}
