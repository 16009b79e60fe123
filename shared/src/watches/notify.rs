//! Notifications: when a refreshed price deserves one, what it says, and
//! how a traveller pages through them.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::assistant::Lang;
use crate::assistant::reply;
use crate::domain::{
    Currency, FieldError, Money, NotificationId, WatchId, decode_cursor, encode_cursor,
};
use crate::search::SearchQuery;

/// How far under the previous low a price must fall to be news: fares
/// wobble by a few percent from day to day (the demo model's noise alone
/// moves about ±6%), so 10% is a drop a traveller would act on.
pub const DROP_PERCENT: u32 = 10;

/// Why a price deserves a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// At least [`DROP_PERCENT`] under the previous low.
    NewLow {
        /// The low it beats.
        previous: Decimal,
    },
    /// Under the traveller's target.
    UnderTarget {
        /// The target.
        target: Decimal,
    },
}

/// Whether `price` deserves a notification, given a watch's previous
/// `lowest` and its `target`: a new low at least [`DROP_PERCENT`] under the
/// previous one, or a price under the target. The first price ever seen is
/// no news unless it beats the target.
pub fn decide(lowest: Option<Decimal>, target: Option<Decimal>, price: Decimal) -> Option<Reason> {
    if let Some(target) = target
        && price < target
    {
        return Some(Reason::UnderTarget { target });
    }
    let previous = lowest?;
    let threshold = previous * Decimal::from(100 - DROP_PERCENT) / Decimal::from(100);
    (price <= threshold).then_some(Reason::NewLow { previous })
}

/// The notification's text in the traveller's language: route, dates,
/// price and how much it fell, for a watch of `query` departing up to
/// `departure_to`.
pub fn message(
    query: &SearchQuery,
    departure_to: NaiveDate,
    price: Decimal,
    reason: Reason,
    lang: Lang,
) -> String {
    let currency = query.options().currency;
    let m = |amount: Decimal| reply::money(&Money::new(amount, currency), lang);
    let leg = &query.legs()[0];
    let (from, to) = (named(&leg.origin, lang), named(&leg.destination, lang));
    let when = dates(query, departure_to, lang);
    match (reason, lang) {
        (Reason::NewLow { previous }, Lang::Pt) => format!(
            "{from} → {to} ({when}) caiu para {}: {} a menos que o menor preço anterior ({}).",
            m(price),
            m(previous - price),
            m(previous)
        ),
        (Reason::NewLow { previous }, Lang::En) => format!(
            "{from} → {to} ({when}) dropped to {}: {} under the previous low ({}).",
            m(price),
            m(previous - price),
            m(previous)
        ),
        (Reason::UnderTarget { target }, Lang::Pt) => format!(
            "{from} → {to} ({when}) está em {}, abaixo da sua meta de {}.",
            m(price),
            m(target)
        ),
        (Reason::UnderTarget { target }, Lang::En) => format!(
            "{from} → {to} ({when}) is at {}, under your target of {}.",
            m(price),
            m(target)
        ),
    }
}

/// A watch's dates for people: the departure or its window, and for a
/// round trip the return (`10 de março, volta 17 de março`) or the stay
/// when the departure is a window (`volta 7 dias depois`).
pub fn dates(query: &SearchQuery, departure_to: NaiveDate, lang: Lang) -> String {
    let leg = &query.legs()[0];
    let out = if leg.date == departure_to {
        reply::date(leg.date, lang)
    } else {
        let (a, b) = (reply::date(leg.date, lang), reply::date(departure_to, lang));
        match lang {
            Lang::Pt => format!("entre {a} e {b}"),
            Lang::En => format!("between {a} and {b}"),
        }
    };
    let Some(back) = query.legs().get(1) else {
        return out;
    };
    let window = leg.date != departure_to;
    let days = (back.date - leg.date).num_days();
    match (lang, window) {
        (Lang::Pt, false) => format!("{out}, volta {}", reply::date(back.date, lang)),
        (Lang::En, false) => format!("{out}, back {}", reply::date(back.date, lang)),
        (Lang::Pt, true) => format!("ida {out}, volta {days} dias depois"),
        (Lang::En, true) => format!("out {out}, back {days} days later"),
    }
}

/// A place as a traveller reads it in `lang`: "Lisboa (LIS)", "São Paulo
/// (SAO)", not the airport's full English name.
fn named(place: &crate::places::Place, lang: Lang) -> String {
    use crate::places::{Place, metro_of};
    // An airport of a metro reads as the metro's city: "São Paulo (GRU)".
    let city = match place {
        Place::Airport(a) => metro_of(a.code).map_or(*place, Place::Metro),
        Place::Metro(_) => *place,
    };
    format!("{} ({})", city.city_in(lang), place.code())
}

/// The e-mail of a notification: a subject with the route and price, and
/// the notification's `message` with where to see or stop the alert.
pub fn mail(query: &SearchQuery, price: Decimal, message: &str, lang: Lang) -> (String, String) {
    let leg = &query.legs()[0];
    let (from, to) = (named(&leg.origin, lang), named(&leg.destination, lang));
    let price = reply::money(&Money::new(price, query.options().currency), lang);
    match lang {
        Lang::Pt => (
            format!("Alerta de preço: {from} → {to} por {price}"),
            format!(
                "{message}\n\nVeja o histórico, pause ou apague este alerta em Alertas, no ChatPassagens."
            ),
        ),
        Lang::En => (
            format!("Price alert: {from} → {to} at {price}"),
            format!(
                "{message}\n\nSee its history, pause or delete this alert under Alerts in ChatPassagens."
            ),
        ),
    }
}

