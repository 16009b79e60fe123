//! The built-in assistant: reads what the traveller asked across the
//! conversation, asks for what is missing, or turns it into a search
//! through the one search parser and words the answer. It needs no model,
//! no key and no network, and it answers whenever the model cannot.

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde_json::Value;

use super::tools::{SEARCH_FLIGHTS, SearchRecord};
use super::{DateSpec, Lang, TripRequest, reply, understand};
use crate::domain::{FieldError, Money, Title};
use crate::search::{RawSearch, SearchQuery, Sort, Surface, TripKind};

/// What the offline assistant decided to do with a turn.
pub(super) enum Plan {
    /// Something is missing or cannot be searched: this is the answer.
    Answer(String),
    /// Search this, then summarise with [`answer`].
    Search {
        /// The parsed search.
        query: SearchQuery,
        /// The arguments shown in the `tool` event and stored with the call.
        arguments: Value,
        /// The departure the traveller meant, for the answer's wording.
        when: NaiveDate,
    },
}

/// What the traveller asked for so far: every user message of the
/// conversation, oldest first, then the new one; later messages override.
pub(super) fn slots<'a>(
    messages: impl IntoIterator<Item = &'a str>,
    today: NaiveDate,
) -> TripRequest {
    messages
        .into_iter()
        .map(|m| understand(m, today))
        .fold(TripRequest::default(), TripRequest::merge)
}

/// Asks for what is missing, or plans the search the slots describe.
pub(super) fn plan(slots: &TripRequest, now: DateTime<Utc>, lang: Lang) -> Plan {
    let missing = slots.missing();
    if !missing.is_empty() {
        return Plan::Answer(reply::question(&missing, lang));
    }
    let today = now.date_naive();
    let Some((raw, when)) = search_request(slots, today) else {
        return Plan::Answer(reply::question(&missing, lang));
    };
    match raw.parse(now) {
        Ok(query) => Plan::Search {
            arguments: serde_json::to_value(&query).unwrap_or(Value::Null),
            query,
            when,
        },
        Err(e) => Plan::Answer(cannot_search(&e, lang)),
    }
}

/// The search the slots describe, as any client would send it: a month
/// becomes its 15th (or a week from today when that has passed), which
/// the answer says.
pub fn search_request(slots: &TripRequest, today: NaiveDate) -> Option<(RawSearch, NaiveDate)> {
    let (origin, destination, departure) = (slots.origin?, slots.destination?, slots.departure?);
    let when = match departure {
        DateSpec::Day(d) => d,
        DateSpec::Month { year, month } => NaiveDate::from_ymd_opt(year, month, 15)
            .filter(|d| *d > today)
            .unwrap_or(today + Days::new(7)),
    };
    let back = slots
        .return_date
        .filter(|_| slots.one_way != Some(true))
        .map(|d| d.to_string());
    let mut raw = RawSearch::trip(
        origin.code().as_str(),
        destination.code().as_str(),
        &when.to_string(),
        back.as_deref(),
    );
    raw.adults = slots.adults.map(|n| n.to_string());
    raw.children = slots.children.map(|n| n.to_string());
    raw.infants = slots.infants.map(|n| n.to_string());
    raw.cabin = slots.cabin.map(|c| c.as_str().to_owned());
    raw.max_stops = slots.max_stops.map(|n| n.to_string());
    if let Some((amount, currency)) = slots.budget {
        raw.max_price = Some(amount.to_string());
        raw.currency = Some(currency.code().to_owned());
    }
    Some((raw, when))
}

fn cannot_search(e: &FieldError, lang: Lang) -> String {
    let e = Surface::Post.rename(e.clone());
    match lang {
        Lang::Pt => format!("Não consigo buscar assim: {}. Pode ajustar?", e.reason),
        Lang::En => format!("I can't search that: {}. Could you adjust it?", e.reason),
    }
}

/// The answer to a search the offline assistant ran; `over_budget` is the
/// budget no offer met, when `record` is the search without it.
pub(super) fn answer(
    record: &SearchRecord,
    when: NaiveDate,
    over_budget: Option<&Money>,
    lang: Lang,
) -> String {
    let query = &record.query;
    let leg = &query.legs()[0];
    let (from, to) = (leg.origin.city(), leg.destination.city());
    let (o, d) = (leg.origin.code(), leg.destination.code());
    let route = match lang {
        Lang::Pt => format!("de {from} ({o}) para {to} ({d})"),
        Lang::En => format!("from {from} ({o}) to {to} ({d})"),
    };
    let back = (query.trip() == TripKind::RoundTrip).then(|| query.legs()[1].date);
    reply::summary(
        &reply::SearchSummary {
            route,
            when,
            back,
            travellers: query.options().passengers.seats(),
            offers: &record.offers,
            count: record.count,
            over_budget,
        },
        lang,
    )
}

/// The same search without its price limit, to show the cheapest fare
/// when nothing fits the budget; `None` when the search had no limit.
pub(super) fn without_budget(
    query: &SearchQuery,
    now: DateTime<Utc>,
) -> Option<(SearchQuery, Money)> {
    let options = query.options();
    let budget = Money::new(options.filters.max_price?, options.currency);
    let mut relaxed = options.clone();
    relaxed.filters.max_price = None;
    relaxed.sort = Sort::Cheapest;
    let query = SearchQuery::new(query.legs().to_vec(), relaxed, now).ok()?;
    Some((query, budget))
}

/// The name of the tool the offline assistant runs.
pub(super) const TOOL: &str = SEARCH_FLIGHTS;

/// "São Paulo → Lisboa" when the route is known, else the first words.
pub(super) fn title_of(slots: &TripRequest, text: &str) -> Option<Title> {
    let title = match (slots.origin, slots.destination) {
        (Some(o), Some(d)) => format!("{} → {}", o.city(), d.city()),
        (None, Some(d)) => format!("→ {}", d.city()),
        _ => text.chars().take(60).collect(),
    };
    Title::parse(&title).ok()
}
