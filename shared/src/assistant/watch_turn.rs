//! Watches from the chat: "me avisa quando baixar", "avise se ficar abaixo
//! de R$ 3.000", "let me know when it drops" create a watch of the route
//! the conversation is about; "quais rotas estou acompanhando?" lists them.
//! Rules, in Portuguese and English, so this works with or without a model.

use chrono::{DateTime, Days, Utc};
use rust_decimal::Decimal;

use super::{Lang, TripRequest, offline, reply, understand};
use crate::domain::Money;
use crate::places::fold;
use crate::search::{RawLeg, RawSearch, parse_date};
use crate::store::{Caller, StoreError, WatchStore};
use crate::watches::{RawWatch, Watch, WatchStatus, dates};

/// What the traveller asked of watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchIntent {
    /// Follow the route under discussion, with an optional target.
    Create {
        /// "abaixo de R$ 3.000": notify under this.
        target: Option<Decimal>,
    },
    /// "quais rotas estou acompanhando?"
    List,
}

const CREATE: &[&str] = &[
    "me avisa",
    "me avise",
    "avise se",
    "avise quando",
    "avisa quando",
    "avisa se",
    "quando baixar",
    "quando cair",
    "acompanhe essa",
    "acompanhe esta",
    "acompanhar essa",
    "acompanhar esta",
    "monitore",
];

const CREATE_EN: &[&str] = &[
    "let me know when",
    "let me know if",
    "notify me",
    "alert me",
    "tell me when",
    "tell me if",
    "watch this",
    "watch the price",
    "when it drops",
];

const LIST: &[&str] = &[
    "estou acompanhando",
    "to acompanhando",
    "minhas rotas",
    "meus alertas",
    "quais alertas",
];

const LIST_EN: &[&str] = &[
    "am i watching",
    "my watches",
    "my alerts",
    "routes i'm watching",
    "routes i am watching",
];

/// What `text` asks of watches, if anything, and the language of the
/// phrase that asked (short requests like "notify me" are too short for
/// the general language detection).
pub fn watch_intent(text: &str, now: DateTime<Utc>) -> Option<(WatchIntent, Lang)> {
    let folded = fold(text);
    let said = |list: &[&str]| list.iter().any(|p| folded.contains(p));
    let lang = |en: bool| if en { Lang::En } else { Lang::Pt };
    if said(LIST) || said(LIST_EN) {
        return Some((WatchIntent::List, lang(said(LIST_EN))));
    }
    if !(said(CREATE) || said(CREATE_EN)) {
        return None;
    }
    // Read only for a watch request: the turn's own understanding runs anyway.
    let target = understand(text, now.date_naive())
        .budget
        .map(|(amount, _)| amount);
    Some((WatchIntent::Create { target }, lang(said(CREATE_EN))))
}

/// The answer to a watch request: the watch created (or why not), or the list.
///
/// # Errors
/// The store's failures other than a refused watch (which is answered).
pub async fn watch_answer(
    store: &dyn WatchStore,
    caller: &Caller,
    intent: WatchIntent,
    slots: &TripRequest,
    now: DateTime<Utc>,
    lang: Lang,
) -> Result<String, StoreError> {
    match intent {
        WatchIntent::List => Ok(listing(&store.list_watches(caller).await?, lang)),
        WatchIntent::Create { target } => create(store, caller, slots, target, now, lang).await,
    }
}

async fn create(
    store: &dyn WatchStore,
    caller: &Caller,
    slots: &TripRequest,
    target: Option<Decimal>,
    now: DateTime<Utc>,
    lang: Lang,
) -> Result<String, StoreError> {
    let Some((mut search, _)) = offline::search_request(slots, now.date_naive()) else {
        return Ok(match lang {
            Lang::Pt => "Para acompanhar um preço, diga a rota e a data — por exemplo: “São Paulo para Lisboa em 10 de março, me avisa quando baixar”.".to_owned(),
            Lang::En => "To watch a price, tell me the route and the date — for example: “São Paulo to Lisbon on March 10, let me know when it drops”.".to_owned(),
        });
    };
    // A round trip is watched as one, with its stay. Filters and order are
    // for one search, not a watch: `POST /watches` takes none, and the
    // refresh prices every watch of a route, dates, party, cabin and stops
    // with one search, so a filter would apply to its neighbours too.
    search.max_price = None;
    search.carriers.clear();
    search.depart_after = None;
    search.depart_before = None;
    search.sort = None;
    let departure_to = watched_window(&mut search);
    let raw = RawWatch {
        search,
        departure_to,
        target_price: target.map(|t| t.to_string()),
        language: Some(if lang == Lang::En { "en" } else { "pt" }.to_owned()),
    };
    let new = match raw.parse(now) {
        Ok(new) => new,
        Err(e) => return Ok(refused(&e.reason, lang)),
    };
    match store.create_watch(caller, &new).await {
        Ok(watch) => Ok(confirmation(&watch, lang)),
        Err(StoreError::Conflict(why)) => Ok(refused(&why, lang)),
        Err(e) => Err(e),
    }
}