/// A notification, the traveller's alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// Id.
    pub id: NotificationId,
    /// The watch it is about.
    pub watch_id: WatchId,
    /// The day it is for: at most one per watch per day.
    pub day: NaiveDate,
    /// The price that caused it.
    #[serde(deserialize_with = "super::watch::amount::required")]
    pub price: Decimal,
    /// Currency of `price`.
    pub currency: Currency,
    /// What it says, in the traveller's language.
    pub message: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// When the traveller marked it read.
    pub read_at: Option<DateTime<Utc>>,
}

/// One page of notifications, newest first, and how many are unread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotificationPage {
    /// The page.
    pub notifications: Vec<Notification>,
    /// Unread notifications in total (not only on this page).
    pub unread: u32,
    /// Pass as `cursor` for the next page; absent on the last one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Where a page of notifications ends: the last one's time and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotificationCursor {
    /// `created_at` of the last notification seen.
    pub created_at: DateTime<Utc>,
    /// Its id.
    pub id: NotificationId,
}

impl NotificationCursor {
    /// The opaque text clients pass back (`base64url(created_at|id)`).
    pub fn encode(&self) -> String {
        encode_cursor(self.created_at, &self.id)
    }

    /// Reads a cursor a client passed back.
    ///
    /// # Errors
    /// A [`FieldError`] on `cursor` when it is not one we issued.
    pub fn decode(text: &str) -> Result<Self, FieldError> {
        let (created_at, id) = decode_cursor(text)?;
        Ok(Self { created_at, id })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::RawSearch;
    use crate::watches::{NewWatch, RawWatch};
    use chrono::TimeZone;

    fn watch() -> NewWatch {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap();
        RawWatch {
            search: RawSearch::trip("GRU", "LIS", "2027-03-10", None),
            ..RawWatch::default()
        }
        .parse(now)
        .unwrap()
    }

    fn d(n: i64) -> Option<Decimal> {
        Some(Decimal::from(n))
    }

    #[test]
    fn a_drop_of_ten_percent_is_news_and_a_smaller_one_is_not() {
        assert_eq!(
            decide(d(4000), None, Decimal::from(3600)),
            Some(Reason::NewLow {
                previous: Decimal::from(4000)
            })
        );
        assert_eq!(decide(d(4000), None, Decimal::from(3601)), None);
        assert_eq!(decide(None, None, Decimal::from(100)), None);
    }

    #[test]
    fn a_price_under_the_target_is_news_even_without_a_previous_low() {
        assert!(matches!(
            decide(None, d(3000), Decimal::from(2999)),
            Some(Reason::UnderTarget { .. })
        ));
        assert_eq!(decide(None, d(3000), Decimal::from(3000)), None);
    }

    #[test]
    fn a_round_trip_message_names_the_return_or_the_stay() {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap();
        let raw = |to: Option<&str>| RawWatch {
            search: RawSearch::trip("GRU", "LIS", "2027-03-10", Some("2027-03-17")),
            departure_to: to.map(str::to_owned),
            ..RawWatch::default()
        };
        let w = raw(None).parse(now).unwrap();
        let pt = dates(&w.query, w.departure_to, Lang::Pt);
        assert_eq!(pt, "10 de março, volta 17 de março");
        let w = raw(Some("2027-03-20")).parse(now).unwrap();
        let en = dates(&w.query, w.departure_to, Lang::En);
        assert!(en.ends_with("back 7 days later"), "{en}");
    }

    #[test]
    fn the_message_names_route_date_price_and_drop_in_each_language() {
        let w = watch();
        let reason = decide(d(4000), None, Decimal::from(3500)).unwrap();
        let message = |lang| message(&w.query, w.departure_to, Decimal::from(3500), reason, lang);
        let pt = message(Lang::Pt);
        assert!(
            pt.contains("10 de março") && pt.contains("R$ 3.500,00"),
            "{pt}"
        );
        assert!(pt.contains("R$ 500,00 a menos"), "{pt}");
        // Places as a traveller reads them, not the airports' English names.
        assert!(pt.starts_with("São Paulo (GRU) → Lisboa (LIS)"), "{pt}");
        assert!(!pt.contains("Airport"), "{pt}");
        let en = message(Lang::En);
        assert!(
            en.contains("March 10") && en.contains("R$ 500.00 under"),
            "{en}"
        );
        let (subject, text) = mail(&w.query, Decimal::from(3500), &pt, Lang::Pt);
        assert!(subject.contains("R$ 3.500,00"), "{subject}");
        assert!(text.starts_with(&pt) && text.contains("pause"), "{text}");
        let (subject, _) = mail(&w.query, Decimal::from(3500), &en, Lang::En);
        assert!(
            subject.starts_with("Price alert: São Paulo (GRU) → Lisbon (LIS)"),
            "{subject}"
        );
    }
}
