//! The built-in assistant: reads what the traveller asked across the
//! conversation, asks for what is missing, or turns it into a search
//! through the one search parser and words the answer. It needs no model,
//! no key and no network, and it answers whenever the model cannot.

use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use serde_json::Value;

use super::tools::{SEARCH_FLIGHTS, SearchRecord};
use super::{
    Clarification, DateSpec, Lang, Slot, TripRequest, flexible_reply, reply,
    understand_conversation,
};
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
    understand_conversation(messages, today)
}

/// Asks for what is missing or cannot be guessed, or plans the search the
/// slots describe.
pub(super) fn plan(slots: &TripRequest, now: DateTime<Utc>, lang: Lang) -> Plan {
    let missing = slots.missing();
    if !missing.is_empty() {
        let mut question = reply::question(&missing, lang);
        // "ida e volta" with no dates: both days at once.
        if slots.clarify == Some(Clarification::ReturnDate) && missing.contains(&Slot::Departure) {
            question.push_str(reply::and_the_return(lang));
        }
        // "Portugal": the places to choose from, when the end asked for is
        // theirs (no end already took one of them).
        if let Some(Clarification::WhichPlace { options, .. }) = &slots.clarify
            && ![slots.origin, slots.destination]
                .iter()
                .any(|end| end.is_some_and(|p| options.contains(&p)))
        {
            question.push_str(&reply::one_of(options, lang));
        }
        return Plan::Answer(question);
    }
    if let Some(question) = slots
        .clarify
        .as_ref()
        .and_then(|c| reply::must_ask(c, lang))
    {
        return Plan::Answer(question);
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

/// The search the slots describe, as any client would send it: a month,
/// a window, days either side of a day or any weekend become a flexible
/// search over those days (the month from today when it has begun), and a
/// second origin is searched too. The date returned is the first day searched.
pub fn search_request(slots: &TripRequest, today: NaiveDate) -> Option<(RawSearch, NaiveDate)> {
    let (origin, destination) = (slots.origin?, slots.destination?);
    let mut when = slots.departure_day(today)?;
    let window = flexible_window(slots, today);
    let back = match window {
        Some(_) => None,
        None => slots.return_day(today).map(|d| d.to_string()),
    };
    let mut raw = RawSearch::trip(
        origin.code().as_str(),
        destination.code().as_str(),
        &when.to_string(),
        back.as_deref(),
    );
    if let Some((from, to)) = window {
        when = from;
        raw.legs[0].date = None;
        raw.departure_from = Some(from.to_string());
        raw.departure_to = Some(to.to_string());
        raw.departure_days = slots.weekend.then(|| "weekend".to_owned());
        raw.trip_days = flexible_stay(slots).map(|n| n.to_string());
    }
    raw.other_origins = slots
        .other_origins
        .iter()
        .map(|p| p.code().to_string())
        .collect();
    raw.adults = slots.adults.map(|n| n.to_string());
    raw.children = slots.children.map(|n| n.to_string());
    raw.infants = slots.infants.map(|n| n.to_string());
    raw.cabin = slots.cabin.map(|c| c.as_str().to_owned());
    raw.max_stops = slots.max_stops.map(|n| n.to_string());
    if let Some((amount, currency)) = slots.budget {
        raw.max_price = Some(amount.to_string());
        raw.currency = Some(currency.code().to_owned());
    }
    raw.sort = slots.sort.map(|s| sort_name(s).to_owned());
    raw.carriers = slots.carriers.iter().map(ToString::to_string).collect();
    raw.depart_after = slots.depart_after.map(|t| t.format("%H:%M").to_string());
    raw.depart_before = slots.depart_before.map(|t| t.format("%H:%M").to_string());
    Some((raw, when))
}

/// The departure window a flexible request means: a window named, days
/// either side of a day, or a month (any weekend of it, or any day); not
/// before `today`. `None` for a fixed day, or a month with a return named.
fn flexible_window(slots: &TripRequest, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let (from, to) = match (slots.window, slots.departure, slots.days_either_side) {
        (Some(w), ..) => w,
        (None, Some(DateSpec::Day(d)), Some(n)) => {
            let n = Days::new(u64::from(n));
            (d.checked_sub_days(n)?, d.checked_add_days(n)?)
        }
        (None, Some(DateSpec::Month { year, month }), _) if slots.return_date.is_none() => {
            let first = NaiveDate::from_ymd_opt(year, month, 1)?;
            let last = first.checked_add_months(Months::new(1))?.pred_opt()?;
            (first, last)
        }
        _ => return None,
    };
    Some((from.max(today), to))
}

/// The stay of a flexible round trip: its length, or the days between a
/// departure and return day named with "±N".
fn flexible_stay(slots: &TripRequest) -> Option<u16> {
    if slots.one_way == Some(true) {
        return None;
    }
    match (slots.trip_length_days, slots.departure, slots.return_date) {
        (Some(n), ..) => Some(n),
        (None, Some(DateSpec::Day(d)), Some(DateSpec::Day(r))) => {
            u16::try_from((r - d).num_days()).ok().filter(|n| *n > 0)
        }
        _ => None,
    }
}

fn sort_name(sort: Sort) -> &'static str {
    match sort {
        Sort::Best => "best",
        Sort::Cheapest => "cheapest",
        Sort::Fastest => "fastest",
    }
}

fn cannot_search(e: &FieldError, lang: Lang) -> String {
    let e = Surface::Post.rename(e.clone());
    match lang {
        Lang::Pt => format!("Não consigo buscar assim: {}. Pode ajustar?", e.reason),
        Lang::En => format!("I can't search that: {}. Could you adjust it?", e.reason),
    }
}

/// The answer to a search the offline assistant ran; `over_budget` is the
/// budget no offer met, when `record` is the search without it; a reading
/// taken among several (`clarify`) is said, so the traveller can correct it.
pub(super) fn answer(
    record: &SearchRecord,
    when: NaiveDate,
    over_budget: Option<&Money>,
    clarify: Option<&Clarification>,
    lang: Lang,
) -> String {
    let query = &record.query;
    let leg = &query.legs()[0];
    let (from, to) = (leg.origin.city_in(lang), leg.destination.city_in(lang));
    let (o, d) = (leg.origin.code(), leg.destination.code());
    let route = match lang {
        Lang::Pt => format!("de {from} ({o}) para {to} ({d})"),
        Lang::En => format!("from {from} ({o}) to {to} ({d})"),
    };
    let window = query
        .flexible()
        .map(|f| (f.departure_window.from, f.departure_window.to));
    let back =
        (query.trip() == TripKind::RoundTrip && window.is_none()).then(|| query.legs()[1].date);
    let summary = reply::summary(
        &reply::SearchSummary {
            route,
            when,
            back,
            window,
            travellers: query.options().passengers.seats(),
            offers: &record.offers,
            count: record.count,
            over_budget,
        },
        lang,
    );
    let summary = match &record.flexible {
        Some(flexible) => format!(
            "{}\n{summary}",
            flexible_reply::cheapest_days(flexible, lang)
        ),
        None => summary,
    };
    match clarify.and_then(|c| reply::reading_taken(c, lang)) {
        Some(note) => format!("{summary}\n\n{note}"),
        None => summary,
    }
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
pub(super) fn title_of(slots: &TripRequest, text: &str, lang: Lang) -> Option<Title> {
    let title = match (slots.origin, slots.destination) {
        (Some(o), Some(d)) => format!("{} → {}", o.city_in(lang), d.city_in(lang)),
        (None, Some(d)) => format!("→ {}", d.city_in(lang)),
        _ => text.chars().take(60).collect(),
    };
    Title::parse(&title).ok()
}
