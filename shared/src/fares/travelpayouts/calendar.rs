//! The month matrix as a price calendar. `/v2/prices/month-matrix` is the
//! Data API's documented "price for each day of a month" answer: one request
//! per month, one entry per day and number of connections, each with
//! `found_at` (when the price was seen) and `actual`. `prices_for_dates`
//! with `departure_at=YYYY-MM` would also cover a month, but documents no
//! `found_at`, and a calendar of cached prices must say how old each is.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::wire::MatrixEntry;
use crate::domain::{Currency, Money};
use crate::fares::calendar::{CalendarQuery, DayPrice, DaySource};
use crate::rates::RateTable;

/// The first day of every month `query`'s span touches, in order.
pub fn months(query: &CalendarQuery) -> Vec<NaiveDate> {
    let last = last_day(query);
    let mut out: Vec<NaiveDate> = Vec::new();
    let mut day = query.first_day;
    while day <= last {
        let first = day.with_day(1).unwrap_or(day);
        if out.last() != Some(&first) {
            out.push(first);
        }
        day = match day.checked_add_days(Days::new(1)) {
            Some(next) => next,
            None => break,
        };
    }
    out
}

/// The cheapest entry per departure day of `query`'s span, one way or with
/// the asked trip length, in the traveller's currency (converted with
/// `rates` when the answer came in another; a day that cannot be converted
/// is left out).
pub fn day_prices(
    entries: &[MatrixEntry],
    query: &CalendarQuery,
    source: Currency,
    rates: Option<&RateTable>,
) -> Vec<DayPrice> {
    let last = last_day(query);
    let mut best: BTreeMap<NaiveDate, &MatrixEntry> = BTreeMap::new();
    let wanted = entries.iter().filter(|e| {
        let back = query
            .trip_days
            .and_then(|n| e.depart_date.checked_add_days(Days::new(u64::from(n))));
        (query.first_day..=last).contains(&e.depart_date) && e.return_date == back
    });
    for entry in wanted {
        let cheaper = best
            .get(&entry.depart_date)
            .is_none_or(|b| entry.value < b.value);
        if cheaper {
            best.insert(entry.depart_date, entry);
        }
    }
    best.into_values()
        .filter_map(|e| day_price(e, query.currency, source, rates))
        .collect()
}

fn day_price(
    entry: &MatrixEntry,
    currency: Currency,
    source: Currency,
    rates: Option<&RateTable>,
) -> Option<DayPrice> {
    let found = Money::new(Decimal::try_from(entry.value).ok()?, source);
    let price = if source == currency {
        found
    } else {
        rates?.convert(found, currency)?
    };
    Some(DayPrice {
        date: entry.depart_date,
        return_date: entry.return_date,
        price,
        provider: super::NAME.to_owned(),
        source: DaySource::Cached,
        found_at: entry.found_at.map(|t| t.with_timezone(&Utc)),
    })
}

fn last_day(query: &CalendarQuery) -> NaiveDate {
    let span = u64::from(query.days.max(1)) - 1;
    query
        .first_day
        .checked_add_days(Days::new(span))
        .unwrap_or(query.first_day)
}
