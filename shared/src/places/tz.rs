//! Time zones from the IANA database bundled in the binary (jiff's compact
//! copy: plain TZif bytes parsed on first use of a zone, instead of
//! `chrono-tz`'s tables of pointers, which cost about 2 MB of relocations
//! and data in every Lambda binary).

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, PoisonError};

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use jiff::civil;
use jiff::tz::TimeZone;

/// An IANA time zone (UTC when the name is unknown).
#[derive(Clone, Debug)]
pub struct Zone(TimeZone);

impl Zone {
    /// The zone named `name` (`America/Sao_Paulo`), or UTC if the bundled
    /// database lacks it.
    pub fn named(name: &str) -> Self {
        // Looking a name up in the bundled database compares it with the
        // index case-insensitively, which was most of a demo search's time
        // (every slice converts times at both ends); the zones airports use
        // are a few hundred, so each is looked up once per process.
        static ZONES: LazyLock<Mutex<HashMap<String, TimeZone>>> = LazyLock::new(Mutex::default);
        let mut zones = ZONES.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(zone) = zones.get(name) {
            return Self(zone.clone());
        }
        let zone = TimeZone::get(name).unwrap_or(TimeZone::UTC);
        zones.insert(name.to_owned(), zone.clone());
        Self(zone)
    }

    /// The IANA name.
    pub fn name(&self) -> &str {
        self.0.iana_name().unwrap_or("UTC")
    }

    /// The instant a wall-clock time here stands for. In a DST gap the time
    /// moves forward, in an overlap the earlier instant wins (RFC 5545
    /// "compatible", as airline timetables resolve them).
    pub fn to_utc(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        use chrono::{Datelike, Timelike};
        let dt = civil::DateTime::new(
            i16::try_from(local.year()).ok()?,
            i8::try_from(local.month()).ok()?,
            i8::try_from(local.day()).ok()?,
            i8::try_from(local.hour()).ok()?,
            i8::try_from(local.minute()).ok()?,
            i8::try_from(local.second()).ok()?,
            0,
        )
        .ok()?;
        let zoned = self.0.to_ambiguous_zoned(dt).compatible().ok()?;
        DateTime::from_timestamp(zoned.timestamp().as_second(), 0)
    }

    /// The wall-clock time here at instant `t` (whole seconds).
    pub fn to_local(&self, t: DateTime<Utc>) -> NaiveDateTime {
        let offset = jiff::Timestamp::from_second(t.timestamp())
            .map(|ts| self.0.to_offset(ts).seconds())
            .unwrap_or(0);
        (t + chrono::Duration::seconds(i64::from(offset))).naive_utc()
    }

    /// The calendar date here at instant `now`.
    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        self.to_local(now).date()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    #[test]
    fn conversions_follow_the_iana_rules() {
        let sp = Zone::named("America/Sao_Paulo");
        let lisbon = Zone::named("Europe/Lisbon");
        let local = NaiveDate::from_ymd_opt(2027, 3, 10)
            .unwrap()
            .and_hms_opt(22, 5, 0)
            .unwrap();
        let utc = sp.to_utc(local).unwrap();
        assert_eq!(utc, Utc.with_ymd_and_hms(2027, 3, 11, 1, 5, 0).unwrap());
        assert_eq!(lisbon.to_local(utc), utc.naive_utc());
        // Lisbon is on summer time (UTC+1) in July.
        let july = Utc.with_ymd_and_hms(2027, 7, 1, 12, 0, 0).unwrap();
        assert_eq!(lisbon.to_local(july).format("%H:%M").to_string(), "13:00");
        assert_eq!(Zone::named("Not/AZone").name(), "UTC");
        assert_eq!(sp.name(), "America/Sao_Paulo");
    }
}