/// A flexible search as a watch reads it: the window's first day as the
/// departure (with the stay, or two days for a weekend, as the return) and
/// its last day as the watch's `departure_to`. A watch leaves from one
/// place, so other origins go.
fn watched_window(search: &mut RawSearch) -> Option<String> {
    search.other_origins.clear();
    let from = search.departure_from.take()?;
    let to = search.departure_to.take();
    let weekend = search.departure_days.take().is_some_and(|d| d == "weekend");
    let stay = search.trip_days.take().and_then(|n| n.parse::<u64>().ok());
    let stay = stay.or(weekend.then_some(2));
    let leg = search.legs.first_mut()?;
    leg.date = Some(from.clone());
    let back = stay.and_then(|n| parse_date(&from).ok()?.checked_add_days(Days::new(n)));
    if let Some(back) = back {
        let (origin, destination) = (leg.destination.clone(), leg.origin.clone());
        search.legs.push(RawLeg {
            origin,
            destination,
            date: Some(back.to_string()),
        });
    }
    to
}

fn refused(why: &str, lang: Lang) -> String {
    match lang {
        Lang::Pt => format!("Não consegui criar o alerta: {why}."),
        Lang::En => format!("I couldn't create the alert: {why}."),
    }
}

fn route(w: &Watch, lang: Lang) -> String {
    let leg = &w.query.legs()[0];
    let (trip, arrow) = match (w.stay().is_some(), lang) {
        (false, _) => ("", "→"),
        (true, Lang::Pt) => ("ida e volta ", "⇄"),
        (true, Lang::En) => ("the round trip ", "⇄"),
    };
    format!(
        "{trip}{} {arrow} {}, {}",
        leg.origin.city(),
        leg.destination.city(),
        dates(&w.query, w.departure_to, lang)
    )
}

/// What the assistant promises to watch.
fn confirmation(w: &Watch, lang: Lang) -> String {
    let target = w
        .target_price
        .map(|t| reply::money(&Money::new(t, w.query.options().currency), lang));
    let route = route(w, lang);
    match (lang, target) {
        (Lang::Pt, None) => format!(
            "Pronto! Vou acompanhar {route} e te aviso quando o preço cair pelo menos 10% abaixo do menor preço visto."
        ),
        (Lang::Pt, Some(t)) => format!(
            "Pronto! Vou acompanhar {route} e te aviso quando o preço ficar abaixo de {t} (ou cair pelo menos 10%)."
        ),
        (Lang::En, None) => format!(
            "Done! I'll watch {route} and let you know when the price drops at least 10% under the lowest seen."
        ),
        (Lang::En, Some(t)) => format!(
            "Done! I'll watch {route} and let you know when the price falls under {t} (or drops at least 10%)."
        ),
    }
}

fn listing(watches: &[Watch], lang: Lang) -> String {
    if watches.is_empty() {
        return match lang {
            Lang::Pt => "Você ainda não acompanha nenhuma rota. Diga, por exemplo, “me avisa quando baixar” depois de uma busca.".to_owned(),
            Lang::En => "You aren't watching any route yet. Say, for example, “let me know when it drops” after a search.".to_owned(),
        };
    }
    let mut out = match lang {
        Lang::Pt => format!("Você acompanha {} rota(s):", watches.len()),
        Lang::En => format!("You are watching {} route(s):", watches.len()),
    };
    for (i, w) in watches.iter().enumerate() {
        let status = match (w.status, lang) {
            (WatchStatus::Active, Lang::Pt) => "ativo",
            (WatchStatus::Paused, Lang::Pt) => "pausado",
            (WatchStatus::Closed, Lang::Pt) => "encerrado",
            (WatchStatus::Active, Lang::En) => "active",
            (WatchStatus::Paused, Lang::En) => "paused",
            (WatchStatus::Closed, Lang::En) => "closed",
        };
        let low = w
            .lowest_price
            .map(|p| reply::money(&Money::new(p, w.query.options().currency), lang));
        let low = match (low, lang) {
            (Some(p), Lang::Pt) => format!(", menor preço {p}"),
            (Some(p), Lang::En) => format!(", lowest {p}"),
            (None, _) => String::new(),
        };
        out.push_str(&format!("\n{}. {} ({status}{low})", i + 1, route(w, lang)));
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

    #[test]
    fn watch_requests_are_recognised_in_both_languages() {
        for text in [
            "me avisa quando baixar",
            "Let me know when it drops",
            "notify me",
        ] {
            assert_eq!(
                watch_intent(text, now()).map(|i| i.0),
                Some(WatchIntent::Create { target: None }),
                "{text}"
            );
        }
        assert_eq!(
            watch_intent("avise se ficar abaixo de R$ 3.000", now()),
            Some((
                WatchIntent::Create {
                    target: Some(Decimal::from(3000))
                },
                Lang::Pt
            ))
        );
        assert_eq!(
            watch_intent("quais rotas estou acompanhando?", now()),
            Some((WatchIntent::List, Lang::Pt))
        );
        assert_eq!(
            watch_intent("What routes am I watching?", now()),
            Some((WatchIntent::List, Lang::En))
        );
        assert_eq!(watch_intent("quero ir a Lisboa em março", now()), None);
    }
}
