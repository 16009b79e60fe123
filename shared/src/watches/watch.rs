//! A watch as a traveller creates it ([`RawWatch`] → [`NewWatch`], through
//! the one search parser) and as the store keeps it ([`Watch`]).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::assistant::Lang;
use crate::domain::{FieldError, UserId, WatchId};
use crate::search::{Leg, RawSearch, SearchQuery, Surface, TripKind, parse_date};

/// Most active watches per traveller: enough for every trip someone is
/// really planning, few enough that one account cannot make the scheduled
/// refresh search a route table on its own.
pub const MAX_ACTIVE_WATCHES: usize = 20;

/// Widest departure window, in days after its first date: a month covers
/// "sometime in March" without turning one watch into a season's searches.
pub const MAX_WINDOW_DAYS: i64 = 30;

/// Highest target accepted, the same bound as a search's `max_price`.
const MAX_TARGET: Decimal = Decimal::from_parts(10_000_000, 0, 0, false, 0);

/// Whether a watch is followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WatchStatus {
    /// Refreshed on schedule.
    Active,
    /// Kept, not refreshed, until resumed.
    Paused,
    /// Its dates have passed; kept for its history.
    Closed,
}

impl WatchStatus {
    /// The name on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Paused => "paused",
            Self::Closed => "closed",
        }
    }
}

/// A watch as a client sent it: a one-way or round-trip search's raw
/// fields, the end of the departure window and a target price, all still
/// text. A round trip keeps its stay across the window: each departure
/// date is searched with the return as many days after it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawWatch {
    /// The search: one leg or a round trip, passengers, cabin, stops, currency.
    pub search: RawSearch,
    /// Last departure date of the window (`None`: the one date).
    pub departure_to: Option<String>,
    /// Notify when the price falls under this (a positive amount).
    pub target_price: Option<String>,
    /// Language of the notifications: `pt` (the default) or `en`.
    pub language: Option<String>,
}

/// A checked watch, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWatch {
    /// The search for the window's first date.
    pub query: SearchQuery,
    /// Last departure date of the window (equal to the first for one date).
    pub departure_to: NaiveDate,
    /// Notify under this price, in the query's currency.
    pub target_price: Option<Decimal>,
    /// Language of its notifications.
    pub language: Lang,
}

impl RawWatch {
    /// Checks everything as of `now`; fields are named as `POST /watches`
    /// names them (`origin`, `departure`, `departure_to`, `adults`, `target_price`).
    ///
    /// # Errors
    /// The first bad field: any search error, a window that ends before it
    /// starts, spans more than [`MAX_WINDOW_DAYS`] or leaves the bookable
    /// range, or a target that is not a positive amount.
    pub fn parse(&self, now: DateTime<Utc>) -> Result<NewWatch, FieldError> {
        if !(1..=2).contains(&self.search.legs.len()) {
            return Err(one_route());
        }
        let query = self.search.parse(now).map_err(|e| Surface::Get.rename(e))?;
        if query.trip() == TripKind::MultiCity {
            return Err(one_route());
        }
        let from = query.legs()[0].date;
        let departure_to = match self.departure_to.as_deref() {
            None => from,
            Some(text) => window_end(&query, text, now)?,
        };
        let target_price = self.target_price.as_deref().map(target).transpose()?;
        let language = self.language.as_deref().map_or(Ok(Lang::Pt), language)?;
        Ok(NewWatch {
            query,
            departure_to,
            target_price,
            language,
        })
    }
}

fn one_route() -> FieldError {
    FieldError::new(
        "legs",
        "a watch follows one route, one way or a round trip, and one departure date or window",
    )
}

/// The window's last departure date, checked: after the first, at most
/// [`MAX_WINDOW_DAYS`] later, and a searchable trip itself (its return
/// moved by as many days).
fn window_end(
    query: &SearchQuery,
    text: &str,
    now: DateTime<Utc>,
) -> Result<NaiveDate, FieldError> {
    let field = "departure_to";
    let from = query.legs()[0].date;
    let to = parse_date(text).map_err(|e| e.renamed(field))?;
    if to < from {
        return Err(FieldError::new(
            field,
            format!("{to} is before the departure {from}"),
        ));
    }
    let days = (to - from).num_days();
    if days > MAX_WINDOW_DAYS {
        return Err(FieldError::new(
            field,
            format!("a window spans at most {MAX_WINDOW_DAYS} days, got {days}"),
        ));
    }
    // The window's last trip must be searchable too: the same checks say so.
    shifted(query, to, now).map_err(|e| e.renamed(field))?;
    Ok(to)
}

/// `query` departing on `day` instead, a round trip's return moved by as
/// many days (the same stay): how a window's every date is searched.
///
/// # Errors
/// The search's own checks on the moved dates (past, beyond the bookable range).
pub fn shifted(
    query: &SearchQuery,
    day: NaiveDate,
    now: DateTime<Utc>,
) -> Result<SearchQuery, FieldError> {
    let by = day - query.legs()[0].date;
    let legs = query
        .legs()
        .iter()
        .map(|leg| Leg {
            date: leg.date + by,
            ..*leg
        })
        .collect();
    SearchQuery::new(legs, query.options().clone(), now)
}

