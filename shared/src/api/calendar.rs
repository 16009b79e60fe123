//! `GET /calendar`: the cheapest known price per departure day for a route,
//! over a month (`month=2027-03`) or a window of up to 62 days
//! (`from=2027-03-10&days=14`), one way or with a trip length
//! (`trip_days=7`), from the configured calendar (Travelpayouts' cached
//! prices when configured, else the demo fare model). Each day says where
//! its figure comes from; a calendar that fails becomes a warning.

use axum::Json;
use axum::extract::{RawQuery, State};
use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use serde::Serialize;

use super::ApiError;
use super::input::{QueryParams, parse_count};
use crate::app::App;
use crate::domain::{Cabin, Currency, FieldError};
use crate::fares::{CalendarQuery, DayPrice, MAX_CALENDAR_DAYS, Warning, provider_warning};
use crate::places::Place;
use crate::search::{MAX_DAYS_AHEAD, parse_date};

const PARAMS: &[&str] = &[
    "origin",
    "destination",
    "month",
    "from",
    "days",
    "trip_days",
    "cabin",
    "currency",
];

/// Days a `from=` window covers unless `days` says: about a month.
const DEFAULT_DAYS: u32 = 31;

/// Longest trip a round-trip calendar prices: three months, past which
/// travellers ask for two one-way searches.
const MAX_TRIP_DAYS: u32 = 90;

/// The answer: every priced day, the cheapest of them, which calendar was
/// asked and how many days it priced, and what went wrong.
#[derive(Debug, Serialize)]
pub(super) struct CalendarAnswer {
    days: Vec<DayPrice>,
    /// The cheapest day (the earliest on a tie); `null` when none is priced.
    cheapest: Option<DayPrice>,
    sources: Vec<Source>,
    warnings: Vec<Warning>,
}

/// A calendar asked, and the days it priced.
#[derive(Debug, Serialize)]
struct Source {
    provider: String,
    days: usize,
}

/// `GET /calendar?origin=SAO&destination=LIS&month=2027-03`
pub(super) async fn get(
    State(app): State<App>,
    RawQuery(raw): RawQuery,
) -> Result<Json<CalendarAnswer>, ApiError> {
    let mut p = QueryParams::parse(raw.as_deref(), PARAMS)?;
    let now = (app.clock)();
    let query = read_query(&mut p, now)?;
    let name = app.calendar.name().to_owned();
    let (days, warnings) = match app.calendar.days(&query, now).await {
        Ok(days) => (days, Vec::new()),
        Err(e) => {
            tracing::warn!(provider.name = %name, error = %e, "calendar failed");
            (Vec::new(), vec![provider_warning(&name, &e)])
        }
    };
    let cheapest = days
        .iter()
        .min_by(|a, b| a.price.amount.cmp(&b.price.amount))
        .cloned();
    let sources = vec![Source {
        provider: name,
        days: days.len(),
    }];
    Ok(Json(CalendarAnswer {
        days,
        cheapest,
        sources,
        warnings,
    }))
}

/// Reads and checks every parameter into the calendar's query.
fn read_query(p: &mut QueryParams, now: DateTime<Utc>) -> Result<CalendarQuery, FieldError> {
    let place = |field: &str, text: Option<String>| {
        Place::resolve(&text.unwrap_or_default()).map_err(|reason| FieldError::new(field, reason))
    };
    let origin = place("origin", p.take("origin"))?;
    let destination = place("destination", p.take("destination"))?;
    if origin.overlaps(&destination) {
        let reason = format!("must differ from the origin '{}'", origin.code());
        return Err(FieldError::new("destination", reason));
    }
    let today = origin.time_zone().today(now);
    let (first_day, days) = window(p, today)?;
    let trip_days = p
        .take("trip_days")
        .map(|t| parse_count("trip_days", &t, 1, MAX_TRIP_DAYS))
        .transpose()?;
    Ok(CalendarQuery {
        origin,
        destination,
        first_day,
        days,
        trip_days: trip_days.map(|n| n as u16),
        cabin: p
            .take("cabin")
            .map_or(Ok(Cabin::Economy), |t| Cabin::parse(&t))?,
        currency: p
            .take("currency")
            .map_or(Ok(Currency::BRL), |t| Currency::parse(&t))?,
    })
}

/// The first day and length of the window: a month from today on, or
/// `from` and `days`.
fn window(p: &mut QueryParams, today: NaiveDate) -> Result<(NaiveDate, u16), FieldError> {
    let (first, days, field) = match (p.take("month"), p.take("from"), p.take("days")) {
        (Some(_), Some(_), _) => {
            return Err(FieldError::new(
                "from",
                "give either month or from, not both",
            ));
        }
        (Some(_), None, Some(_)) => {
            return Err(FieldError::new("days", "goes with from, not with month"));
        }
        (Some(month), None, None) => {
            let (first, days) = month_window(&month, today)?;
            (first, days, "month")
        }
        (None, Some(from), days) => {
            let first = parse_date(&from).map_err(|e| e.renamed("from"))?;
            if first < today {
                let reason = format!("{first} is in the past (today is {today})");
                return Err(FieldError::new("from", reason));
            }
            let max = u32::from(MAX_CALENDAR_DAYS);
            let days = days.map_or(Ok(DEFAULT_DAYS), |d| parse_count("days", &d, 1, max))?;
            (first, days, "from")
        }
        (None, None, _) => {
            return Err(FieldError::new(
                "month",
                "give month=YYYY-MM, or from=YYYY-MM-DD and days",
            ));
        }
    };
    let horizon = today
        .checked_add_days(Days::new(MAX_DAYS_AHEAD))
        .unwrap_or(NaiveDate::MAX);
    if first > horizon {
        let reason = format!(
            "{first} is more than {MAX_DAYS_AHEAD} days ahead (last bookable day is {horizon})"
        );
        return Err(FieldError::new(field, reason));
    }
    Ok((first, days as u16))
}

/// The days of `text`'s month from `today` on.
fn month_window(text: &str, today: NaiveDate) -> Result<(NaiveDate, u32), FieldError> {
    let malformed = || {
        FieldError::new(
            "month",
            format!("expected a month as YYYY-MM, got '{text}'"),
        )
    };
    let trimmed = text.trim();
    if trimmed.len() != 7 {
        return Err(malformed());
    }
    let first =
        NaiveDate::parse_from_str(&format!("{trimmed}-01"), "%Y-%m-%d").map_err(|_| malformed())?;
    let last = first
        .checked_add_months(Months::new(1))
        .and_then(|next| next.pred_opt())
        .ok_or_else(malformed)?;
    if last < today {
        let reason = format!("{trimmed} is in the past (today is {today})");
        return Err(FieldError::new("month", reason));
    }
    let start = first.max(today);
    let days = (last - start).num_days() + 1;
    Ok((start, u32::try_from(days).unwrap_or(1)))
}