fn target(text: &str) -> Result<Decimal, FieldError> {
    match text.trim().parse::<Decimal>() {
        Ok(d) if d > Decimal::ZERO && d <= MAX_TARGET => Ok(d.normalize()),
        _ => Err(FieldError::new(
            "target_price",
            format!("expected a positive amount up to {MAX_TARGET}, got '{text}'"),
        )),
    }
}

fn language(text: &str) -> Result<Lang, FieldError> {
    let lower = text.trim().to_ascii_lowercase();
    match lower.split(['-', '_']).next() {
        Some("pt") => Ok(Lang::Pt),
        Some("en") => Ok(Lang::En),
        _ => Err(FieldError::new(
            "language",
            format!("expected pt or en, got '{text}'"),
        )),
    }
}

/// Amounts read from JSON numbers (PostgreSQL's `numeric` through
/// `to_json`) or strings (how `Decimal` writes itself), never via a float.
pub(crate) mod amount {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Text {
        Number(serde_json::Number),
        Text(String),
    }

    fn parse<E: serde::de::Error>(t: Text) -> Result<Decimal, E> {
        let text = match t {
            Text::Number(n) => n.to_string(),
            Text::Text(s) => s,
        };
        // Normalised, so `3000.00` from a numeric(14,2) column reads as the `3000` written.
        text.parse::<Decimal>()
            .or_else(|_| Decimal::from_scientific(&text))
            .map(|d| d.normalize())
            .map_err(E::custom)
    }

    pub(crate) fn required<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        parse(Text::deserialize(d)?)
    }

    pub(crate) fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        Option::<Text>::deserialize(d)?.map(parse).transpose()
    }
}

/// The stored code of a notification language (`pt`, `en`).
pub fn watch_language_code(lang: Lang) -> &'static str {
    lang_code::code(lang)
}

/// `pt` or `en`, as stored.
mod lang_code {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::assistant::Lang;

    /// The code of `lang`.
    pub(crate) fn code(lang: Lang) -> &'static str {
        match lang {
            Lang::Pt => "pt",
            Lang::En => "en",
        }
    }

    pub(crate) fn serialize<S: Serializer>(lang: &Lang, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(code(*lang))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Lang, D::Error> {
        let text = String::deserialize(d)?;
        super::language(&text).map_err(serde::de::Error::custom)
    }
}

impl NewWatch {
    /// What makes two watches the same search: route, window, passengers,
    /// cabin, currency and stops. A thousand travellers watching one of
    /// these cost the refresh one search.
    pub fn query_key(&self) -> String {
        format!(
            "{}~{}/s{}",
            self.query.provider_key(),
            self.departure_to,
            self.query
                .options()
                .max_stops
                .map_or_else(|| "any".to_owned(), |n| n.to_string())
        )
    }
}

/// A stored watch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Watch {
    /// Id.
    pub id: WatchId,
    /// Owner.
    pub user_id: UserId,
    /// The search for the window's first date.
    pub query: SearchQuery,
    /// The distinct-query key ([`NewWatch::query_key`]) the refresh groups by.
    pub query_key: String,
    /// Last departure date of the window.
    pub departure_to: NaiveDate,
    /// Notify under this price.
    #[serde(default, deserialize_with = "amount::optional")]
    pub target_price: Option<Decimal>,
    /// Followed, paused or closed.
    pub status: WatchStatus,
    /// Lowest price seen so far (the reference for a "new low").
    #[serde(default, deserialize_with = "amount::optional")]
    pub lowest_price: Option<Decimal>,
    /// When the refresh last priced it.
    pub last_checked_at: Option<DateTime<Utc>>,
    /// Language of its notifications.
    #[serde(with = "lang_code")]
    pub language: Lang,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl Watch {
    /// The route and dates for people: `SAO → LIS, 2027-03-10`,
    /// `SAO → LIS, 2027-03-10 – 2027-03-20` or, for a round trip,
    /// `SAO ⇄ LIS, 2027-03-10, back after 7 days`.
    pub fn describe(&self) -> String {
        let leg = &self.query.legs()[0];
        let arrow = if self.stay().is_some() { "⇄" } else { "→" };
        let route = format!("{} {arrow} {}", leg.origin.code(), leg.destination.code());
        let dates = if leg.date == self.departure_to {
            format!("{route}, {}", leg.date)
        } else {
            format!("{route}, {} – {}", leg.date, self.departure_to)
        };
        match self.stay() {
            Some(days) => format!("{dates}, back after {days} days"),
            None => dates,
        }
    }

    /// Days between departure and return, for a round trip.
    pub fn stay(&self) -> Option<i64> {
        stay(&self.query)
    }

    /// The first departure date of the window.
    pub fn departure(&self) -> NaiveDate {
        self.query.legs()[0].date
    }
}

/// Days between a round trip's departure and return; `None` one way.
pub fn stay(query: &SearchQuery) -> Option<i64> {
    match query.legs() {
        [out, back] => Some((back.date - out.date).num_days()),
        _ => None,
    }
}

/// What `PATCH /watches/{id}` may change: pause, resume, the target.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WatchChange {
    /// `Active` (resume) or `Paused`.
    pub status: Option<WatchStatus>,
    /// `Some(None)` removes the target; `None` leaves it.
    pub target_price: Option<Option<Decimal>>,
}

impl WatchChange {
    /// Parses a status name and a target (`None`: unchanged; `Some(None)`: remove).
    ///
    /// # Errors
    /// `status` other than `active` or `paused`; `target_price` not positive.
    pub fn parse(
        status: Option<&str>,
        target_price: Option<Option<&str>>,
    ) -> Result<Self, FieldError> {
        let status = status
            .map(|s| match s.trim() {
                "active" => Ok(WatchStatus::Active),
                "paused" => Ok(WatchStatus::Paused),
                other => Err(FieldError::new(
                    "status",
                    format!("expected active or paused, got '{other}'"),
                )),
            })
            .transpose()?;
        let target_price = target_price
            .map(|t| t.map(target).transpose())
            .transpose()?;
        Ok(Self {
            status,
            target_price,
        })
    }
}

/// One price the refresh observed for a watch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricePoint {
    /// When it was observed.
    pub observed_at: DateTime<Utc>,
    /// Cheapest total for the watch's passengers.
    #[serde(deserialize_with = "amount::required")]
    pub price: Decimal,
    /// Currency of `price`.
    pub currency: String,
    /// Which provider sold it.
    pub provider: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
    }

    fn raw(departure: &str, to: Option<&str>, target: Option<&str>) -> RawWatch {
        RawWatch {
            search: RawSearch::trip("SAO", "LIS", departure, None),
            departure_to: to.map(str::to_owned),
            target_price: target.map(str::to_owned),
            language: None,
        }
    }

    #[test]
    fn a_watch_with_a_window_and_target_parses_through_the_search_parser() {
        let w = raw("2027-03-10", Some("2027-03-20"), Some("3000"))
            .parse(now())
            .unwrap();
        assert_eq!(w.departure_to.to_string(), "2027-03-20");
        assert_eq!(w.target_price, Some(Decimal::from(3000)));
        assert_eq!(
            w.query_key(),
            "SAO-LIS-2027-03-10/1a0c0i/economy/BRL~2027-03-20/sany"
        );
    }

    #[test]
    fn a_round_trip_watch_keeps_its_stay_across_the_window() {
        let mut r = raw("2027-03-10", Some("2027-03-20"), None);
        r.search = RawSearch::trip("SAO", "LIS", "2027-03-10", Some("2027-03-17"));
        let w = r.parse(now()).unwrap();
        assert_eq!(stay(&w.query), Some(7));
        assert_eq!(
            w.query_key(),
            "SAO-LIS-2027-03-10/LIS-SAO-2027-03-17/1a0c0i/economy/BRL~2027-03-20/sany"
        );
        let last = shifted(&w.query, w.departure_to, now()).unwrap();
        assert_eq!(last.legs()[1].date.to_string(), "2027-03-27");
        // A window whose last return leaves the bookable range is refused.
        let mut far = raw("2027-10-01", Some("2027-10-20"), None);
        far.search = RawSearch::trip("SAO", "LIS", "2027-10-01", Some("2027-11-15"));
        assert_eq!(far.parse(now()).unwrap_err().field, "departure_to");
        let mut back_first = raw("2027-03-10", None, None);
        back_first.search = RawSearch::trip("SAO", "LIS", "2027-03-10", Some("2027-03-01"));
        assert_eq!(back_first.parse(now()).unwrap_err().field, "return");
    }

    #[test]
    fn bad_windows_and_targets_name_their_field() {
        let cases = [
            (raw("2026-11-01", None, None), "departure"),
            (raw("2027-03-10", Some("2027-04-20"), None), "departure_to"),
            (raw("2027-03-10", Some("2027-03-01"), None), "departure_to"),
            (raw("2027-03-10", None, Some("-5")), "target_price"),
            (raw("2027-03-10", None, Some("0")), "target_price"),
        ];
        for (watch, field) in cases {
            assert_eq!(watch.parse(now()).unwrap_err().field, field, "{watch:?}");
        }
        let err = raw("2027-03-10", Some("2027-04-20"), None)
            .parse(now())
            .unwrap_err();
        assert!(err.reason.contains("at most 30 days"), "{err}");
    }

    #[test]
    fn a_change_accepts_only_pause_resume_and_a_positive_target() {
        assert_eq!(
            WatchChange::parse(Some("closed"), None).unwrap_err().field,
            "status"
        );
        let c = WatchChange::parse(Some("paused"), Some(None)).unwrap();
        assert_eq!(c.status, Some(WatchStatus::Paused));
        assert_eq!(c.target_price, Some(None));
    }
}
